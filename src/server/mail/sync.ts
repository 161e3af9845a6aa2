import type { Kysely, Selectable } from 'kysely';
import type { ContactRow, CustomerRow, Database, MailboxRow as MailboxTable, MailMessageRow } from '../db/tables.js';
import type { Dialect } from '../db/connect.js';
import { newId, TenantDb } from '../db/tenant-db.js';
import type { Actor } from '../auth/principal.js';
import type { SecretBox } from '../secrets.js';
import { messageIdKey } from '../../core/crm/index.js';
import { parseDateHeader } from '../../core/clienttime/date-header.js';
import {
  addToSummary,
  autoReplyVerdict,
  businessDomain,
  decideConversation,
  directionOf,
  normaliseAddress,
  threadKeys,
  type AutoVerdict,
  type ConversationSummary,
  type Direction,
} from '../../core/conversation/index.js';
import { registrableDomain } from '../../core/payment/index.js';
import { detectBuyerLanguage } from '../services/language-detect.js';
import { createCustomer, customerOfEmail, findContact, learnClockOf, upsertContact } from '../services/customers.js';
import { enqueue } from '../services/connectors.js';
import { teamMailOfMessage } from '../services/team-mail.js';
import { PageMemo, STORED_MESSAGE_HOOKS, type StoredMessage, type StoredMessageHook } from './hooks.js';
import { MailboxError, type FetchedMessage, type MailAddress, type MailboxAdapter, type SyncPage } from './types.js';

/**
 * The mailbox sync engine (docs/mailboxes.md has the whole argument):
 *
 * - **One worker per mailbox.** A worker claims a due mailbox with a lease in one conditional
 *   UPDATE (PostgreSQL: `FOR UPDATE SKIP LOCKED` in the sub-select; SQLite: the single writer).
 * - **Page by page, each page one transaction**: the mailbox row is updated first — the new
 *   cursor, a renewed lease — conditional on this worker still holding the lease (PostgreSQL
 *   locks the row until commit), then the page's messages are stored, threaded and counted. A
 *   crash anywhere loses the whole page or nothing, so the cursor is never ahead of the data.
 * - **Dedupe** on the provider id and on the Message-ID per mailbox, so a page fetched twice
 *   (crash after the fetch, `cursor-expired` → full resync) stores nothing twice.
 * - **Failures**: `unreachable` / `throttled` / `protocol` → retry later with exponential
 *   backoff, at least the provider's Retry-After; `auth` / `not-found` → status `error`, an admin
 *   must act (test or resync retries at once); `cursor-expired` → start again from a null cursor.
 *
 * A system job across tenants (like the send worker); each mailbox's writes go through its
 * tenant's TenantDb.
 */

export type MailboxRow = Selectable<MailboxTable>;

export interface MailboxSettings {
  /** Bodies are kept this many days where > 0 (the team inbox reads them); default 0: never. */
  keepBodiesDays?: number;
  /** Overrides MAIL_SYNC_BACKFILL_DAYS for this mailbox. */
  backfillDays?: number;
  [key: string]: unknown;
}

export type AdapterFactory = (mailbox: MailboxRow, secrets: Record<string, string>) => MailboxAdapter;

export interface SyncOptions {
  instanceId: string;
  adapterFor: AdapterFactory;
  box: SecretBox | undefined;
  pageSize: number;
  backfillDays: number;
  intervalMs: number;
  leaseMs: number;
  threadWindowDays: number;
  backoffBaseMs?: number;
  backoffCapMs: number;
  /** Pages per mailbox in one claim before letting others have a turn (default: until caught up). */
  maxPages?: number;
  now?: () => Date;
  random?: () => number;
  /** After each stored page (CLI progress bars, tests). */
  onPage?: (event: PageEvent) => void;
  /** What runs for each newly stored message, in its transaction (default: STORED_MESSAGE_HOOKS). */
  afterStore?: readonly StoredMessageHook[];
}

export interface PageEvent {
  mailboxId: string;
  tenantId: string;
  fetched: number;
  stored: number;
  done: number;
  remaining: number | null;
  caughtUp: boolean;
}

export interface MailboxSyncResult {
  mailboxId: string;
  outcome: 'caught-up' | 'more' | 'retry' | 'error' | 'lease-lost';
  pages: number;
  stored: number;
  error?: { code: string; message: string };
}

const EXCERPT_MAX = 280;
const BODY_MAX = 64 * 1024;
export const MAIL_SYNC_ACTOR_LABEL = 'mailbox sync';

class LeaseLost extends Error {}

