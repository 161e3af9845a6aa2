import { chinaArrangementOn } from './china-arrangements.js';
import { addDays, assertCivilDate, formatClock, isoWeekday, parseClock } from './civil.js';
import { normalizeCountry } from './countries.js';
import { ClientTimeError } from './errors.js';
import { holidayNameZh } from './holiday-names.js';
import { publicHolidayOn } from './holidays.js';
import type { IslamicFeast } from './islamic-holidays.js';
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

export interface HolidayVerdict {
  name: string;
  /** Islamic feasts: a key the faces can localise */
  feast?: IslamicFeast;
  /** the country fixes the day by moon sighting (computed here from Umm al-Qura): it may move by a day */
  announcedLocally?: true;
}

/** The public holiday on a local date ('YYYY-MM-DD') in the calendar's country, or null. */
export function holidayOn(calendar: BusinessCalendar, localDate: string): HolidayVerdict | null {
  assertCivilDate(localDate, 'local date');
  if (!calendar.country) return null;
  if (calendar.country === 'CN') {
    const arranged = chinaArrangementOn(localDate);
    if (arranged.kind === 'off') return { name: arranged.arrangement.name };
    if (arranged.kind !== 'unpublished') return null;
  }
  return publicHolidayOn(calendar.country, localDate);
}

/**
 * What the rep should know about the calendar between two local dates, as codes with
 * parameters the faces word (the engine's English wording is in `calendarNoticeText`):
 * - 'holiday-announced-locally': a holiday whose day hangs on a moon sighting, on or next to
 *   the range (it may move by a day onto the slot's day);
 * - 'china-arrangement-unpublished': a year the State Council's notice is not in the data file,
 *   so make-up working days are unknown and holidays sit on their nominal dates.
 */
export type CalendarNotice =
  | { code: 'holiday-announced-locally'; date: string; holiday: string; feast?: IslamicFeast }
  | { code: 'china-arrangement-unpublished'; year: number };

export function calendarNotices(calendar: BusinessCalendar, fromDate: string, toDate: string): CalendarNotice[] {
  assertCivilDate(fromDate, 'from date');
  assertCivilDate(toDate, 'to date');
  const notices: CalendarNotice[] = [];
  if (!calendar.country) return notices;
  const last = addDays(toDate, 1);
  for (let date = addDays(fromDate, -1), i = 0; date <= last && i < 800; date = addDays(date, 1), i++) {
    if (calendar.country === 'CN') {
      const arranged = chinaArrangementOn(date);
      if (arranged.kind === 'unpublished' && date >= fromDate && !notices.some((n) => n.code === 'china-arrangement-unpublished' && n.year === arranged.year)) {
        notices.push({ code: 'china-arrangement-unpublished', year: arranged.year });
      }
    }
    const holiday = holidayOn(calendar, date);
    if (holiday?.announcedLocally) notices.push({ code: 'holiday-announced-locally', date, holiday: holiday.name, ...(holiday.feast ? { feast: holiday.feast } : {}) });
  }
  return notices;
}

/** The engine's English for a notice (the faces word the code themselves). */
export function calendarNoticeText(notice: CalendarNotice): string {
  if (notice.code === 'china-arrangement-unpublished') {
    return `China's holiday arrangement for ${notice.year} is not yet published: public holidays on their nominal dates, make-up working days (调休) unknown`;
  }
  return `${notice.holiday} on ${notice.date}: date announced locally, may move by a day`;
}

/** The holiday's name for the texts: English, and Chinese where known (China's own table, else date-holidays'). */
function holidayParams(country: string, localDate: string, name: string): Record<string, string> {
  const arranged = country === 'CN' ? chinaArrangementOn(localDate) : null;
  const nameZh = arranged && (arranged.kind === 'off' || arranged.kind === 'make-up workday') && arranged.arrangement.name === name ? arranged.arrangement.nameZh : holidayNameZh(country, localDate, name);
  return nameZh ? { holiday: name, holidayZh: nameZh } : { holiday: name };
}

/** Whether the buyer works on a local date, and why, as a code any face can word. */
export function dayVerdict(calendar: BusinessCalendar, localDate: string): { working: boolean; text: TimeText } {
  assertCivilDate(localDate, 'local date');
  if (calendar.closedDates.includes(localDate)) return { working: false, text: timeText('ct.day.closedForCustomer', { date: localDate }) };
  if (calendar.country === 'CN') {
    const arranged = chinaArrangementOn(localDate);
    if (arranged.kind === 'make-up workday') {
      return { working: true, text: timeText('ct.day.makeUp', { weekday: isoWeekday(localDate), date: localDate, ...holidayParams('CN', localDate, arranged.arrangement.name) }) };
    }
  }
  const holiday = holidayOn(calendar, localDate);
  if (holiday) return { working: false, text: timeText(holiday.announcedLocally ? 'ct.day.holidayAnnounced' : 'ct.day.holiday', holidayParams(calendar.country!, localDate, holiday.name)) };
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
