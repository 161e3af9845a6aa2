import { describe, expect, it } from '@jest/globals';
import { TASK_DUE_CHOICES, TASK_DUE_DAYS, TASK_DUE_DEFAULT, taskDueDays } from '../../../src/core/crm/task-due.js';
import { Due } from '../../../src/contract/crm.js';
import { businessCalendar, dueIn } from '../../../src/core/clienttime/index.js';

/** Issue #13: one range of due days for the pane, the Gmail card, the API and the engine (they were 0–60, a list, 0–366). */
describe('how far ahead a task may be due', () => {
  it('reads what a rep types in the pane: whole days from 0 to 366', () => {
    expect(taskDueDays('0')).toBe(0);
    expect(taskDueDays(' 2 ')).toBe(2);
    expect(taskDueDays('61')).toBe(61); // the pane used to stop at 60
    expect(taskDueDays('366')).toBe(366);
    expect(taskDueDays('367')).toBeNull();
    expect(taskDueDays('-1')).toBeNull();
    expect(taskDueDays('2.5')).toBeNull();
    expect(taskDueDays('')).toBeNull();
    expect(taskDueDays('二')).toBeNull();
  });

  it('is the range the API validates and the engine counts', () => {
    const rule = (Due.anyOf[0] as unknown as { properties: { rule: { properties: { businessDays: { minimum: number; maximum: number } } } } }).properties.rule.properties.businessDays;
    expect([rule.minimum, rule.maximum]).toEqual([0, 366]);
    const riyadh = businessCalendar('SA', 'Asia/Riyadh');
    expect(() => dueIn(new Date('2026-11-30T06:00:00Z'), riyadh, { businessDays: TASK_DUE_DAYS.max, at: '10:00' })).not.toThrow();
    expect(() => dueIn(new Date('2026-11-30T06:00:00Z'), riyadh, { businessDays: TASK_DUE_DAYS.max + 1, at: '10:00' })).toThrow('from 0 to 366');
  });

  it("offers the Gmail card's quick choices and the default from inside the range", () => {
    for (const days of TASK_DUE_CHOICES) expect(taskDueDays(String(days))).toBe(days);
    expect(TASK_DUE_CHOICES).toContain(TASK_DUE_DEFAULT.businessDays);
  });
});