const DAY_MS = 86_400_000;

export function syncBackoffMs(failures: number, baseMs: number, capMs: number, random = Math.random): number {
  const base = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** Claims one due mailbox (or the named one) for this instance; undefined when none is free. */
export async function claimMailbox(db: Kysely<Database>, dialect: Dialect, instanceId: string, options: { now: Date; leaseMs: number; mailboxId?: string | undefined; ignoreSchedule?: boolean }): Promise<MailboxRow | undefined> {
  const nowIso = options.now.toISOString();
  let due = db
    .selectFrom('mailboxes')
    .select('id')
    .where('paused', '=', 0)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .orderBy('next_sync_at')
    .limit(1);
  if (options.mailboxId) due = due.where('id', '=', options.mailboxId);
  if (!options.ignoreSchedule) due = due.where('next_sync_at', '<=', nowIso);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('mailboxes')
    .set({ lease_owner: instanceId, lease_until: new Date(options.now.getTime() + options.leaseMs).toISOString() })
    // `=`, not `IN`: PostgreSQL evaluates a scalar sub-select once, but may rescan an IN sub-plan
    // per row of a small table, each rescan skipping the row just locked — leasing every due mailbox.
    .where('id', '=', due)
    // Repeated outside the sub-select: a row another worker claimed meanwhile no longer matches.
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
    .where('paused', '=', 0)
    .returningAll()
    .executeTakeFirst();
}

/** Hands back every mailbox lease this instance holds (shutdown): another instance may go on at once. */
export async function releaseMailboxLeases(db: Kysely<Database>, instanceId: string): Promise<number> {
  const result = await db.updateTable('mailboxes').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', instanceId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Syncs the claimed mailbox until it is caught up (or `maxPages`), then hands the lease back. */
export async function syncClaimedMailbox(db: Kysely<Database>, claimed: MailboxRow, options: SyncOptions, pass: PassCache = newPassCache()): Promise<MailboxSyncResult> {
  const now = options.now ?? (() => new Date());
  const result: MailboxSyncResult = { mailboxId: claimed.id, outcome: 'more', pages: 0, stored: 0 };
  let mailbox = claimed;
  let adapter: MailboxAdapter | undefined;
  let resets = 0;
  let handedBack = false; // the last page's own statement handed the lease back (caught up)
  // The next page, asked for while this one is stored: the provider's time and the database's overlap.
  let ahead: Promise<SyncPage> | undefined;
  try {
    if (!options.box && mailbox.secrets) throw new MailboxError('auth', 'the store has no TRADEPANE_SECRET_KEY, so it cannot open the mailbox password');
    adapter = options.adapterFor(mailbox, mailbox.secrets ? options.box!.open(mailbox.secrets) : {});
    const tenant: TenantContext = { ...(await ownAddresses(db, mailbox.tenant_id, pass)), emitEvents: false };
    const settings = JSON.parse(mailbox.settings) as MailboxSettings;
    // conversation.* events only for mail that arrives after the backfill: connecting a mailbox must not replay a month.
    // Not the status: a live mailbox whose last pass failed shows `retrying`, and what it finds next is still live mail.
    tenant.emitEvents = claimed.caught_up_at !== null && claimed.cursor !== null;
    for (;;) {
      const since = mailbox.backfill_since ? new Date(mailbox.backfill_since) : new Date(now().getTime() - (settings.backfillDays ?? options.backfillDays) * DAY_MS);
      let page: SyncPage;
      try {
        page = await (ahead ?? adapter.nextPage(mailbox.cursor, { pageSize: options.pageSize, since }));
      } catch (error) {
        ahead = undefined;
        if (error instanceof MailboxError && error.code === 'cursor-expired' && resets++ === 0) {
          mailbox = await restartBackfill(db, mailbox, options, now(), settings);
          tenant.emitEvents = false;
          continue;
        }
        throw error;
      }
      ahead = undefined;
      // Only where another page follows in this claim. The cursor still moves only with its page's
      // commit: a page read ahead and never stored is read again by whoever syncs next.
      if (!page.caughtUp && (options.maxPages === undefined || result.pages + 1 < options.maxPages)) {
        const next = adapter.nextPage(page.cursor, { pageSize: options.pageSize, since });
        next.catch(() => undefined); // its failure is the next turn's to handle
        ahead = next;
      }
      const stored = await commitPage(db, mailbox, page, tenant, settings, options, now());
      handedBack = page.caughtUp;
      result.pages += 1;
      result.stored += stored;
      mailbox = { ...mailbox, cursor: page.cursor, backfill_done: mailbox.backfill_done + stored, backfill_remaining: page.remaining ?? null, caught_up_at: mailbox.caught_up_at ?? (page.caughtUp ? now().toISOString() : null) };
      options.onPage?.({ mailboxId: mailbox.id, tenantId: mailbox.tenant_id, fetched: page.messages.length, stored, done: mailbox.backfill_done, remaining: page.remaining ?? null, caughtUp: page.caughtUp });
      if (page.caughtUp) {
        result.outcome = 'caught-up';
        break;
      }
      if (options.maxPages !== undefined && result.pages >= options.maxPages) break;
    }
    if (!handedBack) {
      // Stopped at maxPages: the mailbox is due again at once (others had their turn meanwhile).
      const at = now();
      await db
        .updateTable('mailboxes')
        .set({ ...handBack(at, options, false), updated_at: at.toISOString() })
        .where('id', '=', mailbox.id)
        .where('lease_owner', '=', options.instanceId)
        .execute();
    }
    return result;
  } catch (error) {
    if (error instanceof LeaseLost) return { ...result, outcome: 'lease-lost' };
    const failure = error instanceof MailboxError ? error : new MailboxError('protocol', (error as Error).message ?? String(error));
    const permanent = failure.code === 'auth' || failure.code === 'not-found';
    const failures = mailbox.failures + 1;
    const at = now();
    const wait = permanent ? options.backoffCapMs : Math.max(failure.retryAfterMs ?? 0, syncBackoffMs(failures, options.backoffBaseMs ?? 5_000, options.backoffCapMs, options.random));
    await db
      .updateTable('mailboxes')
      .set({
        lease_owner: null,
        lease_until: null,
        status: permanent ? 'error' : 'retrying',
        failures,
        last_error_code: failure.code,
        last_error: errorInWords(failure).slice(0, 500),
        next_sync_at: new Date(at.getTime() + wait).toISOString(),
        updated_at: at.toISOString(),
      })
      .where('id', '=', mailbox.id)
      .where('lease_owner', '=', options.instanceId)
      .execute();
    return { ...result, outcome: permanent ? 'error' : 'retry', error: { code: failure.code, message: failure.message } };
  } finally {
    // A page read ahead for a turn that did not come (a failure, the lease lost) is let finish before the connection closes.
    await ahead?.catch(() => undefined);
    await adapter?.close().catch(() => undefined);
  }
}

/** What an IT admin reads in the console and the CLI. */
export function errorInWords(error: MailboxError): string {
  const what: Record<string, string> = {
    auth: 'The mail server refused the credentials or a permission is missing; check the password / app password or the granted permissions, then test the mailbox',
    unreachable: 'The mail server could not be reached; retrying with backoff',
    'cursor-expired': 'The sync position was no longer valid; the mailbox is read again from the start of the backfill window',
    throttled: 'The mail provider asked us to slow down; retrying later',
    'not-found': 'The mailbox or folder does not exist on the server',
    protocol: 'The mail server answered something unexpected; retrying with backoff',
  };
  return `${what[error.code] ?? error.code}: ${error.message}`;
}

async function restartBackfill(db: Kysely<Database>, mailbox: MailboxRow, options: SyncOptions, at: Date, settings: MailboxSettings): Promise<MailboxRow> {
  const since = new Date(at.getTime() - (settings.backfillDays ?? options.backfillDays) * DAY_MS).toISOString();
  const changes = { cursor: null, backfill_since: since, backfill_done: 0, backfill_remaining: null, caught_up_at: null, status: 'backfilling' as const, lease_until: new Date(at.getTime() + options.leaseMs).toISOString(), updated_at: at.toISOString() };
  const result = await db.updateTable('mailboxes').set(changes).where('id', '=', mailbox.id).where('lease_owner', '=', options.instanceId).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LeaseLost();
  return { ...mailbox, ...changes };
}

interface TenantContext {
  actor: Actor;
  isOwn: (address: string) => boolean;
  emitEvents: boolean;
}

/** What one pass keeps between mailboxes: each tenant's own addresses, read once per pass (a mailbox or user added meanwhile counts from the next pass). */
export interface PassCache {
  tenants: Map<string, Promise<Omit<TenantContext, 'emitEvents'>>>;
}

export const newPassCache = (): PassCache => ({ tenants: new Map() });

function ownAddresses(db: Kysely<Database>, tenantId: string, pass: PassCache): Promise<Omit<TenantContext, 'emitEvents'>> {
  let own = pass.tenants.get(tenantId);
  if (!own) {
    own = readOwnAddresses(db, tenantId);
    pass.tenants.set(tenantId, own);
    own.catch(() => pass.tenants.delete(tenantId)); // a failed read is tried again by the next mailbox
  }
  return own;
}

/** The company's own addresses: its users and mailboxes, and their business domains (a free-mail domain only as whole addresses). */
async function readOwnAddresses(db: Kysely<Database>, tenantId: string): Promise<Omit<TenantContext, 'emitEvents'>> {
  const tdb = new TenantDb(db, tenantId);
  const users = await tdb.selectFrom('users').select('email').execute();
  const boxes = await tdb.selectFrom('mailboxes').select('address').execute();
  const addresses = new Set([...users.map((u) => u.email), ...boxes.map((b) => b.address)].map(normaliseAddress));
  const domains = new Set([...addresses].map(businessDomain).filter((d): d is string => d !== null));
  const isOwn = (address: string) => {
    const a = normaliseAddress(address);
    if (addresses.has(a)) return true;
    const d = businessDomain(a);
    return d !== null && domains.has(d);
  };
  return { isOwn, actor: { tenantId, userId: null, role: 'admin', permissions: new Set(), label: MAIL_SYNC_ACTOR_LABEL } };
}

/** The mailbox row's hand-back: lease released, failures cleared, next pass scheduled. */
function handBack(at: Date, options: SyncOptions, caughtUp: boolean) {
  return {
    lease_owner: null,
    lease_until: null,
    status: caughtUp ? ('live' as const) : ('backfilling' as const),
    failures: 0,
    last_error_code: null,
    last_error: null,
    last_synced_at: at.toISOString(),
    next_sync_at: caughtUp ? new Date(at.getTime() + options.intervalMs).toISOString() : at.toISOString(),
  };
}

/**
 * What a page's transaction has read once for all its messages, kept current as the page stores:
 * the provider ids and Message-IDs already stored (two statements per page, not two per message),
 * and the companies and contacts of the people met (buyers repeat within a page).
 */
interface PageCache {
  providerIds: Set<string>;
  messageKeys: Map<string, string>;
  customers: Map<string, CustomerRow | undefined>;
  contacts: Map<string, ContactRow | undefined>;
  /** What the stored-message hooks read once for the page. */
  hooks: PageMemo;
}

async function pageCache(tdb: TenantDb, mailboxId: string, messages: readonly FetchedMessage[]): Promise<PageCache> {
  const providerIds = [...new Set(messages.map((m) => clean(m.providerId, 500)))];
  const keys = [...new Set(messages.map((m) => (m.messageId ? messageIdKey(m.messageId) : null)).filter((k): k is string => k !== null))];
  const cache: PageCache = { providerIds: new Set(), messageKeys: new Map(), customers: new Map(), contacts: new Map(), hooks: new PageMemo() };
  if (providerIds.length) {
    for (const r of await tdb.selectFrom('mail_messages').select('provider_id').where('mailbox_id', '=', mailboxId).where('provider_id', 'in', providerIds).execute()) cache.providerIds.add(r.provider_id);
  }
  if (keys.length) {
    for (const r of await tdb.selectFrom('mail_messages').select(['id', 'message_key']).where('mailbox_id', '=', mailboxId).where('message_key', 'in', keys).execute()) {
      if (r.message_key !== null && !cache.messageKeys.has(r.message_key)) cache.messageKeys.set(r.message_key, r.id);
    }
  }
  return cache;
}

/**
 * One page in one transaction, the mailbox row first (lease check, cursor); the last page of a
 * caught-up pass hands the lease back in that same statement. A page with no messages is that one
 * conditional UPDATE alone, no transaction (an idle mailbox's pass: the claim and this). Returns
 * how many messages were new.
 */
async function commitPage(db: Kysely<Database>, mailbox: MailboxRow, page: SyncPage, tenant: TenantContext, settings: MailboxSettings, options: SyncOptions, at: Date): Promise<number> {
  const mailboxUpdate = (q: Kysely<Database>) =>
    q
      .updateTable('mailboxes')
      .set({
        cursor: page.cursor,
        lease_until: new Date(at.getTime() + options.leaseMs).toISOString(),
        backfill_remaining: page.remaining ?? null,
        status: page.caughtUp ? 'live' : 'backfilling',
        ...(page.caughtUp && mailbox.caught_up_at === null ? { caught_up_at: at.toISOString() } : {}),
        ...(page.caughtUp ? handBack(at, options, true) : {}),
        updated_at: at.toISOString(),
      })
      .where('id', '=', mailbox.id)
      .where('lease_owner', '=', options.instanceId)
      .executeTakeFirst();
  if (page.messages.length === 0) {
    if (Number((await mailboxUpdate(db)).numUpdatedRows) !== 1) throw new LeaseLost();
    return 0;
  }
  return db.transaction().execute(async (trx) => {
    if (Number((await mailboxUpdate(trx)).numUpdatedRows) !== 1) throw new LeaseLost();
    const tdb = new TenantDb(trx, mailbox.tenant_id);
    const cache = await pageCache(tdb, mailbox.id, page.messages);
    let stored = 0;
    const messages = [...page.messages].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    for (const message of messages) {
      if (await storeMessage(tdb, mailbox, message, tenant, settings, options, at, cache)) stored += 1;
    }
    if (stored) await tdb.updateTable('mailboxes', { backfill_done: mailbox.backfill_done + stored }).where('id', '=', mailbox.id).execute();
    return stored;
  });
}

// Control characters other than tab and newline are noise at best and a hazard in logs and terminals.
const clean = (text: string, max: number) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').slice(0, max);
const cleanAddress = (a: MailAddress) => ({ address: clean(normaliseAddress(a.address), 320), ...(a.name ? { name: clean(a.name.trim(), 200) } : {}) });

/** The first words of the new text: quoted lines and "On … wrote:" tails left out, whitespace collapsed. */
export function excerptOf(text: string): string {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*>/.test(line)) continue;
    if (/^(On .* wrote:|-----\s*Original Message\s*-----|在.*写道：|From: .*@)/i.test(line.trim())) break;
    lines.push(line);
  }
  const flat = clean(lines.join(' '), BODY_MAX).replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_MAX ? flat : `${flat.slice(0, EXCERPT_MAX - 1)}…`;
}

