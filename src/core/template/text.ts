import { compile } from 'html-to-text';
import { simplePlainText } from './plain-text.js';

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

export function htmlToText(html: string, options: { full?: boolean } = {}): string {
  // The HTML our templates make is read by simplePlainText (same text, no DOM); anything beyond it by html-to-text.
  return ((options.full ? undefined : simplePlainText(html)) ?? convert(html))
    .replace(/[ \t]+$/gm, '')
    .trim();
}
