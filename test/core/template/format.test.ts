import { describe, expect, it } from '@jest/globals';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { isoDateIn } from '../../../src/core/template/values.js';
import { describeIncoterm, formatDate, formatMoney, INCOTERMS_2020, renderTemplate, type RenderResult } from '../../../src/core/template/index.js';

// Pinned to what Intl gives on Node 20 (ICU 78): grouping, symbol placement and spacing differ by
// language, and several use a no-break space (\u00a0) or a right-to-left mark (\u200f).
const NBSP = '\u00a0';
const RLM = '\u200f';

describe('money in the reader’s locale', () => {
  it.each([
    ['en', 'USD', '$1,234.50'],
    ['de', 'USD', `1.234,50${NBSP}$`],
    ['de', 'EUR', `1.234,50${NBSP}€`],
    ['es', 'USD', `1234,50${NBSP}US$`],
    ['es', 'EUR', `1234,50${NBSP}€`],
    ['ar', 'USD', `${RLM}1,234.50${NBSP}US$`],
    ['zh', 'USD', 'US$1,234.50'],
    ['zh', 'CNY', '¥1,234.50'],
    ['fr', 'EUR', `1${'\u202f'}234,50${NBSP}€`],
    ['pt-BR', 'USD', `US$${NBSP}1.234,50`],
  ])('%s %s', (locale, currency, expected) => {
    expect(formatMoney(1234.5, currency, locale)).toBe(expected);
  });

  it('uses the currency’s own decimals (no cents in yen)', () => {
    expect(formatMoney(1234.5, 'JPY', 'en')).toBe('¥1,235');
  });

  it('groups five-digit amounts in Spanish (four-digit ones are not)', () => {
    expect(formatMoney(12450, 'USD', 'es')).toBe(`12.450,00${NBSP}US$`);
  });
});

describe('dates in the reader’s locale', () => {
  it.each([
    ['en', 'March 15, 2025'],
    ['de', '15. März 2025'],
    ['es', '15 de marzo de 2025'],
    ['ar', '15 مارس 2025'],
    ['zh', '2025年3月15日'],
  ])('%s', (locale, expected) => {
    expect(formatDate('2025-03-15', locale)).toBe(expected);
  });

  it('keeps a calendar date on its day in any time zone', () => {
    expect(formatDate('2025-03-15', 'en', 'long', 'Pacific/Honolulu')).toBe('March 15, 2025');
    expect(formatDate('2025-03-15', 'en', 'long', 'Pacific/Kiritimati')).toBe('March 15, 2025');
  });

  it('shows a timestamp as the day it is in the given zone', () => {
    expect(formatDate('2025-03-15T20:00:00Z', 'en', 'long', 'Asia/Shanghai')).toBe('March 16, 2025');
    expect(formatDate('not a date', 'en')).toBeUndefined();
  });
});

