import type { Actor } from '../auth/principal.js';
import type { MailboxRow as MailboxTable } from '../db/tables.js';
import { newId, type TenantDb } from '../db/tenant-db.js';
import { badRequest, conflict, notFound, unprocessable } from '../errors.js';
import type { SecretBox } from '../secrets.js';
import { addToSummary, type ConversationSummary } from '../../core/conversation/index.js';
import { imapSettingsFrom } from '../mail/imap.js';
import { errorInWords, type AdapterFactory, type MailboxRow } from '../mail/sync.js';
import { MailboxError, type MailProvider } from '../mail/types.js';
import { audit } from './audit.js';
import { normaliseEmail } from './people.js';
import type { MailboxRemoved, MailboxTest, MailboxView } from '../../contract/mailboxes.js';

export type { MailboxView };

/**
 * The mailboxes a company connects for sync: add (settings checked, password sealed), list with
 * status and lag, test, resync, pause, remove (with everything stored from it). The sync itself
 * is mail/sync.ts.
 */

export interface MailboxInput {
  provider: MailProvider;
  address: string;
  displayName?: string | undefined;
  settings?: Record<string, unknown> | undefined;
  secrets?: Record<string, string> | undefined;
  keepBodiesDays?: number | undefined;
  backfillDays?: number | undefined;
}

const DAY_MS = 86_400_000;

export function mailboxView(row: MailboxRow, box: SecretBox | undefined, now: Date): MailboxView {
  let secretNames: string[] = [];
  if (row.secrets && box) {
    try {
      secretNames = Object.keys(box.open(row.secrets)).sort();
    } catch {
      secretNames = ['(cannot be opened with this TRADEPANE_SECRET_KEY)'];
    }
  }
  return {
    id: row.id,
    provider: row.provider,
    address: row.address,
    displayName: row.display_name,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    secrets: secretNames,
    status: row.status,
    paused: row.paused === 1,
    lastError: row.last_error_code ? { code: row.last_error_code, message: row.last_error ?? '' } : null,
    lastSyncedAt: row.last_synced_at,
    lagSeconds: row.last_synced_at ? Math.max(0, Math.round((now.getTime() - Date.parse(row.last_synced_at)) / 1000)) : null,
    backfill: { since: row.backfill_since, done: row.backfill_done, remaining: row.backfill_remaining },
    nextSyncAt: row.next_sync_at,
    createdAt: row.created_at,
  };
}

function days(value: number | undefined, path: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > max) throw badRequest(`${path}: a whole number of days between 0 and ${max}`, [{ path, message: `0–${max} days` }]);
  return value;
}

/** Provider settings as stored; throws 400 naming the field. */
function checkedSettings(input: MailboxInput): Record<string, unknown> {
  const settings = input.settings ?? {};
  if (input.provider === 'imap') {
    try {
      const imap = imapSettingsFrom(settings);
      if (!input.secrets?.password) throw new Error('secrets.password: the mailbox password or app password is required');
      return { ...imap };
    } catch (error) {
      const message = (error as Error).message;
      const path = message.split(':')[0] ?? 'settings';
      throw badRequest(message, [{ path, message: message.slice(path.length + 1).trim() }]);
    }
  }
  // Graph and Gmail settings are checked by their adapters when tested.
  return settings;
}

export async function getMailboxRow(tdb: TenantDb, mailboxId: string): Promise<MailboxRow> {
  const row = await tdb.selectFrom('mailboxes').selectAll().where('id', '=', mailboxId).executeTakeFirst();
  if (!row) throw notFound('mailbox');
  return row;
}

