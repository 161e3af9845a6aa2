import { describe, expect, it } from '@jest/globals';
import { compareDomains, findLookalike, hasMixedScripts, KnownDomains, registrableDomain, skeleton } from '../../../src/core/payment/lookalike.js';
import { decodePunycode, toUnicodeHost } from '../../../src/core/payment/punycode.js';

/**
 * The look-alike table: a sender's domain against one known domain, with the trick a finance
 * manager would name, or null where the two are simply different companies (or the same domain).
 * Each verdict worked out by hand from the rule: same registrable domain → null; same shape after
 * folding confusables → confusable / punycode / mixed-script; same name, other suffix → tld; the
 * known name inside a longer host → embedded; 1 edit for names of 5–9 characters, 2 from 10 →
 * edit-distance; shorter names are never judged by distance.
 */
const TABLE: [string, string, string | null][] = [
  // true positives
  ['alfanar-tradlng.sa', 'alfanar-trading.sa', 'confusable'], // l for i
  ['alfanar-trading.co', 'alfanar-trading.sa', 'tld'],
  ['alfanar-trading.com', 'alfanar-trading.sa', 'tld'],
  ['alfanar-trading.com.sa', 'alfanar-trading.sa', 'tld'], // a second-level suffix is still another suffix
  ['alfanartrading.sa', 'alfanar-trading.sa', 'edit-distance'], // hyphen dropped
  ['alfanar-tradinq.sa', 'alfanar-trading.sa', 'edit-distance'], // q for g
  ['alfanar-trading.sa.pay-portal.com', 'alfanar-trading.sa', 'embedded'],
  ['alfanar-trading-sa.com', 'alfanar-trading.sa', 'embedded'],
  ['secure-alfanar-trading.net', 'alfanar-trading.sa', 'embedded'],
  ['b0sch.de', 'bosch.de', 'confusable'], // zero for o
  ['bosch.com', 'bosch.de', 'tld'],
  ['boschh.de', 'bosch.de', 'edit-distance'],
  ['bosh.de', 'bosch.de', null], // 4 letters: too short to judge by distance
  ['xn--pple-43d.com', 'apple.com', 'punycode'], // Cyrillic а written as punycode
  ['\u0430pple.com', 'apple.com', 'mixed-script'], // Cyrillic а in Unicode
  ['rnicrosoft.com', 'microsoft.com', 'confusable'], // rn for m
  ['micros0ft.com', 'microsoft.com', 'confusable'],
  ['microsofft.com', 'microsoft.com', 'edit-distance'],
  ['vvestfalia.de', 'westfalia.de', 'confusable'], // vv for w
  ['siemens-energy.co', 'siemens-energy.com', 'tld'],
  ['siemens-energv.com', 'siemens-energy.com', 'edit-distance'], // v for y
  ['hai1ian-export.cn', 'hailian-export.cn', 'confusable'], // 1 for l
  ['haiiian-export.cn', 'hailian-export.cn', 'confusable'], // i for l
  ['sinotrans.co', 'sinotrans.com', 'tld'],
  ['sinotrasn.com', 'sinotrans.com', null], // a swap is 2 edits; 9 letters allow 1
  ['sinotranss.com', 'sinotrans.com', 'edit-distance'],
  ['petrochem-gulf.ae', 'petrochem-gulf.com', 'tld'],
  ['petrochern-gulf.ae', 'petrochem-gulf.ae', 'confusable'],
  ['petrochem-gu1f.ae', 'petrochem-gulf.ae', 'confusable'],
  ['petrocem-gulf.ae', 'petrochem-gulf.ae', 'edit-distance'],
  ['xn--mller-kva.de', 'muller.de', 'punycode'], // müller.de imitating muller.de
  ['m\u00fcller.de', 'muller.de', 'confusable'],
  ['muller.de.invoice-pay.net', 'muller.de', 'embedded'],
  // false positives the rule must not raise
  ['alfanar-trading.sa', 'alfanar-trading.sa', null], // the same domain
  ['mail.alfanar-trading.sa', 'alfanar-trading.sa', null], // a subdomain of it
  ['ALFANAR-TRADING.SA', 'alfanar-trading.sa', null], // case
  ['alfanar.com', 'alfanar-trading.sa', null], // shares a word, another name
  ['sinotrade.com', 'sinotrans.com', null], // 2 edits on 9 letters: another company
  ['acne.com', 'acme.com', null], // short names differ by a letter all the time
  ['abc.com', 'abd.com', null],
  ['google.com', 'bosch.de', null],
  ['gmail.com', 'bosch.de', null],
  ['apple-pie.cafe', 'pineapple.com', null], // the name inside a word is not the name
  ['siemens.com', 'siemens-energy.com', null],
  ['energy.com', 'siemens-energy.com', null],
  ['haier.com', 'hailian-export.cn', null],
  ['petrochina.com', 'petrochem-gulf.ae', null],
  ['apple.co.uk.evil', 'apple.com', 'embedded'], // the known name as a label of another domain
  ['munich-re.com', 'muller.de', null],
  ['mueller.de', 'muller.de', 'edit-distance'], // 6 letters, 1 edit: flagged, a phone call settles it
];

