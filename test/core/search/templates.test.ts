import { describe, expect, it, jest } from '@jest/globals';
import MiniSearch from 'minisearch';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { TemplateSearch, tokenize, visibleText, type SearchEntry } from '../../../src/core/search/templates.js';

const t = (id: string, kind: PackTemplate['kind'], title: PackTemplate['title'], variants: PackTemplate['variants'], tags: string[] = []): PackTemplate => ({ id, kind, title, variants, tags });

const entries: SearchEntry[] = [
  t('quote', 'quote', { en: 'Quotation', es: 'Cotización', zh: '报价单' }, {
    en: { subject: 'Quotation: {{ product }}', body: '<p>Please find our best price, FOB Ningbo.</p>' },
    zh: { subject: '报价：{{ product }}', body: '<p>请查收我们的最优报价。</p>' },
  }, ['pricing']),
  t('sample', 'sample', { en: 'Sample dispatch notice', es: 'Aviso de envío de muestras' }, {
    en: { subject: 'Your samples are on the way', body: '<p>Courier {{ courier }}, tracking {{ tracking }}.</p>' },
  }),
  t('follow-up', 'follow-up', { en: 'Follow-up after no reply', ar: 'متابعة' }, {
    en: { subject: 'Following up on our offer', body: '<p>We have not heard from you.</p>' },
    ar: { subject: 'متابعة عرضنا', body: '<p>لم نتلق ردكم بعد.</p>' },
  }),
  t('payment', 'payment', 'Payment reminder', { en: { subject: 'Payment due', body: '<p>The balance is due before shipment.</p>' } }, ['finance']),
].map((template) => ({ key: `acme/${template.id}`, pack: 'acme', template }));

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('template search', () => {
  const search = new TemplateSearch(entries);

  it('finds by title in any language, by tag, kind, subject and body text', () => {
    expect(ids(search.search('quotation'))[0]).toBe('quote');
    expect(ids(search.search('cotización'))[0]).toBe('quote');
    expect(ids(search.search('finance'))).toEqual(['payment']);
    expect(ids(search.search('courier'))).toEqual(['sample']);
    expect(ids(search.search('متابعة'))).toEqual(['follow-up']);
  });

  it('finds Chinese text without spaces by its characters and pairs', () => {
    expect(tokenize('报价单')).toEqual(['报', '报价', '价', '价单', '单']);
    expect(ids(search.search('报价'))).toEqual(['quote']);
  });

  it('matches as you type and forgives typos', () => {
    expect(ids(search.search('quot'))[0]).toBe('quote');
    expect(ids(search.search('samlpe'))).toEqual(['sample']);
    expect(ids(search.search('paymnet reminder'))).toEqual(['payment']);
  });

  it('never matches Liquid markup or HTML tags, only visible text', () => {
    expect(visibleText('<p class="x">Hi {{ contact.firstName }}</p>{% if a %}yes{% endif %}')).toBe('Hi yes');
    expect(search.search('tracking')).toHaveLength(1);
    expect(search.search('class')).toEqual([]);
  });

  it('filters by kind, and lists everything of a kind when the query is empty', () => {
    expect(ids(search.search('', { kind: 'sample' }))).toEqual(['sample']);
    expect(search.search('')).toHaveLength(4);
    expect(search.search('quotation', { kind: 'payment' })).toEqual([]);
  });

  it("ranks the rep's most used templates first among equal matches", () => {
    const plain = new TemplateSearch(entries);
    const used = new TemplateSearch(entries, new Map([['acme/follow-up', 30]]));
    // "our" appears in the quote and the follow-up; the rep's habit decides.
    const order = (s: TemplateSearch) => ids(s.search('our'));
    expect(order(plain)).toEqual(expect.arrayContaining(['quote', 'follow-up']));
    expect(order(used)[0]).toBe('follow-up');
    expect(ids(used.search(''))[0]).toBe('follow-up');
  });

  it('lists without building the index (built by the first typed query, or warm), in pack order after use', () => {
    const used = new TemplateSearch(entries, new Map([['acme/payment', 3]]));
    const build = jest.spyOn(MiniSearch.prototype, 'addAll');
    try {
      expect(ids(used.search(''))).toEqual(['payment', 'quote', 'sample', 'follow-up']);
      expect(ids(used.search('', { kind: 'quote', limit: 1 }))).toEqual(['quote']);
      expect(build).not.toHaveBeenCalled();
      used.warm();
      expect(build).toHaveBeenCalledTimes(1);
      expect(ids(used.search('quotation'))[0]).toBe('quote');
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });
});
