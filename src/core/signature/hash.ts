import { padStartWith } from './compat.js';

/**
 * FNV-1a, 32 bits, over the UTF-8 bytes of a string, as 8 lower-case hex digits.
 *
 * Why not SHA-256: the hash only has to notice that a signature changed (a deleted phone line, an
 * edited name), not resist someone forging a collision — a rep who wants to change their
 * signature can simply change it. 32 bits make an accidental match after an edit a one in four
 * billion event, and keep the hash short enough to hide in the zero-width marker (see marker.ts).
 * Hand-rolled UTF-8 because Outlook's JavaScript-only runtime does not promise TextEncoder.
 */
export function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) byte(cp);
    else if (cp < 0x800) {
      byte(0xc0 | (cp >> 6));
      byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      byte(0xe0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    } else {
      byte(0xf0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 0x3f));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    }
  }
  return padStartWith((h >>> 0).toString(16), 8, '0');
}
