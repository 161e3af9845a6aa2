/**
 * The plain text of a mail's HTML without a full HTML parser, for the HTML our templates make.
 *
 * html-to-text parses the HTML into a DOM (htmlparser2, domhandler), matches every element
 * against its selectors (selderee), then lays the text out; on the 50-line quotation that was
 * 40 % of a render. Rendered pack HTML is simple: a few dozen well-nested tags, our own escapes.
 * `simplePlainText` reads such HTML in one pass into a small tree and lays it out with a port
 * of html-to-text's own layout code (BlockTextBuilder, InlineTextBuilder, WhitespaceProcessor,
 * tableToString and the formatters for the tags below, html-to-text 9/10, MIT licence), with
 * the options `text.ts` gives it. Anything else — a tag not listed, a tag htmlparser2 would
 * close or open by itself, a comment, an entity other than ours — answers undefined and
 * html-to-text does the work. The differential tests hold the two to the same text.
 */

interface El {
  name: string;
  attribs: Record<string, string>;
  children: Node[];
  parent?: El;
}
type Node = El | string;

const INLINE = new Set(['span', 'b', 'strong', 'i', 'em', 'u', 's', 'small', 'big', 'sup', 'sub', 'font', 'code', 'mark', 'abbr', 'li', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'a']);
const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'table']);
const VOID = new Set(['br', 'img']);
const KNOWN = new Set([...INLINE, ...BLOCKS, ...VOID]);
/** htmlparser2's openImpliesClose for the tags above: opening the key closes an open element of the set. */
const P = new Set(['p']);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['p', P],
  ['h1', P],
  ['h2', P],
  ['h3', P],
  ['h4', P],
  ['h5', P],
  ['h6', P],
  ['div', P],
  ['table', P],
  ['ul', P],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
]);

const NAMED = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
]);

/** Entities as htmlparser2 decodes them, for the forms we write; undefined for any other. */
const REFERENCE = /&(#[xX][0-9a-fA-F]{1,6};|#[0-9]{1,7};|[A-Za-z]+;|[^\s]|$)/y;

const COMMON_REFERENCES: readonly (readonly [string, string])[] = [
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&amp;', '&'],
  ['&quot;', '"'],
  ['&#39;', "'"],
];

/** Which of escapeHtml's five references starts at `at` (an index into COMMON_REFERENCES), or -1. */
function commonReference(text: string, at: number): number {
  for (let i = 0; i < COMMON_REFERENCES.length; i++) if (text.startsWith(COMMON_REFERENCES[i]![0], at)) return i;
  return -1;
}

function decode(text: string): string | undefined {
  let at = text.indexOf('&');
  if (at < 0) return text;
  // What a global replace of REFERENCE would do, one '&' at a time (no callback per reference).
  let out = '';
  let from = 0;
  while (at >= 0) {
    // The references escaping writes, without the regular expression (what it would decode them to).
    const common = commonReference(text, at);
    if (common >= 0) {
      const [reference, character] = COMMON_REFERENCES[common]!;
      out += text.slice(from, at) + character;
      from = at + reference.length;
      at = text.indexOf('&', from);
      continue;
    }
    REFERENCE.lastIndex = at;
    const m = REFERENCE.exec(text);
    if (!m) {
      at = text.indexOf('&', at + 1);
      continue;
    }
    const ref = m[1]!;
    let decoded: string;
    if (ref === '' || (ref.length === 1 && /\s/.test(ref))) {
      decoded = m[0]; // a lone '&' stays
    } else if (ref.charCodeAt(0) === 35) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2, -1), 16) : parseInt(ref.slice(1, -1), 10);
      // Codes htmlparser2 passes through unchanged (it maps NUL, C1 controls, surrogates and beyond-Unicode).
      if (!((code >= 0x09 && code <= 0x0d) || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code < 0xd800) || (code >= 0xe000 && code <= 0xfffd))) return undefined;
      decoded = String.fromCodePoint(code);
    } else {
      const named = ref.endsWith(';') ? NAMED.get(ref.slice(0, -1)) : undefined;
      if (named === undefined) return undefined;
      decoded = named;
    }
    out += text.slice(from, at) + decoded;
    from = REFERENCE.lastIndex;
    at = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

/** Where htmlparser2 ends a tag name: whitespace or '/'. */
const isNameEnd = (c: number) => c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 47;

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const BLANK = /^\s*$/;
const SPACE = /\s/;
const SELF_CLOSING = /\/\s*$/;

