import { countryName, countryOfZone, normalizeCountry, readEmailDomain, readPhone, zonesOfCountry } from './countries.js';
import { parseDateHeader, type DateHeader } from './date-header.js';
import { formatOffset, isSupportedTimeZone, knownTableZones, normalizeTimeZone, offsetMinutesAt } from './zones.js';

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
  /** zones still possible, likeliest first */
  candidates: string[];
}

interface CountryClue {
  country: string;
  source: string;
}

/** Country evidence in order of trust: what the rep says, then the phone in their signature, then the mail domain. */
function countryClues(evidence: ZoneEvidence, reasons: string[]): CountryClue[] {
  const clues: CountryClue[] = [];
  if (evidence.country) {
    const country = normalizeCountry(evidence.country);
    clues.push({ country, source: "the rep's choice" });
    reasons.push(`country ${countryName(country)} (${country}) given by the rep`);
  }
  if (evidence.phone) {
    const phone = readPhone(evidence.phone);
    if (phone.kind === 'country') {
      clues.push({ country: phone.country, source: 'the phone number' });
      reasons.push(`phone ${evidence.phone.trim()} (+${phone.callingCode}) → ${countryName(phone.country)}`);
    } else if (phone.kind === 'shared-code') {
      reasons.push(`phone ${evidence.phone.trim()} has calling code +${phone.callingCode}, shared by several countries: says nothing about which`);
    } else {
      reasons.push(`phone ${evidence.phone.trim()} has no readable international number (+country code): says nothing about the country`);
    }
  }
  if (evidence.email) {
    const domain = readEmailDomain(evidence.email);
    if (domain.kind === 'country') {
      clues.push({ country: domain.country, source: 'the e-mail domain' });
      reasons.push(`e-mail domain ${domain.suffix} → ${countryName(domain.country)}`);
    } else if (domain.kind === 'free-mail') {
      reasons.push(`e-mail domain ${domain.domain} is a free-mail provider: says nothing about the country`);
    } else if (domain.kind === 'generic') {
      reasons.push(`e-mail domain ${domain.domain} ends in ${domain.suffix}, which is not a country: says nothing about where the buyer is`);
    } else {
      reasons.push(`e-mail ${JSON.stringify(evidence.email)} has no readable domain`);
    }
  }
  const countries = new Set(clues.map((clue) => clue.country));
  if (countries.size > 1) {
    reasons.push(`the evidence names ${countries.size} countries (${[...countries].map(countryName).join(', ')}); trusted in this order: the rep, the phone, the e-mail domain`);
  }
  return clues;
}

function zonesMatchingOffset(zones: readonly string[], header: DateHeader, offsetMinutes: number): string[] {
  return zones.filter((zone) => isSupportedTimeZone(zone) && offsetMinutesAt(zone, header.instantMs) === offsetMinutes);
}

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
  const reasons: string[] = [];
  const storedZone = evidence.storedTimeZone ? normalizeTimeZone(evidence.storedTimeZone, 'stored time zone') : null;
  const clues = countryClues(evidence, reasons);
  const header = evidence.dateHeader ? parseDateHeader(evidence.dateHeader) : null;
  const offset = header?.offsetMinutes ?? null;
  if (header && offset === null) reasons.push(`Date header ${JSON.stringify(evidence.dateHeader)} carries no UTC offset (-0000): says nothing about the zone`);

  if (storedZone) {
    reasons.unshift(`time zone ${storedZone} set on the ${evidence.storedBy ?? 'contact'}`);
    if (evidence.storedTimeZone!.trim() !== storedZone) reasons.push(`"${evidence.storedTimeZone!.trim()}" is written ${storedZone} in the IANA database`);
    if (header && offset !== null && offsetMinutesAt(storedZone, header.instantMs) !== offset) {
      const storedOffset = formatOffset(offsetMinutesAt(storedZone, header.instantMs));
      reasons.push(`note: Date header offset ${formatOffset(offset)} differs from ${storedZone} (${storedOffset} on ${senderDate(header, offset)})`);
    }
    // the zone's own country decides the holidays: a buyer in the Indian office of an Emirati firm
    const country = countryOfZone(storedZone) ?? clues[0]?.country ?? null;
    return { timeZone: storedZone, country, confidence: 'explicit', reasons, candidates: [storedZone] };
  }

  if (header && offset !== null) {
    const offsetText = `Date header offset ${formatOffset(offset)}`;
    const onDate = `on ${senderDate(header, offset)}`;
    if (clues.length > 0) {
      for (const clue of clues) {
        const matching = zonesMatchingOffset(zonesOfCountry(clue.country), header, offset);
        const zone = matching[0];
        if (zone === undefined) continue;
        reasons.push(
          matching.length === 1
            ? `${offsetText} matches ${zone} ${onDate}`
            : `${offsetText} matches ${matching.join(', ')} in ${countryName(clue.country)} ${onDate}; picked ${zone}`,
        );
        const first = clues[0]!;
        if (clue.country !== first.country) {
          reasons.push(`the offset fits ${countryName(clue.country)} (from ${clue.source}), not ${countryName(first.country)} (from ${first.source})`);
        }
        return { timeZone: zone, country: clue.country, confidence: 'high', reasons, candidates: matching };
      }
      const country = clues[0]!.country;
      reasons.push(`${offsetText} matches no time zone of ${countryName(country)} ${onDate} (sent while travelling, or by a server with its own clock?)`);
      const fallback = countryMainZone(country, reasons);
      return fallback.timeZone ? { ...fallback, confidence: 'low' } : fallback;
    }
    const matching = zonesMatchingOffset(knownTableZones(), header, offset);
    const only = matching.length === 1 ? matching[0]! : null;
    if (only) {
      reasons.push(`${offsetText} matches only ${only} ${onDate}`);
      return { timeZone: only, country: countryOfZone(only), confidence: 'medium', reasons, candidates: matching };
    }
    reasons.push(`${offsetText} fits ${matching.length} time zones ${onDate}: not enough to pick one without a country`);
    return { timeZone: null, country: null, confidence: 'none', reasons, candidates: matching };
  }

  const first = clues[0];
  if (first) return countryMainZone(first.country, reasons);
  reasons.push('no evidence of where the buyer is: set a time zone or country on the contact');
  return { timeZone: null, country: null, confidence: 'none', reasons, candidates: [] };
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
function countryMainZone(country: string, reasons: string[]): ZoneInference {
  const zones = zonesOfCountry(country).filter(isSupportedTimeZone);
  const main = zones[0];
  if (main === undefined) {
    reasons.push(`no time zone of ${countryName(country)} is known to this system`);
    return { timeZone: null, country, confidence: 'none', reasons, candidates: [] };
  }
  const clocks = distinctClocks(country, zones);
  if (clocks > 1) reasons.push(`${countryName(country)} has ${clocks} different clocks; assuming its main business zone ${main}`);
  else reasons.push(`${countryName(country)} keeps one clock: ${main}`);
  return { timeZone: main, country, confidence: clocks === 1 ? 'medium' : 'low', reasons, candidates: [...zones] };
}
