import type { Principal } from '../auth/principal.js';
import type { MailboxRow, UserRow } from '../db/tables.js';
import { newId, type TenantDb } from '../db/tenant-db.js';
import { AppError } from '../errors.js';
import type { AdapterFactory } from '../mail/sync.js';
import { MailboxError } from '../mail/types.js';
import type { SecretBox } from '../secrets.js';
import { renderInline, type Renderer } from '../render/render-task.js';
import type { HandOffInput, HandOffPreview, HandOffResult, HandOffVia, OwnershipView } from '../../contract/team-inbox.js';
import { replySubjectOf } from '../../core/followup/index.js';
import { textToHtml } from '../../core/teaminbox/index.js';
import { audit } from './audit.js';
import { recipientOf } from './customers.js';
import { repProfileOf } from './people.js';
import { renderFound } from './render.js';
import { person, usersById, workable } from './team-inbox.js';
import { answeringIn, teamTemplate, templateRefOf } from './team-mail.js';

/**
 * The hand-off (docs/team-inbox.md): the assignee answers the buyer from their **own** address
 * with the inbox's hand-off template ("I'm Linda, I look after buyers in the Gulf; we received your
 * inquiry at info@ about …") in the buyer's language, reviewed and edited in `/inbox`, sent through
 * the rep's own connected mailbox — or, when the rep has none, through the role mailbox as the role
 * address — as a reply in the thread (In-Reply-To, References). The buyer's company is the rep's
 * from then on; when another rep owns it the store says so first and sends only when told to take
 * it over. The first response is recorded when the sync sees the reply (a hand-off sent as the role
 * address is known by its Message-ID in `team_mail`, so it counts for the rep who sent it).
 */

/** Who owns the buyer's company, seen from `userId`. */
export async function ownershipOf(tdb: TenantDb, userId: string, buyer: string): Promise<OwnershipView> {
  const { customer } = await recipientOf(tdb, buyer);
  const owner = customer?.owner_id ? (await usersById(tdb, [customer.owner_id])).get(customer.owner_id) : undefined;
  return { buyer: buyer.trim().toLowerCase(), company: customer ? { id: customer.id, name: customer.name } : null, owner: person(owner), ownedByOther: owner !== undefined && owner.id !== userId };
}

/** Recipients an on-send check looks at (the first ones: a mail to a whole list is not a reply to one buyer). */
export const OWNERSHIP_CHECK_MAX_RECIPIENTS = 10;

/**
 * Buyer ownership before a mail leaves (Outlook's on-send check): the first recipient whose
 * company another rep owns, or null. Addresses of the tenant's own users are nobody's buyers.
 */
export async function ownedByOther(tdb: TenantDb, userId: string, addresses: readonly string[]): Promise<OwnershipView | null> {
  const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))].slice(0, OWNERSHIP_CHECK_MAX_RECIPIENTS);
  if (!wanted.length) return null;
  const colleagues = new Set((await tdb.selectFrom('users').select('email').where('email', 'in', wanted).execute()).map((u) => u.email.toLowerCase()));
  for (const address of wanted) {
    if (colleagues.has(address)) continue;
    const view = await ownershipOf(tdb, userId, address);
    if (view.ownedByOther) return view;
  }
  return null;
}

interface Context {
  conversationId: string;
  user: UserRow;
  roleMailbox: MailboxRow;
  inboxName: string;
  mailbox: MailboxRow;
  via: HandOffVia;
  buyer: string;
  buyerText: string;
  buyerLanguage: string | null;
  subject: string;
  inReplyTo: string | null;
  references: string[];
  handOffTemplate: string | null;
}

