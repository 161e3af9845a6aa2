import { describe, expect, it } from '@jest/globals';
import { parseFieldInput, parseRowsInput, type InputField } from '../../../src/core/compose/index.js';

const money = (currency?: string): InputField => ({ name: 'price', type: 'money', ...(currency ? { currency } : {}) });
const number: InputField = { name: 'qty', type: 'number' };
const date: InputField = { name: 'validUntil', type: 'date' };

type Row = [InputField, string, string | undefined, unknown];

// Each expectation worked out by hand from the rules in src/core/compose/input.ts.
const accepted: Row[] = [
  // money, en
  [money('EUR'), '12,50 EUR', 'en-US', { amount: 12.5, currency: 'EUR' }], // "," then 2 digits: decimal, never 1250
  [money('USD'), '1,234.50', 'en-US', { amount: 1234.5, currency: 'USD' }],
  [money(), 'USD 1,234', 'en-US', { amount: 1234, currency: 'USD' }], // en: "," before 3 digits groups
  [money('USD'), '€12.50'.replace('€', 'US$'), 'en', { amount: 12.5, currency: 'USD' }],
  [money(), '€12.50', 'en-GB', { amount: 12.5, currency: 'EUR' }],
  [money('USD'), '1,234,567', 'en', { amount: 1234567, currency: 'USD' }],
  [money('USD'), '0.035', 'en', { amount: 0.035, currency: 'USD' }], // a unit price: "0" before the mark is never thousands
  // money, de / fr / es
  [money('EUR'), '1.234,50', 'de-DE', { amount: 1234.5, currency: 'EUR' }],
  [money('EUR'), '1.234', 'de', { amount: 1234, currency: 'EUR' }], // de: "." groups
  [money('EUR'), '1,234', 'de', { amount: 1.234, currency: 'EUR' }], // de: "," is the decimal mark
  [money('EUR'), '1 234,50 €', 'fr-FR', { amount: 1234.5, currency: 'EUR' }],
  [money('EUR'), '1\u202f234,50', 'fr', { amount: 1234.5, currency: 'EUR' }], // narrow no-break space, as fr formats it
  [money(), '12,50 EUR', 'es-ES', { amount: 12.5, currency: 'EUR' }],
  [money('USD'), '12,50 EUR', 'de', { amount: 12.5, currency: 'EUR' }], // a typed currency overrides the field's default
  [money('EUR'), '1.234.567,89', 'es', { amount: 1234567.89, currency: 'EUR' }],
  // money, zh / ar
  [money(), '12.50 美元', 'zh-CN', { amount: 12.5, currency: 'USD' }],
  [money(), '¥1,200', 'zh-CN', { amount: 1200, currency: 'CNY' }],
  [money(), '1200元', 'zh', { amount: 1200, currency: 'CNY' }],
  [money('SAR'), '١٬٢٣٤٫٥٠', 'ar-SA', { amount: 1234.5, currency: 'SAR' }], // Arabic-Indic digits and marks
  [money(), '١٢٫٥ ر.س', 'ar', { amount: 12.5, currency: 'SAR' }],
  [money('USD'), '1,234.50', 'ar-SA', { amount: 1234.5, currency: 'USD' }],
  // numbers and percentages
  [number, '1,234', 'en', 1234],
  [number, '1,234', 'fr', 1.234],
  [number, '-3,5', 'de', -3.5],
  [number, '12,5 %', 'de', 12.5],
  [number, '٣٠٠', 'ar', 300],
  [number, '１２０', 'zh-CN', 120], // full-width digits from a Chinese IME
  // dates
  [date, '2026-12-03', undefined, '2026-12-03'],
  [date, '2026年12月3日', 'zh-CN', '2026-12-03'],
  [date, '03.12.2026', 'de', '2026-12-03'],
  [date, '12/3/2026', 'en-US', '2026-12-03'],
  [date, '3/12/2026', 'en-GB', '2026-12-03'],
  [date, '3/12/2026', 'es', '2026-12-03'],
  [date, '25/12/2026', 'en-US', '2026-12-25'], // 25 cannot be a month
  [date, '3 décembre 2026', 'fr', '2026-12-03'],
  [date, '3 de diciembre de 2026', 'es', '2026-12-03'],
  [date, 'December 3, 2026', 'de', '2026-12-03'], // English month names are read everywhere
  [date, '٠٣/١٢/٢٠٢٦', 'ar', '2026-12-03'],
  // others
  [{ name: 'incoterm', type: 'choice', options: ['FOB', 'CIF'] }, 'fob', 'en', 'FOB'],
  [{ name: 'site', type: 'url' }, 'example.com/catalogue', 'en', 'https://example.com/catalogue'],
];

