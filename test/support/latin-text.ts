/**
 * What may stay Latin in a pane or card shown in Simplified Chinese. The UI's own words must be
 * Chinese; what is Latin by nature is allowed and stripped before the check:
 *  - e-mail addresses, URLs, domain names (hamburg-import.de), IANA zones (Europe/Berlin);
 *  - codes: upper-case tokens with digits and - + : (FOB, EUR, CRM, UTC+08:00, Q-2026-118), ISO dates,
 *    times (09:30, 9:30 AM/PM as a time format), the language codes of the pack's variants (en, es, ar);
 *  - product names (tradepane, Gmail, Outlook, Google, Office) and the "Date" header's name;
 *  - data: phrases the caller names exactly (customer and sender names, the mail's subject, values the
 *    test typed, pack content the pack has in no Chinese version, a template's title in its variant).
 * Whatever Latin word of two or more letters is left is an untranslated UI string.
 */
const STRIP: RegExp[] = [
  /\bhttps?:\/\/[^\s)）」，。]+/g,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  /\b[A-Z][A-Za-z]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?\b/g,
  /\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/g,
  /\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b/g,
  /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?\b/g,
  /\b[A-Z][A-Z0-9]*(?:[-+:][A-Z0-9]+)*\b/g,
  /\btradepane\b/g,
  // Products the rep uses by name, and the mail header the sender's zone is read from.
  /\b(?:Gmail|Outlook|Google|Office)\b/g,
  /\bDate(?=:|\s*邮件头)/g,
];

export const LANGUAGE_CODES = ['en', 'es', 'de', 'ar', 'zh', 'zh-CN', 'fr', 'pt', 'ru', 'ja'];

/** The lines of `text` that still hold a Latin word once allowed phrases and tokens are removed. */
export function latinLeftovers(text: string, allowed: readonly string[]): string[] {
  const phrases = [...new Set(allowed.filter((a) => a.trim().length > 0))].sort((a, b) => b.length - a.length);
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    let rest = line;
    for (const phrase of phrases) rest = rest.split(phrase).join(' ');
    for (const re of STRIP) rest = rest.replace(re, ' ');
    rest = rest.replace(new RegExp(`(?<![A-Za-z])(?:${LANGUAGE_CODES.join('|')})(?![A-Za-z])`, 'g'), ' ');
    if (/[A-Za-z]{2,}/.test(rest)) out.push(line.trim());
  }
  return out;
}

type Json = unknown;
const isLanguageMap = (v: Json): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => LANGUAGE_CODES.includes(k)) && Object.values(v).every((x) => typeof x === 'string');

/**
 * The pack's content that may show in another language: every template title (the list may show a
 * template in its variant's language), and a label, help or option text the pack gives in no Chinese
 * version (then the pack's default is all there is). A text the pack HAS in Chinese is not allowed
 * in Latin: the pane must show the Chinese one.
 */
export function packDataPhrases(pack: Json): string[] {
  const out: string[] = [];
  const walk = (v: Json, key: string): void => {
    if (isLanguageMap(v)) {
      if (key === 'title' || !('zh' in v)) out.push(...Object.values(v));
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x) => walk(x, key));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) if (k !== 'variants') walk(x, k);
    } else if (typeof v === 'string' && (key === 'title' || key === 'options' || key === 'pack')) out.push(v);
  };
  walk(pack, '');
  return out;
}
