import { allMatches } from './compat.js';
import { decodeHTML, decodeHTMLAttribute } from 'entities/decode';

/**
 * A small, forgiving HTML scanner for the signature code. It runs in Outlook's JavaScript-only
 * event runtime, where there is no DOM, so it cannot lean on DOMParser; and it has to read what
 * Outlook and Gmail hand back (single quotes, unquoted values, `<o:p>`, conditional comments,
 * unclosed `<p>`) without ever throwing. Every node keeps its offsets in the source, so callers can
 * cut and splice the original text instead of re-serialising (and so re-formatting) a user's mail.
 */

export interface HtmlText {
  kind: 'text';
  parent: HtmlElement;
  start: number;
  end: number;
  /** Raw-text content of <script>/<style>/<title>/<textarea>/<xmp>: never visible text. */
  raw: boolean;
}

export interface HtmlComment {
  kind: 'comment';
  parent: HtmlElement;
  start: number;
  end: number;
}

export interface HtmlElement {
  kind: 'element';
  /** Lower-case tag name; "#root" for the document itself. */
  name: string;
  /** Attribute names lower-cased, values entity-decoded. The first of duplicate names wins. */
  attrs: Map<string, string>;
  parent: HtmlElement | undefined;
  children: HtmlNode[];
  /** `<` of the start tag. */
  start: number;
  /** Just after the start tag's `>`. */
  openEnd: number;
  /** `<` of the end tag, or where the element was implicitly closed. */
  closeStart: number;
  /** Just after the end tag (equal to closeStart when there is none). */
  end: number;
}

export type HtmlNode = HtmlText | HtmlComment | HtmlElement;

export const VOID_ELEMENTS = new Set([
  'area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

// Sticky patterns; each alternative starts with a different character, so none can backtrack badly.
const OPEN_TAG = /<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;
const CLOSE_TAG = /<\/([a-zA-Z][^\s/>]*)[^>]*>/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of allMatches(source, ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeHTMLAttribute(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

/** Elements an opening tag closes implicitly, and the ancestors that stop the search. */
const IMPLIED_END: Record<string, { closes: string[]; scope: string[] }> = {
  p: { closes: ['p'], scope: ['div', 'td', 'th', 'li', 'blockquote', 'table', 'body'] },
  li: { closes: ['li'], scope: ['ul', 'ol'] },
  tr: { closes: ['tr', 'td', 'th'], scope: ['table', 'tbody', 'thead', 'tfoot'] },
  td: { closes: ['td', 'th'], scope: ['tr', 'table'] },
  th: { closes: ['td', 'th'], scope: ['tr', 'table'] },
};

/** Parses any string into a tree; unbalanced or broken markup degrades to text, never to an error. */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { kind: 'element', name: '#root', attrs: new Map(), parent: undefined, children: [], start: 0, openEnd: 0, closeStart: html.length, end: html.length };
  let current = root;
  const n = html.length;

  const close = (el: HtmlElement, at: number, after: number) => {
    // Everything opened inside `el` and still open is closed where `el` is.
    for (let c: HtmlElement | undefined = current; c && c !== el; c = c.parent) {
      c.closeStart = at;
      c.end = at;
    }
    el.closeStart = at;
    el.end = after;
    current = el.parent ?? root;
  };
  const addText = (start: number, end: number, raw = false) => {
    if (end <= start) return;
    const last = current.children[current.children.length - 1];
    if (last && last.kind === 'text' && last.end === start && last.raw === raw) last.end = end;
    else current.children.push({ kind: 'text', parent: current, start, end, raw });
  };

  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      addText(i, n);
      break;
    }
    addText(i, lt);
    if (html.startsWith('<!--', lt)) {
      const e = html.indexOf('-->', lt + 4);
      const end = e === -1 ? n : e + 3;
      current.children.push({ kind: 'comment', parent: current, start: lt, end });
      i = end;
      continue;
    }
    const next = html[lt + 1];
    if (next === '!' || next === '?') {
      const e = html.indexOf('>', lt);
      const end = e === -1 ? n : e + 1;
      current.children.push({ kind: 'comment', parent: current, start: lt, end });
      i = end;
      continue;
    }
    if (next === '/') {
      CLOSE_TAG.lastIndex = lt;
      const m = CLOSE_TAG.exec(html);
      if (!m) {
        addText(lt, lt + 1);
        i = lt + 1;
        continue;
      }
      const name = m[1]!.toLowerCase();
      let el: HtmlElement | undefined = current;
      while (el && el !== root && el.name !== name) el = el.parent;
      if (el && el !== root) close(el, lt, lt + m[0].length);
      // A stray end tag (`</o:p>` without a start, `</div>` too many) is dropped, as browsers do.
      i = lt + m[0].length;
      continue;
    }
    OPEN_TAG.lastIndex = lt;
    const m = OPEN_TAG.exec(html);
    if (!m) {
      addText(lt, lt + 1);
      i = lt + 1;
      continue;
    }
    const name = m[1]!.toLowerCase();
    const tagEnd = lt + m[0].length;
    const implied = IMPLIED_END[name];
    if (implied) {
      for (let c: HtmlElement | undefined = current; c && c !== root; c = c.parent) {
        if (implied.scope.includes(c.name)) break;
        if (implied.closes.includes(c.name)) {
          close(c, lt, lt);
          break;
        }
      }
    }
    const el: HtmlElement = { kind: 'element', name, attrs: parseAttributes(m[2] ?? ''), parent: current, children: [], start: lt, openEnd: tagEnd, closeStart: tagEnd, end: tagEnd };
    current.children.push(el);
    i = tagEnd;
    if (VOID_ELEMENTS.has(name) || /\/\s*$/.test(m[2] ?? '')) continue;
    if (RAW_TEXT_ELEMENTS.has(name)) {
      const endTag = new RegExp(`</${name}[\\s/>]`, 'ig');
      endTag.lastIndex = tagEnd;
      const found = endTag.exec(html);
      const contentEnd = found ? found.index : n;
      current = el;
      addText(tagEnd, contentEnd, true);
      const closer = found ? html.indexOf('>', contentEnd) : -1;
      close(el, contentEnd, closer === -1 ? n : closer + 1);
      i = closer === -1 ? n : closer + 1;
      continue;
    }
    current = el;
  }
  for (let c: HtmlElement | undefined = current; c && c !== root; c = c.parent) {
    c.closeStart = n;
    c.end = n;
  }
  return root;
}

/** Depth-first, document order. */
export function* walk(node: HtmlElement): Generator<HtmlNode> {
  for (const child of node.children) {
    yield child;
    if (child.kind === 'element') yield* walk(child);
  }
}

/**
 * Character references decoded as a browser does (the `entities` package: every named
 * reference, the legacy ones without a semicolon, numeric ones with the HTML replacements).
 */
export function decodeEntities(s: string): string {
  return s.includes('&') ? decodeHTML(s) : s;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Elements that start a new line of visible text. */
export const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'caption',
]);
const INVISIBLE_ELEMENTS = new Set(['head', 'script', 'style', 'title', 'template', 'noscript', 'xml']);

