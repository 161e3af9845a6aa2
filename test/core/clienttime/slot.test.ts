import { describe, expect, it } from '@jest/globals';
import { businessCalendar, ClientTimeError, nextSlot, slotFor } from '../../../src/core/clienttime/index.js';

const date = (iso: string) => new Date(iso);

describe('slotFor: the Riyadh Friday', () => {
  // Fri 27 Nov 2026 07:00Z = 10:00 in Riyadh (+03), a weekend day there
  const answer = slotFor({ email: 'procurement@buyer.com.sa', now: date('2026-11-27T07:00:00Z'), repTimeZone: 'Asia/Shanghai' });

  it('says why it is closed and when to send', () => {
    expect(answer).toMatchObject({
      timeZone: 'Asia/Riyadh',
      confidence: 'medium',
      localTime: '2026-11-27T10:00:00+03:00',
      inBusinessHours: false,
      status: 'closed: Friday is not a working day in Saudi Arabia',
      nextSlot: '2026-11-29T06:00:00.000Z', // Sunday 09:00+03
    });
    expect(answer.reasons[0]).toBe('e-mail domain .com.sa → Saudi Arabia');
  });

  it('offers the next openings and the next afternoon, in both clocks', () => {
    expect(answer.alternatives.map(({ labelText: _code, ...rest }) => rest)).toEqual([
      { label: 'their 09:00 on Sunday 29 Nov', at: '2026-11-29T06:00:00.000Z', clientLocal: '2026-11-29T09:00:00+03:00', repLocal: '2026-11-29T14:00:00+08:00' },
      { label: 'their 14:00 on Sunday 29 Nov', at: '2026-11-29T11:00:00.000Z', clientLocal: '2026-11-29T14:00:00+03:00', repLocal: '2026-11-29T19:00:00+08:00' },
      { label: 'their 09:00 on Monday 30 Nov', at: '2026-11-30T06:00:00.000Z', clientLocal: '2026-11-30T09:00:00+03:00', repLocal: '2026-11-30T14:00:00+08:00' },
    ]);
  });
});

describe('status and alternatives inside and around hours', () => {
  const berlin = businessCalendar('DE', 'Europe/Berlin');

  it('open: the slot is their next business morning, not now; alternatives are later today and tomorrow', () => {
    // Tue 24 Nov 2026 10:30 CET
    const slot = nextSlot(date('2026-11-24T09:30:00.123Z'), berlin);
    expect(slot).toMatchObject({ timeZone: 'Europe/Berlin', localTime: '2026-11-24T10:30:00+01:00', inBusinessHours: true, status: 'open until 18:00', nextSlot: '2026-11-25T08:00:00.000Z' });
    expect(slot.alternatives.map((a) => [a.label, a.at])).toEqual([
      ['their 14:00 today', '2026-11-24T13:00:00.000Z'],
      ['their 09:00 tomorrow', '2026-11-25T08:00:00.000Z'],
      ['their 09:00 on Thursday 26 Nov', '2026-11-26T08:00:00.000Z'],
    ]);
    expect(slot.alternatives[0]).not.toHaveProperty('repLocal');
  });

  it('before opening: the slot is this morning', () => {
    const slot = nextSlot(date('2026-11-24T06:00:00Z'), berlin);
    expect(slot).toMatchObject({ inBusinessHours: false, status: 'closed: before business hours (opens 09:00)', nextSlot: '2026-11-24T08:00:00.000Z' });
  });

  it('after closing: the slot is the next working morning, the afternoon is tomorrow', () => {
    // Fri 27 Nov 18:00 CET, end is exclusive
    const slot = nextSlot(date('2026-11-27T17:00:00Z'), berlin);
    expect(slot).toMatchObject({ inBusinessHours: false, status: 'closed: after business hours (closed at 18:00)', nextSlot: '2026-11-30T08:00:00.000Z' });
    expect(slot.alternatives.map((a) => a.label)).toEqual(['their 09:00 on Monday 30 Nov', 'their 14:00 on Monday 30 Nov', 'their 09:00 on Tuesday 1 Dec']);
  });

  it('on a public holiday', () => {
    const slot = nextSlot(date('2026-10-03T10:00:00Z'), berlin); // Sat 3 Oct, German Unity Day
    expect(slot.status).toBe('closed: public holiday (National Holiday)');
    expect(slot.nextSlot).toBe('2026-10-05T07:00:00.000Z');
  });

  it('uses the pack hours and the customer overrides', () => {
    const calendar = businessCalendar('DE', 'Europe/Berlin', { closedDates: ['2026-11-30'] }, { start: '08:30', end: '17:00' });
    const slot = nextSlot(date('2026-11-27T16:00:00Z'), calendar); // Fri 17:00 local = closed
    expect(slot.status).toBe('closed: after business hours (closed at 17:00)');
    expect(slot.nextSlot).toBe('2026-12-01T07:30:00.000Z'); // Mon 30 closed for the customer → Tue 08:30+01
  });

  it('offers no afternoon when the hours end before 14:00', () => {
    const calendar = businessCalendar('DE', 'Europe/Berlin', { start: '07:00', end: '13:00' });
    const slot = nextSlot(date('2026-11-24T09:30:00Z'), calendar);
    expect(slot.alternatives.map((a) => a.label)).toEqual(['their 07:00 tomorrow', 'their 07:00 on Thursday 26 Nov']);
  });
});

