import { compile } from 'html-to-text';
import { plainTextOfParts, simplePlainText, type TextPart } from './plain-text.js';

/**
 * The plain-text part of a mail, from its HTML. html-to-text parses HTML properly (entities,
 * lists, tables, links) and runs in the browser as well as in Node. No wrapping: mail clients
 * wrap for the reader's window, and hard breaks mid-sentence break CJK and Arabic text.
 */
// Compiled once: html-to-text builds its selector machinery per call otherwise.
const convert = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 60 } },
  ],
});

/**
 * `parts`: the same HTML as a compiled render wrote it (compile.ts), its static pieces already
 * read; the text is then made without reading that HTML again.
 */
export function htmlToText(html: string, options: { full?: boolean; parts?: readonly TextPart[] } = {}): string {
  // The HTML our templates make is read by simplePlainText (same text, no DOM); anything beyond it by html-to-text.
  if (options.full) return trimLineEnds(convert(html)).trim();
  const fromParts = options.parts && options.parts.length > 0 ? plainTextOfParts(options.parts) : undefined;
  return trimLineEnds(fromParts ?? simplePlainText(html) ?? convert(html)).trim();
}

/** `text.replace(/[ \t]+$/gm, '')` — spaces and tabs before each line end (\n, \r, U+2028, U+2029) and the end — in one pass. */
export function trimLineEnds(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) continue;
    let j = i;
    while (j > from && (text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 9)) j--;
    if (j < i) {
      out += text.slice(from, j);
      from = i;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
