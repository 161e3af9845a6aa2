import { chinaArrangementOn } from './china-arrangements.js';
import { assertCivilDate, formatClock, isoWeekday, parseClock } from './civil.js';
import { normalizeCountry } from './countries.js';
import { ClientTimeError } from './errors.js';
import { holidayNameZh } from './holiday-names.js';
import { publicHolidayName } from './holidays.js';
import { english, timeText, type TimeText } from './messages.js';
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

/** The holiday's name for the texts: English, and Chinese where known (China's own table, else date-holidays'). */
function holidayParams(country: string, localDate: string, name: string): Record<string, string> {
  const arranged = country === 'CN' ? chinaArrangementOn(localDate) : null;
  const nameZh = arranged && arranged.kind !== 'ordinary' && arranged.arrangement.name === name ? arranged.arrangement.nameZh : holidayNameZh(country, localDate, name);
  return nameZh ? { holiday: name, holidayZh: nameZh } : { holiday: name };
}

/** Whether the buyer works on a local date, and why, as a code any face can word. */
export function dayVerdict(calendar: BusinessCalendar, localDate: string): { working: boolean; text: TimeText } {
  assertCivilDate(localDate, 'local date');
  if (calendar.closedDates.includes(localDate)) return { working: false, text: timeText('ct.day.closedForCustomer', { date: localDate }) };
  if (calendar.country === 'CN') {
    const arranged = chinaArrangementOn(localDate);
    if (arranged?.kind === 'make-up workday') {
      return { working: true, text: timeText('ct.day.makeUp', { weekday: isoWeekday(localDate), date: localDate, ...holidayParams('CN', localDate, arranged.arrangement.name) }) };
    }
  }
  const holiday = holidayOn(calendar, localDate);
  if (holiday) return { working: false, text: timeText('ct.day.holiday', holidayParams(calendar.country!, localDate, holiday.name)) };
  const weekday = isoWeekday(localDate);
  const working = calendar.workWeek.includes(weekday);
  const code = working ? (calendar.country ? 'ct.day.workingIn' : 'ct.day.working') : calendar.country ? 'ct.day.notWorkingIn' : 'ct.day.notWorking';
  return { working, text: timeText(code, calendar.country ? { weekday, country: calendar.country } : { weekday }) };
}

/** Whether the buyer works on a local date, and why, in English words a rep can read (`dayVerdict` gives the code). */
export function isWorkingDay(calendar: BusinessCalendar, localDate: string): { working: boolean; reason: string } {
  const { working, text } = dayVerdict(calendar, localDate);
  return { working, reason: english(text) };
}
