import type { Kysely } from 'kysely';
import pLimit from 'p-limit';
import type { Database } from '../db/tables.js';
import { TenantDb } from '../db/tenant-db.js';
import { GMAIL_SIGNATURE_MAX, verifySignature } from '../../core/signature/index.js';
import { GMAIL_SCOPES, type GoogleCredentials } from '../google/credentials.js';
import { gmailClient, GmailError, listSendAs, patchSendAsSignature, type SendAs } from '../google/gmail-api.js';
import { startPeriodicJob } from '../jobs/periodic.js';
import { recordSignatureState } from './compliance.js';
import { listUsers, type UserView } from './people.js';
import { mySignature } from './signatures.js';

/**
 * The admin signature push for Gmail: each rep's enforced signature (services/signatures.ts,
 * rendered from their profile) set on every send-as address of theirs through the delegated
 * service account (users.settings.sendAs.patch, scope gmail.settings.basic). An address already
 * carrying the same signature (found by its marker and content hash, whatever Gmail's sanitiser
 * did to the wrapper) is left alone. Every outcome is recorded for the compliance view
 * (services/compliance.ts, channel "gmail"). The drift check is the same pass run on a timer:
 * it re-applies the signature where a rep changed it, and records "drifted" first.
 */

export type PushOutcome = 'changed' | 'unchanged' | 'failed' | 'skipped';

export interface PushLine {
  email: string;
  /** The send-as address; absent when the whole user failed or was skipped. */
  address?: string;
  outcome: PushOutcome;
  reason?: string;
  /** pack/signature id */
  signature?: string;
}

export interface PushReport {
  changed: number;
  unchanged: number;
  failed: number;
  skipped: number;
  lines: PushLine[];
}

export interface PushOptions {
  /** Only the reps of this group (its slug). */
  group?: string | undefined;
  /** Only this rep (their e-mail address). */
  user?: string | undefined;
  /** Look and report what would change, write nothing to Gmail or the store. */
  dryRun?: boolean | undefined;
  /** "drift": a periodic check; a changed address is recorded "drifted" before it is re-applied. */
  mode?: 'push' | 'drift';
  gmailRootUrl?: string | undefined;
  /** Called after each user with the lines for them: for the CLI's progress. */
  onProgress?: (done: number, total: number, lines: PushLine[]) => void;
  now?: Date | undefined;
}

/** Send-as addresses a signature belongs on: the primary and every verified alias. */
const targetsOf = (sendAs: SendAs[]) => sendAs.filter((s) => s.isPrimary || s.verificationStatus === 'accepted');

/** Reps pushed at once. */
const PUSH_CONCURRENCY = 8;

export async function pushSignatures(tdb: TenantDb, credentials: GoogleCredentials | undefined, options: PushOptions = {}): Promise<PushReport> {
  const report: PushReport = { changed: 0, unchanged: 0, failed: 0, skipped: 0, lines: [] };
  const only = options.user?.trim().toLowerCase();
  const users = (await listUsers(tdb)).filter((u) => !u.disabled && (!options.group || u.groups.includes(options.group)) && (!only || u.email === only));
  // Several reps at once (each is their own mailbox and token): a push to hundreds of reps from
  // the admin console must not take minutes. The report keeps the reps' order.
  let done = 0;
  const limit = pLimit(PUSH_CONCURRENCY);
  const perUser = await limit.map(users, async (user) => {
    const lines = await pushOne(tdb, credentials, user, options);
    options.onProgress?.(++done, users.length, lines);
    return lines;
  });
  for (const line of perUser.flat()) {
    report[line.outcome]++;
    report.lines.push(line);
  }
  return report;
}