describe('send at their next opening: never now, also while they are open', () => {
  const berlin = businessCalendar('DE', 'Europe/Berlin');
  const riyadh = businessCalendar('SA', 'Asia/Riyadh');

  it.each([
    // [now (UTC), what it is for them, expected next opening (UTC)]
    ['2026-11-24T08:00:00.000Z', 'Berlin Tue 09:00, the very minute they open', berlin, '2026-11-25T08:00:00.000Z'], // Wed 09:00+01
    ['2026-11-24T16:59:00.000Z', 'Berlin Tue 17:59, a minute before closing', berlin, '2026-11-25T08:00:00.000Z'],
    ['2026-11-27T13:00:00.000Z', 'Berlin Fri 14:00: the weekend is skipped', berlin, '2026-11-30T08:00:00.000Z'], // Mon 09:00+01
    ['2026-10-02T08:00:00.000Z', 'Berlin Fri 2 Oct 10:00 before German Unity Day (Sat) and a Sunday', berlin, '2026-10-05T07:00:00.000Z'], // Mon 09:00+02
    ['2026-11-26T07:00:00.000Z', 'Riyadh Thu 10:00: Friday and Saturday are their weekend', riyadh, '2026-11-29T06:00:00.000Z'], // Sun 09:00+03
  ])('%s (%s) → %s', (now, _what, calendar, expected) => {
    const slot = nextSlot(date(now), calendar);
    expect(slot.inBusinessHours).toBe(true);
    expect(slot.nextSlot).toBe(expected);
    expect(slot.statusText.code).toBe('ct.status.open');
  });

  it('slotFor agrees: open now, the slot is their next morning and the first alternative is not now', () => {
    const answer = slotFor({ email: 'buyer@firma.de', now: date('2026-11-24T09:30:00Z') }); // Tue 10:30 Berlin
    expect(answer.inBusinessHours).toBe(true);
    expect(answer.nextSlot).toBe('2026-11-25T08:00:00.000Z');
    expect(answer.alternatives.every((a) => Date.parse(a.at) > Date.parse('2026-11-24T09:30:00Z'))).toBe(true);
  });
});

