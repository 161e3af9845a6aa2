import { businessCalendar, dueIn, type BusinessCalendar } from '../clienttime/index.js';
import { addDays, assertCivilDate, parseClock } from '../clienttime/civil.js';
import { formatLocalIso, instantOfWallTime, normalizeTimeZone, wallClockAt } from '../clienttime/zones.js';
import { FollowUpError } from './errors.js';

/**
 * When a "remind me if no reply" comes due. The buyer is given N **full** business days of their
 * own (their zone, work week, public holidays — Fri–Sat and Eid in Riyadh), counted after the day
 * of the send: the clock runs out when their Nth business day closes (their business hours' end).
 * The rep is then reminded at the hour they chose on **their** clock, the first such moment at or
 * after that close — so a rep in Ningbo asking for 09:00 hears of a Riyadh buyer's silence on the
 * morning after the buyer's day ended, never before the buyer's day began.
 */

export type FollowUpRule =
  /** N of the buyer's business days after the send (1–60). */
  | { kind: 'business-days'; days: number; hour: string }
  /** On a date of the rep's calendar. */
  | { kind: 'date'; date: string; hour: string };

export const DEFAULT_FOLLOW_UP_HOUR = '09:00';
export const MAX_FOLLOW_UP_DAYS = 60;

export interface FollowUpDue {
  /** UTC instant, ISO: when the reminder fires. */
  at: string;
  /** The same moment on the rep's clock, ISO with offset. */
  local: string;
  repTimeZone: string;
  /** When the buyer's last counted business day closes (null for a date rule). */
  buyerDeadline: string | null;
  /** Whose calendar counted the days: the buyer's, or the rep's when the buyer's zone is unknown. */
  basis: 'buyer' | 'rep' | 'date';
}

export interface FollowUpClock {
  /** The buyer's calendar, or null when their zone is unknown (then the rep's Mon–Fri week counts). */
  buyer: BusinessCalendar | null;
  /** The rep's zone (null: the buyer's, else UTC). */
  repTimeZone: string | null;
}

export function validateRule(rule: FollowUpRule): FollowUpRule {
  parseClockOr(rule.hour, 'hour');
  if (rule.kind === 'business-days') {
    if (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > MAX_FOLLOW_UP_DAYS) throw new FollowUpError('days', `must be a whole number of business days from 1 to ${MAX_FOLLOW_UP_DAYS}, got ${JSON.stringify(rule.days)}`);
    return rule;
  }
  if (rule.kind === 'date') {
    try {
      assertCivilDate(rule.date, 'date');
    } catch (error) {
      throw new FollowUpError('date', (error as Error).message);
    }
    return rule;
  }
  throw new FollowUpError('kind', `must be "business-days" or "date", got ${JSON.stringify((rule as { kind: unknown }).kind)}`);
}

function parseClockOr(text: string, path: string): number {
  try {
    return parseClock(text, path);
  } catch (error) {
    throw new FollowUpError(path, (error as Error).message);
  }
}

function repZoneOf(clock: FollowUpClock): string {
  return clock.repTimeZone ? normalizeTimeZone(clock.repTimeZone, 'rep time zone') : (clock.buyer?.timeZone ?? 'UTC');
}

/** The first moment at or after `notBefore` that is `hour` on the rep's clock. */
function repHourAtOrAfter(repZone: string, notBefore: number, hour: string): number {
  const minutes = parseClockOr(hour, 'hour');
  const day = wallClockAt(repZone, notBefore).date;
  const same = instantOfWallTime(repZone, day, minutes);
  return same >= notBefore ? same : instantOfWallTime(repZone, addDays(day, 1), minutes);
}

function answer(instant: number, repZone: string, buyerDeadline: number | null, basis: FollowUpDue['basis']): FollowUpDue {
  return { at: new Date(instant).toISOString(), local: formatLocalIso(repZone, instant), repTimeZone: repZone, buyerDeadline: buyerDeadline === null ? null : new Date(buyerDeadline).toISOString(), basis };
}

/** When the reminder for a mail sent at `sentAt` fires. */
export function followUpDue(sentAt: Date, rule: FollowUpRule, clock: FollowUpClock): FollowUpDue {
  validateRule(rule);
  const repZone = repZoneOf(clock);
  if (rule.kind === 'date') {
    return answer(instantOfWallTime(repZone, rule.date, parseClockOr(rule.hour, 'hour')), repZone, null, 'date');
  }
  const calendar = clock.buyer ?? businessCalendar(null, repZone);
  const deadline = Date.parse(dueIn(sentAt, calendar, { businessDays: rule.days, at: calendar.end }).at);
  return answer(repHourAtOrAfter(repZone, deadline, rule.hour), repZone, deadline, clock.buyer ? 'buyer' : 'rep');
}

/**
 * An out-of-office says the buyer is back on `returnDate` (their calendar): give them their first
 * business day back in full, then remind at the rep's hour. Never earlier than `current`.
 */
export function dueAfterReturn(returnDate: string, current: string, hour: string, clock: FollowUpClock): FollowUpDue {
  assertCivilDate(returnDate, 'return date');
  const repZone = repZoneOf(clock);
  const calendar = clock.buyer ?? businessCalendar(null, repZone);
  // dueIn counts after "today": start from noon of the day before they are back.
  const eve = instantOfWallTime(calendar.timeZone, addDays(returnDate, -1), 12 * 60);
  const deadline = Date.parse(dueIn(new Date(eve), calendar, { businessDays: 1, at: calendar.end }).at);
  const moved = repHourAtOrAfter(repZone, deadline, hour);
  const currentMs = Date.parse(current);
  return moved > currentMs ? answer(moved, repZone, deadline, clock.buyer ? 'buyer' : 'rep') : answer(currentMs, repZone, null, clock.buyer ? 'buyer' : 'rep');
}
