import { translator as coreTranslator, uiLanguageOf, type Translate as CoreTranslate, type UiLanguage } from '../../core/i18n/index.js';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

/** The console's catalogues; the language rule and the filling-in are core/i18n's, shared by every face. */
export type { MessageKey, UiLanguage };
export { uiLanguageOf };
export type Translate = CoreTranslate<MessageKey>;

export function translator(language: UiLanguage): Translate {
  return coreTranslator<MessageKey>({ en, 'zh-CN': zhCN }, language);
}
