import { translator as coreTranslator, type UiLanguage } from '../../core/i18n/index.js';
import { en, type MessageKey } from './en.js';
import type { Translate } from './index.js';

/**
 * The task pane's words for one language, the other catalogue left on the server: English is
 * always in the page (the reference and every fallback), Chinese is its own small chunk fetched
 * only for a Chinese Office. `translator` in ./index.js holds both, for tests and tools; this
 * module does not import it, so the page's first paint carries one catalogue.
 */
export async function loadTranslator(language: UiLanguage): Promise<Translate> {
  if (language === 'en') return coreTranslator<MessageKey>({ en }, 'en');
  // A chunk that cannot be fetched (the store went away after the page loaded) leaves the pane in
  // English rather than blank: the translator falls back to English for any key it lacks.
  const zhCN = await import(/* webpackChunkName: "i18n-zh-CN" */ './zh-CN.js').then((m) => m.zhCN, () => undefined);
  return coreTranslator<MessageKey>(zhCN ? { en, 'zh-CN': zhCN } : { en }, language);
}
