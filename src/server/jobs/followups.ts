import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { fireDueFollowUps } from '../services/followups.js';
import { sendMorningDigests, type DigestOptions } from '../services/followup-digest.js';
import { startRepeatingPass } from './periodic.js';

/**
 * The follow-up due pass: every few seconds, due reminders become tasks. Any number of instances
 * may run it: each reminder is claimed in the transaction that makes its task (services/
 * followups.ts), so it fires once. Stopping waits for the pass in hand.
 */
export const FOLLOW_UP_PASS_MS = 15_000;

export function startFollowUpPass(db: Kysely<Database>, instanceId: string, onError: (error: unknown) => void, options: { intervalMs?: number; now?: () => Date } = {}): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  return startRepeatingPass(() => fireDueFollowUps(db, instanceId, now()), options.intervalMs ?? FOLLOW_UP_PASS_MS, onError);
}

/** The morning digest pass (services/followup-digest.ts): every few minutes, reps whose clock says 08:30–12:00. */
export const DIGEST_PASS_MS = 5 * 60_000;

export function startDigestPass(db: Kysely<Database>, options: Omit<DigestOptions, 'now'> & { onError: (error: unknown) => void; intervalMs?: number; now?: () => Date }): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  return startRepeatingPass(() => sendMorningDigests(db, { adapterFor: options.adapterFor, box: options.box, publicUrl: options.publicUrl, now: now(), onError: options.onError }), options.intervalMs ?? DIGEST_PASS_MS, options.onError);
}
