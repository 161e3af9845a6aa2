import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { businessCalendar, isWorkingDay, nextSlot, ZONES_BY_COUNTRY, type BusinessCalendar } from '../../../src/core/clienttime/index.js';

/**
 * Random instants × random countries and zones from the table. The local wall clock is read here
 * with a separate Intl formatter, not through the engine's own zone code.
 */

const COUNTRIES = [
  'SA', 'AE', 'QA', 'KW', 'BH', 'OM', 'IL', 'JO', 'IR', 'EG', 'TR', 'MA', 'DZ', 'NG', 'KE', 'ZA',
  'GB', 'IE', 'DE', 'FR', 'IT', 'ES', 'PT', 'NL', 'PL', 'SE', 'CH', 'GR', 'RU', 'UA',
  'US', 'CA', 'MX', 'BR', 'AR', 'CL', 'CO', 'PE',
  'CN', 'HK', 'TW', 'JP', 'KR', 'IN', 'PK', 'BD', 'NP', 'LK', 'ID', 'VN', 'TH', 'MY', 'SG', 'PH', 'KZ', 'UZ', 'AF', 'BN',
  'AU', 'NZ',
] as const;

const countryAndZone = fc.constantFrom(...COUNTRIES).chain((country) => fc.tuple(fc.constant(country), fc.constantFrom(...ZONES_BY_COUNTRY[country]!)));
// three years keep date-holidays' (slow, cached) yearly computations few; 2025–2026 include China's State Council tables
const instant = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T23:59:59Z'), noInvalidDate: true });
const hours = fc.constantFrom({ start: '09:00', end: '18:00' }, { start: '08:00', end: '17:00' }, { start: '07:30', end: '12:45' }, { start: '13:00', end: '22:00' });

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
function localWall(zone: string, ms: number): { date: string; minutes: number } {
  let formatter = wallFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    wallFormatters.set(zone, formatter);
  }
  const part = (type: string) => formatter!.formatToParts(ms).find((p) => p.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** Inside [start, end) on a working, non-holiday local day of the calendar. */
function insideHours(calendar: BusinessCalendar, ms: number): boolean {
  const wall = localWall(calendar.timeZone, ms);
  return isWorkingDay(calendar, wall.date).working && wall.minutes >= minutesOf(calendar.start) && wall.minutes < minutesOf(calendar.end);
}

const RUNS = { numRuns: 300 };
/** The first property fills the holiday caches of 60 countries. */
const COLD_CACHE_TIMEOUT_MS = 90_000;

describe('nextSlot properties', () => {
  it('the slot is after now, opens business hours on a working day, and nothing is open between now and it (outside the current window)', () => {
    fc.assert(
      fc.property(instant, countryAndZone, hours, (now, [country, zone], defaults) => {
        const calendar = businessCalendar(country, zone, undefined, defaults);
        const slot = nextSlot(now, calendar);
        const slotMs = Date.parse(slot.nextSlot!);
        expect(slotMs).toBeGreaterThan(now.getTime());
        expect(insideHours(calendar, slotMs)).toBe(true);
        // an opening: the minute before is outside hours
        expect(insideHours(calendar, slotMs - 60_000)).toBe(false);
      }),
      RUNS,
    );
  }, COLD_CACHE_TIMEOUT_MS);

  it('inBusinessHours agrees with the wall clock, and the slot is never now', () => {
    fc.assert(
      fc.property(instant, countryAndZone, (now, [country, zone]) => {
        const calendar = businessCalendar(country, zone);
        const slot = nextSlot(now, calendar);
        expect(slot.inBusinessHours).toBe(insideHours(calendar, now.getTime()));
        expect(Date.parse(slot.nextSlot!)).toBeGreaterThan(now.getTime());
        // open now: the slot is a later day's opening, their next business morning
        if (slot.inBusinessHours) expect(localWall(calendar.timeZone, Date.parse(slot.nextSlot!)).date > localWall(calendar.timeZone, now.getTime()).date).toBe(true);
      }),
      RUNS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(instant, countryAndZone, (now, [country, zone]) => {
        const calendar = businessCalendar(country, zone);
        expect(nextSlot(new Date(now.getTime()), calendar, { repTimeZone: 'Asia/Shanghai' })).toEqual(nextSlot(new Date(now.getTime()), calendar, { repTimeZone: 'Asia/Shanghai' }));
      }),
      RUNS,
    );
  });

  it('skips no earlier window: any instant between now and the slot is closed and leads to the same slot', () => {
    fc.assert(
      fc.property(instant, countryAndZone, fc.double({ min: 0, max: 1, noNaN: true }), (now, [country, zone], fraction) => {
        const calendar = businessCalendar(country, zone);
        const slot = nextSlot(now, calendar);
        if (slot.inBusinessHours) return;
        const slotMs = Date.parse(slot.nextSlot!);
        const between = new Date(Math.min(slotMs - 1, now.getTime() + Math.floor((slotMs - now.getTime()) * fraction)));
        expect(insideHours(calendar, between.getTime())).toBe(false);
        const again = nextSlot(between, calendar);
        expect(again.inBusinessHours).toBe(false);
        expect(again.nextSlot).toBe(slot.nextSlot);
      }),
      RUNS,
    );
  });

  it('alternatives are in the future, ascending, distinct, and inside business hours', () => {
    fc.assert(
      fc.property(instant, countryAndZone, hours, (now, [country, zone], defaults) => {
        const calendar = businessCalendar(country, zone, undefined, defaults);
        const { alternatives } = nextSlot(now, calendar);
        expect(alternatives.length).toBeGreaterThanOrEqual(2);
        let previous = now.getTime();
        for (const alternative of alternatives) {
          const ms = Date.parse(alternative.at);
          expect(ms).toBeGreaterThan(previous);
          expect(insideHours(calendar, ms)).toBe(true);
          expect(Date.parse(alternative.clientLocal)).toBe(ms);
          previous = ms;
        }
      }),
      RUNS,
    );
  });

  it('localTime is the wall clock of now, with the right offset', () => {
    fc.assert(
      fc.property(instant, countryAndZone, (now, [country, zone]) => {
        const slot = nextSlot(now, businessCalendar(country, zone));
        expect(slot.localTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
        expect(Date.parse(slot.localTime!)).toBe(Math.floor(now.getTime() / 1000) * 1000);
        expect(slot.localTime!.slice(0, 10)).toBe(localWall(zone, now.getTime()).date);
      }),
      RUNS,
    );
  });
});
