/**
 * Where in the HTML each Liquid output lands. Escaping `< > & " '` is enough for text and quoted
 * attribute values, not for every place: inside `<script>`, an `onclick`, or where a tag name or
 * attribute name goes, a value could still run code or add attributes without any of those
 * characters. So the body is scanned once, with each Liquid token standing in as one opaque
 * character, by a small state machine that follows the HTML tokenizer as far as it matters here.
 */

export type HtmlContext =
  | { kind: 'text' }
  /** Inside <textarea> or <title>: text, but line breaks are not turned into <br>. */
  | { kind: 'rcdata'; element: string }
  | { kind: 'comment' }
  /**
   * An attribute value. `start` says whether the value may decide a URL's scheme: 'yes' when
   * nothing precedes it in the attribute; 'no' when text before any Liquid in the attribute
   * already has ':', '/', '?' or '#' (the scheme is settled whatever Liquid prints); 'maybe'
   * otherwise.
   */
  | { kind: 'attribute'; name: string; quote: '"' | "'" | ''; start: 'yes' | 'maybe' | 'no' }
  /** Inside a tag where a name goes (tag name, attribute name). */
  | { kind: 'tag' }
  /** Inside <script>, <style> and other raw-text elements. */
  | { kind: 'raw-text'; element: string };

/** A top-level piece of a Liquid template: literal HTML, an output `{{ }}`, or a tag `{% %}`. */
export interface SourcePiece {
  kind: 'html' | 'output' | 'tag';
  begin: number;
  end: number;
  text: string;
  /** Tag name, for tags. */
  name?: string;
}

export const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'background', 'poster', 'cite', 'longdesc', 'lowsrc', 'dynsrc',
  'usemap', 'xlink:href', 'srcset', 'data', 'codebase', 'ping', 'manifest', 'icon', 'profile', 'archive', 'classid',
]);
/** Tags that print values, so count as content where they stand. */
const PRINTING_TAGS = new Set(['echo', 'liquid', 'cycle']);
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const RCDATA = new Set(['textarea', 'title']);

/** Why a value may not be placed in this context, or undefined when escaping makes it safe. */
export function unsafeContextReason(context: HtmlContext): string | undefined {
  switch (context.kind) {
    case 'tag':
      return 'a value cannot stand where a tag or attribute name goes (it could add attributes); put it inside a quoted attribute value or in text';
    case 'raw-text':
      return `a value cannot be placed inside <${context.element}>`;
    case 'attribute':
      if (/^on/i.test(context.name)) return `a value cannot be placed in the event handler attribute ${context.name}`;
      if (context.name === 'style') return 'a value cannot be placed in a style attribute';
      if (context.name === 'srcdoc') return 'a value cannot be placed in a srcdoc attribute';
      return undefined;
    default:
      return undefined;
  }
}

const enum S {
  Data,
  TagOpen,
  EndTagOpen,
  TagName,
  BeforeAttrName,
  AttrName,
  AfterAttrName,
  BeforeAttrValue,
  ValueDq,
  ValueSq,
  ValueUq,
  AfterValueQuoted,
  SelfClosing,
  MarkupDecl,
  Comment,
  BogusComment,
  RawText,
  RcData,
}

const VALUE = '\u0000'; // a Liquid output: one character of content
const MARK = '\u0001'; // a Liquid tag: no content, only a place

const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
const isLetter = (c: string) => /[A-Za-z]/.test(c);

interface ScanHooks {
  /** At each marker character: the context it is in. */
  marker?(index: number, context: HtmlContext): void;
  /** When an attribute value ends: its tag, name, and text (markers included). */
  attribute?(tag: string, name: string, value: string): void;
}

/**
 * Where a value stands in a URL attribute, from the attribute's text before it. Only text before
 * the first Liquid piece is known to be there: text after a tag may sit in a branch not taken.
 */
