import fontkit from '@pdf-lib/fontkit';
import {
  beginText,
  endText,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  rgb,
  setFillingRgbColor,
  setFontAndSize,
  moveText,
  showText,
  setTextRise,
  type PDFContext,
  type PDFFont,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import { fill, lineDirection, visualRuns, type Direction, type DocumentLayout } from '../../core/documents/index.js';
import { fontBytes, type FontFace } from './fonts.js';

/**
 * Draws a document layout (core/documents) as an A4 PDF with pdf-lib, fonts embedded and subset.
 *
 * Text is shaped here, not by pdf-lib: pdf-lib's drawText lays text out with fontkit but keeps only
 * the glyph advances, dropping the mark positions Arabic needs (Noto Sans Arabic draws a letter's
 * dots as marks placed by GPOS), and it writes an empty Unicode mapping for such marks. So each
 * run is shaped with fontkit's layout engine (joining forms, ligatures, marks, kerning), put in
 * visual order by the core's bidi rule, and written as a TJ array with every glyph's own offsets.
 * That uses pdf-lib's subset embedder directly (see `Face`), pinned to pdf-lib 1.17.
 */

interface FkGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}
interface FkPosition {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FkFont {
  unitsPerEm: number;
  layout(text: string, features?: unknown, script?: string, language?: string, direction?: string): { glyphs: FkGlyph[]; positions: FkPosition[] };
  hasGlyphForCodePoint(codePoint: number): boolean;
}
/** The parts of pdf-lib's CustomFontSubsetEmbedder this module relies on. */
interface SubsetEmbedder {
  font: FkFont;
  subset: { includeGlyph(glyph: number | FkGlyph): number };
  glyphs: FkGlyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  embedUnicodeCmap(context: PDFContext): PDFRef;
  glyphId(glyph: FkGlyph | undefined): number;
}

export class DocumentFontError extends Error {}

// fontkit parses a face's layout tables (GSUB, GPOS) on first use, which costs far more than
// drawing a page; the parsed face is kept per process and shared by every document.
const parsedFaces = new WeakMap<Uint8Array, unknown>();
const cachingFontkit = {
  create(bytes: Uint8Array): unknown {
    let font = parsedFaces.get(bytes);
    if (!font) {
      font = fontkit.create(bytes);
      parsedFaces.set(bytes, font);
    }
    return font;
  },
} as unknown as typeof fontkit;

interface ShapedGlyph {
  hex: string;
  /** A mark with no character of its own (a dot split off a letter), drawn apart from the text. */
  floating: boolean;
  /** Font units. */
  advance: number;
  width: number;
  xOffset: number;
  yOffset: number;
}
interface Shaped {
  glyphs: ShapedGlyph[];
  /** Font units. */
  advance: number;
}

/** One embedded face: glyphs go into its subset as they are shaped; its ToUnicode map is written from what was drawn. */
class Face {
  readonly font: FkFont;
  private readonly embedder: SubsetEmbedder;
  private readonly unicode = new Map<number, number[]>();
  private readonly subsetIds = new Map<string, number>();
  private readonly shapes = new Map<string, Shaped>();
  readonly keys = new WeakMap<PDFPage, PDFName>();

  constructor(
    readonly pdfFont: PDFFont,
    readonly name: FontFace,
  ) {
    const embedder = (pdfFont as unknown as { embedder?: SubsetEmbedder }).embedder;
    if (!embedder?.subset || !embedder.glyphIdMap || typeof embedder.embedUnicodeCmap !== 'function') {
      throw new Error('pdf-lib no longer exposes its subset font embedder as 1.17 did; documents/pdf.ts must be updated');
    }
    this.embedder = embedder;
    this.font = embedder.font;
    padGlyphsToEvenLength(embedder.subset);
    embedder.embedUnicodeCmap = (context) => context.register(context.flateStream(this.toUnicodeCMap()));
    // Widths are written per subset entry (a glyph drawn for two letters has two).
    embedder.glyphId = (glyph) => (glyph ? ((glyph as FkGlyph & { subsetId?: number }).subsetId ?? embedder.glyphIdMap.get(glyph.id) ?? -1) : -1);
  }