const TAG = /<(\/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;
const ATTR = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

/**
 * Builds the tree from what the tokenizer reads, doing the checks that depend on what is open
 * (a closing tag must close the current element; a tag htmlparser2 would close an open element
 * for is beyond this reader). Text between tags is kept raw until the next tag or the end and
 * decoded then, so text read in several pieces (a compiled render's static HTML and its values)
 * decodes exactly as the same text read in one.
 */
class TreeBuilder {
  readonly root: El = { name: '', attribs: {}, children: [] };
  current: El = this.root;
  pending = '';
  failed = false;

  text(raw: string): void {
    this.pending += raw;
  }
  private flush(): boolean {
    if (this.pending === '') return true;
    const text = decode(this.pending);
    this.pending = '';
    if (text === undefined) return false;
    this.current.children.push(text);
    return true;
  }
  /** `closes`: IMPLIES_CLOSE's set for the name, when the caller has it at hand (a piece read at compile time). */
  open(name: string, attribs: Record<string, string>, closes: ReadonlySet<string> | undefined = IMPLIES_CLOSE.get(name)): boolean {
    if (!this.flush()) return false;
    if (closes?.has(this.current.name)) return false;
    const el: El = { name, attribs, children: [], parent: this.current };
    this.current.children.push(el);
    if (!VOID.has(name)) this.current = el;
    return true;
  }
  close(name: string): boolean {
    if (!this.flush()) return false;
    if (this.current.name !== name) return false;
    this.current = this.current.parent!;
    return true;
  }
  finish(): Node[] | undefined {
    if (!this.flush() || this.current !== this.root) return undefined;
    return this.root.children;
  }
}

/**
 * Reads HTML as htmlparser2 would when it is simple enough, telling `b` each text, opening and
 * closing; false when it is beyond this reader (including HTML that ends inside a tag). The checks
 * made here depend only on the tag itself, so a piece of HTML that ends outside a tag reads
 * the same alone as within the whole.
 */
function tokenize(html: string, b: Pick<TreeBuilder, 'text' | 'open' | 'close'>): boolean {
  if (html.includes('\u0000')) return false;
  let i = 0;
  let dq = html.indexOf('"');
  let sq = html.indexOf("'");
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? html.length : lt;
    if (end > i) b.text(html.slice(i, end));
    if (lt < 0) break;
    let closing = false;
    let name: string;
    let rest: string;
    const gt = html.indexOf('>', lt);
    // The next quote of each kind, looked for again only once passed (not from every tag to the end).
    if (dq >= 0 && dq < lt) dq = html.indexOf('"', lt);
    if (sq >= 0 && sq < lt) sq = html.indexOf("'", lt);
    if (gt >= 0 && (dq < 0 || dq > gt) && (sq < 0 || sq > gt)) {
      // The common case: no quotes, so the first '>' ends the tag.
      closing = html.charCodeAt(lt + 1) === 47; // '/'
      const start = closing ? lt + 2 : lt + 1;
      if (!isLetter(html.charCodeAt(start))) return false; // <!-- -->, <!DOCTYPE>, <?, a lone '<'
      let stop = start;
      while (stop < gt && !isNameEnd(html.charCodeAt(stop))) stop++;
      name = html.slice(start, stop);
      rest = stop < gt ? html.slice(stop, gt) : '';
      i = gt + 1;
    } else {
      TAG.lastIndex = lt;
      const m = TAG.exec(html);
      if (!m) return false;
      closing = m[1] === '/';
      name = m[2]!;
      rest = m[3]!;
      i = TAG.lastIndex;
    }
    if (!KNOWN.has(name)) {
      name = name.toLowerCase();
      if (!KNOWN.has(name)) return false;
    }
    if (closing) {
      if ((rest !== '' && !BLANK.test(rest)) || VOID.has(name)) return false;
      if (!b.close(name)) return false;
      continue;
    }
    if (rest.length > 0 && rest.charCodeAt(rest.length - 1) === 47) {
      if (!VOID.has(name)) return false; // htmlparser2 ignores the '/' on other tags
      rest = rest.replace(SELF_CLOSING, '');
    }
    const attribs: Record<string, string> = {};
    let at = 0;
    while (rest.length > 0 && at < rest.length) {
      if (BLANK.test(rest.slice(at))) break;
      ATTR.lastIndex = at;
      const a = ATTR.exec(rest);
      if (!a || ATTR.lastIndex === at) return false;
      at = ATTR.lastIndex;
      if (at < rest.length && !SPACE.test(rest[at]!)) return false;
      const attrName = a[1]!.toLowerCase();
      const value = decode(a[2] ?? a[3] ?? a[4] ?? '');
      if (value === undefined) return false;
      if (!(attrName in attribs)) attribs[attrName] = value;
    }
    if (!b.open(name, attribs)) return false;
  }
  return true;
}

