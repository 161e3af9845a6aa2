import { businessCalendar, calendarNotices, calendarNoticeText, dayVerdict, isWorkingDay, type BusinessCalendar, type CalendarNotice, type HoursOverride } from './calendar.js';
import { addDays, civilDateToUtcMs, formatClock, isoWeekday, parseClock } from './civil.js';
import { ClientTimeError } from './errors.js';
import { hasHolidayData } from './holidays.js';
import { inferTimeZone, type Confidence, type ZoneEvidence } from './infer.js';
import { english, timeText, type TimeText } from './messages.js';
import { formatLocalIso, instantOfWallTime, normalizeTimeZone, wallClockAt } from './zones.js';

export interface Alternative {
  /** 'their 09:00 tomorrow', 'their 14:00 today', 'their 09:00 on Sunday 29 Nov' */
  label: string;
  /** the label as a code with parameters, for the faces to word in the rep's language */
  labelText: TimeText;
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
  /** the reasons as codes with parameters, one per reason, same order */
  reasonTexts: TimeText[];
  /** client's local now, ISO 8601 with offset, seconds precision: '2026-11-27T10:00:00+03:00' */
  localTime: string | null;
  /** false when the zone is unknown */
  inBusinessHours: boolean;
  /** 'open until 18:00', 'closed: Friday is not a working day in Saudi Arabia', 'closed: public holiday (National Day)', 'unknown time zone' */
  status: string;
  statusText: TimeText;
  /**
   * The opening of their next working window after now (UTC ISO): their next business morning
   * when they are open now or closed for the day, today's opening before hours. Never now: when
   * they are open, "send now" is a separate choice (`inBusinessHours`). Null when the zone is unknown.
   */
  nextSlot: string | null;
  /** a few later send times for the UI, each in the future and inside business hours */
  alternatives: Alternative[];
  /** calendar caveats between now and the slot, as codes the faces word (their English is also in `reasons`) */
  notices: CalendarNotice[];
}

export type SlotComputation = Omit<SlotAnswer, 'timeZone' | 'confidence' | 'reasons' | 'reasonTexts' | 'notices'> & { timeZone: string };

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

function slotLabel(time: string, date: string, today: string): TimeText {
  if (date === today) return timeText('ct.slot.today', { time });
  if (date === addDays(today, 1)) return timeText('ct.slot.tomorrow', { time });
  const d = new Date(civilDateToUtcMs(date));
  return timeText('ct.slot.onDay', { time, weekday: isoWeekday(date), day: d.getUTCDate(), month: d.getUTCMonth() + 1, date });
}

/**
 * Whether the buyer is in business hours at `now`, and their next opening: the first working
 * window that opens after `now` (weekends, public holidays and closed days skipped), exact across
 * DST changes and in :30/:45 zones. "Send at their 09:00" always means that opening, also while
 * they are open (then it is their next business morning, not now).
 */
export function nextSlot(now: Date, calendar: BusinessCalendar, options?: { repTimeZone?: string }): SlotComputation {
  const nowMs = assertInstant(now);
  const checked = check(calendar);
  const { timeZone } = checked.calendar;
  const repTimeZone = options?.repTimeZone ? normalizeTimeZone(options.repTimeZone, 'rep time zone') : undefined;
  const today = wallClockAt(timeZone, nowMs).date;
  const todayVerdict = dayVerdict(checked.calendar, today);
  const todayWindow = windowOn(checked, today);

  const inBusinessHours = todayWindow !== null && nowMs >= todayWindow.open && nowMs < todayWindow.close;
  let statusText: TimeText;
  if (inBusinessHours) statusText = timeText('ct.status.open', { until: checked.calendar.end });
  else if (!todayVerdict.working) statusText = timeText('ct.status.closedDay', {}, todayVerdict.text);
  else if (todayWindow && nowMs < todayWindow.open) statusText = timeText('ct.status.beforeHours', { opens: checked.calendar.start });
  else statusText = timeText('ct.status.afterHours', { closed: checked.calendar.end });
  const slotMs = findWindow(checked, today, (w) => w.open > nowMs).open;

  const describe = (instant: number): Alternative => {
    const wall = wallClockAt(timeZone, instant);
    const labelText = slotLabel(formatClock(wall.hour * 60 + wall.minute), wall.date, today);
    const alternative: Alternative = {
      label: english(labelText),
      labelText,
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
    status: english(statusText),
    statusText,
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
  const reasonTexts = [...inference.reasonTexts];
  if (!inference.timeZone) {
    const statusText = timeText('ct.status.unknownZone');
    return { timeZone: null, confidence, reasons, reasonTexts, localTime: null, inBusinessHours: false, status: english(statusText), statusText, nextSlot: null, alternatives: [], notices: [] };
  }
  const calendar = businessCalendar(inference.country, inference.timeZone, input.override, input.defaults);
  if (calendar.country && !hasHolidayData(calendar.country)) {
    const text = timeText('ct.reason.noHolidayData', { country: calendar.country });
    reasons.push(english(text));
    reasonTexts.push(text);
  }
  const slot = nextSlot(input.now, calendar, input.repTimeZone ? { repTimeZone: input.repTimeZone } : undefined);
  const notices = slot.localTime && slot.nextSlot ? calendarNotices(calendar, slot.localTime.slice(0, 10), wallClockAt(calendar.timeZone, Date.parse(slot.nextSlot)).date) : [];
  reasons.push(...notices.map(calendarNoticeText));
  return {
    timeZone: slot.timeZone,
    confidence,
    reasons,
    reasonTexts,
    localTime: slot.localTime,
    inBusinessHours: slot.inBusinessHours,
    status: slot.status,
    statusText: slot.statusText,
    nextSlot: slot.nextSlot,
    alternatives: slot.alternatives,
    notices,
  };
}
