import type { PackDocument } from '../pack/schema.js';
import { COMPOSE_KINDS } from '../pack/schema.js';
import { DEFAULT_FOLLOW_UP_HOUR } from './due.js';

/** The kind of the template a rep sent (follow-ups remind by it); `team` mail is the store's, never a rep's. */
export type TemplateKind = (typeof COMPOSE_KINDS)[number];

/** Out of the box: a quotation waits 3 of the buyer's business days, a sample notice 5; other kinds are off. */
export const BUILT_IN_FOLLOW_UP_DAYS: Readonly<Partial<Record<TemplateKind, number>>> = { quote: 3, sample: 5 };

export interface FollowUpDefault {
  /** Business days, or null when reminders are off for this kind. */
  days: number | null;
  hour: string;
  /** Where it came from: the pack's slug, or 'built-in'. */
  source: string;
}

/**
 * The default "remind me" for a template kind: the first of the rep's packs (in the order the
 * store serves them) that sets it wins, else the built-in table. 0 in a pack turns it off.
 */
export function followUpDefault(kind: TemplateKind | null, packs: readonly { pack: string; document: Pick<PackDocument, 'policies'> }[]): FollowUpDefault {
  let hour: string | null = null;
  let days: number | null | undefined;
  let source = 'built-in';
  for (const p of packs) {
    const policy = p.document.policies?.followUps;
    if (!policy) continue;
    if (hour === null && policy.hour) hour = policy.hour;
    if (days === undefined && kind && policy.days && policy.days[kind] !== undefined) {
      days = policy.days[kind]! === 0 ? null : policy.days[kind]!;
      source = p.pack;
    }
  }
  if (days === undefined) days = kind ? (BUILT_IN_FOLLOW_UP_DAYS[kind] ?? null) : null;
  return { days, hour: hour ?? DEFAULT_FOLLOW_UP_HOUR, source };
}

export const isTemplateKind = (value: unknown): value is TemplateKind => typeof value === 'string' && (COMPOSE_KINDS as readonly string[]).includes(value);