/** A tree of the HTML when it is simple enough to read here exactly as htmlparser2 would. */
function parseSimple(html: string): Node[] | undefined {
  const b = new TreeBuilder();
  return tokenize(html, b) ? b.finish() : undefined;
}

/**
 * A piece of a compiled template's static HTML, read once when the template is compiled: its
 * text and tags in order, replayed into each render's tree. Opening tags share their attributes
 * (the layout only reads them).
 */
export type ReadPiece = readonly (string | OpenOp | { close: string })[];
/** An opening tag, with what opening it would close (IMPLIES_CLOSE's set, looked up once). */
type OpenOp = { open: string; attribs: Record<string, string>; closes: ReadonlySet<string> | undefined };

/** The static HTML piece read for replay, or undefined when it cannot be read alone (it ends inside a tag, or is beyond this reader). */
export function readPiece(html: string): ReadPiece | undefined {
  const ops: (string | OpenOp | { close: string })[] = [];
  const ok = tokenize(html, {
    text: (raw) => void ops.push(raw),
    open: (name, attribs) => ops.push({ open: name, attribs, closes: IMPLIES_CLOSE.get(name) }) > 0,
    close: (name) => ops.push({ close: name }) > 0,
  });
  return ok ? ops : undefined;
}

/** What a compiled render wrote, in order: static pieces read at compile time, and the HTML of each value. */
export type TextPart = ReadPiece | string;

// ——— html-to-text's layout, ported for the options text.ts uses (wordwrap off, no pre, no
// word transforms other than the anchor's text capture) ———

const WS = ' \t\r\n\f\u200b';
const WORD = /[^ \t\r\n\f\u200b]+/g;
const isWs = (c: string | undefined) => c !== undefined && WS.includes(c);
const ALL_WS = /^[ \t\r\n\f\u200b]*$/;

// Fields are assigned in constructors (not class fields): these objects are made by the hundred per text.
class InlineTextBuilder {
  declare lines: string[][];
  declare nextLineWords: string[];
  declare nextLineAvailableChars: number;
  declare stashedSpace: boolean;
  declare readonly maxLineLength: number;
  constructor(maxLineLength: number = Number.MAX_VALUE) {
    this.lines = [];
    this.nextLineWords = [];
    this.maxLineLength = maxLineLength;
    this.nextLineAvailableChars = maxLineLength;
    this.stashedSpace = false;
  }
  pushWord(word: string): void {
    if (this.nextLineAvailableChars <= 0) this.startNewLine();
    const isLineStart = this.nextLineWords.length === 0;
    const cost = word.length + (isLineStart ? 0 : 1);
    if (cost <= this.nextLineAvailableChars) {
      this.nextLineWords.push(word);
      this.nextLineAvailableChars -= cost;
    } else {
      const [first, ...rest] = this.splitLongWord(word);
      if (!isLineStart) this.startNewLine();
      this.nextLineWords.push(first!);
      this.nextLineAvailableChars -= first!.length;
      for (const part of rest) {
        this.startNewLine();
        this.nextLineWords.push(part);
        this.nextLineAvailableChars -= part.length;
      }
    }
  }
  popWord(): string | undefined {
    const lastWord = this.nextLineWords.pop();
    if (lastWord !== undefined) {
      const isLineStart = this.nextLineWords.length === 0;
      this.nextLineAvailableChars += lastWord.length + (isLineStart ? 0 : 1);
    }
    return lastWord;
  }
  concatWord(word: string): void {
    const lastWord = this.popWord();
    this.pushWord(lastWord ? lastWord.concat(word) : word);
  }
  startNewLine(n = 1): void {
    this.lines.push(this.nextLineWords);
    for (let i = 1; i < n; i++) this.lines.push([]);
    this.nextLineWords = [];
    this.nextLineAvailableChars = this.maxLineLength;
  }
  isEmpty(): boolean {
    return this.lines.length === 0 && this.nextLineWords.length === 0;
  }
  clear(): void {
    this.lines.length = 0;
    this.nextLineWords.length = 0;
    this.nextLineAvailableChars = this.maxLineLength;
  }
  toString(): string {
    return [...this.lines, this.nextLineWords].map((words) => words.join(' ')).join('\n');
  }
  /** html-to-text's, with its default longWordSplit (no wrap characters, no forced wrap): the word stays whole, unless it holds the text "undefined" (sic). */
  splitLongWord(word: string): string[] {
    const parts: string[] = [];
    while (word.length > this.maxLineLength) {
      const firstLine = word.substring(0, this.maxLineLength);
      const remainingChars = word.substring(this.maxLineLength);
      const splitIndex = firstLine.lastIndexOf('undefined');
      if (splitIndex > -1) {
        word = firstLine.substring(splitIndex + 1) + remainingChars;
        parts.push(firstLine.substring(0, splitIndex + 1));
      } else {
        word = firstLine + remainingChars;
        break;
      }
    }
    parts.push(word);
    return parts;
  }
}

