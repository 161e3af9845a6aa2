import { allMatches, padStartWith } from './compat.js';
import { fnv1a32 } from './hash.js';
import { escapeHtml, parseHtml, visibleLines, walk, type HtmlElement } from './html.js';

/**
 * How a rendered signature is found again in a message body that Outlook or Gmail has rewritten.
 *
 * Two independent marks, because clients keep attributes inconsistently:
 *
 * 1. A wrapper element: `<div id="tradepane-signature" class="tradepane-signature"
 *    data-tradepane-signature="ID" data-tradepane-hash="HASH">`. Outlook keeps `id` but may
 *    prefix it with `x_` (Outlook on the web does that to the ids of signatures set from an
 *    event handler); Outlook on the web's `body.getAsync` has stopped returning `class` and
 *    `data-*` attributes; Gmail sanitises signatures it stores. Any one of the id, the class or
 *    the data attribute is enough to find the wrapper.
 *
 * 2. A zero-width token inside the text: before the first visible character, a start token of
 *    ZWNJ/ZWJ characters that spells a fixed preamble and the 32-bit hash, and after the last
 *    visible character an end token. Text survives every rewrite that attributes do not, and
 *    ZWNJ (U+200C) and ZWJ (U+200D) in particular must survive, because Persian, Indic scripts
 *    and emoji sequences need them; U+200B is avoided because rich-text editors use it as a
 *    caret placeholder and strip it. Both characters are grapheme extenders, so the 40-character
 *    token is one caret stop, not forty. When all attributes are gone, the element that holds
 *    both tokens and nothing else visible is the signature.
 *
 * HTML comments were considered and rejected as the second mark: Gmail's composer and Outlook
 * on the web's editor both drop comments.
 *
 * Evidence: OfficeDev/office-js#1893 (a signature set from an event handler comes back under
 * id "x_Signature"), #5296 (Outlook on the web's getAsync no longer returns class or data-*
 * attributes), #817 (class stripped after setAsync), #5483 and #6402 (setSignatureAsync
 * stacking a second signature instead of replacing: why replaceSignature removes extra copies).
 *
 * Only the part of the body above the quoted history counts: a reply quotes the previous mail,
 * and the signature inside the quote is someone's old mail, not this one's signature.
 */

export const MARKER_ID = 'tradepane-signature';
const ZERO = '\u200C';
const ONE = '\u200D';
const START_PREAMBLE = '11100010';
const END_PREAMBLE = '01000111';
const HASH_BITS = 32;
const START_LENGTH = START_PREAMBLE.length + HASH_BITS;

function toZeroWidth(bits: string): string {
  return bits.replace(/[01]/g, (b) => (b === '1' ? ONE : ZERO));
}

export function startToken(hash: string): string {
  const bits = padStartWith(Number.parseInt(hash, 16).toString(2), HASH_BITS, '0');
  return toZeroWidth(START_PREAMBLE + bits);
}

export const END_TOKEN = toZeroWidth(END_PREAMBLE);

/** Normalised visible content → the short hash stored in the marker. */
export function contentHash(html: string): string {
  return fnv1a32(visibleLines(html).join('\n'));
}

/** Wraps rendered signature HTML in both marks. `hash` is contentHash(inner). */
export function wrapSignature(inner: string, id: string, hash: string): string {
  const root = parseHtml(inner);
  let first = -1;
  let last = -1;
  for (const node of walk(root)) {
    if (node.kind !== 'text' || node.raw) continue;
    const text = inner.slice(node.start, node.end);
    const lead = text.search(/\S/);
    if (lead === -1) continue;
    if (first === -1) first = node.start + lead;
    last = node.start + text.trimEnd().length;
  }
  if (first === -1) {
    first = 0;
    last = inner.length;
  }
  const marked = inner.slice(0, first) + startToken(hash) + inner.slice(first, last) + END_TOKEN + inner.slice(last);
  const attrs = `id="${MARKER_ID}" class="${MARKER_ID}" data-tradepane-signature="${escapeHtml(id)}" data-tradepane-hash="${escapeHtml(hash)}"`;
  return `<div ${attrs}>${marked}</div>`;
}

