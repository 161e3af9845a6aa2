import { ClientTimeError } from './errors.js';

/**
 * The RFC 5322 (ex-2822) `Date:` header of a mail: the instant it was written and the UTC offset of
 * the sender's clock, which is the evidence we want. Accepts the obsolete forms still seen in the
 * wild (two-digit years, "GMT"/"EST" zone names, a trailing "(PST)" comment).
 */
export interface DateHeader {
  instantMs: number;
  /** Sender's UTC offset in minutes; null for "-0000" and military letters, which RFC 5322 says carry no zone information. */
  offsetMinutes: number | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const OBSOLETE_ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
const HEADER_PATTERN = /^(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})$/;

export function parseDateHeader(header: string): DateHeader {
  const bad = (why: string) => new ClientTimeError(`Date header ${JSON.stringify(header)} ${why}`);
  const text = String(header).replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const match = HEADER_PATTERN.exec(text);
  if (!match) throw bad('is not an RFC 5322 date such as "Thu, 26 Nov 2026 10:15:00 +0300"');
  const [, dayText, monthText, yearText, hourText, minuteText, secondText, zoneText] = match;
  const month = MONTHS.indexOf(monthText!.slice(0, 3).toLowerCase());
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
  else if (yearText!.length === 3) year += 1900;
  const [day, hour, minute, second] = [Number(dayText), Number(hourText), Number(minuteText), Number(secondText ?? 0)];
  if (month < 0) throw bad(`has an unknown month "${monthText}"`);
  const wallMs = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  if (new Date(wallMs).getUTCDate() !== day || hour > 23 || minute > 59 || second > 60) throw bad('names a day or time that does not exist');

  let offsetMinutes: number | null;
  const zone = zoneText!;
  if (/^[+-]\d{4}$/.test(zone)) {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(3, 5));
    if (minutes > 59) throw bad(`has an impossible offset "${zone}"`);
    offsetMinutes = zone === '-0000' ? null : (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  } else {
    const known = OBSOLETE_ZONES[zone.toUpperCase()];
    if (known === undefined && zone.length !== 1) throw bad(`has an unknown time zone "${zone}"`);
    offsetMinutes = known ?? null;
  }
  return { instantMs: wallMs - (offsetMinutes ?? 0) * 60_000, offsetMinutes };
}
