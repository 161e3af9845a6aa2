import { distance } from 'fastest-levenshtein';
import { parse } from 'tldts';
import { toUnicodeHost } from './punycode.js';

/**
 * Is a sender's domain a look-alike of a domain we know (a customer's, a supplier's, our own)?
 * The tricks fraudsters use, each with its name: a letter swapped for a similar one
 * (`alfanar-tradlng.sa`), the same name under another suffix (`alfanar-trading.co`), letters from
 * another script that look Latin (Cyrillic `а`), an IDN written as `xn--`, the known name buried in
 * a longer one (`alfanar-trading.sa.pay-portal.com`), a character or two typed differently.
 */

export type LookalikeHow = 'confusable' | 'mixed-script' | 'punycode' | 'tld' | 'embedded' | 'edit-distance';

export interface Lookalike {
  /** The known domain it imitates. */
  known: string;
  how: LookalikeHow;
}

interface Parsed {
  host: string;
  /** Registrable domain (alfanar-trading.com.sa). */
  domain: string;
  /** Without its public suffix (alfanar-trading). */
  name: string;
  suffix: string;
}

function parseHost(host: string): Parsed | null {
  const unicode = toUnicodeHost(host.trim().toLowerCase().replace(/\.$/, ''));
  const p = parse(unicode, { allowPrivateDomains: false });
  if (!p.domain || !p.domainWithoutSuffix || !p.publicSuffix) return null;
  return { host: unicode, domain: p.domain, name: p.domainWithoutSuffix, suffix: p.publicSuffix };
}

/** Letters from other scripts, and Latin letters and digits, that a reader takes for another Latin letter. */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'l', ї: 'l', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ց: 'g', օ: 'o',
  // Greek
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  // Latin with marks and lookalikes
  ı: 'l', ł: 'l', ɡ: 'g', ɑ: 'a', à: 'a', á: 'a', â: 'a', ä: 'a', å: 'a', ã: 'a', è: 'e', é: 'e', ê: 'e', ë: 'e', ì: 'l', í: 'l', î: 'l', ï: 'l', ò: 'o', ó: 'o', ô: 'o', ö: 'o', õ: 'o', ø: 'o', ù: 'u', ú: 'u', û: 'u', ü: 'u', ç: 'c', ñ: 'n', ý: 'y', ÿ: 'y',
  // Digits and letters read alike in a mail client's sans-serif
  '0': 'o', '1': 'l', i: 'l', '!': 'l', '|': 'l', '5': 's', '3': 'e', '@': 'a', '_': '-',
};

/** The shape a reader sees: confusable letters folded, rn → m, vv → w, cl → d. */
export function skeleton(text: string): string {
  let s = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) s += CONFUSABLES[ch] ?? ch;
  return s.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd');
}

const LATIN = /\p{Script=Latin}/u;
const OTHER_LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u;

/** A label that mixes Latin with Cyrillic, Greek or Armenian letters: never a real company's name. */
export function hasMixedScripts(host: string): boolean {
  return toUnicodeHost(host)
    .split('.')
    .some((label) => LATIN.test(label) && OTHER_LOOKALIKE_SCRIPT.test(label));
}

/** Names shorter than this are too short to judge by edit distance (abc.com and abd.com are two companies). */
const MIN_EDIT_LENGTH = 5;

function editThreshold(length: number): number {
  if (length < MIN_EDIT_LENGTH) return 0;
  return length >= 10 ? 2 : 1;
}

function containsRun(parts: readonly string[], run: readonly string[]): boolean {
  if (parts.length <= run.length) return false;
  for (let i = 0; i + run.length <= parts.length; i++) if (run.every((r, j) => parts[i + j] === r)) return true;
  return false;
}

/** Compares one sender host with one known domain; null when it is that domain (or a subdomain of it) or unrelated. */
export function compareDomains(host: string, known: string): Lookalike | null {
  const h = parseHost(host);
  const k = parseHost(known);
  if (!h || !k) return null;
  if (h.domain === k.domain) return null;
  const punycode = /(^|\.)xn--/i.test(host);
  const mixed = hasMixedScripts(h.host);
  const sameShape = skeleton(h.name) === skeleton(k.name);
  if (sameShape && h.name !== k.name) return { known: k.domain, how: punycode ? 'punycode' : mixed ? 'mixed-script' : 'confusable' };
  if (h.name === k.name) return { known: k.domain, how: 'tld' };
  // The known domain as labels of a longer host (alfanar-trading.sa.pay-portal.com), or its name
  // as a run of hyphenated parts of a longer name (alfanar-trading-sa.com).
  if (k.name.length >= MIN_EDIT_LENGTH && (h.host.includes(`${k.domain}.`) || h.host.split('.').includes(k.name) || containsRun(h.name.split(/[-.]/), k.name.split(/[-.]/)))) {
    return { known: k.domain, how: 'embedded' };
  }
  const limit = editThreshold(Math.min(h.name.length, k.name.length));
  if (limit > 0 && (distance(h.name, k.name) <= limit || distance(skeleton(h.name), skeleton(k.name)) <= limit)) {
    return { known: k.domain, how: punycode ? 'punycode' : mixed ? 'mixed-script' : 'edit-distance' };
  }
  return null;
}

/**
 * The first known domain the host imitates, or null. A host that IS one of the known domains (or
 * a subdomain of one) is never a look-alike, even when it resembles another known domain.
 */
export function findLookalike(host: string, knownDomains: readonly string[]): Lookalike | null {
  const h = parseHost(host);
  if (!h) return null;
  const known = knownDomains.map((d) => parseHost(d)).filter((d): d is Parsed => d !== null);
  if (known.some((k) => k.domain === h.domain)) return null;
  for (const k of known) {
    const hit = compareDomains(host, k.domain);
    if (hit) return hit;
  }
  return null;
}

/** The registrable domain of an address or host (mail.alfanar.com.sa → alfanar.com.sa), Unicode. */
export function registrableDomain(addressOrHost: string): string | null {
  const host = addressOrHost.includes('@') ? addressOrHost.slice(addressOrHost.lastIndexOf('@') + 1) : addressOrHost;
  return parseHost(host)?.domain ?? null;
}
