import { normalizeCountry } from '../clienttime/countries.js';
import type { Routing, RoutingCondition, RoutingRule } from './rules-schema.js';

/**
 * Routing an arriving inquiry: which rules match, which tags and notifications they add, who it
 * goes to. Pure: the store gathers the facts (sender country from the client-time inference,
 * language from the sync, the buyer's company and its owner) and resolves the decision against
 * its people and counters.
 */

export interface Inquiry {
  inbox: string;
  subject: string;
  body: string;
  /** ISO 3166 alpha-2, upper case, or null when the inference cannot tell. */
  senderCountry: string | null;
  language: string | null;
  knownCustomer: boolean;
  attachments: number;
  /** The buyer's company's owner (user id), when it has one. */
  ownerId: string | null;
  /** The buyer's company name (the customer's, else read from a business domain); null for free mail. */
  company?: string | null;
}

export type AssignDecision =
  | { kind: 'owner'; userId: string }
  | { kind: 'rep'; email: string; rule: string }
  | { kind: 'pool'; group: string | null; by: 'round-robin' | 'least-open'; rule: string }
  | null;

export interface RoutingDecision {
  assign: AssignDecision;
  tags: string[];
  notify: string[];
  matched: string[];
}

/** Scripts written without spaces between words: a keyword there matches as a substring. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Case, width and accents do not matter ("Cotización" = "cotizacion", "ＱＵＯＴＥ" = "quote"); Arabic vowel marks neither. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** True when `word` occurs in `text` (both folded): as a whole word, or as a substring for CJK and Thai. */
export function containsWord(foldedText: string, word: string): boolean {
  const w = foldText(word).trim();
  if (!w) return false;
  if (UNSPACED.test(w)) return foldedText.includes(w);
  for (let at = foldedText.indexOf(w); at !== -1; at = foldedText.indexOf(w, at + 1)) {
    const before = at > 0 ? foldedText[at - 1]! : '';
    const after = foldedText[at + w.length] ?? '';
    if (!(before && WORD_CHAR.test(before)) && !(after && WORD_CHAR.test(after))) return true;
  }
  return false;
}

function matches(when: RoutingCondition | undefined, inquiry: Inquiry, folded: { subject: string; body: string }): boolean {
  if (!when) return true;
  if (when.words) {
    const where = when.in ?? 'any';
    const texts = where === 'subject' ? [folded.subject] : where === 'body' ? [folded.body] : [folded.subject, folded.body];
    if (!when.words.some((w) => texts.some((t) => containsWord(t, w)))) return false;
  }
  if (when.countries && !(inquiry.senderCountry && when.countries.some((c) => c.toUpperCase() === inquiry.senderCountry))) return false;
  if (when.languages && !(inquiry.language && when.languages.includes(inquiry.language.split('-')[0]!.toLowerCase()))) return false;
  if (when.knownCustomer !== undefined && when.knownCustomer !== inquiry.knownCustomer) return false;
  if (when.attachments !== undefined && when.attachments !== inquiry.attachments > 0) return false;
  return true;
}

/**
 * Rules run in order. Every matching rule adds its tags and notifications; the first matching
 * rule that assigns decides who gets it — unless the buyer's company already has an owner, who
 * always gets their buyer (ownership beats rules).
 */
export function routeInquiry(rules: readonly RoutingRule[], inquiry: Inquiry): RoutingDecision {
  const folded = { subject: foldText(inquiry.subject), body: foldText(inquiry.body) };
  const tags = new Set<string>();
  const notify = new Set<string>();
  const matched: string[] = [];
  let assign: AssignDecision = inquiry.ownerId ? { kind: 'owner', userId: inquiry.ownerId } : null;
  for (const rule of rules) {
    if (rule.inbox && rule.inbox.toLowerCase() !== inquiry.inbox.toLowerCase()) continue;
    if (!matches(rule.when, inquiry, folded)) continue;
    matched.push(rule.name);
    for (const t of rule.tag ?? []) tags.add(t);
    for (const n of rule.notify ?? []) notify.add(n.toLowerCase());
    if (assign || !rule.assign) continue;
    const a = rule.assign;
    const regional = a.regions && inquiry.senderCountry ? Object.entries(a.regions).find(([c]) => c.toUpperCase() === inquiry.senderCountry)?.[1] : undefined;
    const lettered = regional ? undefined : a.letters && inquiry.company ? repForCompany(a.letters, inquiry.company) : undefined;
    if (regional) assign = { kind: 'rep', email: regional.toLowerCase(), rule: rule.name };
    else if (lettered) assign = { kind: 'rep', email: lettered.toLowerCase(), rule: rule.name };
    else if (a.to) assign = { kind: 'rep', email: a.to.toLowerCase(), rule: rule.name };
    else if (a.group || a.by || (!a.regions && !a.letters)) assign = { kind: 'pool', group: a.group ?? null, by: a.by ?? 'round-robin', rule: rule.name };
    // A region or letter table alone, with the buyer not in it, leaves the decision to later rules.
  }
  return { assign, tags: [...tags], notify: [...notify], matched };
}