/** The same rule the compose core's language chain uses: only the buyer's own words, only languages exporters meet. */
async function languageOf(subject: string, text: string | null): Promise<string | null> {
  return (await detectBuyerLanguage(`${subject}\n${text ?? ''}`)) ?? null;
}

async function storeMessage(tdb: TenantDb, mailbox: MailboxRow, m: FetchedMessage, tenant: TenantContext, settings: MailboxSettings, options: SyncOptions, at: Date, cache: PageCache): Promise<boolean> {
  const providerId = clean(m.providerId, 500);
  if (cache.providerIds.has(providerId)) return false;
  const messageKey = m.messageId ? messageIdKey(m.messageId) : null;
  const same = messageKey ? cache.messageKeys.get(messageKey) : undefined;
  if (same) {
    // Seen before under another provider id (a resync after UIDVALIDITY changed): remember the new one.
    await tdb.updateTable('mail_messages', { provider_id: providerId }).where('id', '=', same).execute();
    cache.providerIds.add(providerId);
    return false;
  }
  const subject = clean(m.subject ?? '', 998);
  const from = m.from ? cleanAddress(m.from) : null;
  const to = m.to.slice(0, 200).map(cleanAddress);
  const cc = m.cc.slice(0, 200).map(cleanAddress);
  const direction: Direction = directionOf({ from: from?.address ?? null, to: to.map((a) => a.address), cc: cc.map((a) => a.address) }, m.folder, tenant.isOwn);
  // The team inbox's own mail (services/team-mail.ts) belongs to the conversation it was sent for
  // (a notice to a colleague is no conversation of its own), and an acknowledgement is automatic
  // mail on every provider — Graph shows Sent Items without their Auto-Submitted header.
  const ours = direction !== 'inbound' ? await teamMailOfMessage(tdb, messageKey) : undefined;
  const headerVerdict: AutoVerdict = autoReplyVerdict({ ...m.autoHeaders, from: from?.address ?? null, subject });
  const verdict: AutoVerdict = ours?.kind === 'ack' && headerVerdict === 'none' ? 'auto-reply' : headerVerdict;
  const references = m.references.slice(-50).map((r) => messageIdKey(r)).filter((r): r is string => r !== null);
  const inReplyTo = m.inReplyTo ? messageIdKey(m.inReplyTo) : null;
  const threadable = {
    messageId: m.messageId,
    secondId: m.originalMessageId ?? null,
    inReplyTo,
    references,
    providerThreadId: m.providerThreadId,
    subject,
    from: from?.address ?? null,
    to: to.map((a) => a.address),
    cc: cc.map((a) => a.address),
    receivedAt: m.receivedAt,
    verdict,
  };
  const keys = threadKeys(threadable, tenant.isOwn);
  const home = ours ? (await tdb.selectFrom('conversations').select('id').where('id', '=', ours.conversation_id).executeTakeFirst())?.id : undefined;
  const conversationId = home ?? (await threadInto(tdb, mailbox, keys, threadable, options));

  let offset: number | null = null;
  if (m.dateHeader) {
    try {
      offset = parseDateHeader(m.dateHeader).offsetMinutes;
    } catch {
      offset = null; // an unreadable Date: header teaches nothing
    }
  }
  const id = newId();
  const row: Omit<MailMessageRow, 'tenant_id'> = {
    id,
    mailbox_id: mailbox.id,
    conversation_id: conversationId,
    provider_id: providerId,
    folder: m.folder,
    message_key: messageKey,
    second_key: keys.secondKey,
    in_reply_to: inReplyTo,
    reference_keys: JSON.stringify(references),
    provider_thread_id: m.providerThreadId ? clean(m.providerThreadId, 500) : null,
    from_address: from?.address ?? null,
    from_domain: from ? registrableDomain(from.address) : null,
    from_name: from?.name ?? null,
    to_addresses: JSON.stringify(to),
    cc_addresses: JSON.stringify(cc),
    date_header: m.dateHeader ? clean(m.dateHeader, 200) : null,
    utc_offset_minutes: offset,
    received_at: new Date(m.receivedAt).toISOString(),
    subject,
    direction,
    size_bytes: Math.max(0, Math.floor(m.sizeBytes || 0)),
    attachments: JSON.stringify(m.attachments.slice(0, 100).map((a) => ({ name: clean(a.name, 255), contentType: clean(a.contentType, 255) }))),
    auto_verdict: verdict,
    language: await languageOf(subject, m.textBody),
    excerpt: m.textBody ? excerptOf(m.textBody) : '',
    created_at: at.toISOString(),
  };
  await tdb.insert('mail_messages', row);
  cache.providerIds.add(providerId);
  if (messageKey) cache.messageKeys.set(messageKey, id);
  const keepDays = Number(settings.keepBodiesDays ?? 0);
  if (keepDays > 0 && m.textBody) {
    await tdb.insert('mail_bodies', { message_id: id, text_body: clean(m.textBody, BODY_MAX), expires_at: new Date(at.getTime() + keepDays * DAY_MS).toISOString() });
  }
  const customers = verdict === 'none' && direction !== 'internal' ? await learnPeople(tdb, tenant, cache, direction, from, [...to, ...cc], m.dateHeader) : [];
  const { created, conversation } = await updateConversation(tdb, conversationId, row, keys.participants, customers, at);
  for (const hook of options.afterStore ?? STORED_MESSAGE_HOOKS) {
    await hook({ tdb, mailbox: { id: mailbox.id, address: mailbox.address, tenantId: mailbox.tenant_id }, message: row, conversation: { ...conversation, created }, fetched: m, live: tenant.emitEvents, at, page: cache.hooks });
  }
  if (tenant.emitEvents && verdict === 'none' && direction !== 'internal') {
    const type = created ? 'conversation.started' : 'conversation.message';
    await enqueue(tdb, {
      type,
      id: `${type}:${id}`,
      occurredAt: at.toISOString(),
      conversation,
      message: { messageId: messageKey, mailbox: mailbox.address, direction, from: row.from_address, to: to.map((a) => a.address), subject, receivedAt: row.received_at, excerpt: row.excerpt },
    });
  }
  return true;
}

