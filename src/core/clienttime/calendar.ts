import { chinaArrangementOn } from './china-arrangements.js';
import { assertCivilDate, formatClock, isoWeekday, parseClock, weekdayName } from './civil.js';
import { countryName, normalizeCountry } from './countries.js';
import { ClientTimeError } from './errors.js';
import { publicHolidayName } from './holidays.js';
import { workWeekOf } from './work-weeks.js';
import { normalizeTimeZone } from './zones.js';

/** Per-customer changes to the country's defaults: 'HH:MM' hours, ISO weekdays (1=Mon … 7=Sun), 'YYYY-MM-DD' closed days. */
export interface HoursOverride {
  start?: string;
  end?: string;
  workWeek?: number[];
  closedDates?: string[];
}

export interface BusinessCalendar {
  country: string | null;
  timeZone: string;
  /** ISO weekdays, ascending */
  workWeek: number[];
  /** 'HH:MM' local; the window is [start, end) */
  start: string;
  end: string;
  /** extra closed days (customer overrides), 'YYYY-MM-DD', ascending */
  closedDates: string[];
}

export const DEFAULT_HOURS = { start: '09:00', end: '18:00' } as const;

/**
 * A buyer's business calendar: the country's work week and public holidays, in their zone, with
 * the pack's default hours and the customer's overrides on top. Everything is validated here, so
 * later calls can trust it.
 */
export function businessCalendar(
  country: string | null,
  timeZone: string,
  override?: HoursOverride,
  defaults?: { start: string; end: string },
): BusinessCalendar {
  const countryCode = country === null || country === undefined ? null : normalizeCountry(country);
  const zone = normalizeTimeZone(timeZone);
  const start = override?.start ?? defaults?.start ?? DEFAULT_HOURS.start;
  const end = override?.end ?? defaults?.end ?? DEFAULT_HOURS.end;
  const startMinutes = parseClock(start, 'business hours start');
  const endMinutes = parseClock(end, 'business hours end');
  if (endMinutes <= startMinutes) throw new ClientTimeError(`business hours end "${end}" must be later than start "${start}"`);

  const workWeek = override?.workWeek ?? [...workWeekOf(countryCode)];
  if (!Array.isArray(workWeek) || workWeek.length === 0) throw new ClientTimeError('work week must list at least one ISO weekday (1 = Monday … 7 = Sunday)');
  for (const day of workWeek) {
    if (!Number.isInteger(day) || day < 1 || day > 7) throw new ClientTimeError(`work week day ${JSON.stringify(day)} is not an ISO weekday (1 = Monday … 7 = Sunday)`);
  }
  const closedDates = (override?.closedDates ?? []).map((date) => assertCivilDate(date, 'closed date'));
  return {
    country: countryCode,
    timeZone: zone,
    workWeek: [...new Set(workWeek)].sort((a, b) => a - b),
    start: formatClock(startMinutes),
    end: formatClock(endMinutes),
    closedDates: [...new Set(closedDates)].sort(),
  };
}

/** The public holiday on a local date ('YYYY-MM-DD') in the calendar's country, or null. */
export function holidayOn(calendar: BusinessCalendar, localDate: string): { name: string } | null {
  assertCivilDate(localDate, 'local date');
  if (!calendar.country) return null;
  if (calendar.country === 'CN') {
    const arranged = chinaArrangementOn(localDate);
    if (arranged) return arranged.kind === 'off' ? { name: arranged.arrangement.name } : null;
  }
  const name = publicHolidayName(calendar.country, localDate);
  return name ? { name } : null;
}

function inCountry(calendar: BusinessCalendar): string {
  return calendar.country ? ` in ${countryName(calendar.country)}` : '';
}

/** Whether the buyer works on a local date, and why, in words a rep can read. */
export function isWorkingDay(calendar: BusinessCalendar, localDate: string): { working: boolean; reason: string } {
  assertCivilDate(localDate, 'local date');
  if (calendar.closedDates.includes(localDate)) return { working: false, reason: `${localDate} is marked closed for this customer` };
  if (calendar.country === 'CN') {
    const arranged = chinaArrangementOn(localDate);
    if (arranged?.kind === 'make-up workday') {
      return { working: true, reason: `${weekdayName(isoWeekday(localDate))} ${localDate} is a make-up working day (调休) for the ${arranged.arrangement.name} in China` };
    }
  }
  const holiday = holidayOn(calendar, localDate);
  if (holiday) return { working: false, reason: `public holiday (${holiday.name})` };
  const weekday = isoWeekday(localDate);
  const working = calendar.workWeek.includes(weekday);
  return { working, reason: `${weekdayName(weekday)} is ${working ? 'a' : 'not a'} working day${inCountry(calendar)}` };
}