describe('filters in templates', () => {
  const t: PackTemplate = {
    id: 'f',
    kind: 'quote',
    title: 'F',
    fields: [
      { name: 'price', type: 'money', currency: 'USD' },
      { name: 'count', type: 'number' },
      { name: 'due', type: 'date' },
      { name: 'incoterm', type: 'text' },
    ],
    variants: {
      en: {
        subject: 'Offer valid until {{ due }}',
        body: "{{ price }}|{{ price | money }}|{{ price | money: 'EUR' }}|{{ count | money: 'USD' }}|{{ due }}|{{ due | date }}|{{ due | date: 'short' }}|{{ due | date: '%Y-%m-%d' }}|{{ due | date: '%d %B %Y' }}|{{ incoterm | incoterm }}|{{ today | date: '%Y-%m-%d' }}|{{ price.amount }} {{ price.currency }}",
      },
    },
  };
  for (const lang of ['de', 'es', 'ar', 'zh']) t.variants[lang] = t.variants.en!;
  const render = (lang: string, fields: Record<string, unknown> = {}): RenderResult =>
    renderTemplate(t, lang, { fields: { price: 1234.5, count: 3, due: '2025-04-14', incoterm: 'FOB', ...fields } }, { now: new Date('2025-03-15T23:30:00Z'), timeZone: 'Asia/Shanghai' });
  const parts = (r: RenderResult) => {
    if (!r.ok) throw new Error(JSON.stringify(r.missing));
    return r.html.split('|');
  };

  it('formats in English', () => {
    expect(parts(render('en'))).toEqual([
      '$1,234.50',
      '$1,234.50',
      '€1,234.50',
      '$3.00',
      'April 14, 2025',
      'April 14, 2025',
      '4/14/25',
      '2025-04-14',
      '14 April 2025',
      'Free On Board',
      // 23:30 UTC is already the 16th in Shanghai, the rep's zone.
      '2025-03-16',
      '1234.5 USD',
    ]);
  });

  it('formats in German, with month names in German for strftime too', () => {
    const p = parts(render('de'));
    expect(p.slice(0, 3)).toEqual([`1.234,50${NBSP}$`, `1.234,50${NBSP}$`, `1.234,50${NBSP}€`]);
    expect(p[4]).toBe('14. April 2025');
    expect(p[8]).toBe('14 April 2025');
    expect(p[9]).toBe('Frei an Bord'); // the ICC's German name
  });

  it('formats in Spanish', () => {
    const p = parts(render('es'));
    expect(p[0]).toBe(`1234,50${NBSP}US$`);
    expect(p[4]).toBe('14 de abril de 2025');
    expect(p[8]).toBe('14 abril 2025');
    expect(p[9]).toBe('Franco a bordo');
  });

  it('formats in Arabic', () => {
    const p = parts(render('ar'));
    expect(p[0]).toBe(`${RLM}1,234.50${NBSP}US$`);
    expect(p[4]).toBe('14 أبريل 2025');
    expect(p[9]).toBe('التسليم على ظهر السفينة');
  });

  it('formats in Chinese', () => {
    const p = parts(render('zh'));
    expect(p[0]).toBe('US$1,234.50');
    expect(p[4]).toBe('2025年4月14日');
    expect(p[9]).toBe('船上交货');
  });

  it('takes a currency given with the amount', () => {
    expect(parts(render('en', { price: { amount: 99, currency: 'GBP' } }))[0]).toBe('£99.00');
  });

  it('formats the date in the subject as plain text', () => {
    const r = render('es');
    expect(r.ok && r.subject).toBe('Offer valid until 14 de abril de 2025');
  });
});

describe('Incoterms 2020', () => {
  it('has the eleven rules', () => {
    expect(INCOTERMS_2020).toHaveLength(11);
  });

  it.each([
    ['FOB', 'en', 'Free On Board'],
    ['FOB', 'es', 'Franco a bordo'],
    ['FOB', 'zh', '船上交货'],
    ['FOB', 'ar', 'التسليم على ظهر السفينة'],
    ['CIF', 'en', 'Cost, Insurance and Freight'],
    ['EXW', 'es-MX', 'En fábrica'],
    ['DDP', 'zh', '完税后交货'],
    ['DAP', 'ja', 'Delivered at Place'],
    ['fob Ningbo', 'en', 'Free On Board Ningbo'],
    ['XYZ', 'en', 'XYZ'],
    ['FOBS', 'en', 'FOBS'],
  ])('%s in %s', (code, lang, expected) => {
    expect(describeIncoterm(code, lang)).toBe(expected);
  });
});

describe('isoDateIn keeps its last answer only where it holds', () => {
  it('answers per time zone within one minute, and across midnight', () => {
    const before = new Date('2026-03-15T15:59:30Z'); // 23:59:30 in Shanghai
    expect(isoDateIn(before, 'Asia/Shanghai')).toBe('2026-03-15');
    expect(isoDateIn(before, 'UTC')).toBe('2026-03-15');
    expect(isoDateIn(new Date('2026-03-15T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-16');
    expect(isoDateIn(new Date('2026-03-15T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-03-15');
    expect(isoDateIn(new Date('2026-03-15T16:00:00Z'), 'America/New_York')).toBe('2026-03-15');
  });
  it('does not keep it before 1980, when some zones began their day mid-minute (Monrovia, -0:44:30)', () => {
    // Monrovia's day began at 00:44:30 UTC then: two instants of one minute, two days.
    expect(isoDateIn(new Date('1970-01-01T00:44:20Z'), 'Africa/Monrovia')).toBe('1969-12-31');
    expect(isoDateIn(new Date('1970-01-01T00:44:40Z'), 'Africa/Monrovia')).toBe('1970-01-01');
  });
});
