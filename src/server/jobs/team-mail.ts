import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { runTeamMailPass, type TeamMailPassOptions } from '../services/team-mail.js';

/**
 * Sends the team inbox's mail (services/team-mail.ts): acknowledgements to buyers, warnings,
 * escalations and routing notices to people. Every instance runs the pass; each row is leased by
 * one conditional UPDATE before it is sent, so it goes out once. Stopping waits for the pass in hand.
 */
export const TEAM_MAIL_PASS_MS = 15_000;

export function startTeamMailPass(db: Kysely<Database>, options: Omit<TeamMailPassOptions, 'now'> & { onError: (error: unknown) => void; intervalMs?: number; now?: () => Date }): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const now = options.now ?? (() => new Date());
  const timer = setInterval(() => {
    if (running) return;
    running = runTeamMailPass(db, { ...options, now: now() })
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs ?? TEAM_MAIL_PASS_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