/** The conversation this message belongs to (core/conversation decides); a new one when none. */
async function threadInto(tdb: TenantDb, mailbox: MailboxRow, keys: ReturnType<typeof threadKeys>, message: Parameters<typeof threadKeys>[0], options: SyncOptions): Promise<string> {
  const windowMs = options.threadWindowDays * DAY_MS;
  const refs = keys.referenceKeys.slice(0, 50);
  // Two look-ups, one per key column: as one OR, SQLite narrowed by the tenant alone (every stored mail read per reply).
  const referencedBy = (column: 'message_key' | 'second_key') => tdb.selectFrom('mail_messages').select(['id', 'message_key', 'second_key', 'conversation_id', 'auto_verdict']).where(column, 'in', refs).limit(200).execute();
  const referencedRows = refs.length ? [...new Map([...(await referencedBy('message_key')), ...(await referencedBy('second_key'))].map((r) => [r.id, r])).values()] : [];
  const referenced = referencedRows.flatMap((r) =>
    [r.message_key, r.second_key].filter((k): k is string => k !== null && refs.includes(k)).map((key) => ({ key, conversationId: r.conversation_id, bulk: r.auto_verdict === 'bulk' })),
  );
  const ownKeys = [keys.messageKey, keys.secondKey].filter((k): k is string => k !== null);
  const children = ownKeys.length ? (await tdb.selectFrom('mail_messages').select('conversation_id').where('in_reply_to', 'in', ownKeys).limit(5).execute()).map((r) => r.conversation_id) : [];
  const providerThread = message.providerThreadId
    ? ((await tdb.selectFrom('mail_messages').select('conversation_id').where('mailbox_id', '=', mailbox.id).where('provider_thread_id', '=', message.providerThreadId).limit(1).executeTakeFirst())?.conversation_id ?? null)
    : null;
  const atMs = Date.parse(message.receivedAt);
  const subjectCandidates = keys.subjectKey
    ? (
        await tdb
          .selectFrom('conversations')
          .select('id')
          .where('subject_key', '=', keys.subjectKey)
          .where('last_message_at', '>=', new Date(atMs - windowMs).toISOString())
          .where('first_message_at', '<=', new Date(atMs + windowMs).toISOString())
          .orderBy('last_message_at', 'desc')
          .limit(20)
          .execute()
      ).map((r) => r.id)
    : [];
  const ids = [...new Set([...referenced.map((r) => r.conversationId), ...children, ...(providerThread ? [providerThread] : []), ...subjectCandidates])];
  const conversations = ids.length
    ? (await tdb.selectFrom('conversations').select(['id', 'participants', 'last_message_at']).where('id', 'in', ids).execute()).map((c) => ({ conversationId: c.id, participants: JSON.parse(c.participants) as string[], lastMessageAt: c.last_message_at }))
    : [];
  const decision = decideConversation(keys, { referenced, children, providerThread, conversations, subjectCandidates }, message, windowMs);
  if (decision.conversationId) return decision.conversationId;
  const id = newId();
  const now = new Date().toISOString();
  await tdb.insert('conversations', {
    id,
    subject: message.subject,
    subject_key: keys.subjectKey,
    participants: '[]',
    customer_ids: '[]',
    customer_id: null,
    first_message_at: new Date(message.receivedAt).toISOString(),
    last_message_at: new Date(message.receivedAt).toISOString(),
    last_inbound_at: null,
    last_outbound_at: null,
    last_writer: null,
    message_count: 0,
    inbound_count: 0,
    outbound_count: 0,
    state: 'open',
    assignee_id: null,
    first_response_at: null,
    created_at: now,
    updated_at: now,
  });
  return id;
}

