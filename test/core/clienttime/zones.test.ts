import { describe, expect, it } from '@jest/globals';
import { ClientTimeError } from '../../../src/core/clienttime/index.js';
import { formatLocalIso, formatOffset, instantOfWallTime, normalizeTimeZone, offsetMinutesAt } from '../../../src/core/clienttime/zones.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('wall clock → instant across DST', () => {
  it('New York spring-forward (Sun 8 Mar 2026, 02:00 EST → 03:00 EDT)', () => {
    expect(iso(instantOfWallTime('America/New_York', '2026-03-08', 1 * 60 + 59))).toBe('2026-03-08T06:59:00.000Z'); // still EST
    // 02:30 does not exist that night: moved forward by the hour, to 03:30 EDT
    expect(iso(instantOfWallTime('America/New_York', '2026-03-08', 2 * 60 + 30))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(instantOfWallTime('America/New_York', '2026-03-08', 3 * 60))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(instantOfWallTime('America/New_York', '2026-03-08', 9 * 60))).toBe('2026-03-08T13:00:00.000Z');
    expect(formatLocalIso('America/New_York', at('2026-03-08T06:59:59Z'))).toBe('2026-03-08T01:59:59-05:00');
    expect(formatLocalIso('America/New_York', at('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00-04:00');
  });

  it('New York fall-back (Sun 1 Nov 2026): 01:30 happens twice, the earlier one wins', () => {
    expect(iso(instantOfWallTime('America/New_York', '2026-11-01', 90))).toBe('2026-11-01T05:30:00.000Z'); // EDT, not 06:30Z EST
    expect(iso(instantOfWallTime('America/New_York', '2026-11-01', 9 * 60))).toBe('2026-11-01T14:00:00.000Z');
    expect(formatLocalIso('America/New_York', at('2026-11-01T06:30:00Z'))).toBe('2026-11-01T01:30:00-05:00');
  });

  it('Berlin spring-forward (29 Mar 2026) and fall-back (25 Oct 2026)', () => {
    expect(iso(instantOfWallTime('Europe/Berlin', '2026-03-29', 2 * 60 + 15))).toBe('2026-03-29T01:15:00.000Z'); // = 03:15 CEST
    expect(iso(instantOfWallTime('Europe/Berlin', '2026-03-28', 9 * 60))).toBe('2026-03-28T08:00:00.000Z');
    expect(iso(instantOfWallTime('Europe/Berlin', '2026-03-30', 9 * 60))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(instantOfWallTime('Europe/Berlin', '2026-10-25', 2 * 60 + 30))).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
    expect(iso(instantOfWallTime('Europe/Berlin', '2026-10-26', 9 * 60))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('Sydney: summer time ends 5 Apr 2026 and starts 4 Oct 2026 (southern hemisphere)', () => {
    expect(offsetMinutesAt('Australia/Sydney', at('2026-01-15T00:00:00Z'))).toBe(11 * 60);
    expect(offsetMinutesAt('Australia/Sydney', at('2026-07-15T00:00:00Z'))).toBe(10 * 60);
    // 02:30 on 5 Apr happens twice (03:00 AEDT → 02:00 AEST): earlier = 02:30+11:00
    expect(iso(instantOfWallTime('Australia/Sydney', '2026-04-05', 150))).toBe('2026-04-04T15:30:00.000Z');
    // 02:30 on 4 Oct never happens (02:00 AEST → 03:00 AEDT): 03:30+11:00
    expect(iso(instantOfWallTime('Australia/Sydney', '2026-10-04', 150))).toBe('2026-10-03T16:30:00.000Z');
  });

  it('Santiago: Chile leaves summer time on the first Sunday of April, returns the first Sunday of September', () => {
    expect(offsetMinutesAt('America/Santiago', at('2026-04-04T12:00:00Z'))).toBe(-180);
    expect(offsetMinutesAt('America/Santiago', at('2026-04-05T12:00:00Z'))).toBe(-240);
    expect(offsetMinutesAt('America/Santiago', at('2026-09-04T12:00:00Z'))).toBe(-240);
    expect(offsetMinutesAt('America/Santiago', at('2026-09-07T12:00:00Z'))).toBe(-180);
  });

  it('São Paulo history: summer time until 2019, none since', () => {
    expect(offsetMinutesAt('America/Sao_Paulo', at('2019-01-15T12:00:00Z'))).toBe(-120);
    expect(offsetMinutesAt('America/Sao_Paulo', at('2020-01-15T12:00:00Z'))).toBe(-180);
    expect(formatLocalIso('America/Sao_Paulo', at('2019-01-15T12:00:00Z'))).toBe('2019-01-15T10:00:00-02:00');
  });
});

describe('half-hour and 45-minute zones', () => {
  it.each([
    ['Asia/Kolkata', '2026-11-27T03:30:00Z', '2026-11-27T09:00:00+05:30'],
    ['Asia/Kathmandu', '2026-11-27T03:15:00Z', '2026-11-27T09:00:00+05:45'],
    ['Asia/Tehran', '2026-06-27T05:30:00Z', '2026-06-27T09:00:00+03:30'], // no summer time since 2022
    ['Australia/Adelaide', '2026-11-26T22:30:00Z', '2026-11-27T09:00:00+10:30'], // summer
    ['Australia/Adelaide', '2026-06-11T23:30:00Z', '2026-06-12T09:00:00+09:30'], // winter
    ['Australia/Eucla', '2026-11-27T00:15:00Z', '2026-11-27T09:00:00+08:45'],
    ['Pacific/Chatham', '2026-11-26T19:15:00Z', '2026-11-27T09:00:00+13:45'],
    ['America/St_Johns', '2026-01-15T12:30:00Z', '2026-01-15T09:00:00-03:30'],
  ])('%s: %s is %s', (zone, instant, local) => {
    expect(formatLocalIso(zone, at(instant))).toBe(local);
    expect(iso(instantOfWallTime(zone, local.slice(0, 10), 9 * 60))).toBe(new Date(instant).toISOString());
  });

  it('writes offsets as ±HH:MM', () => {
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(345)).toBe('+05:45');
    expect(formatOffset(-210)).toBe('-03:30');
    expect(formatOffset(-570)).toBe('-09:30');
  });
});

describe('zone names', () => {
  it('fixes case and maps old IANA names onto current ones', () => {
    expect(normalizeTimeZone('asia/riyadh')).toBe('Asia/Riyadh');
    expect(normalizeTimeZone(' Europe/Berlin ')).toBe('Europe/Berlin');
    expect(normalizeTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(normalizeTimeZone('UTC')).toBe('UTC');
  });

  it.each(['Mars/Olympus', '', '+03:00', 'Asia/Riyad'])('rejects %j with a message naming it', (name) => {
    expect(() => normalizeTimeZone(name)).toThrow(ClientTimeError);
    expect(() => normalizeTimeZone(name)).toThrow(JSON.stringify(name));
  });
});
