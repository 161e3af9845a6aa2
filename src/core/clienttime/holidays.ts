import Holidays, { type HolidaysTypes } from 'date-holidays';
import { addDays, civilDateToUtcMs } from './civil.js';
import { hasTableHolidays, tableHolidayOn, type TableHoliday } from './islamic-holidays.js';

/**
 * Nationwide public holidays from date-holidays, as local calendar dates → name. Only
 * type 'public' closes a day ('bank', 'school', 'optional' and 'observance' days are normal
 * working days for a buyer); substitute days ("Boxing Day (substitute day)") are public too.
 *
 * A holiday date-holidays starts at a time other than midnight (China's Women's Day "12:00",
 * Youth Day, Army Day: an afternoon off for some groups only) does NOT close the day. One that
 * starts the evening before ("-0600", Islamic and Jewish holidays beginning at sunset) closes its
 * nominal date. Multi-day holidays (Eid "P4D", Korean New Year "P3D") close every day they span.
 */

const DAY_MS = 86_400_000;
const instances = new Map<string, Holidays | null>();
let supportedCountries: Record<string, string> | undefined;
const yearTables = new Map<string, ReadonlyMap<string, string>>();
const rawYears = new Map<string, readonly Holiday[]>();

/**
 * Rules date-holidays lists as public that close nothing for a business. China's Children's Day
 * is a day off for children under 14 only (the State Council table covers 2025–2026; this
 * matters for the years after).
 */
const NOT_CLOSING: Record<string, readonly string[]> = { CN: ["Children's Day"] };

function instanceFor(country: string): Holidays | null {
  if (!instances.has(country)) {
    supportedCountries ??= new Holidays().getCountries('en');
    instances.set(country, supportedCountries[country] ? new Holidays(country, { languages: ['en'] }) : null);
  }
  return instances.get(country) ?? null;
}

type Holiday = HolidaysTypes.Holiday;

// date-holidays recomputes a year on every call (lunar and Hebrew calendars are slow); each year is read twice
function rawHolidays(country: string, holidays: Holidays, year: number): readonly Holiday[] {
  const key = `${country}:${year}`;
  let list = rawYears.get(key);
  if (!list) {
    list = holidays.getHolidays(year, 'en').filter((holiday) => holiday.type === 'public');
    rawYears.set(key, list);
  }
  return list;
}

/** date-holidays' data, else our own table for the Muslim-majority markets it lacks (islamic-holidays.ts). */
export function hasHolidayData(country: string): boolean {
  return instanceFor(country) !== null || hasTableHolidays(country);
}

function holidaysOfYear(country: string, year: number): ReadonlyMap<string, string> {
  const key = `${country}:${year}`;
  const cached = yearTables.get(key);
  if (cached) return cached;
  const table = new Map<string, string>();
  const holidays = instanceFor(country);
  // last year's entries too: a multi-day holiday that starts on 30 Dec runs into January
  for (const source of [year - 1, year]) {
    for (const holiday of holidays ? rawHolidays(country, holidays, source) : []) {
      if (holiday.date.slice(11, 19) !== '00:00:00') continue; // part-day holiday: see above
      if (NOT_CLOSING[country]?.includes(holiday.name)) continue;
      const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS));
      const first = holiday.date.slice(0, 10);
      for (let i = 0; i < days; i++) {
        const date = addDays(first, i);
        if (Number(date.slice(0, 4)) !== year) continue;
        const existing = table.get(date);
        if (!existing) table.set(date, holiday.name);
        else if (!existing.split(' / ').includes(holiday.name)) table.set(date, `${existing} / ${holiday.name}`);
      }
    }
  }
  yearTables.set(key, table);
  return table;
}

export type PublicHoliday = TableHoliday;

/** The public holiday on a local date in a country, or null; `announcedLocally` when its day hangs on a moon sighting. */
export function publicHolidayOn(country: string, date: string): PublicHoliday | null {
  civilDateToUtcMs(date);
  if (!instanceFor(country) && hasTableHolidays(country)) return tableHolidayOn(country, date);
  const name = holidaysOfYear(country, Number(date.slice(0, 4))).get(date);
  return name ? { name } : null;
}

/** Name of the public holiday on a local date in a country, or null. */
export function publicHolidayName(country: string, date: string): string | null {
  return publicHolidayOn(country, date)?.name ?? null;
}
