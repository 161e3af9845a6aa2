import { describe, expect, it } from '@jest/globals';
import { businessCalendar, ClientTimeError, dueIn } from '../../../src/core/clienttime/index.js';

describe("due in the client's business days", () => {
  const riyadh = businessCalendar('SA', 'Asia/Riyadh');
  const berlin = businessCalendar('DE', 'Europe/Berlin');

  it('skips the Gulf weekend (Friday, Saturday)', () => {
    // Wed 25 Nov 2026, 12:00 in Riyadh; +3 working days: Thu 26, Sun 29, Mon 30 → 10:00 +03:00 = 07:00Z.
    expect(dueIn(new Date('2026-11-25T09:00:00Z'), riyadh, { businessDays: 3, at: '10:00' })).toEqual({
      at: '2026-11-30T07:00:00.000Z',
      local: '2026-11-30T10:00:00+03:00',
      timeZone: 'Asia/Riyadh',
    });
  });

  it('skips public holidays and keeps their clock across a DST change', () => {
    // Thu 24 Dec 2026 in Berlin; 25 and 26 Dec are holidays, 26/27 a weekend: +1 → Mon 28 Dec.
    expect(dueIn(new Date('2026-12-24T08:00:00Z'), berlin, { businessDays: 1, at: '10:00' }).local).toBe('2026-12-28T10:00:00+01:00');
    // Fri 23 Oct 2026; DST ends Sun 25 Oct: +1 → Mon 26 Oct 10:00 +01:00 = 09:00Z.
    expect(dueIn(new Date('2026-10-23T08:00:00Z'), berlin, { businessDays: 1, at: '10:00' }).at).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts from the day it is for the client, not for the rep', () => {
    // 22:30Z on Wed 25 Nov is already Thu 26 Nov 01:30 in Riyadh: +1 → Sun 29 Nov.
    expect(dueIn(new Date('2026-11-25T22:30:00Z'), riyadh, { businessDays: 1, at: '09:00' }).local).toBe('2026-11-29T09:00:00+03:00');
  });

  it('treats 0 days as today when it is a working day, and refuses nonsense', () => {
    expect(dueIn(new Date('2026-11-27T08:00:00Z'), riyadh, { businessDays: 0, at: '16:00' }).local).toBe('2026-11-29T16:00:00+03:00'); // a Friday → Sunday
    expect(() => dueIn(new Date(), riyadh, { businessDays: -1, at: '10:00' })).toThrow(ClientTimeError);
    expect(() => dueIn(new Date(), riyadh, { businessDays: 1, at: '25:00' })).toThrow(ClientTimeError);
  });
});