/** Where quoted history starts (Outlook, Gmail, Apple Mail, Thunderbird), or the body's length. */
const QUOTE_BOUNDARY = new RegExp(
  [
    String.raw`<div\b[^>]*\bid\s*=\s*["']?(?:x_)*(?:appendonsend|divRplyFwdMsg|mail-editor-reference-message-container)\b`,
    String.raw`<a\b[^>]*\bname\s*=\s*["']?_MailOriginal\b`,
    String.raw`<(?:div|blockquote)\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bgmail_quote\b`,
    String.raw`<blockquote\b[^>]*\btype\s*=\s*["']?cite\b`,
    String.raw`<div\b[^>]*\bclass\s*=\s*["']?[^"'>]*\bmoz-cite-prefix\b`,
    // Classic Outlook on Windows: the rule above "From:" (2013+ and 2007/2010 colours).
    String.raw`<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)\b[^"']*padding:\s*3\.0pt`,
  ].join('|'),
  'i',
);

export function quoteStart(body: string, root?: HtmlElement): number {
  const i = body.search(QUOTE_BOUNDARY);
  if (i === -1) return body.length;
  // Clients wrap the separator (classic Outlook: <div><div style="border-top…">): start at the
  // outermost element that begins with it, so nothing is inserted inside the quote's wrapper.
  const tree = root ?? parseHtml(body);
  let el: HtmlElement | undefined;
  for (const node of walk(tree)) {
    if (node.kind === 'element' && node.start === i) {
      el = node;
      break;
    }
  }
  while (el?.parent && el.parent.name !== '#root' && el.parent.name !== 'body' && el.parent.name !== 'html' && isBlank(body.slice(el.parent.openEnd, el.start))) el = el.parent;
  return el ? el.start : i;
}

/** Where an absent signature goes: above the quoted history, else before </body>, else at the end. */
function insertionPoint(body: string): number {
  let at = quoteStart(body);
  if (at === body.length) {
    const bodyClose = body.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    if (bodyClose !== -1) at = bodyClose;
  }
  // Never inside something left open at the end (a comment, <style>, a half-written tag), where
  // the signature would be swallowed.
  const lastComment = body.lastIndexOf('<!--', at);
  if (lastComment !== -1 && body.indexOf('-->', lastComment + 4) === -1) at = Math.min(at, lastComment);
  const lastLt = body.lastIndexOf('<', at - 1);
  if (lastLt !== -1 && body.indexOf('>', lastLt) === -1) at = Math.min(at, lastLt);
  const rawOpen = /<(script|style|textarea|title|xmp)\b[^>]*>/gi;
  for (const m of allMatches(body.slice(0, at), rawOpen)) {
    if (!new RegExp(`</${m[1]}[\\s/>]`, 'i').test(body.slice(m.index + m[0].length))) at = Math.min(at, m.index);
  }
  return at;
}

