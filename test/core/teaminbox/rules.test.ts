import { describe, expect, it } from '@jest/globals';
import { companyInitial, containsWord, foldText, isoWeek, regionOf, REGION_CODES, REGION_NAMES, REGIONS, pickFromPool, routeInquiry, type Inquiry, type RoutingRule } from '../../../src/core/teaminbox/index.js';
import { parsePackSource } from '../../../src/core/pack/source.js';

const RULES: RoutingRule[] = [
  { name: 'quotes', when: { words: ['quote', 'quotation', 'price list', '报价', '询价', 'cotización', 'precio', 'عرض سعر', 'تسعير'] }, tag: ['high-intent'] },
  { name: 'gulf', when: { countries: ['SA', 'AE', 'QA'] }, assign: { to: 'linda@acme.example' }, notify: ['manager'] },
  { name: 'latam', when: { languages: ['es', 'pt'] }, assign: { regions: { MX: 'carlos@acme.example', BR: 'ana@acme.example' } } },
  { name: 'drawings', when: { attachments: true, knownCustomer: false }, tag: ['drawing'] },
  { name: 'sales only', inbox: 'sales@acme.example', assign: { group: 'sales', by: 'least-open' } },
  { name: 'everyone else', assign: { by: 'round-robin' } },
];

const inquiry = (over: Partial<Inquiry>): Inquiry => ({ inbox: 'info@acme.example', subject: '', body: '', senderCountry: null, language: null, knownCustomer: false, attachments: 0, ownerId: null, ...over });

describe('routing rules, evaluated', () => {
  it.each<[string, Partial<Inquiry>, { assign: unknown; tags: string[]; notify?: string[] }]>([
    ['English quote from Germany', { subject: 'Request for Quotation: pumps', senderCountry: 'DE', language: 'en' }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: ['high-intent'] }],
    ['"quotes" inside another word is no keyword', { subject: 'Unquoted remark', body: 'misquoted' }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: [] }],
    ['Chinese: substring, no word boundaries', { subject: '关于水泵的询价', body: '请报价给我们', senderCountry: 'CN', language: 'zh' }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: ['high-intent'] }],
    ['Spanish, accents folded, Mexico → Carlos by the region table', { body: 'Necesitamos una COTIZACION urgente', senderCountry: 'MX', language: 'es' }, { assign: { kind: 'rep', email: 'carlos@acme.example', rule: 'latam' }, tags: ['high-intent'] }],
    ['Spanish from Chile: not in the region table, falls through', { body: 'precio por favor', senderCountry: 'CL', language: 'es' }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: ['high-intent'] }],
    ['Arabic with vowel marks, Saudi Arabia → Linda, manager told', { body: 'نرجو إرسال عَرْض سعر للمضخات', senderCountry: 'SA', language: 'ar' }, { assign: { kind: 'rep', email: 'linda@acme.example', rule: 'gulf' }, tags: ['high-intent'], notify: ['manager'] }],
    ['an owned buyer goes to the owner whatever the rules say', { body: 'quote please', senderCountry: 'SA', ownerId: 'user-omar' }, { assign: { kind: 'owner', userId: 'user-omar' }, tags: ['high-intent'], notify: ['manager'] }],
    ['attachment from an unknown sender is tagged', { attachments: 2 }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: ['drawing'] }],
    ['attachment from a known customer is not', { attachments: 2, knownCustomer: true }, { assign: { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }, tags: [] }],
    ['a rule for sales@ only applies there', { inbox: 'SALES@acme.example' }, { assign: { kind: 'pool', group: 'sales', by: 'least-open', rule: 'sales only' }, tags: [] }],
  ])('%s', (_, over, expected) => {
    const d = routeInquiry(RULES, inquiry(over));
    expect({ assign: d.assign, tags: d.tags, notify: d.notify }).toEqual({ notify: [], ...expected });
  });

  it('matches whole words in Latin and Arabic scripts, substrings in CJK', () => {
    expect(containsWord('send a price list today', 'Price List')).toBe(true);
    expect(containsWord('pricelist', 'price list')).toBe(false);
    expect(containsWord('الاسعار', 'سعر')).toBe(false);
    expect(containsWord('见附件报价单', '报价')).toBe(true);
    expect(containsWord(foldText('ＱＵＯＴＥ'), 'quote')).toBe(true);
    expect(containsWord(foldText('Send a Price List'), 'price list')).toBe(true);
  });

  it('round robin hands consecutive turns to each candidate in order; least open picks the lightest', () => {
    const reps = ['a', 'b', 'c'];
    expect([0, 1, 2, 3, 4].map((turn) => pickFromPool(reps, 'round-robin', { turn }))).toEqual(['a', 'b', 'c', 'a', 'b']);
    expect(pickFromPool(reps, 'least-open', { turn: 0, openCounts: new Map([['a', 4], ['b', 1], ['c', 1]]) })).toBe('b');
    expect(pickFromPool([], 'round-robin', { turn: 3 })).toBeNull();
  });
});

