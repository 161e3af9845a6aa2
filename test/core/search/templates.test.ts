import { describe, expect, it, jest } from '@jest/globals';
import MiniSearch from 'minisearch';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { TemplateSearch, templateIndex, tokenize, visibleText, type SearchEntry } from '../../../src/core/search/templates.js';
import { corpus, QUERIES } from '../../../bench/sections/search.js';

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

  describe("ranks exactly as MiniSearch's own search (which scores and sorts every match)", () => {
    /** MiniSearch's `search` over the same index: every match scored, filtered and sorted, then the first `limit`. */
    const reference = (index: MiniSearch, uses: Map<string, number>, query: string, options: { kind?: string; limit: number }) =>
      index
        .search(query, {
          boostDocument: (key) => 1 + Math.log10(1 + (uses.get(String(key)) ?? 0)),
          ...(options.kind ? { filter: (r) => String(r.id).startsWith('pack/') && kinds.get(String(r.id)) === options.kind } : {}),
        })
        .slice(0, options.limit)
        .map((r) => ({ key: String(r.id), score: r.score }));
    const kinds = new Map<string, string>();
    const typedLetterByLetter = [...QUERIES, 'contaner frieght', 'warrnaty', 'quotation quotation', 'sample 12', '报价单', 'قة', 'invoice 4242'].flatMap((q) => [...q].map((_, i) => q.slice(0, i + 1)));

    it('every keystroke of the bench queries and some typos over 5,000 templates, plain and with use counts and a kind', () => {
      const entries = corpus(5000);
      for (const e of entries) kinds.set(e.key, e.template.kind);
      const index = templateIndex(entries);
      // Round numbers of uses on every 7th template, so boosts break some ties and leave others.
      const uses = new Map(entries.filter((_, i) => i % 7 === 0).map((e, i) => [e.key, i % 5] as const));
      for (const [counts, kind] of [[new Map<string, number>(), undefined], [uses, 'quote']] as const) {
        const search = new TemplateSearch(entries, counts);
        let compared = 0;
        for (const typed of typedLetterByLetter) {
          const ours = search.search(typed, { limit: 20, ...(kind ? { kind } : {}) }).map((h) => ({ key: h.key, score: h.score }));
          expect({ typed, hits: ours }).toEqual({ typed, hits: reference(index, counts, typed, { limit: 20, ...(kind ? { kind } : {}) }) });
          compared += ours.length;
        }
        expect(compared).toBeGreaterThan(1000); // the queries do match: the comparison is not of empty lists
      }
    });

    it('long prefixes and a two-word query over 50,000 templates return the same top 20', () => {
      const entries = corpus(50000);
      for (const e of entries) kinds.set(e.key, e.template.kind);
      const index = templateIndex(entries);
      const search = new TemplateSearch(entries);
      for (const typed of ['quotatio', 'container fre', 'de', 'paymnet']) {
        const ours = search.search(typed, { limit: 20 }).map((h) => ({ key: h.key, score: h.score }));
        expect(ours).toHaveLength(20);
        expect({ typed, hits: ours }).toEqual({ typed, hits: reference(index, new Map(), typed, { limit: 20 }) });
      }
    });
  });
});

