import { translator as coreTranslator, uiLanguageOf, type Translate as CoreTranslate, type UiLanguage } from '../../core/i18n/index.js';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

/**
 * The task pane's words, in English and Simplified Chinese. The language follows Office's display
 * language (`Office.context.displayLanguage`) through core/i18n's one rule; messages take `{name}`
 * placeholders and plural forms, filled by core/i18n's helper.
 */
export type { MessageKey, UiLanguage };
export { uiLanguageOf };
export type Translate = CoreTranslate<MessageKey>;

export function translator(language: UiLanguage): Translate {
  return coreTranslator<MessageKey>({ en, 'zh-CN': zhCN }, language);
}
