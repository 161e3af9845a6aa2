import type { PackField } from '../pack/schema.js';
import { isIsoDate } from '../template/values.js';

/**
 * Reading what a rep typed into a template's field, once for every face (Outlook's form, Gmail's
 * card, the CLI's --field). Typed text becomes the plain JSON value the store's render takes:
 * a number, `{amount, currency}`, 'YYYY-MM-DD', or trimmed text.
 *
 * Rules (docs/compose.md, "Reading typed values"):
 * - Digits may be ASCII, Arabic-Indic (٠–٩), Eastern Arabic-Indic (۰–۹) or full-width (０–９);
 *   "٫" is a decimal mark and "٬" a group mark, spaces (also no-break and thin spaces) and "'"
 *   group digits.
 * - With both "." and "," in a number, the last one is the decimal mark ("1.234,50", "1,234.50").
 * - A mark that appears more than once groups thousands ("1,234,567"); groups are three digits.
 * - One mark followed by other than three digits is the decimal mark ("12,50", "0.5").
 * - One mark followed by exactly three digits ("1,234", "1.234") is what the input locale says:
 *   its decimal mark → decimal, else thousands. Without an input locale it is refused.
 * - Money: a three-letter code before or after ("12,50 EUR", "USD 1,234"), a symbol (€, £, US$,
 *   R$, ¥ in zh → CNY and in ja → JPY), or a Chinese or Arabic currency word (美元, 元, ر.س); else
 *   the field's declared currency, which is the default a typed currency overrides (a USD price
 *   list quoted in EUR for one buyer). Amounts are not negative and carry at most four decimals
 *   (unit prices go below a cent).
 * - Dates: ISO (2026-12-03, 2026/12/03), CJK (2026年12月3日), a month name in the input locale or
 *   English ("3 December 2026", "3. Dezember 2026", "3 de diciembre de 2026"), or day and month
 *   as numbers in the input locale's order (de 03.12.2026, en-US 12/3/2026). "03/04/2026" with no
 *   input locale is refused; a day over 12 decides the order by itself.
 */

export type InputFieldType = PackField['type'];

export interface InputField {
  name: string;
  type: InputFieldType;
  currency?: string | undefined;
  options?: string[] | undefined;
}

/** Why an input was refused: a code and its parameters (for faces' catalogues) and an English message. */
export interface FieldInputError {
  field: string;
  /** The field's label in the UI's language as the caller gave it, else the field's name. */
  label: string;
  code: FieldInputCode;
  params: Record<string, string | number>;
  message: string;
}

export type FieldInputCode =
  | 'not-a-number'
  | 'ambiguous-number'
  | 'bad-grouping'
  | 'negative-money'
  | 'too-many-decimals'
  | 'no-currency'
  | 'unknown-currency'
  | 'ambiguous-currency'
  | 'not-a-date'
  | 'ambiguous-date'
  | 'impossible-date'
  | 'not-an-option'
  | 'not-an-email'
  | 'not-a-url'
  | 'unreadable';

export type FieldInputResult =
  | { ok: true; value: unknown; understood: string }
  | { ok: false; error: FieldInputError };

const MONEY_DECIMALS_MAX = 4;

/** Text as ASCII digits and marks: Arabic-Indic and full-width digits, Arabic marks, odd spaces. */
export function foldDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\uff10-\uff19]/g, (d) => String(d.charCodeAt(0) - 0xff10))
    .replace(/\u066b/g, '\u0001') // Arabic decimal separator: a decimal mark whatever the locale
    .replace(/\u066c/g, ' ') // Arabic thousands separator
    .replace(/\uff0c/g, ',')
    .replace(/\uff0e/g, '.')
    .replace(/[\u00a0\u2007\u2009\u202f\u3000]/g, ' ')
    .replace(/[\u2212\uff0d]/g, '-');
}

/** The locale's decimal mark with Latin digits: "." or ","; undefined without a usable locale. */
export function decimalMarkOf(locale: string | undefined): '.' | ',' | undefined {
  if (!locale || !locale.trim() || locale === 'und') return undefined;
  try {
    const parts = new Intl.NumberFormat(locale, { numberingSystem: 'latn' }).formatToParts(1.5);
    return parts.find((p) => p.type === 'decimal')?.value === ',' ? ',' : '.';
  } catch {
    return undefined;
  }
}

