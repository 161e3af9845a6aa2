import { describe, expect, it } from '@jest/globals';
import { businessCalendar } from '../../../src/core/clienttime/index.js';
import { addBusinessMinutes, businessMinutesBetween, clockReader, deadlines, percentile, readClock, repFigures, transition, mentionsIn, type TeamEvent, type TeamState } from '../../../src/core/teaminbox/index.js';

describe('team-inbox states', () => {
  const go = (state: TeamState, assigneeId: string | null, event: TeamEvent) => transition({ state, assigneeId }, event);

  it.each<[TeamState, string | null, TeamEvent, TeamState | string, string | null, boolean]>([
    ['new', null, { type: 'assign', assigneeId: 'linda' }, 'assigned', 'linda', false],
    ['new', null, { type: 'we-replied' }, 'answered', null, false],
    ['assigned', 'linda', { type: 'we-replied' }, 'answered', 'linda', false],
    ['answered', 'linda', { type: 'wait' }, 'waiting', 'linda', false],
    ['waiting', 'linda', { type: 'buyer-wrote' }, 'assigned', 'linda', false],
    ['answered', null, { type: 'buyer-wrote' }, 'new', null, false],
    ['closed', 'linda', { type: 'buyer-wrote' }, 'assigned', 'linda', true],
    ['closed', null, { type: 'reopen' }, 'new', null, true],
    ['closed', 'linda', { type: 'we-replied' }, 'closed', 'linda', false],
    ['assigned', 'linda', { type: 'unassign' }, 'new', null, false],
    ['waiting', 'linda', { type: 'close' }, 'closed', 'linda', false],
    ['assigned', 'linda', { type: 'assign', assigneeId: 'omar' }, 'assigned', 'omar', false],
  ])('%s (%s) on %j → %s', (state, assignee, event, next, nextAssignee, reopened) => {
    expect(go(state, assignee, event)).toEqual({ ok: true, status: { state: next, assigneeId: nextAssignee }, reopened });
  });

  it('refuses what makes no sense, saying why', () => {
    expect(go('closed', 'linda', { type: 'assign', assigneeId: 'omar' })).toEqual({ ok: false, reason: 'the conversation is closed: reopen it first' });
    expect(go('assigned', 'linda', { type: 'wait' })).toEqual({ ok: false, reason: 'only an answered conversation can wait on the buyer' });
    expect(go('closed', null, { type: 'close' })).toEqual({ ok: false, reason: 'already closed' });
    expect(go('new', null, { type: 'reopen' })).toEqual({ ok: false, reason: 'the conversation is not closed' });
  });
});

