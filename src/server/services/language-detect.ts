import { ownText } from '../../core/compose/thread.js';

/**
 * The language a buyer wrote their message in, for the compose core's language chain. Detection
 * runs on the store (and the CLI), not in the faces: tinyld's tables would blow the task pane's
 * size budget. Only the buyer's own words count (the quoted mail below is often the rep's).
 */

/** The languages exporters write to: limiting the guess to these keeps short business mails from reading as Hungarian. */
const CANDIDATES = ['en', 'es', 'ar', 'zh', 'de', 'fr', 'pt', 'ru', 'ja', 'ko', 'it', 'tr', 'nl', 'pl', 'vi', 'th', 'id', 'he', 'fa', 'uk'];
/** Fewer letters than this say too little ("ok thanks"); a Chinese, Japanese or Korean character counts three. */
const MIN_LETTERS = 12;
/** tinyld's score for the best guess, and how far ahead of the next it must be (Spanish vs Portuguese). */
const MIN_ACCURACY = 0.2;
const MIN_LEAD = 2.5;
/** Long mails are read from their start: enough to tell a language, bounded work. */
const MAX_CHARS = 2000;

// tinyld's tables take ~0.4 s to load: on the first mail long enough to read, not at every start.
let tinyld: Promise<typeof import('tinyld')> | undefined;

export async function detectBuyerLanguage(body: string | null | undefined): Promise<string | undefined> {
  if (!body) return undefined;
  const text = ownText(body.slice(0, 20_000)).slice(0, MAX_CHARS);
  const letters = (text.match(/\p{L}/gu) ?? []).length + 2 * (text.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/gu) ?? []).length;
  if (letters < MIN_LETTERS) return undefined;
  const { detectAll } = await (tinyld ??= import('tinyld'));
  const [best, next] = detectAll(text, { only: CANDIDATES });
  if (!best || best.accuracy < MIN_ACCURACY || (next && best.accuracy < next.accuracy * MIN_LEAD)) return undefined;
  return best.lang;
}
