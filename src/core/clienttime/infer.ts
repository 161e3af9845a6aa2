import { countryOfZone, normalizeCountry, readEmailDomain, readPhone, zonesOfCountry } from './countries.js';
import { parseDateHeader, type DateHeader } from './date-header.js';
import { english, timeText, type TimeCode, type TimeText } from './messages.js';
import { formatOffset, isSupportedTimeZone, knownTableZones, normalizeTimeZone, offsetMinutesAt } from './zones.js';

/** The reasons as English lines (the JSON's `reasons`) and as codes (`reasonTexts`), kept in step. */
class Notes {
  readonly reasons: string[] = [];
  readonly texts: TimeText[] = [];
  push(code: TimeCode, params: Record<string, string | number> = {}): void {
    const text = timeText(code, params);
    this.texts.push(text);
    this.reasons.push(english(text));
  }
  unshift(code: TimeCode, params: Record<string, string | number> = {}): void {
    const text = timeText(code, params);
    this.texts.unshift(text);
    this.reasons.unshift(english(text));
  }
}

export type Confidence = 'explicit' | 'high' | 'medium' | 'low' | 'none';

export interface ZoneEvidence {
  /** set by a rep or admin on the contact or customer → confidence 'explicit' */
  storedTimeZone?: string | null;
  storedBy?: 'contact' | 'customer';
  /** buyer's address; its ccTLD (.de, .com.sa, .co.uk) names a country */
  email?: string | null;
  /** from their signature, e.g. "+966 11 234 5678" */
  phone?: string | null;
  /** ISO 3166-1 alpha-2 given by the rep */
  country?: string | null;
  /** RFC 5322 Date header of their latest mail, e.g. "Thu, 26 Nov 2026 10:15:00 +0300" */
  dateHeader?: string | null;
}

export interface ZoneInference {
  timeZone: string | null;
  country: string | null;
  confidence: Confidence;
  /** readable by a rep, strongest evidence first */
  reasons: string[];
  /** the same reasons as codes with parameters, for the faces to word */
  reasonTexts: TimeText[];
  /** zones still possible, likeliest first */
  candidates: string[];
}

interface CountryClue {
  country: string;
  source: 'rep' | 'phone' | 'domain';
}

/** Country evidence in order of trust: what the rep says, then the phone in their signature, then the mail domain. */
function countryClues(evidence: ZoneEvidence, reasons: Notes): CountryClue[] {
  const clues: CountryClue[] = [];
  if (evidence.country) {
    const country = normalizeCountry(evidence.country);
    clues.push({ country, source: 'rep' });
    reasons.push('ct.reason.countryByRep', { country, code: country });
  }
  if (evidence.phone) {
    const phone = readPhone(evidence.phone);
    if (phone.kind === 'country') {
      clues.push({ country: phone.country, source: 'phone' });
      reasons.push('ct.reason.phoneCountry', { phone: evidence.phone.trim(), callingCode: phone.callingCode, country: phone.country });
    } else if (phone.kind === 'shared-code') {
      reasons.push('ct.reason.phoneShared', { phone: evidence.phone.trim(), callingCode: phone.callingCode });
    } else {
      reasons.push('ct.reason.phoneUnreadable', { phone: evidence.phone.trim() });
    }
  }
  if (evidence.email) {
    const domain = readEmailDomain(evidence.email);
    if (domain.kind === 'country') {
      clues.push({ country: domain.country, source: 'domain' });
      reasons.push('ct.reason.domainCountry', { suffix: domain.suffix, country: domain.country });
    } else if (domain.kind === 'free-mail') {
      reasons.push('ct.reason.domainFreeMail', { domain: domain.domain });
    } else if (domain.kind === 'generic') {
      reasons.push('ct.reason.domainGeneric', { domain: domain.domain, suffix: domain.suffix });
    } else {
      reasons.push('ct.reason.emailUnreadable', { email: JSON.stringify(evidence.email) });
    }
  }
  const countries = new Set(clues.map((clue) => clue.country));
  if (countries.size > 1) {
    reasons.push('ct.reason.countriesDisagree', { count: countries.size, countries: [...countries].join(',') });
  }
  return clues;
}

function zonesMatchingOffset(zones: readonly string[], header: DateHeader, offsetMinutes: number): string[] {
  return zones.filter((zone) => isSupportedTimeZone(zone) && offsetMinutesAt(zone, header.instantMs) === offsetMinutes);
}

const said = (notes: Notes) => ({ reasons: notes.reasons, reasonTexts: notes.texts });