async function updateConversation(
  tdb: TenantDb,
  conversationId: string,
  message: Omit<MailMessageRow, 'tenant_id'>,
  participants: string[],
  customers: string[],
  at: Date,
): Promise<{ created: boolean; conversation: Omit<StoredMessage['conversation'], 'created'> }> {
  const c = (await tdb.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst())!;
  const summary: ConversationSummary | null =
    c.message_count === 0
      ? null
      : { firstMessageAt: c.first_message_at, lastMessageAt: c.last_message_at, lastInboundAt: c.last_inbound_at, lastOutboundAt: c.last_outbound_at, lastWriter: c.last_writer, messageCount: c.message_count, inboundCount: c.inbound_count, outboundCount: c.outbound_count };
  const next = addToSummary(summary, { receivedAt: message.received_at, direction: message.direction, verdict: message.auto_verdict });
  // Bulk mail is not a conversation with its hundreds of recipients.
  const everyone = message.auto_verdict === 'bulk' ? (JSON.parse(c.participants) as string[]) : [...new Set([...(JSON.parse(c.participants) as string[]), ...participants])].sort().slice(0, 100);
  const companies = [...new Set([...(JSON.parse(c.customer_ids) as string[]), ...customers])];
  const written = {
    participants: JSON.stringify(everyone),
    customer_ids: JSON.stringify(companies),
    customer_id: c.customer_id ?? companies[0] ?? null,
    first_message_at: next.firstMessageAt,
    last_message_at: next.lastMessageAt,
    last_inbound_at: next.lastInboundAt,
    last_outbound_at: next.lastOutboundAt,
    last_writer: next.lastWriter,
    message_count: next.messageCount,
    inbound_count: next.inboundCount,
    outbound_count: next.outboundCount,
    // The first answer after the buyer's first mail (the team inbox's response clock).
    first_response_at: c.first_response_at ?? (message.direction === 'outbound' && message.auto_verdict === 'none' && c.last_inbound_at && message.received_at > c.last_inbound_at ? message.received_at : null),
    updated_at: at.toISOString(),
  };
  await tdb.updateTable('conversations', written).where('id', '=', conversationId).execute();
  // The row as it now stands, for the hooks (the team inbox would otherwise read it again).
  const row = { ...c, ...written };
  return { created: c.message_count === 0, conversation: { id: c.id, subject: c.subject, customerIds: companies, lastWriter: next.lastWriter, lastInboundAt: next.lastInboundAt, lastOutboundAt: next.lastOutboundAt, row } };
}