/**
 * Invisible characters that carry no content of their own: zero-width space/joiners, word
 * joiner, BOM, soft hyphen, bidi marks, and the private-use characters the renderer uses
 * internally. Clients add and drop these freely, so they never count as content.
 */
export const INVISIBLE_CHARS = /[\u00AD\u200B-\u200F\u2060-\u2064\uFEFF\uE000\uE001\uE100\uE101]/g;

export interface VisibleTextOptions {
  /** Add a link's target after its text when the text does not already show it (plain-text mail). */
  linkTargets?: boolean;
}

/**
 * The text a reader sees, one line per visual line, with whitespace collapsed: `&nbsp;` and
 * spaces alike, empty lines dropped, `<br>` and block boundaries both ending a line. Outlook
 * turns a `<br>` into a new `<p>`, adds `<o:p>` and `&nbsp;` padding and wraps runs in spans; all
 * of that leaves these lines unchanged, which is what makes them a stable basis for a hash.
 */
export function visibleLines(html: string, from: HtmlElement = parseHtml(html), options: VisibleTextOptions = {}): string[] {
  let out = '';
  const visit = (el: HtmlElement) => {
    for (const child of el.children) {
      if (child.kind === 'text') {
        if (!child.raw) out += decodeEntities(html.slice(child.start, child.end));
      } else if (child.kind === 'element') {
        if (INVISIBLE_ELEMENTS.has(child.name)) continue;
        if (child.name === 'br') {
          out += '\n';
          continue;
        }
        const block = BLOCK_ELEMENTS.has(child.name);
        if (block) out += '\n';
        const before = out.length;
        visit(child);
        if (options.linkTargets && child.name === 'a') {
          const href = (child.attrs.get('href') ?? '').trim();
          const shown = out.slice(before).replace(/\s+/g, ' ').trim();
          const target = href.replace(/^mailto:/i, '').replace(/^tel:/i, '');
          if (/^(https?:|mailto:|tel:)/i.test(href) && target && !shown.includes(target)) out += ` <${target}>`;
        }
        if (block) out += '\n';
      }
    }
  };
  visit(from);
  return out
    .normalize('NFC')
    .replace(INVISIBLE_CHARS, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}
