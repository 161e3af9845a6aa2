import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };
export type UiLanguage = 'en' | 'zh-CN';
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const TABLES: Record<UiLanguage, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Chinese for any zh-* browser or choice, English otherwise. */
export function uiLanguageOf(tag: string | null | undefined): UiLanguage {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : 'en';
}

export function translator(language: UiLanguage): Translate {
  const table = TABLES[language];
  return (key, values = {}) => (table[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in values ? String(values[name]) : whole));
}
