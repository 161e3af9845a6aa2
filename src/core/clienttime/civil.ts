import { ClientTimeError } from './errors.js';

/**
 * Calendar dates and times of day with no time zone attached ("civil" values), kept as the strings
 * the API speaks: 'YYYY-MM-DD' and 'HH:MM'. Day arithmetic runs on UTC midnights, where every day
 * has 24 hours, so it never trips over a DST change.
 */

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** UTC midnight of a 'YYYY-MM-DD' date, or ClientTimeError naming the text when it is no real date (2026-02-30). */
export function civilDateToUtcMs(text: string, what = 'date'): number {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (!match) throw new ClientTimeError(`${what} ${JSON.stringify(text)} is not a date written as YYYY-MM-DD`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new ClientTimeError(`${what} ${JSON.stringify(text)} is not a day of the calendar`);
  }
  return ms;
}

export function assertCivilDate(text: string, what = 'date'): string {
  civilDateToUtcMs(text, what);
  return text;
}

export function utcMsToCivilDate(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
  return utcMsToCivilDate(civilDateToUtcMs(date) + days * DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const sundayFirst = new Date(civilDateToUtcMs(date)).getUTCDay();
  return sundayFirst === 0 ? 7 : sundayFirst;
}

export function weekdayName(isoDay: number): string {
  return WEEKDAY_NAMES[isoDay - 1] ?? `day ${isoDay}`;
}

/** 'Sunday 29 Nov' — short enough for a button label. */
export function shortDayLabel(date: string): string {
  const ms = civilDateToUtcMs(date);
  const d = new Date(ms);
  return `${weekdayName(isoWeekday(date))} ${d.getUTCDate()} ${MONTH_ABBREVIATIONS[d.getUTCMonth()]}`;
}

/** Minutes after midnight of an 'HH:MM' time, or ClientTimeError naming the text. */
export function parseClock(text: string, what = 'time'): number {
  const match = typeof text === 'string' ? CLOCK_PATTERN.exec(text) : null;
  if (!match) throw new ClientTimeError(`${what} ${JSON.stringify(text)} is not a time written as HH:MM (00:00–23:59)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function formatClock(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
