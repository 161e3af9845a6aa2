import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

/**
 * The task pane's words, in English and Simplified Chinese. The language follows Office's display
 * language (`Office.context.displayLanguage`, e.g. "zh-CN", "en-US"); anything that is not
 * Chinese gets English. Messages take `{name}` placeholders, filled by `t`.
 */
export type { MessageKey };
export type UiLanguage = 'en' | 'zh-CN';

const catalogs: Record<UiLanguage, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Office's display language → one of ours. Traditional Chinese (zh-TW, zh-HK, zh-Hant) stays English: we ship no Traditional text. */
export function uiLanguageOf(displayLanguage: string | undefined | null): UiLanguage {
  const tag = (displayLanguage ?? '').trim().toLowerCase();
  if (tag === 'zh' || tag === 'zh-cn' || tag === 'zh-sg' || tag.startsWith('zh-hans')) return 'zh-CN';
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: UiLanguage): Translate {
  const catalog = catalogs[language];
  return (key, params) => {
    const message = catalog[key] ?? en[key];
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}
