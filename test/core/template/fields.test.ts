import { describe, expect, it } from '@jest/globals';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { applyFieldDefaults, checkFieldValues, DateValue, MoneyValue, resolveDateDefault } from '../../../src/core/template/index.js';

const template: PackTemplate = {
  id: 't',
  kind: 'quote',
  title: 'T',
  fields: [
    { name: 'product', type: 'text' },
    { name: 'notes', type: 'textarea' },
    { name: 'qty', type: 'number' },
    { name: 'price', type: 'money', currency: 'USD' },
    { name: 'fee', type: 'money' },
    { name: 'due', type: 'date', default: '+30d' },
    { name: 'incoterm', type: 'choice', options: ['EXW', 'FOB', 'CIF'], default: 'FOB' },
    { name: 'buyer', type: 'email' },
    { name: 'site', type: 'url' },
    {
      name: 'lines',
      type: 'lines',
      columns: [
        { name: 'item', type: 'text', required: true },
        { name: 'qty', type: 'number' },
        { name: 'unitPrice', type: 'money', currency: 'EUR' },
        { name: 'ships', type: 'date' },
      ],
    },
  ],
  variants: { en: { subject: 's', body: 'b' } },
};

describe('checkFieldValues', () => {
  it('normalizes well-formed values to their types', () => {
    const { values, errors } = checkFieldValues(template, {
      product: '  LED panel  ',
      notes: 'line 1\r\nline 2',
      qty: '1200',
      price: 12.5,
      fee: { amount: '3', currency: 'eur' },
      due: '2025-04-14',
      incoterm: 'fob',
      buyer: 'ana@luz.example',
      site: 'www.luz.example',
      lines: [{ item: 'Panel', qty: 2, unitPrice: 7.85, ships: '2025-05-01' }, { item: '', qty: '' }],
      unknown: 'dropped',
    });
    expect(errors).toEqual([]);
    expect(values.product).toBe('LED panel');
    expect(values.notes).toBe('line 1\nline 2');
    expect(values.qty).toBe(1200);
    expect(values.price).toEqual(new MoneyValue(12.5, 'USD'));
    expect(values.fee).toEqual(new MoneyValue(3, 'EUR'));
    expect(values.due).toEqual(new DateValue('2025-04-14'));
    expect(values.incoterm).toBe('FOB');
    expect(values.site).toBe('https://www.luz.example');
    expect(values.lines).toEqual([{ item: 'Panel', qty: 2, unitPrice: new MoneyValue(7.85, 'EUR'), ships: new DateValue('2025-05-01') }]);
    expect(values).not.toHaveProperty('unknown');
  });

  it('leaves blank values out instead of passing empty text along', () => {
    const { values, errors } = checkFieldValues(template, { product: '   ', qty: null, lines: [] });
    expect(errors).toEqual([]);
    expect(values).not.toHaveProperty('product');
    expect(values).not.toHaveProperty('qty');
    expect(values.lines).toEqual([]);
  });

  it('names every ill-typed value', () => {
    const { errors } = checkFieldValues(template, {
      qty: 'twelve',
      price: -5,
      fee: 10,
      due: '14/04/2025',
      incoterm: 'FOR',
      buyer: 'ana@',
      site: 'javascript:alert(1)',
      lines: [{ qty: 'x' }, 'oops'],
    });
    const byField = (f: string) => errors.filter((e) => e.field === f).map((e) => e.message);
    expect(byField('qty')).toEqual(['must be a number; got "twelve"']);
    expect(byField('price')).toEqual(['must not be negative; got -5']);
    expect(byField('fee')[0]).toMatch(/has no currency/);
    expect(byField('due')).toEqual(['must be a date written YYYY-MM-DD; got "14/04/2025"']);
    expect(byField('incoterm')[0]).toBe('must be one of EXW | FOB | CIF; got "FOR" — did you mean "FOB"?');
    expect(byField('buyer')[0]).toMatch(/is not an email address/);
    expect(byField('site')[0]).toMatch(/must be an http or https web address/);
    expect(byField('lines')).toEqual(['row 1: item is required', 'row 1: qty must be a number; got "x"', expect.stringMatching(/^row 2: must be a row of item, qty, unitPrice, ships/)]);
  });

  it('rejects impossible calendar dates', () => {
    expect(checkFieldValues(template, { due: '2025-02-30' }).errors).toHaveLength(1);
    expect(checkFieldValues(template, { due: '2024-02-29' }).errors).toHaveLength(0);
  });
});

describe('field defaults', () => {
  it('counts relative dates from today in the rep’s time zone', () => {
    // 23:30 UTC on 31 Jan is already 1 Feb in Shanghai.
    const now = new Date('2025-01-31T23:30:00Z');
    expect(applyFieldDefaults(template, {}, { now, timeZone: 'UTC' }).due).toBe('2025-03-02');
    expect(applyFieldDefaults(template, {}, { now, timeZone: 'Asia/Shanghai' }).due).toBe('2025-03-03');
    expect(applyFieldDefaults(template, {}, { now }).incoterm).toBe('FOB');
    expect(applyFieldDefaults(template, { incoterm: 'CIF' }, { now }).incoterm).toBe('CIF');
  });

  it('understands days, weeks, months and fixed dates', () => {
    expect(resolveDateDefault('+30d', '2025-03-15')).toBe('2025-04-14');
    expect(resolveDateDefault('+2w', '2025-03-15')).toBe('2025-03-29');
    expect(resolveDateDefault('+1m', '2025-01-31')).toBe('2025-02-28');
    expect(resolveDateDefault('-7d', '2025-03-01')).toBe('2025-02-22');
    expect(resolveDateDefault('today', '2025-03-15')).toBe('2025-03-15');
    expect(resolveDateDefault('2026-01-01', '2025-03-15')).toBe('2026-01-01');
    expect(resolveDateDefault('next week', '2025-03-15')).toBeUndefined();
  });
});