const refused: [InputField, string, string | undefined, string, RegExp][] = [
  [money('EUR'), '1.234', undefined, 'ambiguous-number', /could be 1\.234 or 1234/],
  [number, '1,234', undefined, 'ambiguous-number', /could be 1\.234 or 1234/],
  [money('EUR'), '12 EUR 5', 'en', 'not-a-number', /not a number/],
  [money(), '12.50', 'en', 'no-currency', /no currency/],
  [money(), '¥1200', 'en', 'ambiguous-currency', /CNY or JPY/],
  [money(), '12 XYZ', 'en', 'unknown-currency', /XYZ is not a currency code/],
  [money('USD'), '-5', 'en', 'negative-money', /not negative/],
  [money('USD'), '1.23456', 'en', 'too-many-decimals', /1\.23456/],
  [money('USD'), '1,23,456', 'en', 'bad-grouping', /groups are three digits/],
  [number, '1 23', 'fr', 'bad-grouping', /threes/],
  [number, 'twelve', 'en', 'not-a-number', /not a number/],
  [date, '03/04/2026', undefined, 'ambiguous-date', /2026-04-03 or 2026-03-04/],
  [date, '2026-02-30', 'en', 'impossible-date', /does not exist/],
  [date, '31.02.2026', 'de', 'impossible-date', /day 31 of month 2/],
  [date, 'next Tuesday', 'en', 'not-a-date', /YYYY-MM-DD/],
  [{ name: 'incoterm', type: 'choice', options: ['FOB', 'CIF'] }, 'EXW', 'en', 'not-an-option', /FOB \| CIF/],
  [{ name: 'site', type: 'url' }, 'javascript:alert(1)', 'en', 'not-a-url', /not an http/],
];

describe('parseFieldInput', () => {
  it.each(accepted)('%o reads %p (%p) as %p', (field, text, locale, value) => {
    const result = parseFieldInput(field, text, locale);
    expect(result).toMatchObject({ ok: true, value });
  });

  it.each(refused)('%o refuses %p (%p): %s', (field, text, locale, code, message) => {
    const result = parseFieldInput(field, text, locale, 'Unit price');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.field).toBe(field.name);
    // The message names the field by the label the caller gave (the UI's language).
    expect(result.error.message.startsWith('Unit price: ')).toBe(true);
    expect(result.error.message).toMatch(message);
  });

  it('has at least 30 rows across en, de, fr, es, zh and ar', () => {
    expect(accepted.length + refused.length).toBeGreaterThanOrEqual(30);
    const languages = new Set([...accepted, ...refused].map((r) => (r[2] ?? '').split('-')[0]));
    for (const l of ['en', 'de', 'fr', 'es', 'zh', 'ar']) expect(languages).toContain(l);
  });

  it('says what it understood', () => {
    expect(parseFieldInput(money('EUR'), '1,234', 'de')).toMatchObject({ ok: true, understood: '1.234 EUR, reading "," as the decimal mark (de)' });
    expect(parseFieldInput(money('USD'), '1,234', 'en-US')).toMatchObject({ ok: true, understood: '1234 USD, reading "," grouping thousands (en-US)' });
  });

  it('blank is missing, not invalid; NUL bytes are dropped', () => {
    expect(parseFieldInput(money('EUR'), '  ', 'en')).toEqual({ ok: true, value: '', understood: '' });
    expect(parseFieldInput({ name: 'note', type: 'text' }, 'a\u0000b ', 'en')).toMatchObject({ ok: true, value: 'ab' });
  });
});

describe('parseRowsInput', () => {
  const items = { name: 'items', columns: [{ name: 'product', type: 'text' as const }, { name: 'qty', type: 'number' as const }, { name: 'price', type: 'money' as const, currency: 'EUR' }] };
  it('reads one row per line, cells by "|", each as parseFieldInput does', () => {
    expect(parseRowsInput(items, 'Valve | 1.000 | 12,50\nPump|2|1.234,50 EUR', 'de')).toEqual({
      ok: true,
      value: [{ product: 'Valve', qty: 1000, price: { amount: 12.5, currency: 'EUR' } }, { product: 'Pump', qty: 2, price: { amount: 1234.5, currency: 'EUR' } }],
    });
  });
  it('names the row and column of a refused cell', () => {
    const result = parseRowsInput(items, 'Valve | 2 | 1,234', undefined, { field: 'Items', column: (c) => c.toUpperCase() });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message)).toEqual(['Items, row 1, PRICE: "1,234" could be 1.234 or 1234; set the input language, or write it so it can be read one way only (e.g. "1234.00")']);
  });
});
