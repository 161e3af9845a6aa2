/**
 * Client time: where a buyer's clock is, when their business is open, and when to send. Pure
 * (no I/O), so the server, the CLI and both add-ins share it.
 */
export { ClientTimeError } from './errors.js';
export { inferTimeZone, type Confidence, type ZoneEvidence, type ZoneInference } from './infer.js';
export { businessCalendar, calendarNotices, calendarNoticeText, dayVerdict, holidayOn, isWorkingDay, DEFAULT_HOURS, type BusinessCalendar, type CalendarNotice, type HolidayVerdict, type HoursOverride } from './calendar.js';
export { nextSlot, slotFor, type Alternative, type SlotAnswer, type SlotComputation } from './slot.js';
export { dueIn, type Due, type DueRule } from './due.js';
export { CHINA_ARRANGEMENTS, CHINA_ARRANGEMENT_YEARS, type ChinaHolidayArrangement } from './china-arrangements.js';
export { HOLIDAYS_BY_COUNTRY, hasUmmAlQura, hijriOf, type IslamicFeast } from './islamic-holidays.js';
export { WORK_WEEK_BY_COUNTRY } from './work-weeks.js';
export { ZONES_BY_COUNTRY } from './zone-table.js';
export { CLIENT_TIME_CATALOG, CLIENT_TIME_ZH_CN } from './messages-zh-CN.js';
export { CLIENT_TIME_EN, english, regionName, timeParams, wordTime, type TimeCode, type TimeText, type TimeTranslate } from './messages.js';
