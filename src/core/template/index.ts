/**
 * Template content: rendering pack templates with Liquid (sandboxed, escaped, nothing blank sent),
 * choosing the language variant, checking field values, and checking template text for pack
 * validation. Pure: runs in the task pane and on the server.
 */
export { renderTemplate } from './render.js';
export type { MissingValue, RenderContext, RenderOptions, RenderResult } from './types.js';
export { applyFieldDefaults, checkFieldValues, isBlankInput, localized, resolveDateDefault, type FieldCheck, type FieldError, type Localized } from './fields.js';
export { countryCode, COUNTRY_LANGUAGES, matchLanguage } from './variant.js';
export { checkTemplate, BUILTIN_VALUES, BUILTIN_VARIABLES, RESERVED_NAMES, type BuiltinGroup } from './check.js';
export { describeIncoterm, INCOTERMS_2020, isIncoterm, type Incoterm } from './incoterms.js';
export { formatDate, formatMoney, DATE_STYLES, type DateStyle } from './format.js';
export { checkUrlValue, escapeHtml, type UrlCheck } from './escape.js';
export { findUnsafeLinks, SAFE_LINK_SCHEMES } from './html-context.js';
export { htmlToText } from './text.js';
export { DateValue, MoneyValue, SafeHtml, isBlank } from './values.js';
export { OWN_FILTERS, REMOVED_FILTERS, REMOVED_TAGS, LIMITS } from './engine.js';
export type { HtmlContext } from './html-context.js';