/** "acme-trading.com.sa" → "Acme Trading": a readable first name for a company the sync creates. */
export function companyNameFromDomain(domain: string): string {
  const label = domain.split('.')[0] ?? domain;
  return label
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

function splitName(name: string | undefined): { first: string | null; last: string | null } {
  const clean = (name ?? '').replace(/["'<>]/g, '').trim();
  if (!clean || clean.includes('@')) return { first: null, last: null };
  const parts = clean.split(/\s+/);
  return parts.length === 1 ? { first: parts[0]!, last: null } : { first: parts.slice(0, -1).join(' '), last: parts[parts.length - 1]! };
}

/**
 * The people outside the company in a mail a person wrote: a contact for each, a company for each
 * business domain (never for free mail), names from display names where none is known, and the
 * sender's UTC offset learned from an inbound Date: header (customers.learnClockOf, the
 * CRM log's rule). Returns the companies involved.
 */
async function learnPeople(tdb: TenantDb, tenant: TenantContext, cache: PageCache, direction: Direction, from: MailAddress | null, recipients: MailAddress[], dateHeader: string | null): Promise<string[]> {
  const people = direction === 'inbound' ? (from ? [from] : []) : recipients.filter((r) => !tenant.isOwn(r.address)).slice(0, 20);
  const companies: string[] = [];
  for (const person of people) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(person.address) || person.address.length > 254) continue;
    const domain = businessDomain(person.address);
    // Cached by the address's whole domain (customerOfEmail's answer depends on nothing else).
    const domainKey = person.address.slice(person.address.lastIndexOf('@') + 1);
    let customer = domain ? (cache.customers.has(domainKey) ? cache.customers.get(domainKey) : await customerOfEmail(tdb, person.address)) : undefined;
    if (domain && !customer) {
      const name = companyNameFromDomain(domain) || domain;
      await createCustomer(tdb, tenant.actor, { name, domains: [domain] });
      cache.hooks.companyFiled(); // the hooks' per-page copies of the companies on file (the payment guard's known domains)
      customer = await customerOfEmail(tdb, person.address);
    }
    if (domain) cache.customers.set(domainKey, customer);
    if (customer) companies.push(customer.id);
    const existing = cache.contacts.has(person.address) ? cache.contacts.get(person.address) : await findContact(tdb, person.address);
    cache.contacts.set(person.address, existing);
    const { first, last } = splitName(person.name);
    if (!existing || (!existing.first_name && !existing.last_name && first)) {
      await upsertContact(tdb, tenant.actor, { email: person.address, ...(first ? { firstName: first } : {}), ...(last ? { lastName: last } : {}) });
      cache.contacts.delete(person.address); // read again when met again in the page
    }
    if (direction === 'inbound' && dateHeader) {
      try {
        // The row the page holds, kept current: the rule (customers.learnClockOf) compares with the last mail learned from.
        const row = cache.contacts.get(person.address) ?? (await findContact(tdb, person.address));
        if (row) cache.contacts.set(person.address, await learnClockOf(tdb, row, dateHeader));
      } catch {
        // An unreadable Date: header teaches nothing; the message itself is still stored.
      }
    }
  }
  return companies;
}

/** One pass: claim due mailboxes one after another and sync each, until none is due or `maxMailboxes`. */
export async function runSyncPass(db: Kysely<Database>, dialect: Dialect, options: SyncOptions & { maxMailboxes?: number; mailboxId?: string; ignoreSchedule?: boolean }): Promise<MailboxSyncResult[]> {
  const now = options.now ?? (() => new Date());
  const results: MailboxSyncResult[] = [];
  const limit = options.maxMailboxes ?? 50;
  const pass = newPassCache();
  while (results.length < limit) {
    const claimed = await claimMailbox(db, dialect, options.instanceId, { now: now(), leaseMs: options.leaseMs, mailboxId: options.mailboxId, ...(options.ignoreSchedule ? { ignoreSchedule: true } : {}) });
    if (!claimed) break;
    results.push(await syncClaimedMailbox(db, claimed, options, pass));
    if (options.mailboxId) break;
  }
  return results;
}