type NumberRead = { ok: true; value: number; decimals: number; how: string } | { ok: false; code: FieldInputCode; params: Record<string, string | number>; message: string };

/** A number as a person writes it, by the rules above. `text` holds only digits, marks, a sign. */
export function readNumber(raw: string, locale: string | undefined): NumberRead {
  const folded = foldDigits(raw).trim();
  let text = folded;
  let sign = 1;
  if (/^[-+]/.test(text)) {
    if (text[0] === '-') sign = -1;
    text = text.slice(1).trim();
  }
  const bad = (): NumberRead => ({ ok: false, code: 'not-a-number', params: { text: raw }, message: `"${raw}" is not a number` });
  if (!/^[0-9.,' \u0001]+$/.test(text) || !/[0-9]/.test(text)) return bad();
  // Spaces and apostrophes group digits (fr "1 234,50", ch "1'234.50").
  const spaced = text.split(/[ ']+/);
  if (spaced.length > 1 && !(/^\d{1,3}$/.test(spaced[0]!) && spaced.slice(1).every((g, i) => (i === spaced.length - 2 ? /^\d{3}([.,\u0001]\d*)?$/.test(g) : /^\d{3}$/.test(g))))) {
    return { ok: false, code: 'bad-grouping', params: { text: raw }, message: `"${raw}": digits grouped by spaces come in threes` };
  }
  text = spaced.join('');
  // The Arabic decimal separator settles the decimal mark.
  if (text.includes('\u0001')) {
    const [int, frac, extra] = text.split('\u0001');
    if (extra !== undefined || /[.,]/.test(frac ?? '')) return bad();
    return finish(int!, frac ?? '', 'the Arabic decimal separator', int!.includes(',') ? ',' : undefined);
  }
  const dots = [...text].filter((c) => c === '.').length;
  const commas = [...text].filter((c) => c === ',').length;

  function finish(intPart: string, fracPart: string, how: string, group?: string): NumberRead {
    let digits = intPart;
    if (group) {
      const groups = intPart.split(group);
      if (!/^\d{1,3}$/.test(groups[0]!) || !groups.slice(1).every((g) => /^\d{3}$/.test(g))) {
        return { ok: false, code: 'bad-grouping', params: { text: raw, mark: group }, message: `"${raw}": "${group}" groups thousands here, and groups are three digits` };
      }
      digits = groups.join('');
    }
    if (!/^\d*$/.test(digits) || !/^\d*$/.test(fracPart) || (digits === '' && fracPart === '')) return bad();
    const value = sign * Number(`${digits || '0'}.${fracPart || '0'}`);
    return { ok: true, value, decimals: fracPart.length, how };
  }

  if (dots > 0 && commas > 0) {
    const decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const at = text.lastIndexOf(decimal);
    if (text.indexOf(decimal) !== at) return bad();
    return finish(text.slice(0, at), text.slice(at + 1), `"${decimal}" as the decimal mark`, group);
  }
  const mark = dots > 0 ? '.' : commas > 0 ? ',' : undefined;
  if (!mark) return finish(text, '', 'a whole number');
  const count = mark === '.' ? dots : commas;
  if (count > 1) return finish(text, '', `"${mark}" grouping thousands`, mark);
  const [int, frac] = text.split(mark) as [string, string];
  if (frac.length !== 3 || int === '' || int === '0') return finish(int, frac, `"${mark}" as the decimal mark`);
  // "1,234": thousands in en, 1.234 in de — only the input locale can say.
  const decimal = decimalMarkOf(locale);
  if (!decimal) {
    return {
      ok: false,
      code: 'ambiguous-number',
      params: { text: raw, asDecimal: `${int}.${frac}`, asThousands: `${int}${frac}` },
      message: `"${raw}" could be ${int}.${frac} or ${int}${frac}; set the input language, or write it so it can be read one way only (e.g. "${int}${frac}.00")`,
    };
  }
  return decimal === mark ? finish(int, frac, `"${mark}" as the decimal mark (${locale})`) : finish(int + frac, '', `"${mark}" grouping thousands (${locale})`);
}

// ---- money -------------------------------------------------------------------------------------

/** Symbols and words for currencies, longest first so "US$" wins over "$". */
const CURRENCY_WORDS: [string, string][] = [
  ['人民币', 'CNY'], ['美元', 'USD'], ['欧元', 'EUR'], ['英镑', 'GBP'], ['日元', 'JPY'], ['港币', 'HKD'], ['港元', 'HKD'],
  ['ر.س', 'SAR'], ['ريال', 'SAR'], ['د.إ', 'AED'], ['درهم', 'AED'], ['د.ك', 'KWD'], ['ر.ق', 'QAR'],
  ['US$', 'USD'], ['R$', 'BRL'], ['HK$', 'HKD'], ['A$', 'AUD'], ['C$', 'CAD'], ['S$', 'SGD'], ['RMB', 'CNY'],
  ['€', 'EUR'], ['£', 'GBP'], ['₹', 'INR'], ['₽', 'RUB'], ['₺', 'TRY'], ['₩', 'KRW'], ['元', 'CNY'],
];

let currencies: Set<string> | null | undefined;
/** An ISO 4217 code this runtime knows (any three letters where Intl cannot list them). */
function isCurrencyCode(code: string): boolean {
  if (currencies === undefined) {
    const list = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
    currencies = list ? new Set(list('currency')) : null;
  }
  return currencies ? currencies.has(code) : /^[A-Z]{3}$/.test(code);
}

function firstSubtag(locale: string | undefined): string {
  return (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
}

function currencyOfSymbol(symbol: string, locale: string | undefined, declared: string | undefined): { currency?: string; ambiguous?: string } {
  if (symbol === '$') return declared && /D$/.test(declared) ? { currency: declared } : { currency: 'USD' };
  if (symbol === '¥' || symbol === '￥') {
    if (declared === 'CNY' || declared === 'JPY') return { currency: declared };
    const lang = firstSubtag(locale);
    if (lang === 'zh') return { currency: 'CNY' };
    if (lang === 'ja') return { currency: 'JPY' };
    return { ambiguous: '¥ (CNY or JPY)' };
  }
  const word = CURRENCY_WORDS.find(([w]) => w === symbol);
  return word ? { currency: word[1] } : {};
}

function splitCurrency(text: string, locale: string | undefined, declared: string | undefined): { amount: string; currency?: string; ambiguous?: string; word?: string } {
  let rest = text.trim();
  const code = /^([A-Za-z]{3})\s*(.+)$/.exec(rest) ?? /^(.+?)\s*([A-Za-z]{3})$/.exec(rest);
  if (code) {
    const [a, b] = [code[1]!, code[2]!];
    const iso = /^[A-Za-z]{3}$/.test(a) && /\d/.test(b) ? a : /^[A-Za-z]{3}$/.test(b) && /\d/.test(a) ? b : undefined;
    if (iso) {
      const known = CURRENCY_WORDS.find(([w]) => w.toUpperCase() === iso.toUpperCase());
      return { amount: iso === a ? b : a, currency: known ? known[1] : iso.toUpperCase(), word: iso };
    }
  }
  for (const symbol of [...CURRENCY_WORDS.map(([w]) => w), '$', '¥', '￥']) {
    const at = rest.indexOf(symbol);
    if (at === -1) continue;
    const before = rest.slice(0, at).trim();
    const after = rest.slice(at + symbol.length).trim();
    if (before && after) continue;
    rest = before || after;
    return { amount: rest, ...currencyOfSymbol(symbol, locale, declared), word: symbol };
  }
  return { amount: rest };
}

// ---- dates -------------------------------------------------------------------------------------

const monthNames = new Map<string, Map<string, number>>();

/** Month names (long and short, lower case, no dots) in a locale, for "3 December 2026". */
function monthsOf(locale: string): Map<string, number> {
  let names = monthNames.get(locale);
  if (names) return names;
  names = new Map();
  for (const month of ['long', 'short'] as const) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' });
    } catch {
      continue;
    }
    for (let m = 0; m < 12; m++) {
      const name = format.format(new Date(Date.UTC(2026, m, 15))).toLowerCase().replace(/\.$/, '');
      if (!/\d/.test(name)) names.set(name, m + 1);
    }
  }
  monthNames.set(locale, names);
  return names;
}

/** 'dmy' / 'mdy' / 'ymd' in the locale, from how it writes a date; undefined without a locale. */
function dayOrderOf(locale: string | undefined): 'dmy' | 'mdy' | 'ymd' | undefined {
  if (!locale || !locale.trim() || locale === 'und') return undefined;
  try {
    const order = new Intl.DateTimeFormat(locale, { numberingSystem: 'latn', timeZone: 'UTC' })
      .formatToParts(new Date(Date.UTC(2026, 11, 3)))
      .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
      .map((p) => p.type[0])
      .join('');
    return order === 'mdy' || order === 'ymd' ? order : 'dmy';
  } catch {
    return undefined;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

type DateRead = { ok: true; iso: string; how: string } | { ok: false; code: FieldInputCode; params: Record<string, string | number>; message: string };

function isoOf(year: number, month: number, day: number, raw: string, how: string): DateRead {
  const iso = `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
  if (!isIsoDate(iso)) return { ok: false, code: 'impossible-date', params: { text: raw, year, month, day }, message: `"${raw}" is day ${day} of month ${month} in ${year}, which does not exist` };
  return { ok: true, iso, how };
}

export function readDate(raw: string, locale: string | undefined): DateRead {
  const text = foldDigits(raw).trim().toLowerCase();
  const notDate: DateRead = { ok: false, code: 'not-a-date', params: { text: raw }, message: `"${raw}" is not a date; write it as YYYY-MM-DD` };
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]), raw, 'year-month-day');
  m = /^(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日号일]?$/.exec(text);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]), raw, 'year年month月day日');
  // Day and month as numbers: the locale's order decides, unless a number over 12 does.
  m = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\.?$/.exec(text);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const order = dayOrderOf(locale);
    if (a > 12 && b <= 12) return isoOf(year, b, a, raw, 'day/month (the first number is over 12)');
    if (b > 12 && a <= 12) return isoOf(year, a, b, raw, 'month/day (the second number is over 12)');
    if (a === b) return isoOf(year, a, b, raw, 'day and month are the same');
    if (!order) {
      return {
        ok: false,
        code: 'ambiguous-date',
        params: { text: raw, dayFirst: `${year}-${pad(b)}-${pad(a)}`, monthFirst: `${year}-${pad(a)}-${pad(b)}` },
        message: `"${raw}" could be ${year}-${pad(b)}-${pad(a)} or ${year}-${pad(a)}-${pad(b)}; write it as YYYY-MM-DD or set the input language`,
      };
    }
    return order === 'mdy' ? isoOf(year, a, b, raw, `month/day (${locale})`) : isoOf(year, b, a, raw, `day/month (${locale})`);
  }
  // A month written as a word, in the input locale or English.
  const words = text.replace(/,/g, ' ').replace(/\b(de|del|of|le|am|den)\b/g, ' ').split(/[\s.]+/).filter(Boolean);
  const numbers = words.filter((w) => /^\d+$/.test(w));
  const named = words.filter((w) => !/^\d+$/.test(w));
  if (named.length === 1 && numbers.length === 2) {
    const month = monthsOf(locale && decimalMarkOf(locale) ? locale : 'en').get(named[0]!) ?? monthsOf('en').get(named[0]!);
    const year = numbers.find((n) => n.length === 4);
    const day = numbers.find((n) => n.length <= 2);
    if (month && year && day) return isoOf(Number(year), month, Number(day), raw, 'a month name');
  }
  return notDate;
}

// ---- the one entry point -----------------------------------------------------------------------

function describe(value: number): string {
  return String(value);
}

/**
 * What `text`, typed into `field` by a rep writing in `inputLocale` (their UI or browser locale:
 * 'en-US', 'de', 'zh-CN', 'ar-SA'), means. `label` is the field's label in the UI's language,
 * which error messages name. Blank text is `{ ok: true, value: '' }`: missing, not invalid.
 */
export function parseFieldInput(field: InputField, text: string, inputLocale: string | undefined, label?: string): FieldInputResult {
  const name = label?.trim() || field.name;
  const fail = (code: FieldInputCode, params: Record<string, string | number>, message: string): FieldInputResult => ({
    ok: false,
    error: { field: field.name, label: name, code, params: { ...params, field: name }, message: `${name}: ${message}` },
  });
  // NUL and other control characters have no place in a mail; tabs and newlines do.
  const input = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (input.trim() === '') return { ok: true, value: '', understood: '' };
  switch (field.type) {
    case 'number': {
      const percent = /^(.*?)\s*[%٪％]$/.exec(input.trim());
      const read = readNumber(percent ? percent[1]! : input, inputLocale);
      if (!read.ok) return fail(read.code, read.params, read.message);
      return { ok: true, value: read.value, understood: `${describe(read.value)}${percent ? ' (percent)' : ''}, reading ${read.how}` };
    }
    case 'money': {
      const split = splitCurrency(foldDigits(input), inputLocale, field.currency);
      if (split.ambiguous) return fail('ambiguous-currency', { text: input, symbol: split.ambiguous }, `"${input}": ${split.ambiguous} — write the currency code`);
      const currency = split.currency ?? field.currency;
      if (!currency) return fail('no-currency', { text: input }, `"${input}" has no currency; add a code such as USD`);
      if (!isCurrencyCode(currency)) return fail('unknown-currency', { text: input, currency }, `"${input}": ${currency} is not a currency code`);
      const read = readNumber(split.amount, inputLocale);
      if (!read.ok) return fail(read.code, read.params, read.message);
      if (read.value < 0) return fail('negative-money', { text: input }, `"${input}": an amount of money is not negative`);
      if (read.decimals > MONEY_DECIMALS_MAX) {
        return fail('too-many-decimals', { text: input, amount: read.value, max: MONEY_DECIMALS_MAX }, `"${input}" reads as ${read.value} (${read.how}), with more than ${MONEY_DECIMALS_MAX} decimals`);
      }
      return { ok: true, value: { amount: read.value, currency }, understood: `${read.value} ${currency}, reading ${read.how}` };
    }
    case 'date': {
      const read = readDate(input, inputLocale);
      if (!read.ok) return fail(read.code, read.params, read.message);
      return { ok: true, value: read.iso, understood: `${read.iso}, reading ${read.how}` };
    }
    case 'choice': {
      const options = field.options ?? [];
      const typed = input.trim();
      const match = options.find((o) => o === typed) ?? options.find((o) => o.toLowerCase() === typed.toLowerCase());
      if (!match) return fail('not-an-option', { text: typed, options: options.join(' | ') }, `"${typed}" is not one of ${options.join(' | ')}`);
      return { ok: true, value: match, understood: match };
    }
    case 'email': {
      const typed = input.trim();
      if (!/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]+$/u.test(typed)) return fail('not-an-email', { text: typed }, `"${typed}" is not an e-mail address`);
      return { ok: true, value: typed, understood: typed };
    }
    case 'url': {
      const typed = input.trim();
      const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(typed) ? typed : `https://${typed}`;
      if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(withScheme)) return fail('not-a-url', { text: typed }, `"${typed}" is not an http or https web address`);
      return { ok: true, value: withScheme, understood: withScheme };
    }
    case 'text':
    case 'textarea':
      return { ok: true, value: input.replace(/\r\n?/g, '\n').trim(), understood: input.trim() };
    default:
      return fail('unreadable', { type: field.type }, `a ${field.type} field is not typed as one text`);
  }
}

/** How a row of a line-items field is typed as one line of text (Gmail's card, the CLI). */
export const CELL_SEPARATOR = '|';

export interface RowsField {
  name: string;
  columns?: { name: string; type: InputFieldType; currency?: string | undefined }[] | undefined;
}

/**
 * Line items typed as text: one row per line, cells separated by "|", in the columns' order; each
 * cell read by `parseFieldInput`. `labels` name the field, its columns and a cell ("Items, row 2,
 * Unit price") in the UI's language.
 */
export function parseRowsInput(
  field: RowsField,
  text: string,
  inputLocale: string | undefined,
  labels: { field?: string; column?: (name: string) => string; cell?: (field: string, row: number, column: string) => string } = {},
): { ok: true; value: Record<string, unknown>[] } | { ok: false; errors: FieldInputError[] } {
  const columns = field.columns ?? [];
  const rows: Record<string, unknown>[] = [];
  const errors: FieldInputError[] = [];
  text
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .forEach((line, index) => {
      const cells = line.split(CELL_SEPARATOR).map((c) => c.trim());
      const row: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        const [name, columnName] = [labels.field ?? field.name, labels.column?.(column.name) ?? column.name];
        const label = labels.cell ? labels.cell(name, index + 1, columnName) : `${name}, row ${index + 1}, ${columnName}`;
        const read = parseFieldInput({ name: field.name, type: column.type, currency: column.currency }, cells[i] ?? '', inputLocale, label);
        if (read.ok) row[column.name] = read.value;
        else errors.push(read.error);
      });
      rows.push(row);
    });
  return errors.length ? { ok: false, errors } : { ok: true, value: rows };
}
