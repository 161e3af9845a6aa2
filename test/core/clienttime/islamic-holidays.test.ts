import { businessCalendar, calendarNotices, hasUmmAlQura, hijriOf, holidayOn, isWorkingDay, nextSlot, slotFor } from '../../../src/core/clienttime/index.js';

/**
 * Expected dates are the Gregorian equivalents of the Umm al-Qura calendar (the official calendar
 * of Saudi Arabia, published by King Abdulaziz City for Science and Technology at
 * ummulqura.org.sa), as tabulated in Wikipedia's "Eid al-Fitr", "Eid al-Adha", "Islamic New Year"
 * and "Mawlid" articles (Saudi / Umm al-Qura rows). For 2025 they are also the days Saudi
 * Arabia's Supreme Court announced after the sighting: Eid al-Fitr Sunday 30 March 2025, Arafat
 * Thursday 5 June and Eid al-Adha Friday 6 June 2025 (Saudi Press Agency).
 */
const UMM_AL_QURA: ReadonlyArray<{ year: number; fitr: string; adha: string; newYear: string; mawlid: string }> = [
  { year: 2025, fitr: '2025-03-30', adha: '2025-06-06', newYear: '2025-06-26', mawlid: '2025-09-04' }, // 1 Shawwal 1446, 10 Dhu al-Hijjah 1446, 1 Muharram 1447, 12 Rabi I 1447
  { year: 2026, fitr: '2026-03-20', adha: '2026-05-27', newYear: '2026-06-16', mawlid: '2026-08-25' }, // 1447 / 1448
  { year: 2027, fitr: '2027-03-09', adha: '2027-05-16', newYear: '2027-06-06', mawlid: '2027-08-14' }, // 1448 / 1449
  { year: 2028, fitr: '2028-02-26', adha: '2028-05-05', newYear: '2028-05-25', mawlid: '2028-08-03' }, // 1449 / 1450
  { year: 2029, fitr: '2029-02-14', adha: '2029-04-24', newYear: '2029-05-14', mawlid: '2029-07-24' }, // 1450 / 1451
  { year: 2030, fitr: '2030-02-04', adha: '2030-04-13', newYear: '2030-05-04', mawlid: '2030-07-13' }, // 1451 / 1452
];

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (date: string, n = 1) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the Umm al-Qura calendar in this runtime', () => {
  it('is available (Node full ICU)', () => {
    expect(hasUmmAlQura()).toBe(true);
  });

  it('1 Shawwal 1446 is 30 March 2025 (Saudi Eid al-Fitr)', () => {
    expect(hijriOf('2025-03-30')).toEqual({ year: 1446, month: 10, day: 1 });
    expect(hijriOf('2025-03-29')).toEqual({ year: 1446, month: 9, day: 29 });
  });
});

describe.each(UMM_AL_QURA)('Kuwait $year (Umm al-Qura dates)', ({ fitr, adha, newYear, mawlid }) => {
  const kuwait = businessCalendar('KW', 'Asia/Kuwait');

  it(`Eid al-Fitr ${fitr}: three days off, the day before open`, () => {
    // 26 Feb 2028 is also Liberation Day: the name then carries both
    for (const day of [fitr, dayAfter(fitr), dayAfter(fitr, 2)]) {
      expect([day, holidayOn(kuwait, day)]).toEqual([day, { name: expect.stringMatching(/(^| \/ )Eid al-Fitr$/), feast: 'eid-al-fitr', announcedLocally: true }]);
    }
    // the eve is not Eid (in 2028 it is National Day, 25 February)
    expect(holidayOn(kuwait, dayBefore(fitr))?.feast).toBeUndefined();
    expect(holidayOn(kuwait, dayAfter(fitr, 3))).toBeNull();
  });

  it(`Arafat Day and Eid al-Adha ${adha}: four days off`, () => {
    expect(holidayOn(kuwait, dayBefore(adha))?.name).toBe('Arafat Day');
    for (const day of [adha, dayAfter(adha), dayAfter(adha, 2)]) expect([day, holidayOn(kuwait, day)?.name]).toEqual([day, 'Eid al-Adha']);
    expect(holidayOn(kuwait, dayAfter(adha, 3))).toBeNull();
  });

  it(`Islamic New Year ${newYear} and Mawlid ${mawlid}`, () => {
    expect(holidayOn(kuwait, newYear)).toEqual({ name: 'Islamic New Year', feast: 'hijri-new-year', announcedLocally: true });
    expect(holidayOn(kuwait, mawlid)).toEqual({ name: "Prophet's Birthday (Mawlid)", feast: 'mawlid', announcedLocally: true });
    expect(holidayOn(kuwait, dayAfter(mawlid))).toBeNull();
  });
});

