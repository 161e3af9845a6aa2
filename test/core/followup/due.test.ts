import { describe, expect, it } from '@jest/globals';
import { businessCalendar } from '../../../src/core/clienttime/index.js';
import { dueAfterReturn, followUpDue, FollowUpError } from '../../../src/core/followup/index.js';

describe("a follow-up comes due after N of the buyer's business days", () => {
  const riyadh = businessCalendar('SA', 'Asia/Riyadh');
  const berlin = businessCalendar('DE', 'Europe/Berlin');

  it('skips the Saudi weekend and Eid al-Fitr, then reminds at the rep’s 09:00 in Ningbo', () => {
    // Sent Thu 4 Mar 2027 11:00 Riyadh. Their business days after it: Sun 7 (1), Mon 8 (2);
    // Tue 9 – Fri 12 are Eid al-Fitr, Sat 13 the weekend; Sun 14 (3) closes 18:00 +03 = 15:00Z.
    // The rep's next 09:00 (+08) after that is Mon 15 Mar 09:00 +08 = 01:00Z.
    const due = followUpDue(new Date('2027-03-04T08:00:00Z'), { kind: 'business-days', days: 3, hour: '09:00' }, { buyer: riyadh, repTimeZone: 'Asia/Shanghai' });
    expect(due).toEqual({ at: '2027-03-15T01:00:00.000Z', local: '2027-03-15T09:00:00+08:00', repTimeZone: 'Asia/Shanghai', buyerDeadline: '2027-03-14T15:00:00.000Z', basis: 'buyer' });
  });

  it('reminds the same evening when the rep’s hour comes later that day', () => {
    // Sent Wed 25 Nov 2026 in Berlin; 1 business day: Thu 26 closes 18:00 +01 = 17:00Z; the rep in Berlin wants 19:00 → 18:00Z that day.
    const due = followUpDue(new Date('2026-11-25T10:00:00Z'), { kind: 'business-days', days: 1, hour: '19:00' }, { buyer: berlin, repTimeZone: 'Europe/Berlin' });
    expect(due.at).toBe('2026-11-26T18:00:00.000Z');
  });

  it('counts the rep’s Mon–Fri week when the buyer’s zone is unknown', () => {
    // Sent Fri 27 Nov 2026 in Shanghai; 2 days: Mon 30 Nov, Tue 1 Dec closes 18:00 +08 = 10:00Z; 09:00 next day = Wed 2 Dec 01:00Z.
    const due = followUpDue(new Date('2026-11-27T02:00:00Z'), { kind: 'business-days', days: 2, hour: '09:00' }, { buyer: null, repTimeZone: 'Asia/Shanghai' });
    expect(due).toMatchObject({ at: '2026-12-02T01:00:00.000Z', basis: 'rep' });
  });

  it('fires on a chosen date at the rep’s hour', () => {
    const due = followUpDue(new Date('2026-11-27T02:00:00Z'), { kind: 'date', date: '2026-12-10', hour: '10:30' }, { buyer: riyadh, repTimeZone: 'Asia/Shanghai' });
    expect(due).toMatchObject({ at: '2026-12-10T02:30:00.000Z', local: '2026-12-10T10:30:00+08:00', buyerDeadline: null, basis: 'date' });
  });

  it('refuses a rule it cannot honour, naming the field', () => {
    const clock = { buyer: riyadh, repTimeZone: 'Asia/Shanghai' };
    expect(() => followUpDue(new Date(), { kind: 'business-days', days: 0, hour: '09:00' }, clock)).toThrow(FollowUpError);
    expect(() => followUpDue(new Date(), { kind: 'business-days', days: 61, hour: '09:00' }, clock)).toThrow(/^days: /);
    expect(() => followUpDue(new Date(), { kind: 'business-days', days: 3, hour: '9am' }, clock)).toThrow(/^hour: /);
    expect(() => followUpDue(new Date(), { kind: 'date', date: '2026-02-30', hour: '09:00' }, clock)).toThrow(/^date: /);
  });
});

describe('an out-of-office moves the reminder after the buyer is back', () => {
  const riyadh = businessCalendar('SA', 'Asia/Riyadh');

  it('gives them their first business day back in full', () => {
    // Back Sat 13 Mar 2027 (a weekend day): first business day Sun 14, closes 15:00Z → the rep's 09:00 Mon 15 (+08) = 01:00Z.
    const moved = dueAfterReturn('2027-03-13', '2027-03-08T01:00:00.000Z', '09:00', { buyer: riyadh, repTimeZone: 'Asia/Shanghai' });
    expect(moved.at).toBe('2027-03-15T01:00:00.000Z');
  });

  it('never moves a reminder earlier', () => {
    const moved = dueAfterReturn('2027-03-07', '2027-03-20T01:00:00.000Z', '09:00', { buyer: riyadh, repTimeZone: 'Asia/Shanghai' });
    expect(moved.at).toBe('2027-03-20T01:00:00.000Z');
  });
});