describe('routing rules in a pack', () => {
  it('are validated with the pack, errors at line:column', () => {
    const source = `pack: routing
title: Routing
groups: ["*"]
defaultLanguage: en
routing:
  rules:
    - name: gulf
      when: {countries: [SA, XX]}
      assign: {to: linda@acme.example, by: round-robin}
    - name: gulf
      tag: [High Intent]
    - name: idle
`;
    const parsed = parsePackSource(source);
    expect(parsed.ok).toBe(false);
    const issues = parsed.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^11:13 routing\.rules\[1\]\.tag\[0\]: /)]));
    const fixed = parsePackSource(source.replace('[High Intent]', '[high-intent]'));
    expect(fixed.ok).toBe(false);
    expect(fixed.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '8:30 routing.rules[0].when.countries[1]: "XX" is not an ISO 3166 country code',
      '9:15 routing.rules[0].assign: assign to one rep (to) or to a pool (group/by), not both',
      '10:13 routing.rules[1].name: another rule is already named "gulf"',
      '12:7 routing.rules[2]: the rule does nothing: give it assign, tag or notify',
    ]);
  });
});

describe('assignment by the company\'s first letter', () => {
  const LETTERS: RoutingRule[] = [
    { name: 'gulf', when: { countries: ['SA'] }, assign: { to: 'linda@acme.example' } },
    { name: 'by letter', assign: { letters: { 'A-F': 'anna@acme.example', 'g-m': 'gus@acme.example', N: 'nina@acme.example', other: 'omar@acme.example' } } },
    { name: 'everyone else', assign: { by: 'round-robin' } },
  ];
  it.each<[string, string | null, unknown]>([
    ['Acme Trading → A-F', 'Acme Trading', { kind: 'rep', email: 'anna@acme.example', rule: 'by letter' }],
    ['folded accent: Ålesund Fisk → A-F', 'Ålesund Fisk', { kind: 'rep', email: 'anna@acme.example', rule: 'by letter' }],
    ['lower-case key range: gamma → g-m', 'gamma gmbh', { kind: 'rep', email: 'gus@acme.example', rule: 'by letter' }],
    ['range end is inclusive: Mittelstand → g-m', 'Mittelstand', { kind: 'rep', email: 'gus@acme.example', rule: 'by letter' }],
    ['a single letter: Nordic → N', 'Nordic', { kind: 'rep', email: 'nina@acme.example', rule: 'by letter' }],
    ['leading quote skipped: "Foo" → A-F', '"Foo" Ltd', { kind: 'rep', email: 'anna@acme.example', rule: 'by letter' }],
    ['digits go to other: 3M', '3M', { kind: 'rep', email: 'omar@acme.example', rule: 'by letter' }],
    ['CJK goes to other: 华为', '华为技术', { kind: 'rep', email: 'omar@acme.example', rule: 'by letter' }],
    ['a letter not in the table falls through: Zeta', 'Zeta', { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }],
    ['no company (free mail) falls through', null, { kind: 'pool', group: null, by: 'round-robin', rule: 'everyone else' }],
  ])('%s', (_, company, expected) => {
    // `other` is for initials outside A–Z only: an uncovered Latin letter falls through.
    expect(routeInquiry(LETTERS, inquiry({ company })).assign).toEqual(expected);
  });
  it('an earlier rule still decides, and an owner beats the letter table', () => {
    expect(routeInquiry(LETTERS, inquiry({ company: 'Acme', senderCountry: 'SA' })).assign).toEqual({ kind: 'rep', email: 'linda@acme.example', rule: 'gulf' });
    expect(routeInquiry(LETTERS, inquiry({ company: 'Acme', ownerId: 'u-1' })).assign).toEqual({ kind: 'owner', userId: 'u-1' });
  });
  it('initials: first letter or digit, folded', () => {
    expect(['Ålesund', '  (beta)', '3M', '华为', 'ÉTOILE', '—'].map(companyInitial)).toEqual(['A', 'B', '3', '华', 'E', null]);
  });
  it('letter tables are validated with the pack at line:column', () => {
    const source = `pack: routing
title: Routing
groups: ["*"]
defaultLanguage: en
routing:
  rules:
    - name: letters
      assign:
        letters:
          A-F: anna@acme.example
          E-K: gus@acme.example
          Z-S: zed@acme.example
          A-: bad@acme.example
`;
    const parsed = parsePackSource(source);
    expect(parsed.ok).toBe(false);
    expect(parsed.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual(expect.arrayContaining([
      "13:11 routing.rules[0].assign.letters.A-: \"A-\" is not a letter (G), a range (A-F) or \"other\"",
    ]));
    const fixed = parsePackSource(source.replace('          A-: bad@acme.example\n', ''));
    expect(fixed.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '11:11 routing.rules[0].assign.letters.E-K: "E-K" overlaps "A-F" at E',
      '12:11 routing.rules[0].assign.letters.Z-S: "Z-S" runs backwards: write S-Z',
    ]);
    expect(parsePackSource(source.replace('          A-: bad@acme.example\n', '').replace('E-K', 'G-K').replace('Z-S', 'S-Z')).ok).toBe(true);
  });
});

