import { decodeHTML } from 'entities/decode';

/** Plain text from HTML, for plain-text bodies: block ends become line breaks, entities decoded. */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|table)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&[#A-Za-z0-9]+;?/g, (ref) => decodeHTML(ref).replace(/\u00a0/g, ' '))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