function urlStart(before: string): 'yes' | 'maybe' | 'no' {
  const firstLiquid = before.search(/[\u0000\u0001]/);
  // eslint-disable-next-line no-control-regex
  const known = (firstLiquid < 0 ? before : before.slice(0, firstLiquid)).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (/[:/?#]/.test(known)) return 'no';
  return known === '' && firstLiquid < 0 ? 'yes' : 'maybe';
}

/**
 * The HTML tokenizer, as far as contexts go (after the WHATWG one: tags, attributes with three
 * kinds of quoting, comments, raw-text and RCDATA elements). `text` may hold markers.
 */
function scan(text: string, hooks: ScanHooks): void {
  let state = S.Data as S;
  let tagName = '';
  let endTag = false;
  let attrName = '';
  let attrValue = '';
  let element = ''; // raw-text or rcdata element we are in
  let decl = '';

  const contextNow = (): HtmlContext => {
    switch (state) {
      case S.Data:
        return { kind: 'text' };
      case S.RcData:
        return { kind: 'rcdata', element };
      case S.RawText:
        return { kind: 'raw-text', element };
      case S.Comment:
      case S.BogusComment:
      case S.MarkupDecl:
        return { kind: 'comment' };
      case S.BeforeAttrValue:
        return { kind: 'attribute', name: attrName, quote: '', start: 'yes' };
      case S.ValueDq:
        return { kind: 'attribute', name: attrName, quote: '"', start: urlStart(attrValue) };
      case S.ValueSq:
        return { kind: 'attribute', name: attrName, quote: "'", start: urlStart(attrValue) };
      case S.ValueUq:
        return { kind: 'attribute', name: attrName, quote: '', start: urlStart(attrValue) };
      default:
        return { kind: 'tag' };
    }
  };

  const endOfValue = () => hooks.attribute?.(tagName.toLowerCase(), attrName, attrValue);

  const endOfTag = () => {
    const name = tagName.toLowerCase();
    if (!endTag && RAW_TEXT.has(name)) {
      state = S.RawText;
      element = name;
    } else if (!endTag && RCDATA.has(name)) {
      state = S.RcData;
      element = name;
    } else state = S.Data;
  };

  /** At a '<' in raw text or rcdata: does `</element` follow, closing it? */
  const closesElement = (at: number) => {
    const candidate = text.slice(at + 2, at + 2 + element.length).toLowerCase();
    const after = text[at + 2 + element.length] ?? '>';
    return text[at + 1] === '/' && candidate === element && (isSpace(after) || after === '/' || after === '>');
  };

  for (let i = 0; i < text.length; i++) {
    let c = text[i]!;
    if (c === MARK || c === VALUE) {
      hooks.marker?.(i, contextNow());
      const inValue = state === S.ValueDq || state === S.ValueSq || state === S.ValueUq;
      if (c === MARK) {
        if (inValue) attrValue += MARK;
        continue;
      }
      // An output is content: a letter as far as the tokenizer goes, but remembered as unknown in a value.
      if (inValue) {
        attrValue += VALUE;
        continue;
      }
      c = 'x';
    }
    let again = true;
    while (again) {
      again = false;
      switch (state) {
        case S.Data:
          if (c === '<') state = S.TagOpen;
          break;
        case S.TagOpen:
          if (c === '!') {
            state = S.MarkupDecl;
            decl = '';
          } else if (c === '/') state = S.EndTagOpen;
          else if (isLetter(c)) {
            state = S.TagName;
            tagName = c;
            endTag = false;
          } else if (c === '?') state = S.BogusComment;
          else {
            state = S.Data;
            again = c === '<';
          }
          break;
        case S.EndTagOpen:
          if (isLetter(c)) {
            state = S.TagName;
            tagName = c;
            endTag = true;
          } else if (c === '>') state = S.Data;
          else state = S.BogusComment;
          break;
        case S.TagName:
          if (isSpace(c)) state = S.BeforeAttrName;
          else if (c === '/') state = S.SelfClosing;
          else if (c === '>') endOfTag();
          else tagName += c;
          break;
        case S.BeforeAttrName:
          if (isSpace(c)) break;
          if (c === '/') state = S.SelfClosing;
          else if (c === '>') endOfTag();
          else {
            state = S.AttrName;
            attrName = c.toLowerCase();
          }
          break;
        case S.AttrName:
          if (isSpace(c)) state = S.AfterAttrName;
          else if (c === '/') state = S.SelfClosing;
          else if (c === '=') state = S.BeforeAttrValue;
          else if (c === '>') endOfTag();
          else attrName += c.toLowerCase();
          break;
        case S.AfterAttrName:
          if (isSpace(c)) break;
          if (c === '/') state = S.SelfClosing;
          else if (c === '=') state = S.BeforeAttrValue;
          else if (c === '>') endOfTag();
          else {
            state = S.AttrName;
            attrName = c.toLowerCase();
          }
          break;
        case S.BeforeAttrValue:
          if (isSpace(c)) break;
          attrValue = '';
          if (c === '"') state = S.ValueDq;
          else if (c === "'") state = S.ValueSq;
          else if (c === '>') {
            endOfValue();
            endOfTag();
          } else {
            state = S.ValueUq;
            attrValue = c;
          }
          break;
        case S.ValueDq:
          if (c === '"') {
            endOfValue();
            state = S.AfterValueQuoted;
          } else attrValue += c;
          break;
        case S.ValueSq:
          if (c === "'") {
            endOfValue();
            state = S.AfterValueQuoted;
          } else attrValue += c;
          break;
        case S.ValueUq:
          if (isSpace(c)) {
            endOfValue();
            state = S.BeforeAttrName;
          } else if (c === '>') {
            endOfValue();
            endOfTag();
          } else attrValue += c;
          break;
        case S.AfterValueQuoted:
          if (isSpace(c)) state = S.BeforeAttrName;
          else if (c === '/') state = S.SelfClosing;
          else if (c === '>') endOfTag();
          else {
            state = S.BeforeAttrName;
            again = true;
          }
          break;
        case S.SelfClosing:
          if (c === '>') state = S.Data;
          else {
            state = S.BeforeAttrName;
            again = true;
          }
          break;
        case S.MarkupDecl:
          decl += c;
          if (decl === '--') state = S.Comment;
          else if (decl !== '-') {
            state = S.BogusComment;
            again = c === '>';
          }
          break;
        case S.Comment:
          decl += c;
          if (c === '>' && decl.endsWith('-->')) state = S.Data;
          break;
        case S.BogusComment:
          if (c === '>') state = S.Data;
          break;
        case S.RawText:
        case S.RcData:
          if (c === '<' && closesElement(i)) state = S.TagOpen;
          break;
      }
    }
  }
  if (state === S.ValueDq || state === S.ValueSq || state === S.ValueUq) endOfValue();
}

/** The source with each output as a marker character and each tag as a zero-width one, and where each piece went. */
function mask(pieces: readonly SourcePiece[]): { masked: string; markers: Map<number, number> } {
  let masked = '';
  const markers = new Map<number, number>(); // index in masked → piece begin
  for (const p of pieces) {
    if (p.kind === 'html') {
      masked += p.text.replace(/[\u0000\u0001]/g, ' ');
    } else {
      markers.set(masked.length, p.begin);
      masked += p.kind === 'output' || (p.name !== undefined && PRINTING_TAGS.has(p.name)) ? VALUE : MARK;
    }
  }
  return { masked, markers };
}

/**
 * The HTML context at the start of every Liquid piece, keyed by the piece's `begin` offset.
 * Pieces whose tag writes output (`echo`, `liquid`, `cycle`) count as content like outputs.
 */
export function scanHtmlContexts(pieces: readonly SourcePiece[]): Map<number, HtmlContext> {
  const { masked, markers } = mask(pieces);
  const contexts = new Map<number, HtmlContext>();
  scan(masked, { marker: (index, context) => contexts.set(markers.get(index)!, context) });
  return contexts;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/', num: '#', quest: '?' };

/** Entities as a browser decodes them in an attribute, as far as a scheme can hide in them. */
export function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The scheme a link would be opened with, if it has one ("javascript" for " Java\tScript:x"). */
export function linkScheme(url: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return /^([^/?#]*?):/.exec(compact)?.[1]?.toLowerCase();
}

export const SAFE_LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

const LONGEST_URL_ATTRIBUTE = Math.max(...[...URL_ATTRIBUTES].map((name) => name.length));
const WHITESPACE = /\s/;

/**
 * Whether a URL attribute's name is followed by '=' (`/(?:href|src|…)\s*=/i`) somewhere in the
 * HTML, looked for from each '=' back (an alternation of 21 names tried at every character cost
 * a render more than the rest of the link check).
 */
export function mayHaveUrlAttribute(html: string): boolean {
  for (let eq = html.indexOf('='); eq >= 0; eq = html.indexOf('=', eq + 1)) {
    let end = eq;
    while (end > 0 && WHITESPACE.test(html[end - 1]!)) end--;
    const before = html.slice(Math.max(0, end - LONGEST_URL_ATTRIBUTE), end).toLowerCase();
    for (const name of URL_ATTRIBUTES) if (before.endsWith(name)) return true;
  }
  return false;
}

/**
 * URL attributes of finished HTML whose scheme is not one a mail link may have, e.g.
 * `href="javascript:…"` — whether a template wrote it or values put it together.
 */
export function findUnsafeLinks(html: string): { tag: string; attribute: string; value: string; scheme: string }[] {
  const found: { tag: string; attribute: string; value: string; scheme: string }[] = [];
  // The scanner only reports a URL attribute whose name is followed by '=': without that text (and
  // without the marker characters the scanner treats apart) there is nothing to find.
  // (includes: two scans of a mail's HTML cost less than one of the regular expression.)
  if (!html.includes('\u0000') && !html.includes('\u0001') && !mayHaveUrlAttribute(html)) return found;
  scan(html, {
    attribute(tag, name, value) {
      if (!URL_ATTRIBUTES.has(name)) return;
      const decoded = decodeAttribute(value.replace(/[\u0000\u0001]/g, ''));
      const scheme = linkScheme(decoded);
      if (scheme !== undefined && !(SAFE_LINK_SCHEMES as readonly string[]).includes(scheme)) found.push({ tag, attribute: name, value: decoded, scheme });
    },
  });
  return found;
}

/** The literal HTML of a template: outputs as a placeholder word, tags left out. For checking what the author wrote. */
export function literalHtml(pieces: readonly SourcePiece[]): string {
  return pieces.map((p) => (p.kind === 'html' ? p.text : p.kind === 'output' ? 'x' : '')).join('');
}
