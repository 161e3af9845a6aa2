import type { Kysely } from 'kysely';
import type { Database, MailboxRow, TeamInboxRow, TeamMailKind, TeamMailRow } from '../db/tables.js';
import { newId, TenantDb } from '../db/tenant-db.js';
import type { Actor } from '../auth/principal.js';
import type { AdapterFactory } from '../mail/sync.js';
import { MailboxError, type OutgoingMail } from '../mail/types.js';
import type { SecretBox } from '../secrets.js';
import { badRequest } from '../errors.js';
import type { Renderer } from '../render/render-task.js';
import type { PackDocument, PackTemplate } from '../../core/pack/schema.js';
import type { TeamTemplateChoice } from '../../contract/team-inbox.js';
import { inferTimeZone } from '../../core/clienttime/index.js';
import { messageIdKey } from '../../core/crm/index.js';
import { uiLanguageOf } from '../../core/i18n/index.js';
import { backoffMs } from '../../core/retry.js';
import { formatForRecipient, noticeMail, replyPromise, type NoticeKind } from '../../core/teaminbox/index.js';
import { replySubjectOf } from '../../core/followup/index.js';
import { audit } from './audit.js';
import { evidenceOf } from './client-time.js';
import { recipientOf } from './customers.js';
import { renderFound } from './render.js';

/**
 * What the team inbox sends by itself (docs/team-inbox.md): the buyer's acknowledgement from the
 * role address, and the notices to people — the warning at 75 % to the assignee, the escalation at
 * breach to the manager, a routing rule's `notify`. Each is **claimed** by a row in `team_mail`
 * with a unique key, in the transaction that decides it (the sync page that routes the inquiry,
 * the clock pass that stamps the breach): the claim commits with the decision or not at all, and
 * a second instance's claim finds the key taken. A job (jobs/team-mail.ts) sends the rows with
 * retry and backoff, leasing each while it sends.
 *
 * At most once: a row is leased (`sending`) before the provider is called. A process that dies
 * in that call leaves the row `sending`; when its lease runs out the row is settled by the sync —
 * `sent` if a mail with its Message-ID has been seen in the mailbox, else `failed` ("interrupted")
 * and not sent again: one missing acknowledgement is better than two.
 */

export const TEAM_MAIL_LEASE_MS = 5 * 60_000;
export const TEAM_MAIL_MAX_ATTEMPTS = 8;
const RETRY = { baseMs: 60_000, capMs: 3_600_000 };
const BATCH = 50;

export interface TemplateRef {
  pack: string;
  template: string;
}

const SYSTEM = (tenantId: string): Actor => ({ tenantId, userId: null, role: 'admin', permissions: new Set(), label: 'team-inbox mail' });
const domainOf = (address: string) => address.split('@')[1]?.toLowerCase() || 'tradepane.invalid';

/** The newest version published to any audience of each pack (or of one pack), by slug. */
async function newestPublished(tdb: TenantDb, pack?: string): Promise<{ slug: string; document: PackDocument }[]> {
  let query = tdb
    .selectFrom('pack_publications')
    .innerJoin('pack_versions', 'pack_versions.id', 'pack_publications.version_id')
    .innerJoin('packs', 'packs.id', 'pack_publications.pack_id')
    .select(['packs.slug', 'pack_versions.document'])
    .orderBy('packs.slug')
    .orderBy('pack_versions.version', 'desc');
  if (pack !== undefined) query = query.where('packs.slug', '=', pack);
  const seen = new Set<string>();
  const out: { slug: string; document: PackDocument }[] = [];
  for (const row of await query.execute()) {
    if (seen.has(row.slug)) continue;
    seen.add(row.slug);
    out.push({ slug: row.slug, document: JSON.parse(row.document) as PackDocument });
  }
  return out;
}

/** A template of a published pack by slug (the newest version published to any audience), or null. */
export async function teamTemplate(tdb: TenantDb, ref: TemplateRef): Promise<{ template: PackTemplate; defaultLanguage: string } | null> {
  const [found] = await newestPublished(tdb, ref.pack);
  const template = found?.document.templates?.find((t) => t.id === ref.template);
  return found && template ? { template, defaultLanguage: found.document.defaultLanguage } : null;
}

/**
 * 400 naming the setting when a template reference points at nothing published, or at a template
 * without a variant in its pack's default language (the language a buyer gets when theirs is not
 * there: the team mail must always have one to fall back on).
 */
