// core + explicit metadata: the same 'min' data as the default entry, but loaded as a JS module
// (a plain JSON import breaks native ESM in browsers and warns under Jest)
import { parsePhoneNumberFromString } from 'libphonenumber-js/core';
import phoneMetadata from 'libphonenumber-js/min/metadata';
import { ClientTimeError } from './errors.js';
import { isFreeMailDomain } from './free-mail.js';
import { ZONES_BY_COUNTRY } from './zone-table.js';

/** Upper-cased ISO 3166-1 alpha-2 code, or ClientTimeError naming the input when we know no such country. */
export function normalizeCountry(country: string, what = 'country'): string {
  const typed = typeof country === 'string' ? country.trim().toUpperCase() : '';
  const code = typed === 'UK' ? 'GB' : typed; // what reps (and the .uk domain) call the United Kingdom
  if (!/^[A-Z]{2}$/.test(code) || !ZONES_BY_COUNTRY[code]) {
    throw new ClientTimeError(`${what} ${JSON.stringify(country)} is not an ISO 3166-1 alpha-2 country code (e.g. "SA", "DE", "US")`);
  }
  return code;
}

export function zonesOfCountry(country: string): readonly string[] {
  return ZONES_BY_COUNTRY[country] ?? [];
}

let countryByZone: Map<string, string> | undefined;

/** The country a zone belongs to in the table (each zone is listed under one country). */
export function countryOfZone(timeZone: string): string | null {
  if (!countryByZone) {
    countryByZone = new Map();
    for (const [country, zones] of Object.entries(ZONES_BY_COUNTRY)) for (const zone of zones) if (!countryByZone.has(zone)) countryByZone.set(zone, country);
  }
  return countryByZone.get(timeZone) ?? null;
}

let regionNames: Intl.DisplayNames | undefined | null;

/** 'Saudi Arabia' for 'SA' (from Intl, so no name table to ship); the code itself if Intl has none. */
export function countryName(country: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  return regionNames?.of(country) ?? country;
}


/**
 * Endings that are not a country (.com, .io …), including ccTLDs sold worldwide as generic
 * names: .io, .co, .me, .tv, .ai, .cc, .ws, .fm, .gg, .to, .sh, .ac. Their second-level forms
 * (.com.co) stay country codes, because only locals register those.
 */
const GENERIC_CCTLDS = new Set(['io', 'co', 'me', 'tv', 'ai', 'cc', 'ws', 'fm', 'gg', 'to', 'sh', 'ac']);
/** Registry second levels such as .com.sa, .co.uk, .or.jp — shown in the reason as the buyer reads them. */
const SECOND_LEVELS = new Set(['com', 'co', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go', 'ltd', 'plc', 'biz', 'info', 'gen', 'firm', 'ind', 'nic', 'mil', 'gob', 'gouv']);
/** ccTLDs that differ from the ISO code. */
const CCTLD_TO_ISO: Record<string, string> = { uk: 'GB' };

export type DomainVerdict =
  | { kind: 'country'; country: string; suffix: string; domain: string }
  | { kind: 'free-mail' | 'generic'; domain: string; suffix: string }
  | { kind: 'unreadable' };

export function readEmailDomain(email: string): DomainVerdict {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1).trim().toLowerCase().replace(/[>\s.]+$/, '');
  if (at < 0 || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) return { kind: 'unreadable' };
  const labels = domain.split('.');
  const tld = labels[labels.length - 1]!;
  const secondLevel = labels.length >= 3 ? labels[labels.length - 2]! : undefined;
  const suffix = secondLevel && SECOND_LEVELS.has(secondLevel) ? `.${secondLevel}.${tld}` : `.${tld}`;
  const providerLabel = labels[labels.length - (suffix.split('.').length - 1) - 1];
  if (isFreeMailDomain(domain, providerLabel)) {
    return { kind: 'free-mail', domain, suffix };
  }
  const country = CCTLD_TO_ISO[tld] ?? tld.toUpperCase();
  const isCountry = tld.length === 2 && ZONES_BY_COUNTRY[country] !== undefined && !(GENERIC_CCTLDS.has(tld) && suffix === `.${tld}`);
  return isCountry ? { kind: 'country', country, suffix, domain } : { kind: 'generic', domain, suffix };
}

export type PhoneVerdict =
  | { kind: 'country'; country: string; callingCode: string }
  | { kind: 'shared-code'; callingCode: string }
  | { kind: 'unreadable' };

/** Country of an international number ('+966 11 234 5678', '0086 21 …'); a number without a country prefix proves nothing. */
export function readPhone(phone: string): PhoneVerdict {
  const international = phone.trim().replace(/^(\D*?)00\s*(?=[1-9])/, '$1+');
  const parsed = parsePhoneNumberFromString(international, phoneMetadata);
  if (!parsed) return { kind: 'unreadable' };
  // libphonenumber names the country only when the digits settle it (+1 212 → US, +1 416 → CA).
  if (parsed.country && ZONES_BY_COUNTRY[parsed.country]) return { kind: 'country', country: parsed.country, callingCode: parsed.countryCallingCode };
  return { kind: 'shared-code', callingCode: parsed.countryCallingCode };
}