describe('response clock in business hours', () => {
  // Mon–Fri 09:00–18:00 in Shanghai (no country: no public holidays), 9 business hours a day.
  const cal = businessCalendar(null, 'Asia/Shanghai');

  it('counts 24 business hours from Wednesday 17:00 to Monday 14:00, and warns at 75 % on Friday 17:00', () => {
    // Wed 1 h + Thu 9 h + Fri 9 h = 19 h; 5 h more on Monday from 09:00 → 14:00 (06:00Z).
    const start = new Date('2026-12-02T09:00:00Z'); // Wednesday 17:00 in Shanghai
    expect(deadlines(cal, start, 24)).toEqual({ dueAt: '2026-12-07T06:00:00.000Z', warnAt: '2026-12-04T09:00:00.000Z' });
    expect(businessMinutesBetween(cal, start, new Date('2026-12-07T06:00:00Z'))).toBe(24 * 60);
  });

  it('a clock started at the weekend waits for Monday\'s opening', () => {
    expect(addBusinessMinutes(cal, new Date('2026-12-05T02:00:00Z'), 120).toISOString()).toBe('2026-12-07T03:00:00.000Z');
    expect(businessMinutesBetween(cal, new Date('2026-12-05T02:00:00Z'), new Date('2026-12-06T12:00:00Z'))).toBe(0);
  });

  it('reads running, warning, breached and stopped', () => {
    const clock = { startedAt: '2026-12-02T09:00:00.000Z', warnAt: '2026-12-04T09:00:00.000Z', dueAt: '2026-12-07T06:00:00.000Z', stoppedAt: null };
    expect(readClock(cal, clock, new Date('2026-12-03T01:00:00Z'))).toEqual({ phase: 'running', dueAt: clock.dueAt, businessMinutesLeft: 23 * 60 });
    // Friday 18:00 in Shanghai: past 75 %, Monday 09:00–14:00 left.
    expect(readClock(cal, clock, new Date('2026-12-04T10:00:00Z'))).toEqual({ phase: 'warning', dueAt: clock.dueAt, businessMinutesLeft: 300 });
    expect(readClock(cal, clock, new Date('2026-12-07T07:00:00Z'))).toEqual({ phase: 'breached', dueAt: clock.dueAt, businessMinutesLeft: -60 });
    expect(readClock(cal, { ...clock, stoppedAt: '2026-12-03T01:00:00Z' }, new Date('2026-12-07T07:00:00Z')).phase).toBe('stopped');
  });

  it('skips the company\'s public holidays (China, National Day week 2026)', () => {
    const cn = businessCalendar('CN', 'Asia/Shanghai');
    // Wednesday 30 Sep 2026, 17:00 Shanghai; 1 Oct – 7 Oct are holidays: the next opening is Thursday 8 Oct.
    expect(addBusinessMinutes(cn, new Date('2026-09-30T09:00:00Z'), 120).toISOString()).toBe('2026-10-08T02:00:00.000Z');
  });

  it('a reader for many clocks of one calendar (a list page) reads what readClock reads, holidays included', () => {
    const cn = businessCalendar('CN', 'Asia/Shanghai');
    const read = clockReader(cn);
    // Clocks started every 7 h 13 min across National Day week; read on 9 Oct 2026 15:00 Shanghai (some breached, some running, some warned).
    const now = new Date('2026-10-09T07:00:00Z');
    for (let i = 0; i < 60; i++) {
      const start = new Date(Date.parse('2026-09-20T00:00:00Z') + i * 433 * 60_000);
      const clock = { startedAt: start.toISOString(), ...deadlines(cn, start, 24), stoppedAt: null };
      expect(read(clock, now)).toEqual(readClock(cn, clock, now));
    }
    // By hand: started Wed 30 Sep 17:00, 24 business hours; Wednesday 17:00–18:00, Thursday 8 Oct 09:00–18:00 and Friday 9 Oct 09:00–15:00 gone (16 h): 8 h left.
    const clock = { startedAt: '2026-09-30T09:00:00.000Z', ...deadlines(cn, new Date('2026-09-30T09:00:00Z'), 24), stoppedAt: null };
    expect(read(clock, now)).toEqual({ phase: 'running', dueAt: clock.dueAt, businessMinutesLeft: 8 * 60 });
  });
});

describe('@mentions', () => {
  const people = [{ id: 'u1', email: 'linda@acme.example' }, { id: 'u2', email: 'omar@acme.example' }, { id: 'u3', email: 'omar@gulf.example' }];
  it('finds colleagues by handle or full address, each once; ambiguous handles and e-mail addresses in text are not mentions', () => {
    expect(mentionsIn('@linda please take this, cc @Linda and @omar@gulf.example.', people)).toEqual(['u1', 'u3']);
    expect(mentionsIn('@omar could you', people)).toEqual([]);
    expect(mentionsIn('write to buyer@linda.example, @nobody', people)).toEqual([]);
    expect(mentionsIn('请 @linda 跟进', people)).toEqual(['u1']);
  });
});

describe('manager figures', () => {
  it('percentiles by nearest rank, worked by hand', () => {
    // 10 answers: p50 is the 5th smallest, p90 the 9th.
    const minutes = [600, 30, 90, 120, 45, 300, 60, 240, 1500, 15];
    expect(percentile(minutes, 50)).toBe(90);
    expect(percentile(minutes, 90)).toBe(600);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 50)).toBeNull();
    expect(repFigures([{ businessMinutes: 30, breached: false }, { businessMinutes: 1500, breached: true }, { businessMinutes: 60, breached: false }])).toEqual({ answered: 3, p50BusinessMinutes: 60, p90BusinessMinutes: 1500, breaches: 1 });
  });
});