async function pushOne(tdb: TenantDb, credentials: GoogleCredentials | undefined, user: UserView, options: PushOptions): Promise<PushLine[]> {
  const signature = await mySignature(tdb, user.id);
  if (!signature) return [{ email: user.email, outcome: 'skipped', reason: 'no enforced signature is published to them' }];
  const name = `${signature.pack}/${signature.signature}`;
  const record = async (address: string, state: 'pushed' | 'unchanged' | 'drifted' | 'failed', detail?: string) => {
    if (options.dryRun) return;
    await recordSignatureState(tdb, { userId: user.id, channel: 'gmail', address, state, detail, pack: signature.pack, signatureId: signature.signature, hash: signature.hash, client: 'gmail-push', ...(options.now ? { at: options.now } : {}) });
  };
  const failAll = async (reason: string): Promise<PushLine[]> => {
    await record(user.email, 'failed', reason);
    return [{ email: user.email, outcome: 'failed', reason, signature: name }];
  };

  if (signature.html.length > GMAIL_SIGNATURE_MAX) {
    return failAll(`signature "${name}" is ${signature.html.length.toLocaleString('en-US')} characters rendered for ${user.email}; Gmail accepts at most ${GMAIL_SIGNATURE_MAX.toLocaleString('en-US')}`);
  }
  if (!credentials?.delegated) return failAll('no service account with domain-wide delegation is configured (GOOGLE_SERVICE_ACCOUNT_FILE); see gmail-addon/README.md');
  const connect = async () => {
    const creds = await credentials.forUser({ tenantId: tdb.tenantId, userId: user.id, email: user.email }, [GMAIL_SCOPES.settings]);
    return creds ? gmailClient(creds.auth, { rootUrl: options.gmailRootUrl ?? credentials.settings.apiRootUrl }) : null;
  };
  let gmail = await connect();
  if (!gmail) return failAll('the store cannot act for this user in Gmail');

  let sendAs: SendAs[];
  try {
    sendAs = targetsOf(await listSendAs(gmail));
  } catch (error) {
    // A cached access token Gmail no longer takes (key rotated, access withdrawn): one fresh grant decides.
    if (!(error instanceof GmailError && error.status === 401)) return failAll(explain(error));
    credentials.forgetTokens();
    try {
      gmail = (await connect())!;
      sendAs = targetsOf(await listSendAs(gmail));
    } catch (again) {
      return failAll(explain(again));
    }
  }
  const lines: PushLine[] = [];
  for (const address of sendAs) {
    const state = verifySignature(address.signature, { id: signature.signature, hash: signature.hash }).state;
    if (state === 'present') {
      await record(address.sendAsEmail, 'unchanged');
      lines.push({ email: user.email, address: address.sendAsEmail, outcome: 'unchanged', signature: name });
      continue;
    }
    const why = address.signature.trim() ? (state === 'altered' ? 'their signature was changed or is an older version' : 'their signature is not the company one') : 'they had no signature';
    if (options.mode === 'drift') await record(address.sendAsEmail, 'drifted', why);
    if (options.dryRun) {
      lines.push({ email: user.email, address: address.sendAsEmail, outcome: 'changed', reason: `would set it: ${why}`, signature: name });
      continue;
    }
    try {
      await patchSendAsSignature(gmail, address.sendAsEmail, signature.html);
      await record(address.sendAsEmail, 'pushed', why);
      lines.push({ email: user.email, address: address.sendAsEmail, outcome: 'changed', reason: why, signature: name });
    } catch (error) {
      const reason = `Gmail refused signature "${name}" (${signature.html.length.toLocaleString('en-US')} of at most ${GMAIL_SIGNATURE_MAX.toLocaleString('en-US')} characters): ${explain(error)}`;
      await record(address.sendAsEmail, 'failed', reason);
      lines.push({ email: user.email, address: address.sendAsEmail, outcome: 'failed', reason, signature: name });
    }
  }
  return lines;
}

function explain(error: unknown): string {
  if (error instanceof GmailError) return error.kind === 'auth' ? `${error.message} (is domain-wide delegation granted for ${GMAIL_SCOPES.settings}?)` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The periodic drift check, across tenants (a system job, like the outbox worker): every
 * `minutes`, one pass per tenant, by one of the running instances. Returns a stop function.
 */
export function startSignatureDriftCheck(db: Kysely<Database>, credentials: GoogleCredentials | undefined, minutes: number, instanceId: string, onError: (error: unknown) => void): () => Promise<void> {
  if (!credentials?.delegated || minutes <= 0) return async () => undefined;
  // Once per interval across all instances (jobs/periodic.ts), not once per instance.
  return startPeriodicJob(
    db,
    { name: 'gmail-signature-drift', instanceId, everyMs: minutes * 60_000 },
    async () => {
      // Crosses tenants on purpose: the operator's job re-checks every company's reps.
      const tenants = await db.selectFrom('tenants').select('id').execute();
      for (const tenant of tenants) await pushSignatures(new TenantDb(db, tenant.id), credentials, { mode: 'drift' });
    },
    onError,
  );
}