describe('look-alike domains', () => {
  it('has at least 40 pairs, true and false', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(TABLE.filter(([, , how]) => how === null).length).toBeGreaterThanOrEqual(15);
    expect(TABLE.filter(([, , how]) => how !== null).length).toBeGreaterThanOrEqual(25);
  });

  it.each(TABLE)('%s against %s → %s', (host, known, how) => {
    const hit = compareDomains(host, known);
    expect(hit?.how ?? null).toBe(how);
    if (how) expect(hit?.known).toBe(registrableDomain(known));
  });

  it('never calls a known domain a look-alike of another known one', () => {
    expect(findLookalike('bosch.com', ['bosch.de', 'bosch.com'])).toBeNull();
    expect(findLookalike('bosch.co', ['bosch.de', 'bosch.com'])).toEqual({ known: 'bosch.de', how: 'tld' });
    expect(findLookalike('not a host', ['bosch.de'])).toBeNull();
  });

  it('decodes punycode labels and folds confusables', () => {
    expect(decodePunycode('pple-43d')).toBe('\u0430pple');
    expect(decodePunycode('mnchen-3ya')).toBe('m\u00fcnchen');
    expect(decodePunycode('fsqu00a')).toBe('例子');
    expect(decodePunycode('!!')).toBeNull();
    expect(toUnicodeHost('www.xn--mnchen-3ya.de')).toBe('www.m\u00fcnchen.de');
    expect(skeleton('rnicr0soft')).toBe('mlcrosoft');
    expect(hasMixedScripts('\u0430pple.com')).toBe(true);
    expect(hasMixedScripts('例子.cn')).toBe(false);
    expect(hasMixedScripts('яндекс.рф')).toBe(false);
  });
});

/** findLookalike as it was before the index: every known domain compared in turn (the rule's reference). */
function oneByOne(host: string, knownDomains: readonly string[]): ReturnType<typeof findLookalike> {
  const h = registrableDomain(host);
  if (!h) return null;
  const known = knownDomains.map((d) => registrableDomain(d)).filter((d): d is string => d !== null);
  if (known.includes(h)) return null;
  for (const k of known) {
    const hit = compareDomains(host, k);
    if (hit) return hit;
  }
  return null;
}

describe('the known-domains index', () => {
  // Names that collide in every way the rules look at: same skeleton, same name under other
  // suffixes, names inside names, hyphen runs, one and two edits, short names.
  const KNOWN = [
    ...TABLE.map(([, known]) => known),
    'alfanar-trading.com.sa', 'alfanar.com', 'trading.sa', 'bosch.de', 'bosch.com', 'mail.siemens.com', 'abc.com', 'abd.com',
    'pearl-imports.example', 'pearl.example', 'customer7.example', 'customer17.example', 'rnicrosoft.com', 'xn--mnchen-3ya.de', 'münchen.de',
  ];
  const mutations = (name: string): string[] => {
    const out = [name, `${name}s`, name.slice(1), name.replace(/o/g, '0'), name.replace(/l/g, '1'), name.replace(/m/g, 'rn'), name.replace(/a/, '\u0430'), `${name}-sa`, `pay-${name}`];
    for (let i = 0; i < name.length; i += 3) out.push(`${name.slice(0, i)}x${name.slice(i + 1)}`, `${name.slice(0, i)}${name.slice(i + 2)}`);
    return out;
  };
  const HOSTS = [...new Set(KNOWN.flatMap((d) => {
    const domain = registrableDomain(d)!;
    const [name, ...suffix] = domain.split('.');
    return [d, domain, `mail.${domain}`, `${domain}.pay-portal.com`, ...mutations(name!).flatMap((m) => [`${m}.${suffix.join('.')}`, `${m}.co`, `${m}.com.cn`])];
  }))];

  it('answers what comparing every known domain in turn answers, for hundreds of near misses', () => {
    expect(HOSTS.length).toBeGreaterThan(500);
    const index = new KnownDomains(KNOWN);
    const hits = HOSTS.map((host) => [host, index.lookalike(host), oneByOne(host, KNOWN)] as const);
    for (const [host, indexed, reference] of hits) expect({ host, hit: indexed }).toEqual({ host, hit: reference });
    // The table's hosts are look-alikes of something: the comparison is not vacuous.
    expect(hits.filter(([, , reference]) => reference !== null).length).toBeGreaterThan(200);
  });

  it('counts only the known domains admitted for the mail at hand, and names the first one hit', () => {
    const index = new KnownDomains(KNOWN);
    const admitted = [(i: number) => i % 2 === 0, (i: number) => i % 3 !== 0, (i: number) => i > 20, () => false];
    for (const admit of admitted) {
      const subset = KNOWN.filter((_, i) => admit(i));
      for (const host of HOSTS) {
        const match = index.match(host, admit);
        expect({ host, hit: match?.lookalike ?? null }).toEqual({ host, hit: oneByOne(host, subset) });
        if (match) expect(registrableDomain(KNOWN[match.index]!)).toBe(match.lookalike.known);
      }
    }
  });
});
