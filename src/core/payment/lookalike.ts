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

/** A sender host parsed once for every comparison. */
interface Sender extends Parsed {
  /** Written as an IDN (`xn--`). */
  punycode: boolean;
  /** Mixes Latin with another script in a label. */
  mixed: boolean;
  skeleton: string;
}

function parseSender(host: string): Sender | null {
  const h = parseHost(host);
  if (!h) return null;
  return { ...h, punycode: /(^|\.)xn--/i.test(host), mixed: hasMixedScripts(h.host), skeleton: skeleton(h.name) };
}

/** A known domain parsed once: its registrable domain, name and the name's skeleton. */
interface Known {
  domain: string;
  name: string;
  skeleton: string;
}

function knownOf(k: Parsed): Known {
  return { domain: k.domain, name: k.name, skeleton: skeleton(k.name) };
}

/** The rules, in order, for one sender and one known domain (both parsed). */
function compareParsed(h: Sender, k: Known): Lookalike | null {
  if (h.domain === k.domain) return null;
  const sameShape = h.skeleton === k.skeleton;
  if (sameShape && h.name !== k.name) return { known: k.domain, how: h.punycode ? 'punycode' : h.mixed ? 'mixed-script' : 'confusable' };
  if (h.name === k.name) return { known: k.domain, how: 'tld' };
  // The known domain as labels of a longer host (alfanar-trading.sa.pay-portal.com), or its name
  // as a run of hyphenated parts of a longer name (alfanar-trading-sa.com).
  if (k.name.length >= MIN_EDIT_LENGTH && (h.host.includes(`${k.domain}.`) || h.host.split('.').includes(k.name) || containsRun(h.name.split(/[-.]/), k.name.split(/[-.]/)))) {
    return { known: k.domain, how: 'embedded' };
  }
  const limit = editThreshold(Math.min(h.name.length, k.name.length));
  if (limit > 0 && (distance(h.name, k.name) <= limit || distance(h.skeleton, k.skeleton) <= limit)) {
    return { known: k.domain, how: h.punycode ? 'punycode' : h.mixed ? 'mixed-script' : 'edit-distance' };
  }
  return null;
}

/** Compares one sender host with one known domain; null when it is that domain (or a subdomain of it) or unrelated. */
export function compareDomains(host: string, known: string): Lookalike | null {
  const h = parseSender(host);
  const k = parseHost(known);
  if (!h || !k) return null;
  return compareParsed(h, knownOf(k));
}

/** The largest edit distance any rule accepts (editThreshold's most). */
const MAX_EDIT = 2;

const push = <K>(map: Map<K, number[]>, key: K, i: number) => {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
};

/**
 * Known domains parsed and indexed once (a sync page judges many mails against the same list), so
 * a sender is compared only with the known domains a rule could match: the same skeleton, the
 * same name, the known domain or name inside the host, a name or skeleton within the edit limit's
 * length. The answer is findLookalike's over the same list: the first hit in the list's order.
 */
export class KnownDomains {
  private readonly known: (Known | null)[];
  private readonly byDomain = new Map<string, number[]>();
  private readonly bySkeleton = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();
  /** Names as runs of their hyphen/dot parts (the `embedded` rule's run). */
  private readonly byRun = new Map<string, number[]>();
  private readonly byNameLength = new Map<number, number[]>();
  private readonly bySkeletonLength = new Map<number, number[]>();
  /** The lengths of the known registrable domains (the `embedded` rule's `domain.` inside the host). */
  private readonly domainLengths = new Set<number>();

  constructor(domains: readonly string[]) {
    this.known = domains.map((d) => {
      const k = parseHost(d);
      return k ? knownOf(k) : null;
    });
    this.known.forEach((k, i) => {
      if (!k) return;
      push(this.byDomain, k.domain, i);
      push(this.bySkeleton, k.skeleton, i);
      push(this.byName, k.name, i);
      push(this.byRun, k.name.split(/[-.]/).join('\u0000'), i);
      push(this.byNameLength, k.name.length, i);
      push(this.bySkeletonLength, k.skeleton.length, i);
      this.domainLengths.add(k.domain.length);
    });
  }

  /**
   * The first known domain (in the order given) that the host imitates, or null; only the known
   * domains `admit` lets in count (by their position in the list), for this host alone. A host
   * that IS one of them (or a subdomain of one) is never a look-alike.
   */
  lookalike(host: string, admit: (index: number) => boolean = () => true): Lookalike | null {
    return this.match(host, admit)?.lookalike ?? null;
  }

  /** lookalike()'s answer and the position in the list of the known domain it names. */
  match(host: string, admit: (index: number) => boolean = () => true): { lookalike: Lookalike; index: number } | null {
    const h = parseSender(host);
    if (!h) return null;
    if ((this.byDomain.get(h.domain) ?? []).some(admit)) return null;
    const candidates = new Set<number>();
    const add = (list: readonly number[] | undefined) => list?.forEach((i) => candidates.add(i));
    add(this.bySkeleton.get(h.skeleton));
    add(this.byName.get(h.name));
    for (const label of h.host.split('.')) add(this.byName.get(label));
    const parts = h.name.split(/[-.]/);
    for (let from = 0; from < parts.length; from++) {
      for (let to = from + 1; to <= parts.length; to++) if (to - from < parts.length) add(this.byRun.get(parts.slice(from, to).join('\u0000')));
    }
    for (let dot = h.host.indexOf('.'); dot >= 0; dot = h.host.indexOf('.', dot + 1)) {
      for (const length of this.domainLengths) if (length <= dot) add(this.byDomain.get(h.host.slice(dot - length, dot)));
    }
    for (let d = -MAX_EDIT; d <= MAX_EDIT; d++) {
      add(this.byNameLength.get(h.name.length + d));
      add(this.bySkeletonLength.get(h.skeleton.length + d));
    }
    for (const index of [...candidates].sort((a, b) => a - b)) {
      if (!admit(index)) continue;
      const lookalike = compareParsed(h, this.known[index]!);
      if (lookalike) return { lookalike, index };
    }
    return null;
  }
}

/**
 * The first known domain the host imitates, or null. A host that IS one of the known domains (or
 * a subdomain of one) is never a look-alike, even when it resembles another known domain.
 */
export function findLookalike(host: string, knownDomains: readonly string[] | KnownDomains): Lookalike | null {
  return (knownDomains instanceof KnownDomains ? knownDomains : new KnownDomains(knownDomains)).lookalike(host);
}

/** The registrable domain of an address or host (mail.alfanar.com.sa → alfanar.com.sa), Unicode. */
export function registrableDomain(addressOrHost: string): string | null {
  const host = addressOrHost.includes('@') ? addressOrHost.slice(addressOrHost.lastIndexOf('@') + 1) : addressOrHost;
  return parseHost(host)?.domain ?? null;
}