export async function checkTemplateRef(tdb: TenantDb, ref: TemplateRef, path: string): Promise<void> {
  const found = await teamTemplate(tdb, ref);
  if (!found) throw badRequest(`${path}: no template "${ref.template}" in a published pack "${ref.pack}"`, [{ path: `${path}.template`, message: `no template "${ref.template}" in a published pack "${ref.pack}"` }]);
  if (!(found.defaultLanguage in found.template.variants)) {
    const message = `the template "${ref.template}" of "${ref.pack}" has no variant in the pack's default language "${found.defaultLanguage}" (has: ${Object.keys(found.template.variants).join(', ')})`;
    throw badRequest(`${path}: ${message}`, [{ path: `${path}.template`, message }]);
  }
}

/** Every template of every published pack (its newest published version), for the console's pickers. */
export async function teamTemplateChoices(tdb: TenantDb): Promise<TeamTemplateChoice[]> {
  const choices: TeamTemplateChoice[] = [];
  for (const { slug, document } of await newestPublished(tdb)) {
    for (const t of document.templates ?? []) {
      const languages = Object.keys(t.variants).sort((a, b) => Number(b === document.defaultLanguage) - Number(a === document.defaultLanguage) || a.localeCompare(b));
      choices.push({ pack: slug, template: t.id, kind: t.kind, title: typeof t.title === 'string' ? { [document.defaultLanguage]: t.title } : { ...t.title }, languages });
    }
  }
  return choices;
}

export const templateRefOf = (json: string | null): TemplateRef | null => (json ? (JSON.parse(json) as TemplateRef) : null);

/** The buyer's zone as the client-time inference reads it (their records, address, Date header), or null. */
export async function buyerZoneOf(tdb: TenantDb, address: string, dateHeader: string | null): Promise<{ timeZone: string | null; country: string | null; confidence: string }> {
  const { contact, customer } = await recipientOf(tdb, address);
  const inference = inferTimeZone({ ...evidenceOf(address, contact, customer), ...(dateHeader ? { dateHeader } : {}) });
  return { timeZone: inference.timeZone, country: inference.country, confidence: inference.confidence };
}

export interface TeamMailClaim {
  conversationId: string;
  inboxId: string;
  kind: TeamMailKind;
  key: string;
  userId: string | null;
  to: string;
  /** The address the mail will leave from (its domain names the Message-ID). */
  from: string;
  payload: Record<string, unknown>;
  now: Date;
}

/** Claims one mail by its key; false when it is claimed already (by this or another instance). */
export async function claimTeamMail(tdb: TenantDb, claim: TeamMailClaim): Promise<boolean> {
  const id = newId();
  const at = claim.now.toISOString();
  return tdb.insertIfAbsent(
    'team_mail',
    {
      id,
      conversation_id: claim.conversationId,
      team_inbox_id: claim.inboxId,
      kind: claim.kind,
      dedupe_key: claim.key,
      user_id: claim.userId,
      to_address: claim.to,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      lease_owner: null,
      lease_until: null,
      message_id: `<tp-${claim.kind}-${id}@${domainOf(claim.from)}>`,
      payload: JSON.stringify(claim.payload),
      error: null,
      created_at: at,
      sent_at: null,
    },
    ['dedupe_key'],
  );
}

/** The team mail a sent message is (our acknowledgement, a hand-off, a notice), by its Message-ID; the sync asks. */
export async function teamMailOfMessage(tdb: TenantDb, messageKey: string | null): Promise<Pick<TeamMailRow, 'kind' | 'user_id' | 'conversation_id'> | undefined> {
  if (!messageKey) return undefined;
  return tdb.selectFrom('team_mail').select(['kind', 'user_id', 'conversation_id']).where('message_id', 'in', [`<${messageKey}>`, messageKey]).executeTakeFirst();
}

/**
 * The mail answered as the sending mailbox's provider holds it (its Graph id, its Gmail thread),
 * from what the sync stored of that mailbox; undefined when the mailbox never had it (a rep's own
 * mailbox answering an inquiry to info@).
 */
export async function answeringIn(tdb: TenantDb, mailboxId: string, inReplyTo: string | null): Promise<OutgoingMail['answering']> {
  const key = inReplyTo ? messageIdKey(inReplyTo) : null;
  if (!key) return undefined;
  const held = await tdb.selectFrom('mail_messages').select(['provider_id', 'provider_thread_id']).where('mailbox_id', '=', mailboxId).where('message_key', '=', key).executeTakeFirst();
  // (The IMAP adapter threads by In-Reply-To alone and ignores these.)
  return held && { providerId: held.provider_id, threadId: held.provider_thread_id };
}