class Item {
  declare readonly next: Item | null;
  constructor(next: Item | null) {
    this.next = next;
  }
}
class BlockItem extends Item {
  declare inline: InlineTextBuilder;
  declare rawText: string;
  declare stashedLineBreaks: number;
  declare leadingLineBreaks: number;
  constructor(next: Item | null, leadingLineBreaks = 1, maxLineLength?: number) {
    super(next);
    this.inline = new InlineTextBuilder(maxLineLength);
    this.rawText = '';
    this.stashedLineBreaks = 0;
    this.leadingLineBreaks = leadingLineBreaks;
  }
}
class ListItem extends BlockItem {
  declare readonly interRowLineBreaks: number;
  declare readonly maxPrefixLength: number;
  constructor(next: Item | null, leadingLineBreaks: number, maxLineLength: number, interRowLineBreaks: number, maxPrefixLength: number) {
    super(next, leadingLineBreaks, maxLineLength);
    this.interRowLineBreaks = interRowLineBreaks;
    this.maxPrefixLength = maxPrefixLength;
  }
}
class ListEntry extends BlockItem {
  declare readonly prefix: string;
  constructor(next: ListItem, leadingLineBreaks: number, maxLineLength: number, prefix: string) {
    super(next, leadingLineBreaks, maxLineLength);
    this.prefix = prefix;
  }
}
class TableItem extends Item {
  declare rows: Cell[][];
  constructor(next: Item | null) {
    super(next);
    this.rows = [];
  }
}
class RowItem extends Item {
  declare cells: Cell[];
  constructor(next: Item | null) {
    super(next);
    this.cells = [];
  }
}
class CellItem extends BlockItem {}
interface Cell {
  colspan: number;
  rowspan: number;
  text: string;
  lines?: string[];
  /** The longest line's length, and the column the cell starts in (set by plainTableToString, which sets `lines` only for a cell of several lines). */
  width?: number;
  start?: number;
  rendered?: boolean;
}

/** A cell with every field the layout sets, so all cells share one shape. */
function newCell(colspan: number, rowspan: number, text: string): Cell {
  return { colspan, rowspan, text, lines: undefined, width: 0, start: 0, rendered: false };
}

function getText(item: BlockItem): string {
  return item.inline.isEmpty() ? item.rawText : item.rawText + item.inline.toString();
}

function addText(item: BlockItem, text: string, leadingLineBreaks: number, trailingLineBreaks: number): void {
  const parentText = getText(item);
  const lineBreaks = Math.max(item.stashedLineBreaks, leadingLineBreaks);
  item.inline.clear();
  if (parentText) item.rawText = parentText + '\n'.repeat(lineBreaks) + text;
  else {
    item.rawText = text;
    item.leadingLineBreaks = lineBreaks;
  }
  item.stashedLineBreaks = trailingLineBreaks;
}

function trimCharacter(str: string, char: string): string {
  let start = 0;
  let end = str.length;
  while (start < end && str[start] === char) ++start;
  while (end > start && str[end - 1] === char) --end;
  return start > 0 || end < str.length ? str.substring(start, end) : str;
}

