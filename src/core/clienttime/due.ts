import type { BusinessCalendar } from './calendar.js';
import { isWorkingDay } from './calendar.js';
import { addDays, parseClock } from './civil.js';
import { ClientTimeError } from './errors.js';
import { formatLocalIso, instantOfWallTime, wallClockAt } from './zones.js';
import { TASK_DUE_DAYS } from '../crm/task-due.js';

export interface DueRule {
  /** Whole working days of the client after today (weekends, holidays and closed days skipped). */
  businessDays: number;
  /** Their local time on that day, 'HH:MM'. */
  at: string;
}

export interface Due {
  /** UTC instant, ISO */
  at: string;
  /** The same moment on the client's clock, ISO with offset */
  local: string;
  timeZone: string;
}

/**
 * "In 3 of the client's business days, at 10:00 their time": counts the client's working days
 * after the day it is for them now, skipping their weekend, public holidays and closed days.
 */
export function dueIn(now: Date, calendar: BusinessCalendar, rule: DueRule): Due {
  if (!Number.isInteger(rule.businessDays) || rule.businessDays < TASK_DUE_DAYS.min || rule.businessDays > TASK_DUE_DAYS.max) {
    throw new ClientTimeError(`businessDays must be a whole number from ${TASK_DUE_DAYS.min} to ${TASK_DUE_DAYS.max}, got ${rule.businessDays}`);
  }
  const minutes = parseClock(rule.at, 'due time');
  let day = wallClockAt(calendar.timeZone, now.getTime()).date;
  let counted = 0;
  // 0 business days means today if today is a working day, else the next one.
  if (rule.businessDays === 0) {
    for (let guard = 0; !isWorkingDay(calendar, day).working; guard++) {
      if (guard > 400) throw new ClientTimeError('no working day within a year: check the calendar');
      day = addDays(day, 1);
    }
  }
  for (let guard = 0; counted < rule.businessDays; guard++) {
    if (guard > 800) throw new ClientTimeError('no working day within two years: check the calendar');
    day = addDays(day, 1);
    if (isWorkingDay(calendar, day).working) counted++;
  }
  const instant = instantOfWallTime(calendar.timeZone, day, minutes);
  return { at: new Date(instant).toISOString(), local: formatLocalIso(calendar.timeZone, instant), timeZone: calendar.timeZone };
}