/** Notices for the people a routing decision names (`manager` or e-mails of users), claimed once per conversation and person. */
export async function claimNotifyNotices(tdb: TenantDb, inbox: TeamInboxRow, roleAddress: string, conversationId: string, targets: readonly string[], rules: readonly string[], dueAt: string, now: Date): Promise<string[]> {
  const told: string[] = [];
  for (const target of targets) {
    const user =
      target === 'manager'
        ? inbox.manager_id
          ? await tdb.selectFrom('users').select(['id', 'email', 'disabled_at']).where('id', '=', inbox.manager_id).executeTakeFirst()
          : undefined
        : await tdb.selectFrom('users').select(['id', 'email', 'disabled_at']).where('email', '=', target.toLowerCase()).executeTakeFirst();
    if (!user || user.disabled_at) continue;
    if (await claimTeamMail(tdb, { conversationId, inboxId: inbox.id, kind: 'notify', key: `notify:${conversationId}:${user.id}`, userId: user.id, to: user.email, from: roleAddress, payload: { dueAt, rules }, now })) told.push(user.email);
  }
  return told;
}

// ---------------------------------------------------------------------------------------------
// Sending

export interface TeamMailPassOptions {
  adapterFor: AdapterFactory;
  box: SecretBox | undefined;
  instanceId: string;
  now: Date;
  /** The store's address: notices link to `/inbox` (without it they carry no link). */
  publicUrl?: string | undefined;
  renderer?: Renderer | undefined;
  random?: () => number;
}

export interface TeamMailPassResult {
  sent: number;
  skipped: number;
  failed: number;
  retrying: number;
}

/** One pass over every tenant's due team mail (a job; each row's work goes through its tenant's TenantDb). */
export async function runTeamMailPass(db: Kysely<Database>, options: TeamMailPassOptions): Promise<TeamMailPassResult> {
  const result: TeamMailPassResult = { sent: 0, skipped: 0, failed: 0, retrying: 0 };
  const nowIso = options.now.toISOString();
  // Rows whose sender died mid-send: settle them by what the mailbox shows, never send again.
  const stale = await db.selectFrom('team_mail').select(['id', 'tenant_id', 'message_id', 'kind', 'conversation_id']).where('status', '=', 'sending').where('lease_until', '<', nowIso).limit(BATCH).execute();
  for (const s of stale) {
    const tdb = new TenantDb(db, s.tenant_id);
    const key = messageIdKey(s.message_id);
    const seen = key ? await tdb.selectFrom('mail_messages').select('id').where('message_key', '=', key).executeTakeFirst() : undefined;
    await tdb.transaction(async (t) => {
      const done = await t
        .updateTable('team_mail', seen ? { status: 'sent', sent_at: nowIso, lease_owner: null, lease_until: null } : { status: 'failed', error: 'interrupted while sending: not sent again, so that the recipient gets it at most once', lease_owner: null, lease_until: null })
        .where('id', '=', s.id)
        .where('status', '=', 'sending')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 1) await audit(t, SYSTEM(s.tenant_id), seen ? `team-mail.sent` : 'team-mail.failed', { type: 'conversation', id: s.conversation_id }, { kind: s.kind, interrupted: true });
    });
    if (seen) result.sent++;
    else result.failed++;
  }

  const due = await db.selectFrom('team_mail').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', nowIso).orderBy('next_attempt_at').limit(BATCH).execute();
  for (const row of due) {
    const tdb = new TenantDb(db, row.tenant_id);
    // The lease: of two instances, one moves the row to `sending`.
    const leased = await tdb
      .updateTable('team_mail', { status: 'sending', lease_owner: options.instanceId, lease_until: new Date(options.now.getTime() + TEAM_MAIL_LEASE_MS).toISOString(), attempts: row.attempts + 1 })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(leased.numUpdatedRows) !== 1) continue;
    const outcome = await sendOne(tdb, { ...row, attempts: row.attempts + 1 }, options);
    result[outcome]++;
  }
  return result;
}

type Outcome = 'sent' | 'skipped' | 'failed' | 'retrying';

