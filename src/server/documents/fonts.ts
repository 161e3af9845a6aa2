import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * The font files documents embed (Noto Sans for Latin, Greek and Cyrillic; Noto Sans Arabic;
 * Noto Sans SC for Chinese), read once per process and only when a document needs them: the
 * Chinese face is 10 MB, so a Latin-only document never reads it.
 */
export type FontFace = 'latin' | 'latinBold' | 'arabic' | 'arabicBold' | 'cjk';

const FILES: Record<FontFace, string> = {
  latin: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  latinBold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  arabic: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf',
  arabicBold: '@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf',
  // One weight only: a second 10 MB face for bold headings is not worth its weight.
  cjk: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
};

const require = createRequire(import.meta.url);
const cache = new Map<FontFace, Promise<Uint8Array>>();

export function fontBytes(face: FontFace): Promise<Uint8Array> {
  let bytes = cache.get(face);
  if (!bytes) {
    bytes = readFile(require.resolve(FILES[face])).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    // A failed read is not cached: the next document tries again.
    bytes.catch(() => cache.delete(face));
    cache.set(face, bytes);
  }
  return bytes;
}

/** Faces already read in this process (tests check the Chinese face stays unread for a Latin document). */
export function loadedFaces(): FontFace[] {
  return [...cache.keys()];
}