describe('slots across DST changes', () => {
  it('US spring-forward weekend: Friday evening EST → Monday 09:00 EDT', () => {
    const slot = nextSlot(date('2026-03-06T23:00:00Z'), businessCalendar('US', 'America/New_York'));
    expect(slot.localTime).toBe('2026-03-06T18:00:00-05:00');
    expect(slot.nextSlot).toBe('2026-03-09T13:00:00.000Z');
  });

  it('US fall-back weekend: Friday evening EDT → Monday 09:00 EST', () => {
    expect(nextSlot(date('2026-10-30T22:00:00Z'), businessCalendar('US', 'America/New_York')).nextSlot).toBe('2026-11-02T14:00:00.000Z');
  });

  it('a Sunday-working calendar on the spring-forward day itself', () => {
    const calendar = businessCalendar('US', 'America/New_York', { workWeek: [1, 2, 3, 4, 5, 6, 7] });
    expect(nextSlot(date('2026-03-08T06:00:00Z'), calendar).nextSlot).toBe('2026-03-08T13:00:00.000Z'); // 09:00 EDT
    // hours that open inside the missing hour open when the clock jumps past it: 02:30 → 03:30 EDT
    const early = businessCalendar(null, 'America/New_York', { start: '02:30', end: '12:00', workWeek: [7] });
    expect(nextSlot(date('2026-03-08T06:00:00Z'), early).nextSlot).toBe('2026-03-08T07:30:00.000Z');
  });

  it('Europe spring-forward and fall-back weekends', () => {
    const berlin = businessCalendar('DE', 'Europe/Berlin');
    expect(nextSlot(date('2026-03-27T17:30:00Z'), berlin).nextSlot).toBe('2026-03-30T07:00:00.000Z'); // Mon 09:00 CEST
    expect(nextSlot(date('2026-10-23T16:00:00Z'), berlin).nextSlot).toBe('2026-10-26T08:00:00.000Z'); // Mon 09:00 CET
    // London is an hour behind: Fri 18:00 BST = 17:00Z → Mon 09:00 GMT
    expect(nextSlot(date('2026-10-23T17:00:00Z'), businessCalendar('GB', 'Europe/London')).nextSlot).toBe('2026-10-26T09:00:00.000Z');
  });

  it('Sydney leaves summer time over Easter 2026', () => {
    // Thu 2 Apr 19:00 AEDT → Good Friday, Easter Saturday, Sunday (clocks back), Easter Monday → Tue 7 Apr 09:00 AEST (+10)
    expect(nextSlot(date('2026-04-02T08:00:00Z'), businessCalendar('AU', 'Australia/Sydney')).nextSlot).toBe('2026-04-06T23:00:00.000Z');
  });

  it('Melbourne enters summer time on 4 Oct 2026', () => {
    // Fri 2 Oct 18:00 AEST → Mon 5 Oct 09:00 AEDT (+11)
    expect(nextSlot(date('2026-10-02T08:00:00Z'), businessCalendar('AU', 'Australia/Melbourne')).nextSlot).toBe('2026-10-04T22:00:00.000Z');
  });

  it('Santiago enters summer time on 6 Sep 2026', () => {
    // Fri 4 Sep 18:00 -04 → Mon 7 Sep 09:00 -03
    expect(nextSlot(date('2026-09-04T22:00:00Z'), businessCalendar('CL', 'America/Santiago')).nextSlot).toBe('2026-09-07T12:00:00.000Z');
  });
});

