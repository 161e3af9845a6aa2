import { businessCalendar, calendarNotices, calendarNoticeText, isWorkingDay, type BusinessCalendar, type CalendarNotice, type HoursOverride } from './calendar.js';
import { addDays, formatClock, parseClock, shortDayLabel } from './civil.js';
import { countryName } from './countries.js';
import { ClientTimeError } from './errors.js';
import { hasHolidayData } from './holidays.js';
import { inferTimeZone, type Confidence, type ZoneEvidence } from './infer.js';
import { formatLocalIso, instantOfWallTime, normalizeTimeZone, wallClockAt } from './zones.js';

export interface Alternative {
  /** 'their 09:00 tomorrow', 'their 14:00 today', 'their 09:00 on Sunday 29 Nov' */
  label: string;
  /** UTC ISO, e.g. 2026-11-29T06:00:00.000Z */
  at: string;
  /** the buyer's wall clock, ISO with offset */
  clientLocal: string;
  /** the rep's wall clock, when the rep's zone is known */
  repLocal?: string;
}

export interface SlotAnswer {
  timeZone: string | null;
  confidence: Confidence;
  reasons: string[];
  /** client's local now, ISO 8601 with offset, seconds precision: '2026-11-27T10:00:00+03:00' */
  localTime: string | null;
  /** false when the zone is unknown */
  inBusinessHours: boolean;
  /** 'open until 18:00', 'closed: Friday is not a working day in Saudi Arabia', 'closed: public holiday (National Day)', 'unknown time zone' */
  status: string;
  /** now (UTC ISO) when inside hours, else the opening of the next working window; null when the zone is unknown */
  nextSlot: string | null;
  /** a few later send times for the UI, each in the future and inside business hours */
  alternatives: Alternative[];
  /** calendar caveats between now and the slot, as codes the faces word (their English is also in `reasons`) */
  notices: CalendarNotice[];
}

export type SlotComputation = Omit<SlotAnswer, 'timeZone' | 'confidence' | 'reasons' | 'notices'> & { timeZone: string };

/** Afternoon slot offered as an alternative, when the buyer's hours include it. */
const AFTERNOON_MINUTES = 14 * 60;
/** No real calendar stays closed this long; reaching it means the closed dates cover every working day. */
const MAX_DAYS_AHEAD = 800;

interface Window {
  date: string;
  open: number;
  close: number;
}

interface CheckedCalendar {
  calendar: BusinessCalendar;
  startMinutes: number;
  endMinutes: number;
}

function check(calendar: BusinessCalendar): CheckedCalendar {
  // calendars normally come from businessCalendar(); re-checking keeps a hand-built one honest
  const startMinutes = parseClock(calendar.start, 'business hours start');
  const endMinutes = parseClock(calendar.end, 'business hours end');
  if (endMinutes <= startMinutes) throw new ClientTimeError(`business hours end "${calendar.end}" must be later than start "${calendar.start}"`);
  if (calendar.workWeek.length === 0) throw new ClientTimeError('work week must list at least one ISO weekday (1 = Monday … 7 = Sunday)');
  return { calendar: { ...calendar, timeZone: normalizeTimeZone(calendar.timeZone) }, startMinutes, endMinutes };
}

function assertInstant(now: Date): number {
  const ms = now instanceof Date ? now.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new ClientTimeError(`now ${JSON.stringify(String(now))} is not a valid instant`);
  return ms;
}

/** Business hours on one local day, or null when the buyer does not work that day. */
function windowOn({ calendar, startMinutes, endMinutes }: CheckedCalendar, date: string): Window | null {
  if (!isWorkingDay(calendar, date).working) return null;
  const open = instantOfWallTime(calendar.timeZone, date, startMinutes);
  const close = instantOfWallTime(calendar.timeZone, date, endMinutes);
  // a DST jump inside short hours can leave nothing of the day
  return close > open ? { date, open, close } : null;
}

/** The first working window on or after `fromDate` that passes `accept`. */
function findWindow(checked: CheckedCalendar, fromDate: string, accept: (window: Window) => boolean): Window {
  for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
    const window = windowOn(checked, addDays(fromDate, i));
    if (window && accept(window)) return window;
  }
  throw new ClientTimeError(`no working day within ${MAX_DAYS_AHEAD} days of ${fromDate}: check the work week and closed dates`);
}

function dayWord(date: string, today: string): string {
  if (date === today) return 'today';
  if (date === addDays(today, 1)) return 'tomorrow';
  return `on ${shortDayLabel(date)}`;
}

