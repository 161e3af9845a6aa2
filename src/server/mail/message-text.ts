import type { AutoHeaders } from './types.js';

/** How much of a body the adapters hand the engine (types.ts: FetchedMessage.textBody). */
export const TEXT_BODY_MAX_BYTES = 64 * 1024;

/** At most `max` bytes of UTF-8, cut at a character boundary; NUL bytes dropped. */
export function boundedText(text: string, max = TEXT_BODY_MAX_BYTES): string {
  const clean = text.replace(/\u0000/g, '');
  if (Buffer.byteLength(clean, 'utf8') <= max) return clean;
  const cut = Buffer.from(clean, 'utf8').subarray(0, max).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD at the end: drop it.
  return cut.replace(/\uFFFD$/, '');
}

const AUTO_HEADERS: [keyof AutoHeaders, string][] = [
  ['autoSubmitted', 'auto-submitted'],
  ['xAutoreply', 'x-autoreply'],
  ['xAutorespond', 'x-autorespond'],
  ['precedence', 'precedence'],
  ['xAutoResponseSuppress', 'x-auto-response-suppress'],
  ['listId', 'list-id'],
  ['contentType', 'content-type'],
];

/** The headers that tell an automatic mail, read through `header(lower-case name)`. */
export function autoHeadersOf(header: (name: string) => string | null): AutoHeaders {
  const out: AutoHeaders = {};
  for (const [field, name] of AUTO_HEADERS) {
    const value = header(name);
    if (value !== null) out[field] = value.replace(/\u0000/g, '').slice(0, 500);
  }
  return out;
}

/** Header name (lower case) → first value: repeated headers (Received:) are not the ones read. */
export function headerMap(headers: Iterable<{ name?: string | null; value?: string | null }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const h of headers) {
    if (!h.name || typeof h.value !== 'string') continue;
    const key = h.name.toLowerCase();
    if (!map.has(key)) map.set(key, h.value);
  }
  return map;
}
