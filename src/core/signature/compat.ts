/**
 * ES2016 stand-ins for `String.prototype.matchAll` (ES2020) and `padStart` (ES2017). The marker
 * code runs in the Outlook event bundle, and classic Outlook on Windows builds before 2403 run
 * that bundle in a JavaScript-only runtime that knows ES2016 built-ins only.
 */

/** Every match of a global `pattern` in `text`, as `text.matchAll(pattern)` yields them. */
export function allMatches(text: string, pattern: RegExp): RegExpExecArray[] {
  if (!pattern.global) throw new TypeError('allMatches needs a global (/g) pattern');
  // A copy, like matchAll: the caller's pattern keeps its lastIndex.
  const re = new RegExp(pattern.source, pattern.flags);
  re.lastIndex = pattern.lastIndex;
  const matches: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    matches.push(m);
    // An empty match would match again at the same place forever: step over one character
    // (one code point for a unicode pattern), as matchAll does.
    if (m[0] === '') re.lastIndex = advance(text, re.lastIndex, re.unicode);
  }
  return matches;
}

function advance(text: string, index: number, unicode: boolean): number {
  if (!unicode || index + 1 >= text.length) return index + 1;
  const code = text.charCodeAt(index);
  const next = text.charCodeAt(index + 1);
  return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? index + 2 : index + 1;
}

/** `text.padStart(length, fill)` for a one-character `fill`. */
export function padStartWith(text: string, length: number, fill: string): string {
  let out = text;
  while (out.length < length) out = fill + out;
  return out;
}
