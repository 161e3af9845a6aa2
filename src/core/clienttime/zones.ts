import { civilDateToUtcMs, pad2, utcMsToCivilDate } from './civil.js';
import { ClientTimeError } from './errors.js';
import { ZONES_BY_COUNTRY } from './zone-table.js';

/**
 * Time-zone arithmetic on top of Intl.DateTimeFormat (works in Node and every browser the add-ins
 * run in, no tz database of our own). Intl only converts instant → wall clock; wall clock → instant
 * is solved here, with the same rule as Temporal's 'compatible' disambiguation: a wall time that
 * happens twice (fall back) is the earlier instant, one that never happens (spring forward) moves
 * forward by the length of the gap.
 */

const DAY_MS = 86_400_000;

export interface WallClock {
  date: string; // 'YYYY-MM-DD'
  hour: number;
  minute: number;
  second: number;
  offsetMs: number; // wall clock minus UTC
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when this runtime's Intl knows the zone (an older browser may not know the newest zones). */
export function isSupportedTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !/^[A-Za-z]/.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallClockAt(timeZone: string, instantMs: number): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) fields[part.type] = part.value;
  const year = Number(fields.year);
  const month = Number(fields.month);
  const day = Number(fields.day);
  const hour = Number(fields.hour) % 24; // some engines still print midnight as 24
  const minute = Number(fields.minute);
  const second = Number(fields.second);
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return { date: utcMsToCivilDate(wallMs), hour, minute, second, offsetMs: wallMs - wholeSecond };
}

export function offsetMsAt(timeZone: string, instantMs: number): number {
  return wallClockAt(timeZone, instantMs).offsetMs;
}

export function offsetMinutesAt(timeZone: string, instantMs: number): number {
  return Math.round(offsetMsAt(timeZone, instantMs) / 60_000);
}

/**
 * The instant at which the wall clock of `timeZone` shows `minutesOfDay` on `date`. Zones change
 * offset at most once within two days, so the offsets a day before and a day after are the only
 * candidates.
 */
export function instantOfWallTime(timeZone: string, date: string, minutesOfDay: number): number {
  const wallMs = civilDateToUtcMs(date) + minutesOfDay * 60_000;
  const offsetBefore = offsetMsAt(timeZone, wallMs - DAY_MS);
  const offsetAfter = offsetMsAt(timeZone, wallMs + DAY_MS);
  const matching = [wallMs - offsetBefore, wallMs - offsetAfter]
    .filter((instant) => instant + offsetMsAt(timeZone, instant) === wallMs)
    .sort((a, b) => a - b);
  if (matching[0] !== undefined) return matching[0];
  // In a spring-forward gap: read the wall time with the offset from before the jump, which lands
  // the same distance past the gap (02:30 on a 02:00→03:00 night becomes 03:30).
  return wallMs - offsetBefore;
}

/** '+05:45', '-03:00', '+00:00' */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** ISO 8601 with the zone's offset, seconds precision: '2026-11-27T10:00:00+03:00'. */
export function formatLocalIso(timeZone: string, instantMs: number): string {
  const wall = wallClockAt(timeZone, instantMs);
  return `${wall.date}T${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}${formatOffset(Math.round(wall.offsetMs / 60_000))}`;
}

const TABLE_ZONES: readonly string[] = [...new Set(Object.values(ZONES_BY_COUNTRY).flat())];
let zonesByLowerCase: Map<string, string> | undefined;
let tableZoneByIntlName: Map<string, string> | undefined;

function intlName(timeZone: string): string | undefined {
  try {
    return formatterFor(timeZone).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Every zone of the country table that this runtime can compute with. */
export function knownTableZones(): readonly string[] {
  return TABLE_ZONES.filter(isSupportedTimeZone);
}

/**
 * The spelling of a zone to store and show: exact case from the IANA table ('asia/riyadh' →
 * 'Asia/Riyadh'), and the current IANA name for an old one Intl still accepts ('Asia/Calcutta' →
 * 'Asia/Kolkata', when this engine canonicalizes links). Anything Intl rejects → ClientTimeError.
 */
export function normalizeTimeZone(timeZone: string, what = 'time zone'): string {
  const trimmed = typeof timeZone === 'string' ? timeZone.trim() : '';
  if (!trimmed || !isSupportedTimeZone(trimmed)) {
    throw new ClientTimeError(`${what} ${JSON.stringify(timeZone)} is not a known IANA time zone (e.g. "Asia/Riyadh", "Europe/Berlin")`);
  }
  if (!zonesByLowerCase) {
    zonesByLowerCase = new Map();
    const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    for (const zone of [...supported, ...TABLE_ZONES]) zonesByLowerCase.set(zone.toLowerCase(), zone);
  }
  const spelled = zonesByLowerCase.get(trimmed.toLowerCase()) ?? trimmed;
  if (TABLE_ZONES.includes(spelled)) return spelled;
  if (!tableZoneByIntlName) {
    tableZoneByIntlName = new Map();
    for (const zone of TABLE_ZONES) {
      const name = intlName(zone);
      if (name && !tableZoneByIntlName.has(name)) tableZoneByIntlName.set(name, zone);
    }
  }
  const canonical = intlName(spelled);
  return (canonical && tableZoneByIntlName.get(canonical)) ?? spelled;
}