/** html-to-text's word transforms, as anchors use them: each sees the word, none changes it. */
function captured(capture: readonly ((word: string) => void)[], word: string): void {
  for (let i = capture.length - 1; i >= 0; i--) capture[i]!(word);
}

class Builder {
  item: Item = new BlockItem(null);
  /** The anchor's text capture (html-to-text's word transform stack, as anchors use it). */
  capture: ((word: string) => void)[] = [];

  private block(): BlockItem | undefined {
    return this.item instanceof BlockItem ? this.item : undefined;
  }
  addLineBreak(): void {
    this.block()?.inline.startNewLine();
  }
  addInline(str: string, noWordTransform = false): void {
    const item = this.block();
    if (!item) return;
    if (str.length === 0 || (item.stashedLineBreaks && ALL_WS.test(str))) return;
    if (item.stashedLineBreaks) item.inline.startNewLine(item.stashedLineBreaks);
    this.shrinkWrapAdd(str, item.inline, noWordTransform ? [] : this.capture);
    item.stashedLineBreaks = 0;
  }
  private shrinkWrapAdd(text: string, inline: InlineTextBuilder, capture: ((word: string) => void)[]): void {
    if (!text) return;
    const previouslyStashedSpace = inline.stashedSpace;
    let anyMatch = false;
    WORD.lastIndex = 0;
    let m = WORD.exec(text);
    if (m) {
      anyMatch = true;
      if (capture.length > 0) captured(capture, m[0]);
      if (previouslyStashedSpace || isWs(text[0])) inline.pushWord(m[0]);
      else inline.concatWord(m[0]);
      while ((m = WORD.exec(text)) !== null) {
        if (capture.length > 0) captured(capture, m[0]);
        inline.pushWord(m[0]);
      }
    }
    inline.stashedSpace = (previouslyStashedSpace && !anyMatch) || isWs(text[text.length - 1]);
  }
  openBlock(leadingLineBreaks: number): void {
    const parent = this.item as BlockItem;
    this.item = new BlockItem(this.item, leadingLineBreaks, Math.max(20, parent.inline.maxLineLength));
  }
  closeBlock(trailingLineBreaks: number): void {
    const block = this.item as BlockItem;
    this.item = block.next!;
    addText(this.item as BlockItem, getText(block), block.leadingLineBreaks, Math.max(block.stashedLineBreaks, trailingLineBreaks));
  }
  openList(leadingLineBreaks: number, maxPrefixLength: number): void {
    const parent = this.item as BlockItem;
    this.item = new ListItem(this.item, leadingLineBreaks, parent.inline.maxLineLength, 1, maxPrefixLength);
  }
  openListItem(prefix: string): void {
    const list = this.item as ListItem;
    const prefixLength = Math.max(prefix.length, list.maxPrefixLength);
    this.item = new ListEntry(list, list.interRowLineBreaks, Math.max(20, list.inline.maxLineLength - prefixLength), prefix);
  }
  closeListItem(): void {
    const entry = this.item as ListEntry;
    const list = entry.next as ListItem;
    this.item = list;
    const prefixLength = Math.max(entry.prefix.length, list.maxPrefixLength);
    const text = entry.prefix.padEnd(prefixLength) + getText(entry).replace(/\n/g, '\n' + ' '.repeat(prefixLength));
    addText(list, text, entry.leadingLineBreaks, Math.max(entry.stashedLineBreaks, list.interRowLineBreaks));
  }
  closeList(trailingLineBreaks: number): void {
    const list = this.item as ListItem;
    this.item = list.next!;
    const text = getText(list);
    if (text) addText(this.item as BlockItem, text, list.leadingLineBreaks, trailingLineBreaks);
  }
  openTable(): void {
    this.item = new TableItem(this.item);
  }
  openTableRow(): void {
    this.item = new RowItem(this.item);
  }
  openTableCell(maxColumnWidth: number): void {
    this.item = new CellItem(this.item, 1, maxColumnWidth);
  }
  closeTableCell(colspan: number, rowspan: number): void {
    const cell = this.item as CellItem;
    this.item = cell.next!;
    (this.item as RowItem).cells.push(newCell(colspan, rowspan, trimCharacter(getText(cell), '\n')));
  }
  closeTableRow(): void {
    const row = this.item as RowItem;
    this.item = row.next!;
    (this.item as TableItem).rows.push(row.cells);
  }
  closeTable(leadingLineBreaks: number, trailingLineBreaks: number): void {
    const table = this.item as TableItem;
    this.item = table.next!;
    const output = tableToString(table.rows, 0, 3);
    if (output && this.item instanceof BlockItem) addText(this.item, output, leadingLineBreaks, trailingLineBreaks);
  }
  toString(): string {
    let root = this.item;
    while (root.next) root = root.next;
    return getText(root as BlockItem);
  }
}