  has(codePoint: number): boolean {
    return this.font.hasGlyphForCodePoint(codePoint);
  }

  /**
   * The subset id drawing `glyph` for its characters. One glyph can stand for different letters
   * (Noto Sans Arabic draws ب ت ث ن ي in the middle of a word as one dotless shape, the dots
   * being separate marks), so each glyph gets one subset entry per character it stands for: the
   * ToUnicode map can then give every drawn glyph its own letter.
   */
  private include(glyph: FkGlyph): number {
    const key = `${glyph.id}|${glyph.codePoints.join(',')}`;
    let id = this.subsetIds.get(key);
    if (id !== undefined) return id;
    const subset = this.embedder.subset as unknown as { glyphs: number[]; includeGlyph(glyph: number): number };
    id = this.embedder.glyphIdMap.has(glyph.id) ? subset.glyphs.push(glyph.id) - 1 : subset.includeGlyph(glyph.id);
    if (!this.embedder.glyphIdMap.has(glyph.id)) this.embedder.glyphIdMap.set(glyph.id, id);
    this.embedder.glyphs[id - 1] = { id: glyph.id, codePoints: glyph.codePoints, advanceWidth: glyph.advanceWidth, subsetId: id } as FkGlyph;
    this.embedder.glyphCache.invalidate();
    this.subsetIds.set(key, id);
    // A glyph standing for no character maps to WORD JOINER: invisible, transparent to Arabic joining, skipped by text extraction.
    this.unicode.set(id, glyph.codePoints.length > 0 ? glyph.codePoints : [0x2060]);
    return id;
  }

  shape(text: string, rtl: boolean): Shaped {
    const key = (rtl ? 'r' : 'l') + text;
    let shaped = this.shapes.get(key);
    if (shaped) return shaped;
    // Left-to-right text is shaped word by word (no font here joins or kerns across a space), so
    // the words a document repeats on every line are shaped once.
    if (!rtl && / ./.test(text)) {
      const parts = (text.match(/ +|[^ ]+/g) ?? []).map((part) => this.shape(part, false));
      shaped = { glyphs: parts.flatMap((p) => p.glyphs), advance: parts.reduce((sum, p) => sum + p.advance, 0) };
      this.shapes.set(key, shaped);
      return shaped;
    }
    const run = layoutOf(this.font, this.name, text, rtl);
    const glyphs = run.glyphs.map((glyph, i): ShapedGlyph => {
      const position = run.positions[i]!;
      return { hex: this.include(glyph).toString(16).padStart(4, '0'), floating: glyph.codePoints.length === 0 && position.xAdvance === 0, advance: position.xAdvance, width: glyph.advanceWidth, xOffset: position.xOffset, yOffset: position.yOffset };
    });
    shaped = { glyphs, advance: glyphs.reduce((sum, g) => sum + g.advance, 0) };
    this.shapes.set(key, shaped);
    return shaped;
  }