describe('the manager\'s regions and weeks', () => {
  it('reads a buyer country as a sales region', () => {
    expect(['SA', 'ae', 'TR', 'DE', 'GB', 'RU', 'MX', 'BR', 'US', 'CN', 'VN', 'NG', 'EG', 'AU', 'AQ', null].map(regionOf)).toEqual(['gulf', 'gulf', 'middle-east', 'europe', 'europe', 'eastern-europe', 'latin-america', 'latin-america', 'north-america', 'east-asia', 'south-east-asia', 'sub-saharan-africa', 'north-africa', 'oceania', 'other', 'unknown']);
    // every region has its names, and no country sits in two regions
    for (const r of REGION_CODES) expect(REGION_NAMES[r].en && REGION_NAMES[r]['zh-CN']).toBeTruthy();
    const all = Object.values(REGIONS).flatMap((l) => l.split(' '));
    expect(new Set(all).size).toBe(all.length);
  });
  it.each([
    ['2025-12-03', '2025-W49', '2025-12-01'],
    ['2025-12-15T16:00:00+08:00', '2025-W51', '2025-12-15'],
    ['2025-12-28', '2025-W52', '2025-12-22'],
    ['2025-12-29', '2026-W01', '2025-12-29'],
    ['2027-01-01', '2026-W53', '2026-12-28'],
    ['2024-12-30', '2025-W01', '2024-12-30'],
  ])('ISO week of %s is %s (Monday %s)', (date, week, monday) => {
    expect(isoWeek(date)).toEqual({ week, monday });
  });
});