describe('each country its own holidays', () => {
  it('Qatar: three days per Eid, no Arafat, Islamic New Year or Mawlid holiday; National Day 18 December and Sport Day on the second Tuesday of February', () => {
    const doha = businessCalendar('QA', 'Asia/Qatar');
    expect(holidayOn(doha, '2026-03-22')?.name).toBe('Eid al-Fitr');
    expect(holidayOn(doha, '2026-03-23')).toBeNull();
    expect(holidayOn(doha, '2026-05-26')).toBeNull(); // Arafat 1447
    expect(holidayOn(doha, '2026-06-16')).toBeNull(); // 1 Muharram 1448
    expect(holidayOn(doha, '2026-08-25')).toBeNull(); // Mawlid 1448
    expect(holidayOn(doha, '2026-12-18')).toEqual({ name: 'National Day' });
    expect(holidayOn(doha, '2026-02-10')).toEqual({ name: 'National Sport Day' }); // Tuesdays of Feb 2026: 3, 10
    expect(holidayOn(doha, '2027-02-09')).toEqual({ name: 'National Sport Day' }); // Tuesdays of Feb 2027: 2, 9
  });

  it.each([
    ['KW', '2026-02-25', 'National Day'],
    ['KW', '2026-02-26', 'Liberation Day'],
    ['OM', '2026-11-20', 'National Day'],
    ['JO', '2026-05-25', 'Independence Day'],
    ['IQ', '2026-07-14', 'Republic Day'],
    ['IQ', '2026-10-03', 'National Day'],
    ['YE', '2026-05-22', 'Unity Day'],
    ['AF', '2026-08-19', 'Independence Day'],
    ['MV', '2026-07-26', 'Independence Day'],
    ['TJ', '2026-03-24', 'Navruz'],
    ['TM', '2026-09-27', 'Independence Day'],
    ['KG', '2026-08-31', 'Independence Day'],
  ])('%s %s: %s (national days table, a fixed date)', (country, date, name) => {
    expect(holidayOn(businessCalendar(country, 'UTC'), date)).toEqual({ name });
  });

  it('Central Asia closes one day per Eid', () => {
    const bishkek = businessCalendar('KG', 'Asia/Bishkek');
    expect(holidayOn(bishkek, '2027-03-09')?.name).toBe('Eid al-Fitr');
    expect(holidayOn(bishkek, '2027-03-10')).toBeNull();
  });

  it('a day that is two holidays keeps both names and stays "announced locally"', () => {
    // 1 Shawwal 1449 = Saturday 26 February 2028 = Kuwait's Liberation Day
    expect(holidayOn(businessCalendar('KW', 'Asia/Kuwait'), '2028-02-26')).toEqual({ name: 'Liberation Day / Eid al-Fitr', feast: 'eid-al-fitr', announcedLocally: true });
  });

  it('countries date-holidays covers keep its data (Saudi Arabia, UAE)', () => {
    expect(holidayOn(businessCalendar('SA', 'Asia/Riyadh'), '2026-09-23')?.name).toMatch(/National Day/);
    expect(holidayOn(businessCalendar('SA', 'Asia/Riyadh'), '2026-09-23')?.announcedLocally).toBeUndefined();
  });
});

describe('what the rep sees', () => {
  it('Eid closes the day "with the date announced locally"', () => {
    const kuwait = businessCalendar('KW', 'Asia/Kuwait');
    expect(isWorkingDay(kuwait, '2027-03-09')).toEqual({ working: false, reason: 'public holiday (Eid al-Fitr; date announced locally: may move by a day)' });
  });

  it('a mail to Kuwait on the eve of Eid al-Fitr 2027 waits for the Sunday after Eid, and says the date may move', () => {
    // Monday 8 March 2027 19:00 Kuwait (UTC+3): closed; 9–11 March Eid (Tue–Thu), 12–13 weekend → Sunday 14 March 09:00 = 06:00Z
    const answer = slotFor({ email: 'buyer@alghanim.com.kw', now: new Date('2027-03-08T16:00:00Z') });
    expect(answer.nextSlot).toBe('2027-03-14T06:00:00.000Z');
    expect(answer.notices).toEqual([
      { code: 'holiday-announced-locally', date: '2027-03-09', holiday: 'Eid al-Fitr', feast: 'eid-al-fitr' },
      { code: 'holiday-announced-locally', date: '2027-03-10', holiday: 'Eid al-Fitr', feast: 'eid-al-fitr' },
      { code: 'holiday-announced-locally', date: '2027-03-11', holiday: 'Eid al-Fitr', feast: 'eid-al-fitr' },
    ]);
    expect(answer.reasons).toContain('Eid al-Fitr on 2027-03-09: date announced locally, may move by a day');
    expect(answer.reasons.join('\n')).not.toContain('no public-holiday data');
  });

  it('Jordan: Eid was "open" before; now the slot skips it', () => {
    // Friday 20 March 2026 is 1 Shawwal 1447; Jordan's weekend is Fri–Sat; Eid 20–22 March → Monday 23 March 09:00 Amman (UTC+3) = 06:00Z
    const amman = businessCalendar('JO', 'Asia/Amman');
    expect(nextSlot(new Date('2026-03-19T16:00:00Z'), amman).nextSlot).toBe('2026-03-23T06:00:00.000Z');
  });

  it('no notice when no moon-dependent holiday is near', () => {
    const kuwait = businessCalendar('KW', 'Asia/Kuwait');
    expect(calendarNotices(kuwait, '2026-11-01', '2026-11-03')).toEqual([]);
  });
});