function getRow<T>(matrix: T[][], j: number): T[] {
  if (!matrix[j]) matrix[j] = [];
  return matrix[j]!;
}
function findFirstVacantIndex(row: unknown[], x = 0): number {
  while (row[x]) x++;
  return x;
}
function transposeInPlace<T>(matrix: T[][], maxSize: number): void {
  for (let i = 0; i < maxSize; i++) {
    const rowI = getRow(matrix, i);
    for (let j = 0; j < i; j++) {
      const rowJ = getRow(matrix, j);
      if (rowI[j] || rowJ[i]) {
        const temp = rowI[j]!;
        rowI[j] = rowJ[i]!;
        rowJ[i] = temp;
      }
    }
  }
}
function putCellIntoLayout(cell: Cell, layout: Cell[][], baseRow: number, baseCol: number): void {
  for (let r = 0; r < cell.rowspan; r++) {
    const layoutRow = getRow(layout, baseRow + r);
    for (let c = 0; c < cell.colspan; c++) layoutRow[baseCol + c] = cell;
  }
}
function getOrInitOffset(offsets: number[], index: number): number {
  if (offsets[index] === undefined) offsets[index] = index === 0 ? 0 : 1 + getOrInitOffset(offsets, index - 1);
  return offsets[index]!;
}
function updateOffset(offsets: number[], base: number, span: number, value: number): void {
  offsets[base + span] = Math.max(getOrInitOffset(offsets, base + span), getOrInitOffset(offsets, base) + value);
}
function tableToString(tableRows: Cell[][], rowSpacing: number, colSpacing: number): string {
  return plainTableToString(tableRows, rowSpacing, colSpacing) ?? spannedTableToString(tableRows, rowSpacing, colSpacing);
}

/**
 * The same layout for the common table — every row has a cell and none spans rows — without
 * html-to-text's transposed grid (quadratic in the rows): the column offsets are updated in the
 * order html-to-text updates them (column by column, rows in order), then the lines are written
 * row by row, which appends to each line in the same column order.
 */
function plainTableToString(tableRows: Cell[][], rowSpacing: number, colSpacing: number): string | undefined {
  const rowNumber = tableRows.length;
  let colNumber = 0;
  for (const cells of tableRows) {
    if (cells.length === 0) return undefined;
    let width = 0;
    for (const cell of cells) {
      if (cell.rowspan !== 1) return undefined;
      width += cell.colspan;
    }
    if (width > colNumber) colNumber = width;
  }
  const rowOffsets = [0];
  for (let j = 0; j < rowNumber; j++) {
    const cells = tableRows[j]!;
    let x = 0;
    for (const cell of cells) {
      cell.start = x;
      x += cell.colspan;
      // Most cells are one line: their text is the line (no array made for it).
      if (cell.text.includes('\n')) {
        const lines = cell.text.split('\n');
        let width = 0;
        for (let k = 0; k < lines.length; k++) if (lines[k]!.length > width) width = lines[k]!.length;
        cell.lines = lines;
        cell.width = width;
      } else cell.width = cell.text.length;
      updateOffset(rowOffsets, j, 1, (cell.lines ? cell.lines.length : 1) + rowSpacing);
    }
  }
  const colOffsets = [0];
  const next = new Array<number>(rowNumber).fill(0);
  for (let x = 0; x < colNumber; x++) {
    for (let y = 0; y < rowNumber; y++) {
      const k = next[y]!;
      const cells = tableRows[y]!;
      if (k >= cells.length || cells[k]!.start !== x) continue;
      const cell = cells[k]!;
      next[y] = k + 1;
      updateOffset(colOffsets, x, cell.colspan, cell.width! + colSpacing);
    }
  }
  const outputLines: string[] = [];
  for (let y = 0; y < rowNumber; y++) {
    const cells = tableRows[y]!;
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]!;
      const offset = colOffsets[cell.start!]!;
      const lines = cell.lines;
      if (lines === undefined) {
        const at = rowOffsets[y]!;
        outputLines[at] = paddedTo(outputLines[at] || '', offset) + cell.text;
        continue;
      }
      for (let j = 0; j < lines.length; j++) {
        const lineOffset = rowOffsets[y]! + j;
        outputLines[lineOffset] = paddedTo(outputLines[lineOffset] || '', offset) + lines[j]!;
      }
    }
  }
  return outputLines.join('\n');
}