  private toUnicodeCMap(): string {
    const hex4 = (n: number) => n.toString(16).padStart(4, '0');
    const utf16 = (codePoints: number[]) =>
      codePoints
        .map((cp) => {
          if (cp < 0x10000) return hex4(cp);
          const v = cp - 0x10000;
          return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
        })
        .join('');
    const entries = [...this.unicode.entries()].sort((a, b) => a[0] - b[0]);
    const blocks: string[] = [];
    // A CMap block holds at most 100 entries.
    for (let i = 0; i < entries.length; i += 100) {
      const block = entries.slice(i, i + 100);
      blocks.push(`${block.length} beginbfchar\n${block.map(([id, cps]) => `<${hex4(id)}> <${utf16(cps)}>`).join('\n')}\nendbfchar`);
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <ffff>',
      'endcodespacerange',
      ...blocks,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}

// Shaping the same text with the same face gives the same glyphs in every document (labels,
// repeated items): the results are kept per process, bounded.
const layouts = new Map<string, { glyphs: FkGlyph[]; positions: FkPosition[] }>();
const MAX_LAYOUTS = 20_000;

function layoutOf(font: FkFont, face: FontFace, text: string, rtl: boolean): { glyphs: FkGlyph[]; positions: FkPosition[] } {
  const key = `${face}|${rtl ? 'r' : 'l'}|${text}`;
  let run = layouts.get(key);
  if (!run) {
    const arabic = face === 'arabic' || face === 'arabicBold';
    // fontkit reverses a right-to-left run itself; text in another face inside one is reversed here (only neutrals get there).
    run = withOwnCodePoints(font, () =>
      arabic && rtl ? font.layout(text, undefined, 'arab', undefined, 'rtl') : font.layout(rtl ? Array.from(text).reverse().map(mirror).join('') : text),
    );
    if (layouts.size >= MAX_LAYOUTS) layouts.clear();
    layouts.set(key, run);
  }
  return run;
}

/**
 * fontkit keeps one glyph object per glyph id, with the characters of the first text that used it:
 * the dotless shape drawn for ف in one word would claim to be ف when drawn for ق in the next. Its
 * layout engine knows each glyph's own characters and passes them to getGlyph; this hands back a
 * glyph object per call carrying them, for the ToUnicode map.
 */
function withOwnCodePoints<T>(font: FkFont, layout: () => T): T {
  const own = font as FkFont & { getGlyph(id: number, codePoints?: number[]): FkGlyph };
  const shared = own.getGlyph;
  own.getGlyph = function (id: number, codePoints: number[] = []) {
    const glyph = shared.call(this, id, codePoints);
    return Object.create(glyph, { codePoints: { value: codePoints, enumerable: true } }) as FkGlyph;
  };
  try {
    return layout();
  } finally {
    delete (own as { getGlyph?: unknown }).getGlyph;
  }
}

/**
 * fontkit 1.x (pdf-lib's) writes a subset's `loca` in the short format, offsets halved, without
 * padding glyphs to an even length: a face whose glyph records have odd lengths (Noto Sans has
 * many) comes out with every later glyph shifted, and readers draw nothing. Each glyph record is
 * padded to an even length as it is copied, which the TrueType format allows.
 */
function padGlyphsToEvenLength(subset: unknown): void {
  const s = subset as { _addGlyph?: (gid: number) => number; glyf: Uint8Array[]; offset: number };
  const addGlyph = s._addGlyph;
  if (typeof addGlyph !== 'function') throw new Error('fontkit no longer copies glyphs with _addGlyph; documents/pdf.ts must be updated');
  s._addGlyph = function (this: typeof s, gid: number): number {
    const index = addGlyph.call(this, gid);
    const record = this.glyf[index]!;
    if (record.length % 2 === 1) {
      const padded = new (record.constructor as new (length: number) => Uint8Array)(record.length + 1);
      padded.set(record);
      this.glyf[index] = padded;
      this.offset += 1;
    }
    return index;
  };
}

const MIRRORED: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«' };
const mirror = (ch: string) => MIRRORED[ch] ?? ch;

const ARABIC = /[\p{Script=Arabic}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303F\uFF00-\uFFEF]/u;
const NEUTRAL = /[\s\p{P}\p{S}\p{N}]/u;

type Weight = 'regular' | 'bold';

/** The faces of one document, embedded as its text needs them. */
class Faces {
  private readonly faces = new Map<FontFace, Face>();
  constructor(private readonly doc: PDFDocument) {}

  async ensure(name: FontFace): Promise<Face> {
    let face = this.faces.get(name);
    if (!face) {
      face = new Face(await this.doc.embedFont(await fontBytes(name), { subset: true }), name);
      this.faces.set(name, face);
    }
    return face;
  }

  get(name: FontFace): Face {
    const face = this.faces.get(name);
    if (!face) throw new Error(`font ${name} used before it was embedded`);
    return face;
  }

  /** Embeds every face `text` needs; refuses a character no face draws. */
  async prepare(text: string, weight: Weight): Promise<void> {
    const latin = this.faces.get(faceName('latin', weight));
    for (const ch of text) {
      if (/\s/.test(ch)) continue;
      if (latin?.has(ch.codePointAt(0)!) && !ARABIC.test(ch) && !CJK.test(ch)) continue;
      const cp = ch.codePointAt(0)!;
      const wanted = ARABIC.test(ch) ? 'arabic' : CJK.test(ch) ? 'cjk' : 'latin';
      const order: ('latin' | 'arabic' | 'cjk')[] = [wanted, ...(['latin', 'arabic', 'cjk'] as const).filter((f) => f !== wanted)];
      let found = false;
      for (const base of order) {
        const face = await this.ensure(faceName(base, weight));
        if (face.has(cp)) {
          found = true;
          break;
        }
      }
      if (!found) {
        throw new DocumentFontError(`no document font can draw U+${cp.toString(16).toUpperCase().padStart(4, '0')} "${ch}" in "${text.slice(0, 40)}"`);
      }
    }
  }

  /** The face for each character: its script's face, neutrals staying with their neighbour's face. */
  faceFor(ch: string, previous: Face | undefined, weight: Weight): Face {
    const cp = ch.codePointAt(0)!;
    if (previous && NEUTRAL.test(ch) && previous.has(cp)) return previous;
    const wanted = ARABIC.test(ch) ? 'arabic' : CJK.test(ch) ? 'cjk' : 'latin';
    for (const base of [wanted, 'latin', 'arabic', 'cjk'] as const) {
      const face = this.faces.get(faceName(base, weight));
      if (face?.has(cp)) return face;
    }
    return this.get(faceName('latin', weight));
  }
}

function faceName(base: 'latin' | 'arabic' | 'cjk', weight: Weight): FontFace {
  if (base === 'cjk') return 'cjk';
  return weight === 'bold' ? (`${base}Bold` as FontFace) : base;
}

interface Piece {
  face: Face;
  shaped: Shaped;
}

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 42;
const CONTENT = PAGE[0] - 2 * MARGIN;
const FOOTER = 28;
const GREY = rgb(0.93, 0.94, 0.96);
const RULE = rgb(0.75, 0.77, 0.8);
const INK: [number, number, number] = [0.1, 0.1, 0.12];
const MUTED: [number, number, number] = [0.38, 0.4, 0.44];

type Align = 'start' | 'end' | 'center';
interface TextStyle {
  size: number;
  weight?: Weight;
  color?: [number, number, number];
}

/** Lays the document out page by page, in logical coordinates mirrored for right-to-left documents. */
class Writer {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  private onNewPage: (() => void) | undefined;

  constructor(
    private readonly doc: PDFDocument,
    private readonly faces: Faces,
    readonly direction: Direction,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(PAGE);
    this.pages.push(this.page);
    this.y = PAGE[1] - MARGIN;
    this.onNewPage?.();
  }

  /** Calls `header` at the top of every page that follows until cleared (a table's column heads). */
  repeatOnNewPage(header: (() => void) | undefined): void {
    this.onNewPage = header;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER) this.newPage();
  }

  /** The page x of a box at logical offset `x` (from the leading edge) of width `width`. */
  left(x: number, width: number): number {
    return this.direction === 'rtl' ? MARGIN + CONTENT - x - width : MARGIN + x;
  }

  pieces(text: string, weight: Weight): Piece[] {
    const pieces: Piece[] = [];
    for (const run of visualRuns(text, lineDirection(text, this.direction))) {
      const chars = Array.from(run.text);
      const segments: { face: Face; text: string }[] = [];
      let current: Face | undefined;
      for (const ch of chars) {
        const face = this.faces.faceFor(ch, current, weight);
        if (face === current) segments[segments.length - 1]!.text += ch;
        else segments.push({ face, text: ch });
        current = face;
      }
      if (run.rtl) segments.reverse();
      for (const s of segments) pieces.push({ face: s.face, shaped: s.face.shape(s.text, run.rtl) });
    }
    return pieces;
  }

  measure(text: string, style: TextStyle): number {
    return this.pieces(text, style.weight ?? 'regular').reduce((sum, p) => sum + (p.shaped.advance * style.size) / p.face.font.unitsPerEm, 0);
  }

  /** Draws one line of text in the box [x, x + width) at baseline y. */
  text(text: string, x: number, width: number, y: number, style: TextStyle, align: Align = 'start'): void {
    if (text === '') return;
    const pieces = this.pieces(text, style.weight ?? 'regular');
    const size = style.size;
    const total = pieces.reduce((sum, p) => sum + (p.shaped.advance * size) / p.face.font.unitsPerEm, 0);
    const boxLeft = this.left(x, width);
    const leadingIsLeft = this.direction === 'ltr';
    let start: number;
    if (align === 'center') start = boxLeft + (width - total) / 2;
    else if ((align === 'start') === leadingIsLeft) start = boxLeft;
    else start = boxLeft + width - total;
    let pen = start;
    const [r, g, b] = style.color ?? INK;
    for (const piece of pieces) {
      this.show(piece, pen, y, size, r, g, b);
      pen += (piece.shaped.advance * size) / piece.face.font.unitsPerEm;
    }
  }

  private show(piece: Piece, x: number, y: number, size: number, r: number, g: number, b: number): void {
    const { face, shaped } = piece;
    let key = face.keys.get(this.page);
    if (!key) {
      key = this.page.node.newFontDictionary(face.pdfFont.name, face.pdfFont.ref);
      face.keys.set(this.page, key);
    }
    const upm = face.font.unitsPerEm;
    const adjust = (units: number) => PDFNumber.of(Math.round((-units * 1000 * 100) / upm) / 100);
    const ops: PDFOperator[] = [beginText(), setFillingRgbColor(r, g, b), setFontAndSize(key, size), moveText(round(x), round(y))];
    let array: (PDFHexString | PDFNumber)[] = [];
    let hex = '';
    const flushHex = () => {
      if (hex) array.push(PDFHexString.of(hex));
      hex = '';
    };
    const flush = () => {
      flushHex();
      if (array.length) ops.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [this.doc.context.obj(array)]));
      array = [];
    };
    // Dots a shaper split off a letter (no characters, no advance) are drawn after the run at their
    // own place, so the run's text stays one unbroken string for readers that extract it.
    const floating: { hex: string; x: number; y: number }[] = [];
    let pen = 0;
    for (const glyph of shaped.glyphs) {
      if (glyph.floating) {
        floating.push({ hex: glyph.hex, x: pen + glyph.xOffset, y: glyph.yOffset });
        pen += glyph.advance;
        continue;
      }
      pen += glyph.advance;
      const after = glyph.advance - glyph.width - glyph.xOffset;
      if (glyph.yOffset !== 0) {
        flush();
        ops.push(setTextRise(round((glyph.yOffset * size) / upm)));
      }
      if (glyph.xOffset !== 0) {
        flushHex();
        array.push(adjust(glyph.xOffset));
      }
      hex += glyph.hex;
      if (after !== 0) {
        flushHex();
        array.push(adjust(after));
      }
      if (glyph.yOffset !== 0) {
        flush();
        ops.push(setTextRise(0));
      }
    }
    flush();
    ops.push(endText());
    if (floating.length > 0) {
      ops.push(beginText(), setFillingRgbColor(r, g, b), setFontAndSize(key, size));
      // A new text object starts at the page origin.
      let lastX = 0;
      let lastY = 0;
      for (const mark of floating) {
        const mx = round(x + (mark.x * size) / upm);
        const my = round(y + (mark.y * size) / upm);
        ops.push(moveText(round(mx - lastX), round(my - lastY)), showText(PDFHexString.of(mark.hex)));
        lastX = mx;
        lastY = my;
      }
      ops.push(endText());
    }
    this.page.pushOperators(...ops);
  }