describe('half-hour and 45-minute zones', () => {
  it('Kolkata opens at 03:30Z and closes at 12:30Z', () => {
    const kolkata = businessCalendar('IN', 'Asia/Kolkata');
    expect(nextSlot(date('2026-11-27T03:29:59Z'), kolkata)).toMatchObject({ inBusinessHours: false, nextSlot: '2026-11-27T03:30:00.000Z', localTime: '2026-11-27T08:59:59+05:30' });
    expect(nextSlot(date('2026-11-27T03:30:00Z'), kolkata).inBusinessHours).toBe(true);
    expect(nextSlot(date('2026-11-27T12:29:59Z'), kolkata).inBusinessHours).toBe(true);
    expect(nextSlot(date('2026-11-27T12:30:00Z'), kolkata)).toMatchObject({ inBusinessHours: false, nextSlot: '2026-11-30T03:30:00.000Z' });
  });

  it('Kathmandu (+05:45, Sunday–Friday)', () => {
    const kathmandu = businessCalendar('NP', 'Asia/Kathmandu');
    expect(nextSlot(date('2026-11-27T12:14:59Z'), kathmandu).inBusinessHours).toBe(true); // Fri 17:59:59
    // Fri 18:00 → Saturday off → Sun 29 Nov 09:00+05:45 = 03:15Z
    expect(nextSlot(date('2026-11-27T12:15:00Z'), kathmandu)).toMatchObject({ inBusinessHours: false, nextSlot: '2026-11-29T03:15:00.000Z' });
  });

  it('Adelaide in summer (+10:30) and winter (+09:30)', () => {
    const adelaide = businessCalendar('AU', 'Australia/Adelaide');
    expect(nextSlot(date('2026-11-27T07:30:00Z'), adelaide).nextSlot).toBe('2026-11-29T22:30:00.000Z'); // Fri 18:00 → Mon 09:00+10:30
    expect(nextSlot(date('2026-06-12T08:30:00Z'), adelaide).nextSlot).toBe('2026-06-14T23:30:00.000Z'); // Fri 18:00 → Mon 09:00+09:30
  });

  it('Tehran (+03:30, Saturday–Wednesday)', () => {
    // Wed 25 Nov 18:00 → Thursday and Friday off → Sat 28 Nov 09:00+03:30 = 05:30Z
    expect(nextSlot(date('2026-11-25T14:30:00Z'), businessCalendar('IR', 'Asia/Tehran')).nextSlot).toBe('2026-11-28T05:30:00.000Z');
  });

  it('Eucla (+08:45)', () => {
    expect(nextSlot(date('2026-11-27T00:14:00Z'), businessCalendar('AU', 'Australia/Eucla'))).toMatchObject({ localTime: '2026-11-27T08:59:00+08:45', nextSlot: '2026-11-27T00:15:00.000Z' });
  });
});

describe('UAE and Saudi Arabia on the same instants', () => {
  it('Friday is a working day in Dubai only, Sunday in Riyadh only', () => {
    const dubai = businessCalendar('AE', 'Asia/Dubai');
    const riyadh = businessCalendar('SA', 'Asia/Riyadh');
    const friday = date('2026-11-27T07:00:00Z');
    expect(nextSlot(friday, dubai).inBusinessHours).toBe(true);
    expect(nextSlot(friday, riyadh).inBusinessHours).toBe(false);
    const sunday = date('2026-11-29T07:00:00Z');
    expect(nextSlot(sunday, dubai)).toMatchObject({ inBusinessHours: false, status: 'closed: Sunday is not a working day in United Arab Emirates', nextSlot: '2026-11-30T05:00:00.000Z' });
    expect(nextSlot(sunday, riyadh)).toMatchObject({ inBusinessHours: true, status: 'open until 18:00' });
  });
});

describe('China around the Spring Festival 2026', () => {
  const shanghai = businessCalendar('CN', 'Asia/Shanghai');

  it('Friday evening → the make-up Saturday 14 Feb', () => {
    expect(nextSlot(date('2026-02-13T10:00:00Z'), shanghai).nextSlot).toBe('2026-02-14T01:00:00.000Z');
  });

  it('the make-up Saturday is open; its evening → Tuesday 24 Feb', () => {
    expect(nextSlot(date('2026-02-14T02:00:00Z'), shanghai)).toMatchObject({ inBusinessHours: true, localTime: '2026-02-14T10:00:00+08:00' });
    expect(nextSlot(date('2026-02-14T10:00:00Z'), shanghai).nextSlot).toBe('2026-02-24T01:00:00.000Z');
    expect(nextSlot(date('2026-02-16T02:00:00Z'), shanghai).status).toBe('closed: public holiday (Spring Festival)');
  });
});