/**
 * The letter a company files under: its first letter or digit with case and accents folded
 * ("Ålesund Fisk" → A, "3M" → 3, "华为" → 华). Leading quotes, brackets and spaces are skipped.
 */
export function companyInitial(company: string): string | null {
  const m = /[\p{L}\p{N}]/u.exec(foldText(company));
  return m ? m[0]!.toUpperCase() : null;
}

/** A letter table's key as a range of Latin capitals (`A-F`, `G`), or null for `other`. */
function letterRange(key: string): [number, number] | null {
  if (key.toLowerCase() === 'other') return null;
  const [from, to = from] = key.toUpperCase().split('-') as [string, string?];
  return [from.charCodeAt(0), to!.charCodeAt(0)];
}

/** The rep a letter table names for a company: a Latin initial by its range, anything else by `other`. */
export function repForCompany(letters: Readonly<Record<string, string>>, company: string): string | undefined {
  const initial = companyInitial(company);
  if (!initial) return undefined;
  const code = initial.charCodeAt(0);
  const latin = initial.length === 1 && code >= 65 && code <= 90;
  for (const [key, rep] of Object.entries(letters)) {
    const range = letterRange(key);
    if (range ? latin && code >= range[0] && code <= range[1] : !latin) return rep;
  }
  return undefined;
}

/**
 * Picks one of a pool. Round robin: the `turn`-th candidate (the store hands out turns from one
 * counter per inbox, so concurrent arrivals get consecutive turns). Least open: the candidate with
 * the fewest open conversations, ties by the order given.
 */
export function pickFromPool(candidates: readonly string[], by: 'round-robin' | 'least-open', facts: { turn: number; openCounts?: ReadonlyMap<string, number> }): string | null {
  if (candidates.length === 0) return null;
  if (by === 'round-robin') return candidates[((facts.turn % candidates.length) + candidates.length) % candidates.length]!;
  let best = candidates[0]!;
  for (const c of candidates) if ((facts.openCounts?.get(c) ?? 0) < (facts.openCounts?.get(best) ?? 0)) best = c;
  return best;
}

export interface RoutingIssue {
  path: (string | number)[];
  message: string;
}

/** What the schema cannot check: country codes that exist, a rule that does something. */
export function routingIssues(routing: Routing): RoutingIssue[] {
  const issues: RoutingIssue[] = [];
  const names = new Set<string>();
  routing.rules.forEach((rule, i) => {
    if (names.has(rule.name)) issues.push({ path: ['routing', 'rules', i, 'name'], message: `another rule is already named "${rule.name}"` });
    names.add(rule.name);
    if (!rule.assign && !rule.tag && !rule.notify) issues.push({ path: ['routing', 'rules', i], message: 'the rule does nothing: give it assign, tag or notify' });
    for (const [j, c] of (rule.when?.countries ?? []).entries()) {
      try {
        normalizeCountry(c);
      } catch {
        issues.push({ path: ['routing', 'rules', i, 'when', 'countries', j], message: `"${c}" is not an ISO 3166 country code` });
      }
    }
    for (const c of Object.keys(rule.assign?.regions ?? {})) {
      try {
        normalizeCountry(c);
      } catch {
        issues.push({ path: ['routing', 'rules', i, 'assign', 'regions', c], message: `"${c}" is not an ISO 3166 country code` });
      }
    }
    const letters = Object.keys(rule.assign?.letters ?? {});
    const taken = new Map<number, string>();
    for (const key of letters) {
      if (!/^([A-Za-z](-[A-Za-z])?|other)$/i.test(key)) {
        issues.push({ path: ['routing', 'rules', i, 'assign', 'letters', key], message: `"${key}" is not a letter (G), a range (A-F) or "other"` });
        continue;
      }
      const range = letterRange(key);
      if (!range) continue;
      if (range[0] > range[1]) {
        issues.push({ path: ['routing', 'rules', i, 'assign', 'letters', key], message: `"${key}" runs backwards: write ${key.slice(-1).toUpperCase()}-${key[0]!.toUpperCase()}` });
        continue;
      }
      for (let c = range[0]; c <= range[1]; c++) {
        const other = taken.get(c);
        if (other !== undefined) {
          issues.push({ path: ['routing', 'rules', i, 'assign', 'letters', key], message: `"${key}" overlaps "${other}" at ${String.fromCharCode(c)}` });
          break;
        }
        taken.set(c, key);
      }
    }
    if (letters.filter((k) => k.toLowerCase() === 'other').length > 1) issues.push({ path: ['routing', 'rules', i, 'assign', 'letters'], message: '"other" is given more than once' });
    if (rule.assign?.to && (rule.assign.group || rule.assign.by)) issues.push({ path: ['routing', 'rules', i, 'assign'], message: 'assign to one rep (to) or to a pool (group/by), not both' });
  });
  return issues;
}
