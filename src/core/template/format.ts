import { moneyFormatter } from './money-format.js';
import { isIsoDate } from './values.js';

/**
 * Locale formatting for the `money` and `date` filters. Everything goes through Intl, which the
 * browser and Node both have, so the same template prints the same text in the task pane and on
 * the server. The locale is the variant's language: the reader's, not the rep's.
 */

const moneyFormats = new Map<string, (amount: number) => string>();

/** 1234.5, 'USD', 'de' → "1.234,50 $" (Intl's text; written by money-format.ts from the locale's pattern). */
let last: { locale: string; currency: string; format: (amount: number) => string } | undefined;

export function formatMoney(amount: number, currency: string, locale: string): string {
  // A render prints many amounts in one locale and currency: keep the last formatter at hand.
  if (last && last.locale === locale && last.currency === currency) return last.format(amount);
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = moneyFormatter(locale, currency);
    moneyFormats.set(key, format);
  }
  last = { locale, currency, format };
  return format(amount);
}

// Building an Intl formatter costs far more than using one; a quotation prints dozens.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, style: DateStyle, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${style}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

export const DATE_STYLES = ['short', 'medium', 'long', 'full'] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

export function isDateStyle(value: unknown): value is DateStyle {
  return typeof value === 'string' && (DATE_STYLES as readonly string[]).includes(value);
}

/**
 * A date in the reader's words: '2025-03-15', 'es' → "15 de marzo de 2025". A calendar date
 * ('YYYY-MM-DD') is a day, not an instant, so it is printed as that day wherever anyone is;
 * timestamps are printed as the day they are in `timeZone`.
 */
export function formatDate(value: string | number | Date, locale: string, style: DateStyle = 'long', timeZone = 'UTC'): string | undefined {
  let instant: Date;
  let zone = timeZone;
  if (typeof value === 'string' && isIsoDate(value.trim())) {
    const [y, m, d] = value.trim().split('-').map(Number) as [number, number, number];
    instant = new Date(Date.UTC(y, m - 1, d));
    zone = 'UTC';
  } else {
    instant = value instanceof Date ? value : new Date(value);
  }
  if (Number.isNaN(instant.getTime())) return undefined;
  return dateFormat(locale, style, zone).format(instant);
}
