/**
 * One i18n for every face: which UI language a person gets, and how a catalogue message is
 * filled in. Each face keeps its own catalogue (`src/outlook/i18n`, `src/outlook/events/messages.ts`,
 * `src/gmail/i18n.ts`, `src/admin/i18n`, `src/cli/i18n.ts`); the rule and the helper live here,
 * once. Pure and small: the Outlook event bundle (ES2016, no React) imports it too.
 */

/** The languages tradepane's own screens are written in. */
export const UI_LANGUAGES = ['en', 'zh-CN'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/**
 * The UI language for a host's language tag: Office's display language ("zh-CN", "en-US"),
 * Gmail's userLocale ("zh_TW"), a browser's navigator.language, or a POSIX LANG
 * ("zh_CN.UTF-8", "C"). Every Chinese tag gets Chinese, Traditional ones (zh-TW, zh-HK, zh-MO,
 * zh-Hant) included: we ship only Simplified text, and a reader of Traditional Chinese reads
 * Simplified far more easily than English; before this rule the pane gave zh-TW English while its
 * on-send alert gave Chinese. Anything else (or nothing) gets English.
 */
export function uiLanguageOf(tag: string | null | undefined): UiLanguage {
  if (typeof tag !== 'string') return 'en';
  // POSIX: language[_territory][.codeset][@modifier]; BCP 47 and Java-style tags use - or _
  const primary = tag.trim().split(/[.@]/)[0]!.split(/[-_]/)[0]!.toLowerCase();
  return primary === 'zh' ? 'zh-CN' : 'en';
}

/** The first of several preferences (navigator.languages, LANGUAGE=zh_CN:en) that names a tag at all. */
export function uiLanguageOfList(tags: ReadonlyArray<string | null | undefined>): UiLanguage {
  for (const tag of tags) if (typeof tag === 'string' && tag.trim() !== '' && !/^(c|posix)$/i.test(tag.trim().split('.')[0]!)) return uiLanguageOf(tag);
  return 'en';
}

/** A message whose words depend on a count: one form per CLDR plural category the language uses ('other' always). */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | PluralMessage;
export type Params = Readonly<Record<string, string | number>>;

const pluralRules = new Map<string, { select(n: number): string }>();

/** The CLDR plural category of a count; English's rule where the runtime has no Intl.PluralRules (old Outlook runtimes). */
export function pluralCategory(language: string, count: number): keyof PluralMessage {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = typeof Intl !== 'undefined' && typeof Intl.PluralRules === 'function' ? new Intl.PluralRules(language) : { select: (n: number) => (n === 1 ? 'one' : 'other') };
    pluralRules.set(language, rules);
  }
  return rules.select(count) as keyof PluralMessage;
}

/**
 * Fills a message: a plural message picks its form by `params.count`, then `{name}` is replaced
 * by `params.name`. A placeholder with no value stays as written, so a missing parameter shows
 * instead of vanishing. Values are inserted as given: escaping belongs to whoever renders.
 */
export function interpolate(message: Message, params: Params | undefined, language: UiLanguage): string {
  let text: string;
  if (typeof message === 'string') text = message;
  else {
    const count = Number(params?.count);
    text = (Number.isFinite(count) ? message[pluralCategory(language, count)] : undefined) ?? message.other;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole));
}

export type Catalog<K extends string> = Readonly<Record<K, Message>>;
export type Translate<K extends string> = (key: K, params?: Params) => string;

/**
 * A face's `t`: its catalogue in `language`, English for a key the language lacks (the English
 * catalogue is the reference every other one must cover).
 */
export function translator<K extends string>(catalogs: { en: Catalog<K> } & Partial<Record<UiLanguage, Partial<Catalog<K>>>>, language: UiLanguage): Translate<K> {
  const own = catalogs[language] ?? catalogs.en;
  return (key, params) => {
    const message = own[key] ?? catalogs.en[key];
    if (message === undefined) return key; // a key no catalogue has (a newer server's code): show it rather than fail
    return interpolate(message, params, own[key] !== undefined ? language : 'en');
  };
}

/** A template language's name in the UI's language ("Arabic", "阿拉伯语"), else its code (every face words a language this way). */
export function languageName(code: string, ui: UiLanguage): string {
  try {
    return new Intl.DisplayNames([ui], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