/** Clients may write the joiners as characters or as entities. */
const ZW_RUN = /(?:\u200C|\u200D|&zwnj;|&zwj;|&#0*8204;|&#0*8205;|&#[xX]0*200[cCdD];)+/g;

interface ZeroWidthToken {
  kind: 'start' | 'end';
  start: number;
  end: number;
  hash?: string;
}

function zeroWidthTokens(body: string): ZeroWidthToken[] {
  const tokens: ZeroWidthToken[] = [];
  for (const m of allMatches(body, ZW_RUN)) {
    const positions: number[] = [];
    let bits = '';
    for (const unit of allMatches(m[0], /\u200C|\u200D|&[^;]*;/g)) {
      const u = unit[0];
      const one = u === ONE || /^&(?:zwj;|#0*8205;|#[xX]0*200[dD];)$/.test(u);
      bits += one ? '1' : '0';
      positions.push(m.index + unit.index);
    }
    positions.push(m.index + m[0].length);
    let p = 0;
    while (p < bits.length) {
      if (bits.startsWith(START_PREAMBLE, p) && bits.length - p >= START_LENGTH) {
        const hash = padStartWith(Number.parseInt(bits.slice(p + START_PREAMBLE.length, p + START_LENGTH), 2).toString(16), 8, '0');
        tokens.push({ kind: 'start', start: positions[p]!, end: positions[p + START_LENGTH]!, hash });
        p += START_LENGTH;
      } else if (bits.startsWith(END_PREAMBLE, p)) {
        tokens.push({ kind: 'end', start: positions[p]!, end: positions[p + END_PREAMBLE.length]! });
        p += END_PREAMBLE.length;
      } else p++;
    }
  }
  return tokens;
}

const MARKER_NAME = /^(?:x_)*tradepane-signature$/i;

function isMarkerElement(el: HtmlElement): boolean {
  if (el.attrs.has('data-tradepane-signature')) return true;
  if (MARKER_NAME.test(el.attrs.get('id') ?? '')) return true;
  return (el.attrs.get('class') ?? '').split(/\s+/).some((c) => MARKER_NAME.test(c));
}

/** The wrappers clients put around a signature: kept when ours is replaced. */
function isClientWrapper(el: HtmlElement): boolean {
  return /^(?:x_)*signature$/i.test(el.attrs.get('id') ?? '') || /\bgmail_signature\b/.test(el.attrs.get('class') ?? '');
}

function isBlank(fragment: string): boolean {
  return !/<img\b/i.test(fragment) && visibleLines(fragment).length === 0;
}

function deepestContaining(root: HtmlElement, pos: number): HtmlElement {
  let el = root;
  for (;;) {
    const child = el.children.find((c): c is HtmlElement => c.kind === 'element' && c.openEnd <= pos && pos < c.closeStart);
    if (!child) return el;
    el = child;
  }
}

/** The smallest balanced stretch of the body holding both zero-width tokens and only them. */
function zeroWidthRegion(body: string, root: HtmlElement, from: number, to: number): { start: number; end: number } {
  const a = deepestContaining(root, from);
  const b = deepestContaining(root, Math.max(from, to - 1));
  const ofB = new Set<HtmlElement>();
  for (let e: HtmlElement | undefined = b; e; e = e.parent) ofB.add(e);
  let lca = a;
  while (!ofB.has(lca) && lca.parent) lca = lca.parent;

  const kids = lca.children;
  const first = kids.find((k) => k.start <= from && from < k.end);
  const last = kids.find((k) => k.start <= to - 1 && to - 1 < k.end);
  let start = from;
  let end = to;
  if (first && first.kind === 'element' && isBlank(body.slice(first.start, from))) start = first.start;
  if (last && last.kind === 'element' && isBlank(body.slice(to, last.end))) end = last.end;
  if (lca.name === '#root' || !isBlank(body.slice(lca.openEnd, start)) || !isBlank(body.slice(end, lca.closeStart))) return { start, end };
  if (isClientWrapper(lca)) return { start: lca.openEnd, end: lca.closeStart };

  // The element is all signature: climb while the parent adds nothing visible either.
  let region = lca;
  for (let p = region.parent; p && p.name !== '#root' && p.name !== 'body' && p.name !== 'html' && !isClientWrapper(p); p = p.parent) {
    if (!isBlank(body.slice(p.openEnd, region.start)) || !isBlank(body.slice(region.end, p.closeStart))) break;
    region = p;
  }
  return { start: region.start, end: region.end };
}

export interface FoundSignature {
  found: boolean;
  id?: string;
  hash?: string;
  /** The signature's extent in the body; when not found, where one would be inserted. */
  start: number;
  end: number;
  /** The HTML inside the marker (its content, without the wrapper). */
  inner?: string;
  /** Which mark found it: the wrapper's attributes, or the zero-width tokens alone. */
  via?: 'attributes' | 'zero-width';
}

type Region = Required<Pick<FoundSignature, 'start' | 'end' | 'inner' | 'via'>> & Pick<FoundSignature, 'id' | 'hash'>;

/** Every one of our signatures above the quoted history, in order, without overlaps. */
function findAll(body: string): Region[] {
  const root = parseHtml(body);
  const cut = quoteStart(body, root);
  const tokens = zeroWidthTokens(body).filter((t) => t.start < cut);
  const regions: Region[] = [];
  const inside = (pos: number) => regions.some((r) => r.start <= pos && pos < r.end);

  for (const node of walk(root)) {
    if (node.kind !== 'element' || node.start >= cut) continue;
    if (inside(node.start) || !isMarkerElement(node)) continue;
    const stored = node.attrs.get('data-tradepane-hash');
    const token = tokens.find((t) => t.kind === 'start' && t.start >= node.openEnd && t.start < node.closeStart);
    const region: Region = { start: node.start, end: node.end, inner: body.slice(node.openEnd, node.closeStart), via: 'attributes' };
    const id = node.attrs.get('data-tradepane-signature');
    if (id) region.id = id;
    const hash = stored && /^[0-9a-f]{8}$/i.test(stored) ? stored.toLowerCase() : token?.hash;
    if (hash) region.hash = hash;
    regions.push(region);
  }

  const zw: Region[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const s = tokens[k]!;
    if (s.kind !== 'start' || inside(s.start) || zw.some((r) => r.start <= s.start && s.start < r.end)) continue;
    const nextStart = tokens.findIndex((t, i) => i > k && t.kind === 'start');
    const e = tokens.find((t, i) => i > k && t.kind === 'end' && (nextStart === -1 || i < nextStart));
    const { start, end } = e ? zeroWidthRegion(body, root, s.start, e.end) : { start: s.start, end: s.end };
    if (regions.some((r) => r.start < end && start < r.end) || zw.some((r) => r.start < end && start < r.end)) continue;
    zw.push({ start, end, inner: body.slice(start, end), via: 'zero-width', ...(s.hash ? { hash: s.hash } : {}) });
  }
  return [...regions, ...zw].sort((x, y) => x.start - y.start);
}

export function findSignature(bodyHtml: string): FoundSignature {
  const first = findAll(bodyHtml)[0];
  if (!first) {
    const at = insertionPoint(bodyHtml);
    return { found: false, start: at, end: at };
  }
  return { found: true, ...first };
}

/**
 * Puts `renderedSignatureHtml` where our signature is, or above the quoted history when there is
 * none. Extra copies (a client that stacked a second one) are removed, so there is always
 * exactly one afterwards.
 */
export function replaceSignature(bodyHtml: string, renderedSignatureHtml: string): string {
  const regions = findAll(bodyHtml);
  if (regions.length === 0) {
    const at = insertionPoint(bodyHtml);
    return bodyHtml.slice(0, at) + renderedSignatureHtml + bodyHtml.slice(at);
  }
  let out = '';
  let pos = 0;
  regions.forEach((r, k) => {
    out += bodyHtml.slice(pos, r.start) + (k === 0 ? renderedSignatureHtml : '');
    pos = r.end;
  });
  return out + bodyHtml.slice(pos);
}

export type SignatureState = 'present' | 'missing' | 'altered';

/** Why a verdict is what it is, as a code a face words in the rep's language (`reason` is English, for the store's log). */
export type SignatureWhy = 'missing' | 'otherSignature' | 'unchanged' | 'zeroWidth' | 'olderVersion' | 'edited';

export interface SignatureVerdict {
  state: SignatureState;
  why: SignatureWhy;
  reason: string;
  /** The signature found in the message, for `otherSignature`. */
  found?: string;
}

export function verifySignature(bodyHtml: string, expected: { id: string; hash: string }): SignatureVerdict {
  const found = findSignature(bodyHtml);
  if (!found.found) return { state: 'missing', why: 'missing', reason: 'no TradePane signature above the quoted text' };
  if (found.id !== undefined && found.id !== expected.id) {
    return { state: 'altered', why: 'otherSignature', found: found.id, reason: `the message has signature "${found.id}", expected "${expected.id}"` };
  }
  const now = contentHash(found.inner ?? '');
  if (now === expected.hash) {
    return found.via === 'zero-width'
      ? { state: 'present', why: 'zeroWidth', reason: 'signature found by its zero-width marker (the client removed the wrapper attributes)' }
      : { state: 'present', why: 'unchanged', reason: 'signature present and unchanged' };
  }
  if (found.hash && found.hash !== expected.hash && now === found.hash) {
    return { state: 'altered', why: 'olderVersion', reason: "the message has an older version of the signature (the rep's details or the pack changed since it was inserted)" };
  }
  return { state: 'altered', why: 'edited', reason: 'the signature was edited in the message (its text no longer matches)' };
}