describe('unknown zone and bad input', () => {
  it('free mail and nothing else → unknown time zone, no slot', () => {
    expect(slotFor({ email: 'buyer@gmail.com', now: date('2026-11-27T07:00:00Z') })).toEqual({
      timeZone: null,
      confidence: 'none',
      reasons: expect.arrayContaining([expect.stringContaining('free-mail')]),
      reasonTexts: expect.arrayContaining([{ code: 'ct.reason.domainFreeMail', params: { domain: 'gmail.com' } }]),
      localTime: null,
      inBusinessHours: false,
      status: 'unknown time zone',
      statusText: { code: 'ct.status.unknownZone', params: {} },
      nextSlot: null,
      alternatives: [],
      notices: [],
    });
  });

  it('gmail with a German phone → a Berlin slot', () => {
    expect(slotFor({ email: 'buyer@gmail.com', phone: '+49 89 1234567', now: date('2026-11-27T07:00:00Z') })).toMatchObject({
      timeZone: 'Europe/Berlin',
      nextSlot: '2026-11-27T08:00:00.000Z',
    });
  });

  it('a stored zone decides the country calendar too', () => {
    // an Emirati firm's buyer in Mumbai: Indian hours, Indian holidays (26 Jan 2026, Republic Day)
    const answer = slotFor({ storedTimeZone: 'Asia/Kolkata', email: 'x@firm.ae', now: date('2026-01-26T05:00:00Z') });
    expect(answer).toMatchObject({ timeZone: 'Asia/Kolkata', confidence: 'explicit', status: 'closed: public holiday (Republic Day)', nextSlot: '2026-01-27T03:30:00.000Z' });
  });

  it.each([
    [() => nextSlot(new Date('not a date'), businessCalendar('DE', 'Europe/Berlin')), 'now'],
    [() => slotFor({ country: 'DE', now: new Date(NaN) }), 'now'],
    [() => nextSlot(date('2026-11-27T07:00:00Z'), { ...businessCalendar('DE', 'Europe/Berlin'), timeZone: 'Europe/Atlantis' }), '"Europe/Atlantis"'],
    [() => nextSlot(date('2026-11-27T07:00:00Z'), { ...businessCalendar('DE', 'Europe/Berlin'), start: '9am' }), '"9am"'],
    [() => nextSlot(date('2026-11-27T07:00:00Z'), businessCalendar('DE', 'Europe/Berlin'), { repTimeZone: 'Asia/Pekin' }), '"Asia/Pekin"'],
    [() => slotFor({ country: 'ZZ', now: date('2026-11-27T07:00:00Z') }), '"ZZ"'],
    [() => slotFor({ country: 'DE', now: date('2026-11-27T07:00:00Z'), override: { end: '25:00' } }), '"25:00"'],
  ])('throws ClientTimeError naming the bad input (%#)', (call, named) => {
    expect(call).toThrow(ClientTimeError);
    expect(call).toThrow(named);
  });
});

describe('countries without holiday data', () => {
  it('say so in the reasons', () => {
    // Sunday 29 Nov 2026 12:45 in Kathmandu (UTC+5:45): Nepal works Sunday–Friday
    const answer = slotFor({ email: 'purchasing@trading.com.np', now: date('2026-11-29T07:00:00Z') });
    expect(answer).toMatchObject({ timeZone: 'Asia/Kathmandu', inBusinessHours: true });
    expect(answer.reasons).toContain('no public-holiday data for Nepal: only its weekends are known');
    // Qatar has its table now (islamic-holidays.ts)
    expect(slotFor({ email: 'purchasing@trading.com.qa', now: date('2026-11-29T07:00:00Z') }).reasons.join(' ')).not.toContain('no public-holiday data');
    expect(slotFor({ country: 'SA', now: date('2026-11-29T07:00:00Z') }).reasons.join(' ')).not.toContain('no public-holiday data');
  });
});