/** The sender's calendar date: offsets are compared at that date, so the rep may want to see it. */
function senderDate(header: DateHeader, offsetMinutes: number): string {
  return new Date(header.instantMs + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/**
 * Where the buyer's clock most likely is, strongest evidence first: a stored zone; the Date
 * header's UTC offset narrowing the zones of the country the other evidence names; the country's
 * main business zone; a header offset that only one zone in the world has. Free-mail and generic
 * domains prove nothing. Throws ClientTimeError for a stored zone, rep country or Date header that
 * cannot be read; a phone or address that cannot be read is only reported in the reasons.
 */
export function inferTimeZone(evidence: ZoneEvidence): ZoneInference {
  const reasons = new Notes();
  const storedZone = evidence.storedTimeZone ? normalizeTimeZone(evidence.storedTimeZone, 'stored time zone') : null;
  const clues = countryClues(evidence, reasons);
  const header = evidence.dateHeader ? parseDateHeader(evidence.dateHeader) : null;
  const offset = header?.offsetMinutes ?? null;
  if (header && offset === null) reasons.push('ct.reason.dateNoOffset', { header: JSON.stringify(evidence.dateHeader) });

  if (storedZone) {
    reasons.unshift('ct.reason.storedZone', { zone: storedZone, by: evidence.storedBy ?? 'contact' });
    if (evidence.storedTimeZone!.trim() !== storedZone) reasons.push('ct.reason.zoneSpelling', { written: evidence.storedTimeZone!.trim(), zone: storedZone });
    if (header && offset !== null && offsetMinutesAt(storedZone, header.instantMs) !== offset) {
      const storedOffset = formatOffset(offsetMinutesAt(storedZone, header.instantMs));
      reasons.push('ct.reason.offsetDiffers', { offset: formatOffset(offset), zone: storedZone, zoneOffset: storedOffset, date: senderDate(header, offset) });
    }
    // the zone's own country decides the holidays: a buyer in the Indian office of an Emirati firm
    const country = countryOfZone(storedZone) ?? clues[0]?.country ?? null;
    return { timeZone: storedZone, country, confidence: 'explicit', ...said(reasons), candidates: [storedZone] };
  }

  if (header && offset !== null) {
    const offsetText = formatOffset(offset);
    const onDate = senderDate(header, offset);
    if (clues.length > 0) {
      for (const clue of clues) {
        const matching = zonesMatchingOffset(zonesOfCountry(clue.country), header, offset);
        const zone = matching[0];
        if (zone === undefined) continue;
        if (matching.length === 1) reasons.push('ct.reason.offsetMatches', { offset: offsetText, zone, date: onDate });
        else reasons.push('ct.reason.offsetMatchesSeveral', { offset: offsetText, zones: matching.join(', '), country: clue.country, date: onDate, zone });
        const first = clues[0]!;
        if (clue.country !== first.country) {
          reasons.push('ct.reason.offsetFitsOther', { country: clue.country, source: clue.source, firstCountry: first.country, firstSource: first.source });
        }
        return { timeZone: zone, country: clue.country, confidence: 'high', ...said(reasons), candidates: matching };
      }
      const country = clues[0]!.country;
      reasons.push('ct.reason.offsetMatchesNone', { offset: offsetText, country, date: onDate });
      const fallback = countryMainZone(country, reasons);
      return fallback.timeZone ? { ...fallback, confidence: 'low' } : fallback;
    }
    const matching = zonesMatchingOffset(knownTableZones(), header, offset);
    const only = matching.length === 1 ? matching[0]! : null;
    if (only) {
      reasons.push('ct.reason.offsetOnly', { offset: offsetText, zone: only, date: onDate });
      return { timeZone: only, country: countryOfZone(only), confidence: 'medium', ...said(reasons), candidates: matching };
    }
    reasons.push('ct.reason.offsetAmbiguous', { offset: offsetText, count: matching.length, date: onDate });
    return { timeZone: null, country: null, confidence: 'none', ...said(reasons), candidates: matching };
  }

  const first = clues[0];
  if (first) return countryMainZone(first.country, reasons);
  reasons.push('ct.reason.noEvidence');
  return { timeZone: null, country: null, confidence: 'none', ...said(reasons), candidates: [] };
}

/**
 * How many different clocks a set of zones keeps. Several IANA zones of one country often read the
 * same (Europe/Busingen = Europe/Berlin, all of Kazakhstan since March 2024): they only differ in
 * history. Compared weekly over 2025–2027, the years slots are planned in; a country that splits
 * or merges its zones later is seen once the engine's tz data knows it and this window moves.
 */
const CLOCK_SAMPLES_FROM = Date.UTC(2025, 0, 1, 12);
const CLOCK_SAMPLE_COUNT = 3 * 53;
const WEEK_MS = 7 * 86_400_000;
const clockCounts = new Map<string, number>();

function distinctClocks(country: string, zones: readonly string[]): number {
  let count = clockCounts.get(country);
  if (count === undefined) {
    const signatures = new Set<string>();
    for (const zone of zones) {
      const offsets: number[] = [];
      for (let i = 0; i < CLOCK_SAMPLE_COUNT; i++) offsets.push(offsetMinutesAt(zone, CLOCK_SAMPLES_FROM + i * WEEK_MS));
      signatures.add(offsets.join(','));
    }
    count = signatures.size;
    clockCounts.set(country, count);
  }
  return count;
}

/** The country's main business zone: 'medium' when the whole country keeps one clock, 'low' when it has several. */
function countryMainZone(country: string, reasons: Notes): ZoneInference {
  const zones = zonesOfCountry(country).filter(isSupportedTimeZone);
  const main = zones[0];
  if (main === undefined) {
    reasons.push('ct.reason.noZoneKnown', { country });
    return { timeZone: null, country, confidence: 'none', ...said(reasons), candidates: [] };
  }
  const clocks = distinctClocks(country, zones);
  if (clocks > 1) reasons.push('ct.reason.severalClocks', { country, count: clocks, zone: main });
  else reasons.push('ct.reason.oneClock', { country, zone: main });
  return { timeZone: main, country, confidence: clocks === 1 ? 'medium' : 'low', ...said(reasons), candidates: [...zones] };
}
