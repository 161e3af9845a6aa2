/**
 * A pack's per-language text and how a face picks from it. Its own module, free of the template
 * engine, so a face that only lists templates (the task pane's list) need not load liquidjs
 * (docs/performance.md, 'Where the task pane's time goes'); `fields.ts` re-exports both.
 */

/** A text given once, or per language ({en: "Product", zh: "产品"}), as packs write labels. */
export type Localized = string | Record<string, string>;

/** The text for `language`: that language, else its base language ("es" for "es-MX"), else English, else any. */
export function localized(text: Localized | undefined, language: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const base = language.split('-')[0]!;
  return text[language] ?? text[base] ?? text.en ?? Object.values(text)[0];
}