async function contextOf(tdb: TenantDb, principal: Principal, conversationId: string): Promise<Context> {
  const { conversation, inbox } = await workable(tdb, principal, conversationId);
  const user = await tdb.selectFrom('users').selectAll().where('id', '=', principal.userId).executeTakeFirstOrThrow();
  const roleMailbox = await tdb.selectFrom('mailboxes').selectAll().where('id', '=', inbox.mailbox_id).executeTakeFirstOrThrow();
  const own = await tdb.selectFrom('mailboxes').selectAll().where('address', '=', user.email).where('paused', '=', 0).executeTakeFirst();
  const buyerMail = await tdb
    .selectFrom('mail_messages')
    .select(['from_address', 'message_key', 'reference_keys', 'excerpt', 'language'])
    .where('conversation_id', '=', conversationId)
    .where('direction', '=', 'inbound')
    .where('auto_verdict', '=', 'none')
    .orderBy('received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const buyer = buyerMail?.from_address ?? (JSON.parse(conversation.participants) as string[])[0];
  if (!buyer) throw new AppError(409, 'no_buyer', 'this conversation has no buyer address to answer');
  const inReplyTo = buyerMail?.message_key ? `<${buyerMail.message_key}>` : null;
  const references = [...(JSON.parse(buyerMail?.reference_keys ?? '[]') as string[]).map((k) => `<${k}>`), ...(inReplyTo ? [inReplyTo] : [])].slice(-20);
  return {
    conversationId,
    user,
    roleMailbox,
    inboxName: inbox.name,
    mailbox: own ?? roleMailbox,
    via: own ? 'own-mailbox' : 'role-address',
    buyer,
    buyerText: buyerMail?.excerpt ?? '',
    buyerLanguage: buyerMail?.language ?? null,
    subject: conversation.subject,
    inReplyTo,
    references,
    handOffTemplate: inbox.handoff_template,
  };
}

const fromOf = (c: Context) => (c.via === 'own-mailbox' ? { address: c.mailbox.address, name: c.user.name } : { address: c.roleMailbox.address, name: c.user.name });

/** The hand-off as it would go: who it is from and how, to whom, the text in the buyer's language, whose buyer it is. */
export async function handOffPreview(tdb: TenantDb, principal: Principal, conversationId: string, now: Date, renderer: Renderer = renderInline): Promise<HandOffPreview> {
  const c = await contextOf(tdb, principal, conversationId);
  const ref = templateRefOf(c.handOffTemplate);
  const found = ref ? await teamTemplate(tdb, ref) : null;
  if (!ref || !found) throw new AppError(409, 'no_hand_off_template', ref ? `the hand-off template "${ref.template}" is not in a published pack "${ref.pack}"; ask your admin` : 'this team inbox has no hand-off template; an admin chooses one (handOff in the team inbox settings)');
  const rendered = await renderFound(
    tdb,
    found,
    { rep: repProfileOf(c.user), timeZone: c.user.time_zone },
    { to: c.buyer, inbound: c.buyerText || undefined, buyerLanguage: c.buyerLanguage, fields: { inbox: c.roleMailbox.address, subject: c.subject }, now },
    renderer,
  );
  return {
    from: fromOf(c),
    via: c.via,
    roleAddress: c.roleMailbox.address,
    to: c.buyer,
    subject: c.subject ? replySubjectOf(c.subject) : rendered.subject,
    text: rendered.text,
    language: rendered.language,
    reason: rendered.reason,
    inReplyTo: c.inReplyTo,
    references: c.references,
    ownership: await ownershipOf(tdb, principal.userId, c.buyer),
  };
}

export interface HandOffDeps {
  adapterFor: AdapterFactory;
  box: SecretBox | undefined;
}

/**
 * Sends the reviewed hand-off. Once per rep and conversation (`team_mail` key), recorded before
 * the provider is called so the sync knows the sent copy; a failed send can be tried again.
 */
export async function sendHandOff(tdb: TenantDb, principal: Principal, conversationId: string, input: HandOffInput, deps: HandOffDeps, now: Date): Promise<HandOffResult> {
  const c = await contextOf(tdb, principal, conversationId);
  const ownership = await ownershipOf(tdb, principal.userId, c.buyer);
  if (ownership.ownedByOther && !input.takeOver) {
    const o = ownership.owner!;
    throw new AppError(409, 'owned_by_other', `${c.buyer}'s company is ${o.name}'s (${o.email}) buyer: send with takeOver to answer it and take it over, or hand the conversation to ${o.name}`, [{ path: 'takeOver', message: o.email, owner: o }]);
  }
  const text = input.text.trim();
  if (!text) throw new AppError(400, 'bad_request', 'text: the mail is empty', [{ path: 'text', message: 'empty' }]);
  if (c.mailbox.secrets && !deps.box) throw new AppError(503, 'no_secret_key', 'the store has no secret key to open the mailbox\'s credentials');
  const at = now.toISOString();
  const key = `hand-off:${conversationId}:${principal.userId}`;
  const id = newId();
  const messageId = `<tp-hand-off-${id}@${c.mailbox.address.split('@')[1] ?? 'tradepane.invalid'}>`;
  // Claim (or take back a failed one): a double click, or a colleague's tab of the same rep, gets 409.
  const claimed = await tdb.transaction(async (t) => {
    const fresh = await t.insertIfAbsent(
      'team_mail',
      { id, conversation_id: conversationId, team_inbox_id: (await workable(t, principal, conversationId)).inbox.id, kind: 'hand-off', dedupe_key: key, user_id: principal.userId, to_address: c.buyer, status: 'sending', attempts: 1, next_attempt_at: at, lease_owner: null, lease_until: null, message_id: messageId, payload: JSON.stringify({ via: c.via }), error: null, created_at: at, sent_at: null },
      ['dedupe_key'],
    );
    if (fresh) return true;
    const retaken = await t.updateTable('team_mail', { status: 'sending', message_id: messageId, error: null }).where('dedupe_key', '=', key).where('status', '=', 'failed').executeTakeFirst();
    return Number(retaken.numUpdatedRows) === 1;
  });
  if (!claimed) throw new AppError(409, 'already_sent', 'you have already handed this conversation off (or the send is under way)');
  let sentId: string;
  try {
    const adapter = deps.adapterFor(c.mailbox, c.mailbox.secrets ? deps.box!.open(c.mailbox.secrets) : {});
    try {
      if (!adapter.send) throw new MailboxError('protocol', `${c.mailbox.address}: this provider cannot send`);
      const answering = await answeringIn(tdb, c.mailbox.id, c.inReplyTo);
      sentId = (await adapter.send({ from: fromOf(c), to: [{ address: c.buyer }], subject: input.subject, html: textToHtml(text), text, ...(c.inReplyTo ? { inReplyTo: c.inReplyTo } : {}), references: c.references, messageId, answering })).messageId;
    } finally {
      await adapter.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await tdb.updateTable('team_mail', { status: 'failed', error: message }).where('dedupe_key', '=', key).execute();
    throw new AppError(502, 'mailbox_error', `${c.mailbox.address} did not send the hand-off: ${message}`);
  }
  await tdb.transaction(async (t) => {
    await t.updateTable('team_mail', { status: 'sent', sent_at: at, message_id: sentId }).where('dedupe_key', '=', key).execute();
    const { customer } = await recipientOf(t, c.buyer);
    // The buyer's company is the rep's from now on (taken over only when the rep said so).
    if (customer && (customer.owner_id === null || input.takeOver)) await t.updateTable('customers', { owner_id: principal.userId }).where('id', '=', customer.id).execute();
    await audit(t, principal, 'team-conversation.hand-off', { type: 'conversation', id: conversationId }, { via: c.via, from: fromOf(c).address, to: c.buyer, messageId: sentId, previousOwner: ownership.owner?.email ?? null, takeOver: Boolean(input.takeOver && ownership.ownedByOther) });
  });
  return { messageId: sentId, from: fromOf(c).address, via: c.via, sentAt: at, owner: { id: c.user.id, name: c.user.name, email: c.user.email } };
}
