import { describe, expect, it } from '@jest/globals';
import { businessCalendar, holidayOn, inferTimeZone, isWorkingDay, nextSlot, ZONES_BY_COUNTRY } from '../../../src/core/clienttime/index.js';

const MON_FRI = [1, 2, 3, 4, 5];
const SUN_THU = [1, 2, 3, 4, 7];
const SAT_WED = [1, 2, 3, 6, 7];

/** Friday 27 Nov 2026, 07:00 UTC — the day after US Thanksgiving; a weekend day in the Gulf. */
const FRI = '2026-11-27T07:00:00Z';

interface Row {
  country: string;
  zone: string;
  workWeek: number[];
  /** a 2026 public holiday that must close the day */
  holiday: string;
  now: string;
  nextSlot: string;
  /** in business hours at `now`: nextSlot is then their next business morning, never now */
  openNow?: boolean;
}

/**
 * Every expectation below was worked out by hand from the country's rules, not copied from the
 * engine. Default hours 09:00–18:00, end exclusive. A row open at `now` (openNow) expects the next working day's 09:00.
 */
const ROWS: Row[] = [
  // ── Middle East and North Africa ─────────────────────────────────────────────────────────
  // Riyadh (+03) Fri 10:00: Friday and Saturday are the weekend → Sun 29 Nov 09:00+03 = 06:00Z
  { country: 'SA', zone: 'Asia/Riyadh', workWeek: SUN_THU, holiday: '2026-09-23', now: FRI, nextSlot: '2026-11-29T06:00:00.000Z' },
  // Dubai (+04) Sat 28 Nov 10:00: UAE works Mon–Fri since 2022 → Mon 30 Nov 09:00+04 = 05:00Z
  { country: 'AE', zone: 'Asia/Dubai', workWeek: MON_FRI, holiday: '2026-12-02', now: '2026-11-28T06:00:00Z', nextSlot: '2026-11-30T05:00:00.000Z' },
  // Bahrain (+03) Fri 10:00 → Sun 09:00+03 = 06:00Z
  { country: 'BH', zone: 'Asia/Bahrain', workWeek: SUN_THU, holiday: '2026-12-16', now: FRI, nextSlot: '2026-11-29T06:00:00.000Z' },
  // Israel (+02 after DST ended 25 Oct) Fri 09:00 → Sun 09:00+02 = 07:00Z
  { country: 'IL', zone: 'Asia/Jerusalem', workWeek: SUN_THU, holiday: '2026-09-21', now: FRI, nextSlot: '2026-11-29T07:00:00.000Z' },
  // Cairo (+02; Egypt's summer time ended on the last Thursday of October) Fri 09:00 → Sun 07:00Z
  { country: 'EG', zone: 'Africa/Cairo', workWeek: SUN_THU, holiday: '2026-10-06', now: FRI, nextSlot: '2026-11-29T07:00:00.000Z' },
  // Tehran (+03:30) Fri 10:30: Thursday and Friday off → Sat 28 Nov 09:00+03:30 = 05:30Z
  { country: 'IR', zone: 'Asia/Tehran', workWeek: SAT_WED, holiday: '2026-04-01', now: FRI, nextSlot: '2026-11-28T05:30:00.000Z' },
  // Istanbul (+03) Wed 28 Oct 18:30 → Thu 29 Oct is Republic Day → Fri 30 Oct 09:00+03 = 06:00Z
  { country: 'TR', zone: 'Europe/Istanbul', workWeek: MON_FRI, holiday: '2026-10-29', now: '2026-10-28T15:30:00Z', nextSlot: '2026-10-30T06:00:00.000Z' },
  // Algiers (+01) Fri 08:00, Sun–Thu week → Sun 09:00+01 = 08:00Z
  { country: 'DZ', zone: 'Africa/Algiers', workWeek: SUN_THU, holiday: '2026-07-05', now: FRI, nextSlot: '2026-11-29T08:00:00.000Z' },
  // Casablanca: +00 from autumn 2026 (tz 2026c, Node 24's; +01 outside Ramadan until then) Fri 07:00 → opens today 09:00+00 = 09:00Z
  { country: 'MA', zone: 'Africa/Casablanca', workWeek: MON_FRI, holiday: '2026-11-18', now: FRI, nextSlot: '2026-11-27T09:00:00.000Z' },
  // Dhaka (+06) Fri 13:00, Sun–Thu → Sun 09:00+06 = 03:00Z
  { country: 'BD', zone: 'Asia/Dhaka', workWeek: SUN_THU, holiday: '2026-12-16', now: FRI, nextSlot: '2026-11-29T03:00:00.000Z' },

  // ── Europe ───────────────────────────────────────────────────────────────────────────────
  // London Thu 24 Dec 18:30 → Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute → Tue 29 09:00Z
  { country: 'GB', zone: 'Europe/London', workWeek: MON_FRI, holiday: '2026-12-28', now: '2026-12-24T18:30:00Z', nextSlot: '2026-12-29T09:00:00.000Z' },
  // Berlin (+02) Wed 13 May 18:30 → Thu 14 Ascension → Fri 15 May 09:00+02 = 07:00Z
  { country: 'DE', zone: 'Europe/Berlin', workWeek: MON_FRI, holiday: '2026-05-14', now: '2026-05-13T16:30:00Z', nextSlot: '2026-05-15T07:00:00.000Z' },
  // Paris (+01) Fri 08:00 → today 09:00+01 = 08:00Z
  { country: 'FR', zone: 'Europe/Paris', workWeek: MON_FRI, holiday: '2026-07-14', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  // Rome (+02) Mon 1 Jun 18:00 exactly: the window is [09:00, 18:00) → Tue 2 Jun Republic Day → Wed 3 Jun 07:00Z
  { country: 'IT', zone: 'Europe/Rome', workWeek: MON_FRI, holiday: '2026-06-02', now: '2026-06-01T16:00:00Z', nextSlot: '2026-06-03T07:00:00.000Z' },
  { country: 'ES', zone: 'Europe/Madrid', workWeek: MON_FRI, holiday: '2026-10-12', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  // Amsterdam (+02) Sat 25 Apr → Sun → Mon 27 King's Day → Tue 28 Apr 09:00+02 = 07:00Z
  { country: 'NL', zone: 'Europe/Amsterdam', workWeek: MON_FRI, holiday: '2026-04-27', now: '2026-04-25T10:00:00Z', nextSlot: '2026-04-28T07:00:00.000Z' },
  { country: 'PL', zone: 'Europe/Warsaw', workWeek: MON_FRI, holiday: '2026-11-11', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  { country: 'SE', zone: 'Europe/Stockholm', workWeek: MON_FRI, holiday: '2026-01-06', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  { country: 'CH', zone: 'Europe/Zurich', workWeek: MON_FRI, holiday: '2026-05-25', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  { country: 'CZ', zone: 'Europe/Prague', workWeek: MON_FRI, holiday: '2026-10-28', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  // Lisbon (+00) Fri 07:00 → 09:00Z
  { country: 'PT', zone: 'Europe/Lisbon', workWeek: MON_FRI, holiday: '2026-06-10', now: FRI, nextSlot: '2026-11-27T09:00:00.000Z' },
  // Dublin still on GMT (summer time starts 29 Mar) Mon 16 Mar 18:00 → Tue 17 St Patrick's → Wed 18 09:00Z
  { country: 'IE', zone: 'Europe/Dublin', workWeek: MON_FRI, holiday: '2026-03-17', now: '2026-03-16T18:00:00Z', nextSlot: '2026-03-18T09:00:00.000Z' },
  // Athens (+02) Fri 09:00:00 exactly: opening instant is inside → now
  { country: 'GR', zone: 'Europe/Athens', workWeek: MON_FRI, holiday: '2026-03-25', now: FRI, nextSlot: '2026-11-30T07:00:00.000Z', openNow: true },
  // Moscow (+03) Thu 11 Jun 18:00 → Fri 12 Russia Day → Mon 15 Jun 09:00+03 = 06:00Z
  { country: 'RU', zone: 'Europe/Moscow', workWeek: MON_FRI, holiday: '2026-06-12', now: '2026-06-11T15:00:00Z', nextSlot: '2026-06-15T06:00:00.000Z' },

  // ── Americas ─────────────────────────────────────────────────────────────────────────────
  // New York (-05) Wed 25 Nov 18:30 → Thu 26 Thanksgiving → Fri 27 Nov 09:00-05 = 14:00Z
  { country: 'US', zone: 'America/New_York', workWeek: MON_FRI, holiday: '2026-11-26', now: '2026-11-25T23:30:00Z', nextSlot: '2026-11-27T14:00:00.000Z' },
  // Toronto (-05) Fri 02:00 → 14:00Z
  { country: 'CA', zone: 'America/Toronto', workWeek: MON_FRI, holiday: '2026-07-01', now: FRI, nextSlot: '2026-11-27T14:00:00.000Z' },
  // Mexico City (-06, no DST since 2022) Fri 01:00 → 15:00Z
  { country: 'MX', zone: 'America/Mexico_City', workWeek: MON_FRI, holiday: '2026-09-16', now: FRI, nextSlot: '2026-11-27T15:00:00.000Z' },
  // São Paulo (-03, no DST since 2019) Fri 04:00 → 12:00Z
  { country: 'BR', zone: 'America/Sao_Paulo', workWeek: MON_FRI, holiday: '2026-04-21', now: FRI, nextSlot: '2026-11-27T12:00:00.000Z' },
  { country: 'AR', zone: 'America/Argentina/Buenos_Aires', workWeek: MON_FRI, holiday: '2026-07-09', now: FRI, nextSlot: '2026-11-27T12:00:00.000Z' },
  // Santiago is on summer time (-03) in November → 09:00-03 = 12:00Z
  { country: 'CL', zone: 'America/Santiago', workWeek: MON_FRI, holiday: '2026-09-18', now: FRI, nextSlot: '2026-11-27T12:00:00.000Z' },
  { country: 'CO', zone: 'America/Bogota', workWeek: MON_FRI, holiday: '2026-07-20', now: FRI, nextSlot: '2026-11-27T14:00:00.000Z' },
  { country: 'PE', zone: 'America/Lima', workWeek: MON_FRI, holiday: '2026-07-28', now: FRI, nextSlot: '2026-11-27T14:00:00.000Z' },

  // ── Sub-Saharan Africa ───────────────────────────────────────────────────────────────────
  // Johannesburg (+02) Tue 15 Dec 18:00 → Wed 16 Day of Reconciliation → Thu 17 09:00+02 = 07:00Z
  { country: 'ZA', zone: 'Africa/Johannesburg', workWeek: MON_FRI, holiday: '2026-12-16', now: '2026-12-15T16:00:00Z', nextSlot: '2026-12-17T07:00:00.000Z' },
  { country: 'NG', zone: 'Africa/Lagos', workWeek: MON_FRI, holiday: '2026-10-01', now: FRI, nextSlot: '2026-11-27T08:00:00.000Z' },
  // Nairobi (+03) Fri 10:00 → in hours → now
  { country: 'KE', zone: 'Africa/Nairobi', workWeek: MON_FRI, holiday: '2026-10-20', now: FRI, nextSlot: '2026-11-30T06:00:00.000Z', openNow: true },

  // ── Asia ─────────────────────────────────────────────────────────────────────────────────
  // Shanghai (+08) Wed 30 Sep 18:00 → 1–7 Oct National Day (State Council table) → Thu 8 Oct 09:00+08 = 01:00Z
  { country: 'CN', zone: 'Asia/Shanghai', workWeek: MON_FRI, holiday: '2026-10-05', now: '2026-09-30T10:00:00Z', nextSlot: '2026-10-08T01:00:00.000Z' },
  // Tokyo (+09) Fri 1 May 18:00 → Sat, Sun 3 Constitution, Mon 4 Greenery, Tue 5 Children's,
  // Wed 6 substitute for the 3rd → Thu 7 May 09:00+09 = 00:00Z
  { country: 'JP', zone: 'Asia/Tokyo', workWeek: MON_FRI, holiday: '2026-05-06', now: '2026-05-01T09:00:00Z', nextSlot: '2026-05-07T00:00:00.000Z' },
  { country: 'KR', zone: 'Asia/Seoul', workWeek: MON_FRI, holiday: '2026-10-09', now: FRI, nextSlot: '2026-11-30T00:00:00.000Z', openNow: true },
  // Kolkata (+05:30) Fri 23 Jan 18:15 → weekend → Mon 26 Republic Day → Tue 27 09:00+05:30 = 03:30Z
  { country: 'IN', zone: 'Asia/Kolkata', workWeek: MON_FRI, holiday: '2026-01-26', now: '2026-01-23T12:45:00Z', nextSlot: '2026-01-27T03:30:00.000Z' },
  { country: 'ID', zone: 'Asia/Jakarta', workWeek: MON_FRI, holiday: '2026-08-17', now: FRI, nextSlot: '2026-11-30T02:00:00.000Z', openNow: true },
  { country: 'VN', zone: 'Asia/Ho_Chi_Minh', workWeek: MON_FRI, holiday: '2026-09-02', now: FRI, nextSlot: '2026-11-30T02:00:00.000Z', openNow: true },
  { country: 'TH', zone: 'Asia/Bangkok', workWeek: MON_FRI, holiday: '2026-12-10', now: FRI, nextSlot: '2026-11-30T02:00:00.000Z', openNow: true },
  { country: 'MY', zone: 'Asia/Kuala_Lumpur', workWeek: MON_FRI, holiday: '2026-08-31', now: FRI, nextSlot: '2026-11-30T01:00:00.000Z', openNow: true },
  // Singapore (+08) Fri 7 Aug 18:00 → Sat, Sun 9 National Day, Mon 10 its substitute → Tue 11 09:00+08 = 01:00Z
  { country: 'SG', zone: 'Asia/Singapore', workWeek: MON_FRI, holiday: '2026-08-10', now: '2026-08-07T10:00:00Z', nextSlot: '2026-08-11T01:00:00.000Z' },
  { country: 'PH', zone: 'Asia/Manila', workWeek: MON_FRI, holiday: '2026-06-12', now: FRI, nextSlot: '2026-12-01T01:00:00.000Z', openNow: true },
  { country: 'PK', zone: 'Asia/Karachi', workWeek: MON_FRI, holiday: '2026-08-14', now: FRI, nextSlot: '2026-11-30T04:00:00.000Z', openNow: true },
  // Kazakhstan keeps +05 everywhere since March 2024: Almaty Fri 12:00 → now
  { country: 'KZ', zone: 'Asia/Almaty', workWeek: MON_FRI, holiday: '2026-12-16', now: FRI, nextSlot: '2026-11-30T04:00:00.000Z', openNow: true },
  { country: 'UZ', zone: 'Asia/Tashkent', workWeek: MON_FRI, holiday: '2026-09-01', now: FRI, nextSlot: '2026-11-30T04:00:00.000Z', openNow: true },
  // Brunei (+08) Fri 15:00: Friday is the day of prayer, Saturday works → Sat 28 Nov 09:00+08 = 01:00Z
  { country: 'BN', zone: 'Asia/Brunei', workWeek: [1, 2, 3, 4, 6], holiday: '2026-02-23', now: FRI, nextSlot: '2026-11-28T01:00:00.000Z' },
  { country: 'HK', zone: 'Asia/Hong_Kong', workWeek: MON_FRI, holiday: '2026-07-01', now: FRI, nextSlot: '2026-11-30T01:00:00.000Z', openNow: true },
  { country: 'TW', zone: 'Asia/Taipei', workWeek: MON_FRI, holiday: '2026-06-19', now: FRI, nextSlot: '2026-11-30T01:00:00.000Z', openNow: true },
  { country: 'LK', zone: 'Asia/Colombo', workWeek: MON_FRI, holiday: '2026-02-04', now: FRI, nextSlot: '2026-11-30T03:30:00.000Z', openNow: true },

  // ── Oceania ──────────────────────────────────────────────────────────────────────────────
  // Sydney (+11 summer time) Fri 18:00 exactly → Mon 30 Nov 09:00+11 = Sun 29 22:00Z
  { country: 'AU', zone: 'Australia/Sydney', workWeek: MON_FRI, holiday: '2026-01-26', now: FRI, nextSlot: '2026-11-29T22:00:00.000Z' },
  // Auckland (+13 summer time) Fri 20:00 → Mon 30 Nov 09:00+13 = Sun 29 20:00Z
  { country: 'NZ', zone: 'Pacific/Auckland', workWeek: MON_FRI, holiday: '2026-02-06', now: FRI, nextSlot: '2026-11-29T20:00:00.000Z' },
];

describe('country table', () => {
  it('covers at least 40 countries on every inhabited continent', () => {
    expect(new Set(ROWS.map((row) => row.country)).size).toBe(ROWS.length);
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(ROWS)('$country: main zone $zone', ({ country, zone }) => {
    expect(ZONES_BY_COUNTRY[country]?.[0]).toBe(zone);
    const inferred = inferTimeZone({ country });
    expect(inferred.timeZone).toBe(zone);
    expect(inferred.country).toBe(country);
    expect(['medium', 'low']).toContain(inferred.confidence);
  });

  it.each(ROWS)('$country: work week, holiday $holiday closed, next slot from $now', ({ country, zone, workWeek, holiday, now, nextSlot: expected, openNow }) => {
    const calendar = businessCalendar(country, zone);
    expect(calendar.workWeek).toEqual(workWeek);
    expect(holidayOn(calendar, holiday)).not.toBeNull();
    expect(isWorkingDay(calendar, holiday)).toEqual({ working: false, reason: expect.stringMatching(/^public holiday \(.+\)$/) });
    const slot = nextSlot(new Date(now), calendar);
    expect(slot.nextSlot).toBe(expected);
    expect(slot.inBusinessHours).toBe(openNow ?? false);
  });
});

describe('countries date-holidays has no data for', () => {
  // Their weekends from work-weeks.ts; their holidays from islamic-holidays.ts (Nepal: none, reported, not guessed).
  it.each([
    ['QA', 'Asia/Qatar', SUN_THU, null],
    ['KW', 'Asia/Kuwait', SUN_THU, "New Year's Day"],
    ['OM', 'Asia/Muscat', SUN_THU, null],
    ['JO', 'Asia/Amman', SUN_THU, "New Year's Day"],
    ['IQ', 'Asia/Baghdad', SUN_THU, "New Year's Day"],
    ['AF', 'Asia/Kabul', SAT_WED, null],
    ['NP', 'Asia/Kathmandu', [1, 2, 3, 4, 5, 7], null],
  ])('%s: %s, work week %j, 1 January: %s', (country, zone, workWeek, newYear) => {
    expect(inferTimeZone({ country }).timeZone).toBe(zone);
    const calendar = businessCalendar(country, zone);
    expect(calendar.workWeek).toEqual(workWeek);
    expect(holidayOn(calendar, '2026-01-01')?.name ?? null).toBe(newYear);
  });
});