  /** Breaks text into lines no wider than `width` (at spaces; Chinese between any two characters; an endless word anywhere). */
  wrap(text: string, width: number, style: TextStyle): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      const tokens = paragraph.match(/\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]+/gu) ?? [];
      let line = '';
      let lineWidth = 0;
      for (const token of tokens) {
        const w = this.measure(token, style);
        if (lineWidth + w <= width || line === '') {
          if (line === '' && /^\s+$/.test(token)) continue;
          if (w > width && line === '') {
            // A word longer than the line: cut it by characters.
            let part = '';
            for (const ch of token) {
              if (part && this.measure(part + ch, style) > width) {
                lines.push(part);
                part = '';
              }
              part += ch;
            }
            line = part;
            lineWidth = this.measure(part, style);
            continue;
          }
          line += token;
          lineWidth += w;
        } else {
          lines.push(line.trimEnd());
          line = /^\s+$/.test(token) ? '' : token;
          lineWidth = line ? w : 0;
        }
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }

  rule(y: number, thickness = 0.6): void {
    this.page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + CONTENT, y }, thickness, color: RULE });
  }

  band(x: number, width: number, top: number, height: number): void {
    this.page.drawRectangle({ x: this.left(x, width), y: top - height, width, height, color: GREY });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Every string the layout prints, with the weight it is printed in (to embed the faces it needs first). */
function printed(layout: DocumentLayout): [string, Weight][] {
  const out: [string, Weight][] = [
    [layout.title, 'bold'],
    [layout.seller.name, 'bold'],
    ...layout.seller.lines.map((l): [string, Weight] => [l, 'regular']),
    [layout.buyer.label, 'bold'],
    ...layout.buyer.lines.map((l): [string, Weight] => [l, 'regular']),
    ...layout.columns.map((c): [string, Weight] => [c, 'bold']),
    [layout.total.label, 'bold'],
    [layout.total.value, 'bold'],
    [layout.bank.label, 'bold'],
    [layout.bank.note, 'regular'],
    [fill(layout.pageLabel, { page: 0, pages: 0 }) + ' 123456789', 'regular'],
  ];
  for (const row of [...layout.meta, ...layout.terms, ...layout.bank.accounts.flat()]) out.push([row.label, 'bold'], [row.label, 'regular'], [row.value, 'regular']);
  for (const row of layout.rows) for (const cell of row) out.push([cell, 'regular']);
  return out;
}

export interface PdfMetadata {
  title: string;
  /** Fixed creation instant, so the same document renders to the same bytes. */
  createdAt: Date;
  author?: string | undefined;
}

/** The PDF bytes for a laid-out document. */
export async function renderDocumentPdf(layout: DocumentLayout, meta: PdfMetadata): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(cachingFontkit);
  doc.setTitle(meta.title);
  doc.setLanguage(layout.language);
  doc.setCreationDate(meta.createdAt);
  doc.setModificationDate(meta.createdAt);
  doc.setProducer('tradepane');
  doc.setCreator('tradepane');
  if (meta.author) doc.setAuthor(meta.author);

  const faces = new Faces(doc);
  await faces.ensure('latin');
  for (const [text, weight] of printed(layout)) await faces.prepare(text, weight);

  const w = new Writer(doc, faces, layout.direction);
  const small: TextStyle = { size: 8.5, color: MUTED };
  const body: TextStyle = { size: 9 };
  const bold: TextStyle = { size: 9, weight: 'bold' };

  // Letterhead: seller on the leading side, the document's title and number on the trailing side.
  const half = CONTENT / 2;
  let top = w.y;
  w.text(layout.seller.name, 0, half + 40, top - 14, { size: 14, weight: 'bold' });
  let sellerY = top - 30;
  for (const line of layout.seller.lines.flatMap((l) => w.wrap(l, half + 20, small))) {
    w.text(line, 0, half + 20, sellerY, small);
    sellerY -= 11;
  }
  w.text(layout.title, half, half, top - 16, { size: 18, weight: 'bold' }, 'end');
  let metaY = top - 34;
  for (const row of layout.meta) {
    w.text(row.label, half, half - 120, metaY, { size: 9, weight: 'bold', color: MUTED }, 'end');
    w.text(row.value, CONTENT - 115, 115, metaY, body, 'end');
    metaY -= 12;
  }
  w.y = Math.min(sellerY, metaY) - 6;
  w.rule(w.y);
  w.y -= 16;

  // Buyer.
  w.text(layout.buyer.label, 0, CONTENT, w.y, { size: 9, weight: 'bold', color: MUTED });
  w.y -= 13;
  for (const line of layout.buyer.lines.flatMap((l) => w.wrap(l, CONTENT, body))) {
    w.text(line, 0, CONTENT, w.y, body);
    w.y -= 12;
  }
  w.y -= 10;

  // Items: #, description, quantity, unit price, amount.
  const cols = [
    { x: 0, width: 26, align: 'start' as Align },
    { x: 30, width: CONTENT - 30 - 64 - 96 - 104 - 12, align: 'start' as Align },
    { x: CONTENT - 64 - 96 - 104 - 8, width: 64, align: 'end' as Align },
    { x: CONTENT - 96 - 104 - 4, width: 96, align: 'end' as Align },
    { x: CONTENT - 104, width: 104, align: 'end' as Align },
  ];
  const header = () => {
    w.band(0, CONTENT, w.y, 18);
    layout.columns.forEach((label, i) => w.text(label, cols[i]!.x, cols[i]!.width, w.y - 12.5, bold, cols[i]!.align));
    w.y -= 22;
  };
  w.ensure(60);
  header();
  w.repeatOnNewPage(header);
  for (const row of layout.rows) {
    const itemLines = w.wrap(row[1], cols[1]!.width, body);
    const height = itemLines.length * 11 + 5;
    w.ensure(height);
    const baseline = w.y - 8;
    w.text(row[0], cols[0]!.x, cols[0]!.width, baseline, { size: 9, color: MUTED }, cols[0]!.align);
    itemLines.forEach((line, i) => w.text(line, cols[1]!.x, cols[1]!.width, baseline - i * 11, body));
    for (const i of [2, 3, 4]) w.text(row[i]!, cols[i]!.x, cols[i]!.width, baseline, body, 'end');
    w.y -= height;
    w.page.drawLine({ start: { x: MARGIN, y: w.y + 1 }, end: { x: MARGIN + CONTENT, y: w.y + 1 }, thickness: 0.3, color: RULE });
  }
  w.repeatOnNewPage(undefined);
  w.ensure(24);
  w.band(0, CONTENT, w.y - 2, 20);
  w.text(layout.total.label, cols[3]!.x - 100, cols[3]!.width + 100, w.y - 15, { size: 10, weight: 'bold' }, 'end');
  w.text(layout.total.value, cols[4]!.x, cols[4]!.width, w.y - 15, { size: 10, weight: 'bold' }, 'end');
  w.y -= 36;

  // Terms: delivery, payment, lead time.
  const labelWidth = 130;
  for (const row of layout.terms) {
    const lines = w.wrap(row.value, CONTENT - labelWidth, body);
    w.ensure(lines.length * 12 + 4);
    w.text(row.label, 0, labelWidth, w.y, { size: 9, weight: 'bold', color: MUTED });
    lines.forEach((line, i) => w.text(line, labelWidth, CONTENT - labelWidth, w.y - i * 12, body));
    w.y -= lines.length * 12 + 4;
  }
  w.y -= 10;

  // Bank details: only the company profile's official accounts, with the advice to confirm changes by phone.
  const noteLines = w.wrap(layout.bank.note, CONTENT, small);
  const accountHeight = layout.bank.accounts.reduce((sum, rows) => sum + rows.length * 12 + 6, 0);
  w.ensure(Math.min(20 + accountHeight + noteLines.length * 11, PAGE[1] - 2 * MARGIN - FOOTER));
  w.text(layout.bank.label, 0, CONTENT, w.y, { size: 10, weight: 'bold' });
  w.y -= 15;
  for (const rows of layout.bank.accounts) {
    for (const row of rows) {
      const lines = w.wrap(row.value, CONTENT - labelWidth, body);
      w.ensure(lines.length * 12);
      w.text(row.label, 0, labelWidth, w.y, { size: 9, color: MUTED });
      lines.forEach((line, i) => w.text(line, labelWidth, CONTENT - labelWidth, w.y - i * 12, body));
      w.y -= lines.length * 12;
    }
    w.y -= 6;
  }
  for (const line of noteLines) {
    w.ensure(11);
    w.text(line, 0, CONTENT, w.y, small);
    w.y -= 11;
  }

  // Footer on every page: the number (so a loose page is traceable) and "page n of N".
  const number = layout.meta[0]?.value ?? '';
  w.pages.forEach((page, i) => {
    w.page = page;
    w.text(number, 0, half, MARGIN - 4, small);
    w.text(fill(layout.pageLabel, { page: i + 1, pages: w.pages.length }), half, half, MARGIN - 4, small, 'end');
  });

  return doc.save({ useObjectStreams: true });
}
