import { describe, expect, it } from '@jest/globals';
import { businessCalendar, calendarNotices, CHINA_ARRANGEMENT_YEARS, CHINA_ARRANGEMENTS, ClientTimeError, holidayOn, isWorkingDay, slotFor } from '../../../src/core/clienttime/index.js';

describe('businessCalendar', () => {
  it('defaults to the country week and 09:00–18:00', () => {
    expect(businessCalendar('SA', 'Asia/Riyadh')).toEqual({ country: 'SA', timeZone: 'Asia/Riyadh', workWeek: [1, 2, 3, 4, 7], start: '09:00', end: '18:00', closedDates: [] });
    expect(businessCalendar(null, 'Europe/Berlin').workWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes pack defaults, then customer overrides', () => {
    const calendar = businessCalendar('de', 'europe/berlin', { end: '16:30', workWeek: [5, 1, 2, 3, 4, 4], closedDates: ['2026-12-31', '2026-12-24'] }, { start: '08:00', end: '17:00' });
    expect(calendar).toEqual({ country: 'DE', timeZone: 'Europe/Berlin', workWeek: [1, 2, 3, 4, 5], start: '08:00', end: '16:30', closedDates: ['2026-12-24', '2026-12-31'] });
    expect(isWorkingDay(calendar, '2026-12-24')).toEqual({ working: false, reason: '2026-12-24 is marked closed for this customer' });
  });

  it.each([
    [() => businessCalendar('XX', 'Europe/Berlin'), '"XX"'],
    [() => businessCalendar('DE', 'Europe/Berlinn'), '"Europe/Berlinn"'],
    [() => businessCalendar('DE', 'Europe/Berlin', { start: '9:00' }), '"9:00"'],
    [() => businessCalendar('DE', 'Europe/Berlin', { end: '24:30' }), '"24:30"'],
    [() => businessCalendar('DE', 'Europe/Berlin', { start: '18:00', end: '09:00' }), '"09:00"'],
    [() => businessCalendar('DE', 'Europe/Berlin', { workWeek: [0, 1] }), 'work week day 0'],
    [() => businessCalendar('DE', 'Europe/Berlin', { workWeek: [] }), 'work week'],
    [() => businessCalendar('DE', 'Europe/Berlin', { closedDates: ['2026-02-30'] }), '"2026-02-30"'],
    [() => holidayOn(businessCalendar('DE', 'Europe/Berlin'), '26.11.2026'), '"26.11.2026"'],
    [() => isWorkingDay(businessCalendar('DE', 'Europe/Berlin'), '2026-13-01'), '"2026-13-01"'],
  ])('rejects bad input with a ClientTimeError naming it (%#)', (call, named) => {
    expect(call).toThrow(ClientTimeError);
    expect(call).toThrow(named);
  });
});

describe('work weeks', () => {
  const riyadh = businessCalendar('SA', 'Asia/Riyadh');
  const dubai = businessCalendar('AE', 'Asia/Dubai');

  it('UAE works Monday–Friday (since 2022), Saudi Arabia Sunday–Thursday', () => {
    // Fri 27, Sat 28, Sun 29, Mon 30 Nov 2026
    expect(isWorkingDay(dubai, '2026-11-27')).toEqual({ working: true, reason: 'Friday is a working day in United Arab Emirates' });
    expect(isWorkingDay(riyadh, '2026-11-27')).toEqual({ working: false, reason: 'Friday is not a working day in Saudi Arabia' });
    expect(isWorkingDay(dubai, '2026-11-29').working).toBe(false);
    expect(isWorkingDay(riyadh, '2026-11-29').working).toBe(true);
    expect(isWorkingDay(riyadh, '2026-11-28').working).toBe(false);
    expect(isWorkingDay(dubai, '2026-11-30').working).toBe(true);
  });

  it.each([
    ['KW', 'Asia/Kuwait', [1, 2, 3, 4, 7]],
    ['QA', 'Asia/Qatar', [1, 2, 3, 4, 7]],
    ['OM', 'Asia/Muscat', [1, 2, 3, 4, 7]],
    ['JO', 'Asia/Amman', [1, 2, 3, 4, 7]],
    ['IL', 'Asia/Jerusalem', [1, 2, 3, 4, 7]],
    ['EG', 'Africa/Cairo', [1, 2, 3, 4, 7]],
    ['IR', 'Asia/Tehran', [1, 2, 3, 6, 7]],
    ['AF', 'Asia/Kabul', [1, 2, 3, 6, 7]],
    ['NP', 'Asia/Kathmandu', [1, 2, 3, 4, 5, 7]],
    ['BN', 'Asia/Brunei', [1, 2, 3, 4, 6]],
    ['TR', 'Europe/Istanbul', [1, 2, 3, 4, 5]],
  ])('%s works %j', (country, zone, week) => {
    expect(businessCalendar(country, zone).workWeek).toEqual(week);
  });
});

describe('public holidays', () => {
  const berlin = businessCalendar('DE', 'Europe/Berlin');
  const london = businessCalendar('GB', 'Europe/London');

  it('counts public holidays, not observances', () => {
    expect(holidayOn(berlin, '2026-10-03')).toEqual({ name: 'National Holiday' });
    expect(holidayOn(berlin, '2026-12-24')).toBeNull(); // Christmas Eve: not a public holiday in Germany
    expect(holidayOn(berlin, '2026-11-26')).toBeNull();
    expect(holidayOn(businessCalendar(null, 'Europe/Berlin'), '2026-10-03')).toBeNull(); // no country, no holidays
  });

  it('closes substitute days', () => {
    // Boxing Day 2026 is a Saturday: Monday 28 Dec is the bank holiday in England
    expect(holidayOn(london, '2026-12-28')?.name).toMatch(/Boxing Day \(substitute/);
    expect(isWorkingDay(london, '2026-12-28').working).toBe(false);
    // 4 July 2026 is a Saturday: the federal holiday is Friday 3 July
    expect(isWorkingDay(businessCalendar('US', 'America/New_York'), '2026-07-03').working).toBe(false);
  });

  it('closes every day of a multi-day holiday', () => {
    const seoul = businessCalendar('KR', 'Asia/Seoul');
    expect(holidayOn(seoul, '2026-09-24')).toEqual({ name: 'Korean Thanksgiving' });
    expect(holidayOn(seoul, '2026-09-25')).toEqual({ name: 'Korean Thanksgiving' });
    // Russia's New Year holidays (date-holidays: 1 January, then "P5D" from the 2nd, Christmas, the 8th)
    const moscow = businessCalendar('RU', 'Europe/Moscow');
    for (const day of ['2026-01-02', '2026-01-05', '2026-01-06', '2026-01-08']) expect(isWorkingDay(moscow, day).working).toBe(false);
  });

  it('closes a holiday that begins at sunset on its own date, not the evening before', () => {
    const jerusalem = businessCalendar('IL', 'Asia/Jerusalem');
    expect(holidayOn(jerusalem, '2026-09-21')?.name).toMatch(/Yom Kippur/);
    expect(holidayOn(jerusalem, '2026-09-20')).toBeNull();
  });

  it('reads a holiday as the reason a day is closed', () => {
    expect(isWorkingDay(businessCalendar('SA', 'Asia/Riyadh'), '2026-09-23')).toEqual({ working: false, reason: 'public holiday (National Day)' });
  });
});

describe('China', () => {
  const shanghai = businessCalendar('CN', 'Asia/Shanghai');

  it('a make-up Saturday (调休) is a working day', () => {
    const verdict = isWorkingDay(shanghai, '2026-02-14');
    expect(verdict.working).toBe(true);
    expect(verdict.reason).toContain('make-up working day');
    expect(holidayOn(shanghai, '2026-02-14')).toBeNull();
    for (const day of ['2026-01-04', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10', '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']) {
      expect([day, isWorkingDay(shanghai, day).working]).toEqual([day, true]);
    }
  });

  it('Spring Festival 2026 closes 15–23 February, weekdays and weekend alike', () => {
    expect(isWorkingDay(shanghai, '2026-02-16')).toEqual({ working: false, reason: 'public holiday (Spring Festival)' });
    for (const day of ['2026-02-15', '2026-02-19', '2026-02-20', '2026-02-23']) expect(holidayOn(shanghai, day)).toEqual({ name: 'Spring Festival' });
    expect(holidayOn(shanghai, '2026-02-13')).toBeNull();
    expect(isWorkingDay(shanghai, '2026-02-24').working).toBe(true);
  });

  it('replaces date-holidays for 2025 and 2026', () => {
    expect(isWorkingDay(shanghai, '2025-02-04').working).toBe(false); // 8-day Spring Festival 2025: 28 Jan–4 Feb
    expect(isWorkingDay(shanghai, '2025-10-08').working).toBe(false); // National Day + Mid-Autumn 2025: 1–8 Oct
    expect(isWorkingDay(shanghai, '2026-10-08').working).toBe(true);
    expect(isWorkingDay(shanghai, '2026-06-01').working).toBe(true); // Children's Day: only children get it off
    expect(holidayOn(shanghai, '2026-05-05')).toEqual({ name: 'Labour Day' });
  });

  it('ships both years of the State Council notices', () => {
    expect(Object.keys(CHINA_ARRANGEMENTS)).toEqual(['2025', '2026']);
    const offDays = (year: number) =>
      (CHINA_ARRANGEMENTS[year] ?? []).reduce((sum, a) => sum + (Date.parse(a.off[1]) - Date.parse(a.off[0])) / 86_400_000 + 1, 0);
    expect(offDays(2025)).toBe(1 + 8 + 3 + 5 + 3 + 8);
    expect(offDays(2026)).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });

  it('the data file says which years it covers', () => {
    expect(CHINA_ARRANGEMENT_YEARS).toEqual({ first: 2025, last: 2026 });
  });

  it('past the data file, the engine says the arrangement is not yet published instead of silently using the plain calendar', () => {
    // Thursday 31 Dec 2026 18:30 Shanghai (UTC+8): closed; 1 Jan 2027 New Year (nominal date) → next window Monday 4 Jan 2027
    const answer = slotFor({ email: 'buyer@ningbo-valves.cn', now: new Date('2026-12-31T10:30:00Z') });
    expect(answer.nextSlot).toBe('2027-01-04T01:00:00.000Z');
    expect(answer.notices).toEqual([{ code: 'china-arrangement-unpublished', year: 2027 }]);
    expect(answer.reasons).toContain("China's holiday arrangement for 2027 is not yet published: public holidays on their nominal dates, make-up working days (调休) unknown");
    // inside the covered years: no notice
    expect(slotFor({ email: 'buyer@ningbo-valves.cn', now: new Date('2026-11-30T02:00:00Z') }).notices).toEqual([]);
    expect(calendarNotices(shanghai, '2027-05-01', '2027-05-03')).toEqual([{ code: 'china-arrangement-unpublished', year: 2027 }]);
  });

  it('a holiday date-holidays starts at noon does not close the day (outside the table years)', () => {
    // 8 March 2027 is a Monday: International Women's Day, "12:00" in date-holidays, a half day for women only
    expect(holidayOn(shanghai, '2027-03-08')).toBeNull();
    expect(isWorkingDay(shanghai, '2027-03-08').working).toBe(true);
    expect(isWorkingDay(shanghai, '2027-06-01').working).toBe(true); // Children's Day 2027, a Tuesday
    expect(holidayOn(shanghai, '2027-10-01')).toEqual({ name: 'National Day' });
  });
});