const SPACES: string[] = [];
/** `line.padEnd(width)` by appending (padEnd copies the line it pads; appending leaves the copying to the table's final join). */
function paddedTo(line: string, width: number): string {
  const n = width - line.length;
  if (n <= 0) return line;
  return line + (n <= 256 ? (SPACES[n] ??= ' '.repeat(n)) : ' '.repeat(n));
}

/** html-to-text's tableToString, for tables with row spans or empty rows. */
function spannedTableToString(tableRows: Cell[][], rowSpacing: number, colSpacing: number): string {
  const layout: Cell[][] = [];
  let colNumber = 0;
  const rowNumber = tableRows.length;
  const rowOffsets = [0];
  for (let j = 0; j < rowNumber; j++) {
    const layoutRow = getRow(layout, j);
    const cells = tableRows[j]!;
    let x = 0;
    for (const cell of cells) {
      x = findFirstVacantIndex(layoutRow, x);
      putCellIntoLayout(cell, layout, j, x);
      x += cell.colspan;
      cell.lines = cell.text.split('\n');
      updateOffset(rowOffsets, j, cell.rowspan, cell.lines.length + rowSpacing);
    }
    colNumber = layoutRow.length > colNumber ? layoutRow.length : colNumber;
  }
  transposeInPlace(layout, rowNumber > colNumber ? rowNumber : colNumber);
  const outputLines: string[] = [];
  const colOffsets = [0];
  for (let x = 0; x < colNumber; x++) {
    let y = 0;
    const rowsInThisColumn = Math.min(rowNumber, layout[x]!.length);
    while (y < rowsInThisColumn) {
      const cell = layout[x]![y];
      if (cell) {
        if (!cell.rendered) {
          let cellWidth = 0;
          for (let j = 0; j < cell.lines!.length; j++) {
            const line = cell.lines![j]!;
            const lineOffset = rowOffsets[y]! + j;
            outputLines[lineOffset] = (outputLines[lineOffset] || '').padEnd(colOffsets[x]!) + line;
            cellWidth = line.length > cellWidth ? line.length : cellWidth;
          }
          updateOffset(colOffsets, x, cell.colspan, cellWidth + colSpacing);
          cell.rendered = true;
        }
        y += cell.rowspan;
      } else {
        const lineOffset = rowOffsets[y]!;
        outputLines[lineOffset] = outputLines[lineOffset] || '';
        y++;
      }
    }
  }
  return outputLines.join('\n');
}

const HEADING_LEADING: Record<string, number> = { h1: 3, h2: 3, h3: 3, h4: 2, h5: 2, h6: 2 };

function walk(nodes: readonly Node[], b: Builder): void {
  for (const node of nodes) {
    if (typeof node === 'string') {
      b.addInline(node);
      continue;
    }
    switch (node.name) {
      case 'br':
        b.addLineBreak();
        break;
      case 'img':
        break;
      case 'p':
        b.openBlock(2);
        walk(node.children, b);
        b.closeBlock(2);
        break;
      case 'div':
        b.openBlock(1);
        walk(node.children, b);
        b.closeBlock(1);
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        b.openBlock(HEADING_LEADING[node.name]!);
        walk(node.children, b);
        b.closeBlock(2);
        break;
      case 'a':
        anchor(node, b);
        break;
      case 'ul':
        list(node, b);
        break;
      case 'table':
        table(node, b);
        break;
      default:
        walk(node.children, b);
    }
  }
}

function anchor(el: El, b: Builder): void {
  let href = el.attribs.href ? el.attribs.href.replace(/^mailto:/, '') : '';
  if (href[0] === '#') href = '';
  if (!href) {
    walk(el.children, b);
    return;
  }
  let text = '';
  b.capture.push((word) => {
    if (word) text += word;
  });
  walk(el.children, b);
  b.capture.pop();
  if (href !== text) b.addInline(!text ? href : ` <${href}>`, true);
}

