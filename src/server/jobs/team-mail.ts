import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { runTeamMailPass, type TeamMailPassOptions } from '../services/team-mail.js';
import { startRepeatingPass } from './periodic.js';

/**
 * Sends the team inbox's mail (services/team-mail.ts): acknowledgements to buyers, warnings,
 * escalations and routing notices to people. Every instance runs the pass; each row is leased by
 * one conditional UPDATE before it is sent, so it goes out once. Stopping waits for the pass in hand.
 */
export const TEAM_MAIL_PASS_MS = 15_000;

export function startTeamMailPass(db: Kysely<Database>, options: Omit<TeamMailPassOptions, 'now'> & { onError: (error: unknown) => void; intervalMs?: number; now?: () => Date }): () => Promise<void> {
  const now = options.now ?? (() => new Date());
  return startRepeatingPass(() => runTeamMailPass(db, { ...options, now: now() }), options.intervalMs ?? TEAM_MAIL_PASS_MS, options.onError);
}