/**
 * Whether the buyer is in business hours at `now`, and when to send otherwise: now itself inside
 * hours, else the opening of the next working window (weekends, public holidays and closed days
 * skipped), exact across DST changes and in :30/:45 zones.
 */
export function nextSlot(now: Date, calendar: BusinessCalendar, options?: { repTimeZone?: string }): SlotComputation {
  const nowMs = assertInstant(now);
  const checked = check(calendar);
  const { timeZone } = checked.calendar;
  const repTimeZone = options?.repTimeZone ? normalizeTimeZone(options.repTimeZone, 'rep time zone') : undefined;
  const today = wallClockAt(timeZone, nowMs).date;
  const todayVerdict = isWorkingDay(checked.calendar, today);
  const todayWindow = windowOn(checked, today);

  const inBusinessHours = todayWindow !== null && nowMs >= todayWindow.open && nowMs < todayWindow.close;
  let status: string;
  if (inBusinessHours) status = `open until ${checked.calendar.end}`;
  else if (!todayVerdict.working) status = `closed: ${todayVerdict.reason}`;
  else if (todayWindow && nowMs < todayWindow.open) status = `closed: before business hours (opens ${checked.calendar.start})`;
  else status = `closed: after business hours (closed at ${checked.calendar.end})`;
  const slotMs = inBusinessHours ? nowMs : findWindow(checked, today, (w) => w.open > nowMs).open;

  const describe = (instant: number): Alternative => {
    const wall = wallClockAt(timeZone, instant);
    const alternative: Alternative = {
      label: `their ${formatClock(wall.hour * 60 + wall.minute)} ${dayWord(wall.date, today)}`,
      at: new Date(instant).toISOString(),
      clientLocal: formatLocalIso(timeZone, instant),
    };
    if (repTimeZone) alternative.repLocal = formatLocalIso(repTimeZone, instant);
    return alternative;
  };

  const nextDay = findWindow(checked, addDays(today, 1), () => true);
  const dayAfter = findWindow(checked, addDays(nextDay.date, 1), () => true);
  const instants = [nextDay.open, dayAfter.open];
  if (checked.startMinutes <= AFTERNOON_MINUTES && AFTERNOON_MINUTES < checked.endMinutes) {
    const afternoonOf = (w: Window) => instantOfWallTime(timeZone, w.date, AFTERNOON_MINUTES);
    const fits = (w: Window) => {
      const at = afternoonOf(w);
      return at > nowMs && at >= w.open && at < w.close;
    };
    instants.push(afternoonOf(findWindow(checked, today, fits)));
  }
  const alternatives = [...new Set(instants)].sort((a, b) => a - b).map(describe);

  return {
    timeZone,
    localTime: formatLocalIso(timeZone, nowMs),
    inBusinessHours,
    status,
    nextSlot: new Date(slotMs).toISOString(),
    alternatives,
  };
}

/** Inference, business calendar and slot in one call: what the server and CLI show a rep. */
export function slotFor(
  input: ZoneEvidence & { now: Date; override?: HoursOverride; defaults?: { start: string; end: string }; repTimeZone?: string },
): SlotAnswer {
  assertInstant(input.now);
  const inference = inferTimeZone(input);
  const { confidence } = inference;
  const reasons = [...inference.reasons];
  if (!inference.timeZone) {
    return { timeZone: null, confidence, reasons, localTime: null, inBusinessHours: false, status: 'unknown time zone', nextSlot: null, alternatives: [], notices: [] };
  }
  const calendar = businessCalendar(inference.country, inference.timeZone, input.override, input.defaults);
  if (calendar.country && !hasHolidayData(calendar.country)) {
    reasons.push(`no public-holiday data for ${countryName(calendar.country)}: only its weekends are known`);
  }
  const slot = nextSlot(input.now, calendar, input.repTimeZone ? { repTimeZone: input.repTimeZone } : undefined);
  const notices = slot.localTime && slot.nextSlot ? calendarNotices(calendar, slot.localTime.slice(0, 10), wallClockAt(calendar.timeZone, Date.parse(slot.nextSlot)).date) : [];
  reasons.push(...notices.map(calendarNoticeText));
  return {
    timeZone: slot.timeZone,
    confidence,
    reasons,
    localTime: slot.localTime,
    inBusinessHours: slot.inBusinessHours,
    status: slot.status,
    nextSlot: slot.nextSlot,
    alternatives: slot.alternatives,
    notices,
  };
}