function list(el: El, b: Builder): void {
  const nested = el.parent?.name === 'li';
  let maxPrefixLength = 0;
  const items = el.children
    .filter((child) => typeof child !== 'string' || !/^\s*$/.test(child))
    .map((child) => {
      if (typeof child === 'string' || child.name !== 'li') return { node: child, prefix: '' };
      const prefix = nested ? ' * '.trimStart() : ' * ';
      if (prefix.length > maxPrefixLength) maxPrefixLength = prefix.length;
      return { node: child, prefix };
    });
  if (!items.length) return;
  b.openList(nested ? 1 : 2, maxPrefixLength);
  for (const { node, prefix } of items) {
    b.openListItem(prefix);
    walk([node], b);
    b.closeListItem();
  }
  b.closeList(nested ? 1 : 2);
}

/** Whether the text is already its words joined by one space (no other whitespace, none at either end). */
function isOneLineOfWords(text: string): boolean {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === last || text.charCodeAt(i + 1) === 32) return false;
    } else if (c === 9 || c === 10 || c === 12 || c === 13 || c === 0x200b) return false;
  }
  return true;
}

/**
 * A cell's text when the cell holds only text that fits its 60 characters: its words joined by
 * one space, what the cell's block gives such text (no wrapping, no line breaks), without making
 * the block. Undefined when it does not fit (then the block wraps it).
 */
function textCell(text: string): string | undefined {
  if (text.length <= 60 && isOneLineOfWords(text)) return text;
  let line = '';
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text)) !== null) {
    line = line === '' ? m[0] : line + ' ' + m[0];
    if (line.length > 60) return undefined;
  }
  return line;
}

function table(el: El, b: Builder): void {
  b.openTable();
  const cell = (node: El) => {
    const colspan = +(node.attribs.colspan ?? '') || 1;
    const rowspan = +(node.attribs.rowspan ?? '') || 1;
    // Most cells are one text (a name, a number, an amount): laid out directly, unless an anchor's capture must see the words.
    const only = node.children.length === 0 ? '' : node.children.length === 1 ? node.children[0] : undefined;
    if (typeof only === 'string' && b.capture.length === 0 && b.item instanceof RowItem) {
      const text = textCell(only);
      if (text !== undefined) {
        b.item.cells.push(newCell(colspan, rowspan, text));
        return;
      }
    }
    b.openTableCell(60);
    walk(node.children, b);
    b.closeTableCell(colspan, rowspan);
  };
  const walkTable = (node: Node) => {
    if (typeof node === 'string') return;
    switch (node.name) {
      case 'thead':
      case 'tbody':
      case 'tfoot':
        node.children.forEach(walkTable);
        return;
      case 'tr':
        b.openTableRow();
        for (const child of node.children) if (typeof child !== 'string' && (child.name === 'th' || child.name === 'td')) cell(child);
        b.closeTableRow();
        return;
    }
  };
  el.children.forEach(walkTable);
  b.closeTable(2, 2);
}

function layout(nodes: readonly Node[]): string {
  const b = new Builder();
  walk(nodes, b);
  return b.toString();
}

/** html-to-text's text for this HTML (with text.ts's options), or undefined when the HTML is beyond this reader. */
export function simplePlainText(html: string): string | undefined {
  const nodes = parseSimple(html);
  return nodes ? layout(nodes) : undefined;
}

/**
 * The same text for HTML written in parts by a compiled render (`compile.ts`): the static pieces
 * were read when the template was compiled, so only the values' HTML is read now. Undefined when
 * simplePlainText would answer undefined for the parts joined.
 */
export function plainTextOfParts(parts: readonly TextPart[]): string | undefined {
  const b = new TreeBuilder();
  for (const part of parts) {
    if (typeof part === 'string') {
      // Most values are text: what tokenize would do with HTML that has no '<'.
      if (part.indexOf('<') < 0 && !part.includes('\u0000')) b.text(part);
      else if (!tokenize(part, b)) return undefined;
      continue;
    }
    for (const op of part) {
      if (typeof op === 'string') b.text(op);
      else if ('open' in op) {
        if (!b.open(op.open, op.attribs, op.closes)) return undefined;
      } else if (!b.close(op.close)) return undefined;
    }
  }
  const nodes = b.finish();
  return nodes ? layout(nodes) : undefined;
}