export async function addMailbox(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, input: MailboxInput, options: { backfillDays: number; now?: Date }): Promise<MailboxView> {
  if (!['graph', 'gmail', 'imap'].includes(input.provider)) throw badRequest('provider: graph, gmail or imap', [{ path: 'provider', message: 'graph, gmail or imap' }]);
  const address = normaliseEmail(input.address, 'address');
  const keepBodiesDays = days(input.keepBodiesDays, 'keepBodiesDays', 3650);
  const backfillDays = days(input.backfillDays, 'backfillDays', 3650);
  const settings = { ...checkedSettings(input), ...(keepBodiesDays !== undefined ? { keepBodiesDays } : {}), ...(backfillDays !== undefined ? { backfillDays } : {}) };
  const secrets = input.secrets ?? {};
  if (Object.keys(secrets).length && !box) throw unprocessable('no_secret_key', 'the store has no TRADEPANE_SECRET_KEY, so it cannot keep mailbox passwords; set it and try again');
  const now = options.now ?? new Date();
  return tdb.transaction(async (t) => {
    const taken = await t.selectFrom('mailboxes').select('id').where('address', '=', address).executeTakeFirst();
    if (taken) throw conflict(`${address} is already connected`, [{ path: 'address', message: 'already connected' }]);
    const id = newId();
    await t.insert('mailboxes', {
      id,
      provider: input.provider,
      address,
      display_name: (input.displayName ?? '').trim().slice(0, 200),
      settings: JSON.stringify(settings),
      secrets: Object.keys(secrets).length ? box!.seal(secrets) : null,
      status: 'new',
      paused: 0,
      last_error_code: null,
      last_error: null,
      failures: 0,
      lease_owner: null,
      lease_until: null,
      next_sync_at: now.toISOString(),
      cursor: null,
      backfill_since: new Date(now.getTime() - (backfillDays ?? options.backfillDays) * DAY_MS).toISOString(),
      backfill_done: 0,
      backfill_remaining: null,
      caught_up_at: null,
      last_synced_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await audit(t, actor, 'mailbox.added', { type: 'mailbox', id }, { provider: input.provider, address });
    return mailboxView(await getMailboxRow(t, id), box, now);
  });
}

export async function listMailboxes(tdb: TenantDb, box: SecretBox | undefined, now = new Date()): Promise<MailboxView[]> {
  const rows = await tdb.selectFrom('mailboxes').selectAll().orderBy('address').execute();
  return rows.map((r) => mailboxView(r, box, now));
}

export async function getMailbox(tdb: TenantDb, box: SecretBox | undefined, mailboxId: string, now = new Date()): Promise<MailboxView> {
  return mailboxView(await getMailboxRow(tdb, mailboxId), box, now);
}

/** Connects and lists the folders; a failure becomes the mailbox's last error, a success clears it and lets the sync retry at once. */
export async function testMailbox(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, mailboxId: string, adapterFor: AdapterFactory, now = new Date()): Promise<MailboxTest> {
  const row = await getMailboxRow(tdb, mailboxId);
  let result: { ok: boolean; folders: string[]; error: { code: string; message: string } | null };
  try {
    if (row.secrets && !box) throw new MailboxError('auth', 'the store has no TRADEPANE_SECRET_KEY, so it cannot open the mailbox password');
    const adapter = adapterFor(row, row.secrets ? box!.open(row.secrets) : {});
    try {
      const tested = await adapter.test();
      result = { ok: true, folders: tested.folders, error: null };
    } finally {
      await adapter.close().catch(() => undefined);
    }
  } catch (error) {
    const failure = error instanceof MailboxError ? error : new MailboxError('protocol', (error as Error).message);
    result = { ok: false, folders: [], error: { code: failure.code, message: errorInWords(failure) } };
  }
  // The outcome is the mailbox's last error (or clears it): the console and `mailbox list` show what the admin just learned.
  if (!result.ok) {
    await tdb.updateTable('mailboxes', { last_error_code: result.error!.code, last_error: result.error!.message.slice(0, 500), updated_at: now.toISOString() }).where('id', '=', mailboxId).execute();
  } else if (row.status === 'error' || row.status === 'retrying') {
    await tdb.updateTable('mailboxes', { next_sync_at: now.toISOString(), failures: 0, last_error_code: null, last_error: null, updated_at: now.toISOString() }).where('id', '=', mailboxId).execute();
  } else if (row.last_error_code !== null) {
    await tdb.updateTable('mailboxes', { last_error_code: null, last_error: null, updated_at: now.toISOString() }).where('id', '=', mailboxId).execute();
  }
  await audit(tdb, actor, 'mailbox.tested', { type: 'mailbox', id: mailboxId }, { ok: result.ok, code: result.error?.code ?? null });
  return result;
}

/** Reads the mailbox again from the start of its backfill window; what is stored stays (dedupe). */
/** A fresh start for the sync: no failures or error remembered, due at once. */
const syncAgainNow = (now: Date) => ({ failures: 0, last_error_code: null, last_error: null, next_sync_at: now.toISOString(), updated_at: now.toISOString() });

export async function resyncMailbox(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, mailboxId: string, options: { backfillDays: number; now?: Date }): Promise<MailboxView> {
  const now = options.now ?? new Date();
  return tdb.transaction(async (t) => {
    const row = await getMailboxRow(t, mailboxId);
    const settings = JSON.parse(row.settings) as { backfillDays?: number };
    await t
      .updateTable('mailboxes', {
        cursor: null,
        backfill_since: new Date(now.getTime() - (settings.backfillDays ?? options.backfillDays) * DAY_MS).toISOString(),
        backfill_done: 0,
        backfill_remaining: null,
        caught_up_at: null,
        status: 'backfilling',
        ...syncAgainNow(now),
      })
      .where('id', '=', mailboxId)
      .execute();
    await audit(t, actor, 'mailbox.resync', { type: 'mailbox', id: mailboxId });
    return mailboxView(await getMailboxRow(t, mailboxId), box, now);
  });
}

export async function setMailboxPaused(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, mailboxId: string, paused: boolean, now = new Date()): Promise<MailboxView> {
  return tdb.transaction(async (t) => {
    await getMailboxRow(t, mailboxId);
    await t.updateTable('mailboxes', { paused: paused ? 1 : 0, ...(paused ? {} : { next_sync_at: now.toISOString() }), updated_at: now.toISOString() }).where('id', '=', mailboxId).execute();
    await audit(t, actor, paused ? 'mailbox.paused' : 'mailbox.resumed', { type: 'mailbox', id: mailboxId });
    return mailboxView(await getMailboxRow(t, mailboxId), box, now);
  });
}

/** The one secret each provider keeps: IMAP's password (or app password), Graph's client secret; Gmail none. */
const SECRET_OF: Record<MailProvider, string | null> = { imap: 'password', graph: 'clientSecret', gmail: null };

/**
 * Replaces a mailbox's password (IMAP) or client secret (Microsoft 365) in place, keeping what was
 * stored and where the sync stands; a mailbox stopped by a refused sign-in is tried again at once.
 */
export async function replaceMailboxSecret(tdb: TenantDb, actor: Actor, box: SecretBox | undefined, mailboxId: string, secret: string, now = new Date()): Promise<MailboxView> {
  if (!box) throw unprocessable('no_secret_key', 'the store has no TRADEPANE_SECRET_KEY, so it cannot keep mailbox passwords; set it and try again');
  const value = secret.replace(/^\s+|\s+$/g, '');
  if (!value) throw badRequest('secret: the new password or client secret is empty', [{ path: 'secret', message: 'is empty' }]);
  return tdb.transaction(async (t) => {
    const row = await getMailboxRow(t, mailboxId);
    const name = SECRET_OF[row.provider];
    if (!name) throw badRequest(`secret: a ${row.provider} mailbox keeps no password (the store acts through Google's delegation or the user's grant)`, [{ path: 'secret', message: 'not used by this provider' }]);
    let kept: Record<string, string> = {};
    try {
      kept = row.secrets ? (box.open(row.secrets) as Record<string, string>) : {};
    } catch {
      // Sealed with another key: nothing of it can be kept, the new secret replaces it.
    }
    await t
      .updateTable('mailboxes', {
        secrets: box.seal({ ...kept, [name]: value }),
        status: row.status === 'error' ? 'retrying' : row.status,
        ...syncAgainNow(now),
      })
      .where('id', '=', mailboxId)
      .execute();
    await audit(t, actor, 'mailbox.secret_replaced', { type: 'mailbox', id: mailboxId }, { address: row.address, secret: name });
    return mailboxView(await getMailboxRow(t, mailboxId), box, now);
  });
}

/**
 * Removes the mailbox and everything stored from it: its messages and kept bodies; conversations
 * left with no message are deleted, the others are recounted from what remains. A sync pass
 * holding the mailbox finds its lease gone and stores nothing more.
 */
export async function removeMailbox(tdb: TenantDb, actor: Actor, mailboxId: string): Promise<MailboxRemoved> {
  return tdb.transaction(async (t) => {
    const row = await getMailboxRow(t, mailboxId);
    const affected = (await t.selectFrom('mail_messages').select('conversation_id').distinct().where('mailbox_id', '=', mailboxId).execute()).map((r) => r.conversation_id);
    const ids = (await t.selectFrom('mail_messages').select('id').where('mailbox_id', '=', mailboxId).execute()).map((r) => r.id);
    for (let i = 0; i < ids.length; i += 500) await t.deleteFrom('mail_bodies').where('message_id', 'in', ids.slice(i, i + 500)).execute();
    const deleted = await t.deleteFrom('mail_messages').where('mailbox_id', '=', mailboxId).executeTakeFirst();
    await t.deleteFrom('mailboxes').where('id', '=', mailboxId).execute();
    let removed = 0;
    for (const conversationId of affected) if (await recountConversation(t, conversationId)) removed += 1;
    await audit(t, actor, 'mailbox.removed', { type: 'mailbox', id: mailboxId }, { address: row.address, messages: Number(deleted.numDeletedRows), conversations: removed });
    return { messages: Number(deleted.numDeletedRows), conversations: removed };
  });
}

/** Recounts a conversation from its remaining messages; deletes it when none remain (true). */
async function recountConversation(tdb: TenantDb, conversationId: string): Promise<boolean> {
  const messages = await tdb.selectFrom('mail_messages').select(['received_at', 'direction', 'auto_verdict']).where('conversation_id', '=', conversationId).orderBy('received_at').execute();
  if (messages.length === 0) {
    await tdb.deleteFrom('conversations').where('id', '=', conversationId).execute();
    return true;
  }
  let s: ConversationSummary | null = null;
  for (const m of messages) s = addToSummary(s, { receivedAt: m.received_at, direction: m.direction, verdict: m.auto_verdict });
  await tdb
    .updateTable('conversations', {
      first_message_at: s!.firstMessageAt,
      last_message_at: s!.lastMessageAt,
      last_inbound_at: s!.lastInboundAt,
      last_outbound_at: s!.lastOutboundAt,
      last_writer: s!.lastWriter,
      message_count: s!.messageCount,
      inbound_count: s!.inboundCount,
      outbound_count: s!.outboundCount,
    })
    .where('id', '=', conversationId)
    .execute();
  return false;
}