async function settle(tdb: TenantDb, row: TeamMailRow, status: 'sent' | 'skipped' | 'failed', values: { error?: string; messageId?: string; details?: Record<string, unknown> }, now: Date): Promise<void> {
  await tdb.transaction(async (t) => {
    await t
      .updateTable('team_mail', { status, lease_owner: null, lease_until: null, error: values.error ?? null, ...(values.messageId ? { message_id: values.messageId } : {}), ...(status === 'sent' ? { sent_at: now.toISOString() } : {}) })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .execute();
    await audit(t, SYSTEM(row.tenant_id), `team-mail.${status}`, { type: 'conversation', id: row.conversation_id }, { kind: row.kind, to: row.to_address, ...(values.error ? { reason: values.error } : {}), ...values.details });
  });
}

interface Built {
  mailbox: MailboxRow;
  mail: OutgoingMail;
  details: Record<string, unknown>;
}

async function sendOne(tdb: TenantDb, row: TeamMailRow, options: TeamMailPassOptions): Promise<Outcome> {
  let built: Built | string;
  try {
    built = row.kind === 'ack' ? await buildAcknowledgement(tdb, row, options) : await buildNotice(tdb, row, options);
  } catch (error) {
    // A template that no longer renders (a value missing, the pack withdrawn): nothing to retry.
    await settle(tdb, row, 'failed', { error: error instanceof Error ? error.message : String(error) }, options.now);
    return 'failed';
  }
  if (typeof built === 'string') {
    await settle(tdb, row, 'skipped', { error: built }, options.now);
    return 'skipped';
  }
  if (built.mailbox.secrets && !options.box) {
    await settle(tdb, row, 'failed', { error: 'the store has no secret key to open the mailbox\'s credentials' }, options.now);
    return 'failed';
  }
  try {
    const adapter = options.adapterFor(built.mailbox, built.mailbox.secrets ? options.box!.open(built.mailbox.secrets) : {});
    try {
      if (!adapter.send) throw new MailboxError('protocol', `${built.mailbox.address}: this provider cannot send`);
      const { messageId } = await adapter.send(built.mail);
      await settle(tdb, row, 'sent', { messageId, details: built.details }, options.now);
      return 'sent';
    } finally {
      await adapter.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (row.attempts >= TEAM_MAIL_MAX_ATTEMPTS) {
      await settle(tdb, row, 'failed', { error: `${message} (after ${row.attempts} attempts)` }, options.now);
      return 'failed';
    }
    const retryAfter = error instanceof MailboxError ? (error.retryAfterMs ?? 0) : 0;
    const wait = Math.max(retryAfter, backoffMs(row.attempts, { ...RETRY, random: options.random ?? Math.random }));
    await tdb
      .updateTable('team_mail', { status: 'pending', lease_owner: null, lease_until: null, error: message, next_attempt_at: new Date(options.now.getTime() + wait).toISOString() })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .execute();
    return 'retrying';
  }
}

async function contextOf(tdb: TenantDb, row: TeamMailRow) {
  const conversation = await tdb.selectFrom('conversations').selectAll().where('id', '=', row.conversation_id).executeTakeFirst();
  const inbox = await tdb.selectFrom('team_inboxes').selectAll().where('id', '=', row.team_inbox_id).executeTakeFirst();
  const roleMailbox = inbox ? await tdb.selectFrom('mailboxes').selectAll().where('id', '=', inbox.mailbox_id).executeTakeFirst() : undefined;
  return { conversation, inbox, roleMailbox };
}

/**
 * The acknowledgement: the inbox's template, as the role address, in the buyer's language (the
 * compose chain with the language the sync detected in their mail), promising the reply by the
 * clock's deadline in the buyer's zone; a reply in the thread (In-Reply-To/References).
 */
async function buildAcknowledgement(tdb: TenantDb, row: TeamMailRow, options: TeamMailPassOptions): Promise<Built | string> {
  const { conversation, inbox, roleMailbox } = await contextOf(tdb, row);
  if (!conversation || !inbox || !roleMailbox) return 'the conversation or its team inbox is gone';
  if (roleMailbox.paused) return 'the role mailbox is paused';
  // A rep was quicker than the job: the buyer has their answer, an acknowledgement would only confuse.
  if (conversation.responded_at) return 'answered before the acknowledgement went out';
  const ref = templateRefOf(inbox.ack_template);
  if (!ref) return 'the inbox no longer acknowledges';
  const found = await teamTemplate(tdb, ref);
  if (!found) return `no template "${ref.template}" in a published pack "${ref.pack}"`;
  const payload = JSON.parse(row.payload) as { dueAt: string; language: string | null; inReplyTo: string | null; references: string[]; dateHeader: string | null; subject: string };
  const zone = await buyerZoneOf(tdb, row.to_address, payload.dateHeader);
  const calendar = JSON.parse(inbox.calendar) as { timeZone: string };
  // The language first (the promise is written in it), then the render with the promise filled in.
  const rendered = async (fields: Record<string, unknown>) =>
    renderFound(tdb, found, { rep: { name: inbox.name, email: roleMailbox.address }, timeZone: zone.timeZone ?? calendar.timeZone }, { to: row.to_address, buyerLanguage: payload.language, fields: { subject: payload.subject, inbox: roleMailbox.address, ...fields }, now: options.now }, options.renderer);
  const probe = replyPromise(payload.dueAt, found.defaultLanguage, zone.timeZone, calendar.timeZone);
  let result = await rendered({ replyBy: probe.replyBy, buyerTime: probe.buyerTime ? 'yes' : '' });
  if (result.language !== found.defaultLanguage) {
    const promise = replyPromise(payload.dueAt, result.language, zone.timeZone, calendar.timeZone);
    result = await rendered({ replyBy: promise.replyBy, buyerTime: promise.buyerTime ? 'yes' : '' });
  }
  const promise = replyPromise(payload.dueAt, result.language, zone.timeZone, calendar.timeZone);
  return {
    mailbox: roleMailbox,
    mail: {
      from: { address: roleMailbox.address, name: inbox.name },
      to: [{ address: row.to_address }],
      subject: payload.subject ? replySubjectOf(payload.subject) : result.subject,
      html: result.html,
      text: result.text,
      ...(payload.inReplyTo ? { inReplyTo: payload.inReplyTo } : {}),
      references: payload.references,
      messageId: row.message_id,
      autoSubmitted: true,
      answering: await answeringIn(tdb, roleMailbox.id, payload.inReplyTo),
    },
    details: { language: result.language, source: result.source, replyBy: promise.replyBy, timeZone: promise.timeZone, buyerTime: promise.buyerTime },
  };
}

/**
 * A notice to a person (warning, breach, notify) in their UI language and zone, sent through their
 * own connected mailbox (to themselves, as the morning digest is), else through the role mailbox.
 */
async function buildNotice(tdb: TenantDb, row: TeamMailRow, options: TeamMailPassOptions): Promise<Built | string> {
  const { conversation, inbox, roleMailbox } = await contextOf(tdb, row);
  if (!conversation || !inbox || !roleMailbox) return 'the conversation or its team inbox is gone';
  const user = row.user_id ? await tdb.selectFrom('users').selectAll().where('id', '=', row.user_id).executeTakeFirst() : undefined;
  if (!user || user.disabled_at) return 'the person to tell is no longer active';
  if (row.kind !== 'notify' && conversation.responded_at) return 'answered in the meantime';
  const own = await tdb.selectFrom('mailboxes').selectAll().where('address', '=', user.email).where('paused', '=', 0).executeTakeFirst();
  const mailbox = own ?? roleMailbox;
  if (mailbox.paused) return 'no mailbox to send from: the role mailbox is paused and the person has none connected';
  const assignee = conversation.assignee_id ? await tdb.selectFrom('users').select(['name', 'email']).where('id', '=', conversation.assignee_id).executeTakeFirst() : undefined;
  const language = uiLanguageOf(user.locale ?? 'en');
  const payload = JSON.parse(row.payload) as { dueAt?: string; rules?: string[] };
  const dueAt = payload.dueAt ?? conversation.due_at ?? options.now.toISOString();
  const mail = noticeMail(row.kind as NoticeKind, language, {
    inbox: roleMailbox.address,
    subject: conversation.subject || '—',
    buyer: (JSON.parse(conversation.participants) as string[])[0] ?? '—',
    assignee: assignee ? `${assignee.name} <${assignee.email}>` : null,
    due: formatForRecipient(dueAt, language, user.time_zone ?? 'UTC'),
    link: options.publicUrl ? `${options.publicUrl.replace(/\/+$/, '')}/inbox#conversation=${encodeURIComponent(conversation.id)}` : null,
    rule: payload.rules?.join(', '),
  });
  return {
    mailbox,
    mail: { from: { address: mailbox.address }, to: [{ address: user.email, name: user.name }], subject: mail.subject, html: mail.html, text: mail.text, messageId: row.message_id },
    details: { via: own ? 'own-mailbox' : 'role-mailbox', language },
  };
}
