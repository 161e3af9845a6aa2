import { isWorkingDay, type BusinessCalendar } from '../clienttime/calendar.js';
import { addDays, parseClock } from '../clienttime/civil.js';
import { instantOfWallTime, wallClockAt } from '../clienttime/zones.js';

/**
 * The response clock: a first-response target counted in the company's business hours (its work
 * week, public holidays, closed days and opening hours, in its own zone), a warning at 75 % of
 * the target and a breach at 100 %. Pure: the time is always a parameter.
 */

export const DEFAULT_TARGET_BUSINESS_HOURS = 24;
export const WARN_FRACTION = 0.75;
const MINUTE = 60_000;

/** The calendar's open window on a day, as UTC instants, or null when the day is not worked. */
function windowOn(calendar: BusinessCalendar, date: string): { open: number; close: number } | null {
  if (!isWorkingDay(calendar, date).working) return null;
  return { open: instantOfWallTime(calendar.timeZone, date, parseClock(calendar.start)), close: instantOfWallTime(calendar.timeZone, date, parseClock(calendar.end)) };
}

/** The instant `minutes` business minutes after `from` (a start outside hours waits for the next opening). */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`business minutes must be zero or more, got ${minutes}`);
  let left = minutes * MINUTE;
  let day = wallClockAt(calendar.timeZone, from.getTime()).date;
  let cursor = from.getTime();
  for (let guard = 0; guard < 3700; guard++, day = addDays(day, 1)) {
    const w = windowOn(calendar, day);
    if (!w || cursor >= w.close) continue;
    const start = Math.max(cursor, w.open);
    if (start + left <= w.close) return new Date(start + left);
    left -= w.close - start;
    cursor = w.close;
  }
  throw new RangeError('no business hours within ten years: check the calendar');
}

type Windows = (date: string) => { open: number; close: number } | null;

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  return minutesBetween(calendar, (date) => windowOn(calendar, date), from, to);
}

function minutesBetween(calendar: BusinessCalendar, windows: Windows, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  let day = wallClockAt(calendar.timeZone, from.getTime()).date;
  const lastDay = wallClockAt(calendar.timeZone, to.getTime()).date;
  for (let guard = 0; guard < 3700 && day <= lastDay; guard++, day = addDays(day, 1)) {
    const w = windows(day);
    if (!w) continue;
    const start = Math.max(from.getTime(), w.open);
    const end = Math.min(to.getTime(), w.close);
    if (end > start) total += end - start;
  }
  return Math.floor(total / MINUTE);
}

export interface ClockDeadlines {
  /** When 75 % of the target has passed. */
  warnAt: string;
  dueAt: string;
}

export function deadlines(calendar: BusinessCalendar, startedAt: Date, targetBusinessHours: number): ClockDeadlines {
  const target = targetBusinessHours * 60;
  return {
    warnAt: addBusinessMinutes(calendar, startedAt, Math.round(target * WARN_FRACTION)).toISOString(),
    dueAt: addBusinessMinutes(calendar, startedAt, target).toISOString(),
  };
}

export type ClockPhase = 'stopped' | 'running' | 'warning' | 'breached';

export interface ClockReading {
  phase: ClockPhase;
  dueAt: string | null;
  /** Business minutes left before the breach (negative once breached); null when stopped. */
  businessMinutesLeft: number | null;
}

export interface ClockTimes {
  startedAt: string | null;
  warnAt: string | null;
  dueAt: string | null;
  stoppedAt: string | null;
}

/** Reads a running clock at `now`: running, past 75 % (warning), past the target (breached). */
export function readClock(calendar: BusinessCalendar, clock: ClockTimes, now: Date): ClockReading {
  return readWith(calendar, (date) => windowOn(calendar, date), clock, now);
}

/**
 * `readClock` for many clocks of one calendar (a page of the list: a hundred clocks over the same
 * few weeks of days): each day's opening window — its holidays and its two zone conversions — is
 * worked out once and remembered. Same readings as `readClock`; keep one reader per request.
 */
export function clockReader(calendar: BusinessCalendar): (clock: ClockTimes, now: Date) => ClockReading {
  const known = new Map<string, { open: number; close: number } | null>();
  const windows: Windows = (date) => {
    let w = known.get(date);
    if (w === undefined) known.set(date, (w = windowOn(calendar, date)));
    return w;
  };
  return (clock, now) => readWith(calendar, windows, clock, now);
}

function readWith(calendar: BusinessCalendar, windows: Windows, clock: ClockTimes, now: Date): ClockReading {
  if (!clock.startedAt || !clock.dueAt || clock.stoppedAt) return { phase: 'stopped', dueAt: clock.dueAt, businessMinutesLeft: null };
  const due = new Date(clock.dueAt);
  if (now.getTime() >= due.getTime()) return { phase: 'breached', dueAt: clock.dueAt, businessMinutesLeft: -minutesBetween(calendar, windows, due, now) };
  const left = minutesBetween(calendar, windows, now, due);
  const phase = clock.warnAt && now.getTime() >= new Date(clock.warnAt).getTime() ? 'warning' : 'running';
  return { phase, dueAt: clock.dueAt, businessMinutesLeft: left };
}
