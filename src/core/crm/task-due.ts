/**
 * How far ahead a follow-up task may be due, in the client's business days: one range for the
 * API (contract/crm.ts), the engine (clienttime/due.ts) and every face, so the pane, the Gmail
 * card and the store cannot each allow a different span (they did: 0–60, 0–366, five options).
 * No imports: the task pane bundles this without the calendars.
 */
export const TASK_DUE_DAYS = { min: 0, max: 366 } as const;

/** What a face proposes first: in 2 of the client's business days, at 10:00 their time. */
export const TASK_DUE_DEFAULT = { businessDays: 2, at: '10:00' } as const;

/** The quick choices a face offers when it shows a list rather than a number (the Gmail card). */
export const TASK_DUE_CHOICES: readonly number[] = [1, 2, 3, 5, 10];

/** `text` as a number of business days a task may be due in, or null when it is not one. */
export function taskDueDays(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const days = Number(trimmed);
  return days >= TASK_DUE_DAYS.min && days <= TASK_DUE_DAYS.max ? days : null;
}
