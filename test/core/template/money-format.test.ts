import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DOCUMENT_LANGUAGES } from '../../../src/core/documents/labels.js';
import { formatMoney } from '../../../src/core/template/format.js';
import { hasOwnLayout, moneyFormatter } from '../../../src/core/template/money-format.js';
import { COUNTRY_LANGUAGES } from '../../../src/core/template/variant.js';

/**
 * money-format.ts writes amounts from a locale's pattern instead of asking Intl each time; it must
 * write exactly what Intl writes. Every language the product renders in (a variant's language,
 * the main language of every country it knows, the documents' languages, and region tags that
 * change separators, grouping or digits) × every currency Intl knows.
 */

const LOCALES = [
  ...new Set([
    ...Object.values(COUNTRY_LANGUAGES),
    ...DOCUMENT_LANGUAGES,
    // Regions and scripts that write numbers differently from their language's default.
    'en-IN', 'en-US', 'en-GB', 'en-ZA', 'en-CH', 'hi', 'hi-IN', 'bn-IN', 'ur', 'mr', 'ne', 'my', 'ps', 'ckb',
    'ar-EG', 'ar-SA', 'ar-AE', 'ar-MA', 'ar-DZ', 'ar-TN', 'fa-IR', 'he-IL',
    'zh-CN', 'zh-Hant', 'zh-TW', 'zh-HK', 'zh-SG',
    'de-CH', 'de-AT', 'fr-CH', 'fr-CA', 'it-CH', 'pt-BR', 'pt-PT', 'es-MX', 'es-ES', 'es-AR', 'es-419', 'sr-Latn',
  ]),
];
const CURRENCIES = Intl.supportedValuesOf('currency');

/** Amounts where a hand-written formatter goes wrong: signs, zero, rounding edges (x.xx5, x.xx49), grouping edges, large and tiny. */
const EDGES = [
  0, -0, 1, -1, 0.1, 0.01, 0.001, 0.005, 0.0049, -0.005, -0.0001, 1e-7, -1e-7, 0.125, 0.375, 1.005, 1.015, 2.675, 10.235, 99.995, 999.995, -999.995, 9.5, 10.5, -2.5, 999, 1000,
  1001, 9999, 10000, 12345, 99999.999, 100000, 1234567.891, -1234567.891, 12345678.9, 123456789.125, 2 ** 31, 2 ** 53 - 1, -(2 ** 53), 1e14, 999999999999999.9, 1e15, 1e16, 1e21, -1e21,
  Number.MAX_SAFE_INTEGER / 100, Number.MIN_VALUE, Number.MAX_VALUE, NaN, Infinity, -Infinity,
];

const amount = fc.oneof(
  fc.double({ noNaN: true, min: -1e16, max: 1e16 }),
  fc.integer({ min: -1e12, max: 1e12 }).map((cents) => cents / 100),
  // x.xx5 and x.xxx5: halfway in the decimal text, which is what Intl rounds from.
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => (n * 10 + 5) / 1000),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => (n * 10 + 5) / 10000),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 7),
  fc.constantFrom(...EDGES),
);

const intls = new Map<string, Intl.NumberFormat>();
function intlFor(locale: string, currency: string): Intl.NumberFormat {
  let intl = intls.get(`${locale}|${currency}`);
  if (!intl) intls.set(`${locale}|${currency}`, (intl = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return intl;
}

describe('money written from the locale’s pattern', () => {
  it('writes every edge amount as Intl does, in every locale × currency', () => {
    let differences = 0;
    const firstDifferences: string[] = [];
    for (const locale of LOCALES) {
      for (const currency of CURRENCIES) {
        const format = moneyFormatter(locale, currency);
        const intl = intlFor(locale, currency);
        for (const x of EDGES) {
          if (format(x) === intl.format(x)) continue;
          differences++;
          if (firstDifferences.length < 10) firstDifferences.push(`${locale} ${currency} ${x}: ${format(x)} ≠ ${intl.format(x)}`);
        }
      }
    }
    expect(firstDifferences).toEqual([]);
    expect(differences).toBe(0);
  });

  it('writes random amounts as Intl does, in random locales and currencies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), fc.constantFrom(...CURRENCIES), amount, (locale, currency, x) => {
        expect(formatMoney(x, currency, locale)).toBe(intlFor(locale, currency).format(x));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes the product’s own languages itself, not through Intl (the point of it)', () => {
    // Latin digits with 3-digit groups, Indian 3-then-2 groups, Arabic-Indic and Persian digits,
    // Spanish and Polish minimum grouping, a currency after the number, zero- and three-decimal currencies.
    for (const [locale, currency] of [
      ['en', 'USD'], ['en-IN', 'INR'], ['ar-EG', 'EGP'], ['ar', 'SAR'], ['fa', 'IRR'], ['bn', 'BDT'], ['es', 'EUR'], ['pl', 'PLN'],
      ['de-CH', 'CHF'], ['zh', 'CNY'], ['ja', 'JPY'], ['ar', 'KWD'], ['fr', 'XOF'],
    ] as const) {
      expect([locale, currency, hasOwnLayout(locale, currency)]).toEqual([locale, currency, true]);
    }
  });

  it('gives the worked examples (by hand, from CLDR’s patterns)', () => {
    const NBSP = '\u00a0';
    expect(formatMoney(-1234.5, 'USD', 'en')).toBe('-$1,234.50');
    expect(formatMoney(2.675, 'USD', 'en')).toBe('$2.68'); // 2.675 is 2.67499… in binary; Intl rounds the decimal text
    expect(formatMoney(-0.001, 'USD', 'en')).toBe('-$0.00');
    expect(formatMoney(123456789.5, 'INR', 'en-IN')).toBe('₹12,34,56,789.50');
    expect(formatMoney(1234.5, 'EUR', 'es')).toBe(`1234,50${NBSP}€`);
    expect(formatMoney(12345.5, 'EUR', 'es')).toBe(`12.345,50${NBSP}€`);
    expect(formatMoney(1234.5, 'JPY', 'en')).toBe('¥1,235');
    expect(formatMoney(1234.5, 'EGP', 'ar-EG')).toBe('\u200f١٬٢٣٤٫٥٠\u00a0ج.م.\u200f');
  });

  it('throws as Intl does for a currency code it refuses', () => {
    expect(() => moneyFormatter('en', 'US')).toThrow(RangeError);
    expect(() => formatMoney(1, 'DOLLARS', 'en')).toThrow(RangeError);
  });
});
