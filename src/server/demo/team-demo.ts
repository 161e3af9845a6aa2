import type { Actor } from '../auth/principal.js';
import { PERMISSIONS } from '../../core/access/permissions.js';
import { registrableDomain } from '../../core/payment/index.js';
import type { DevTeamItem } from '../../contract/system.js';
import { newId, type TenantDb } from '../db/tenant-db.js';
import { AppError } from '../errors.js';
import { createCustomer, customerOfEmail } from '../services/customers.js';
import { addMailbox } from '../services/mailboxes.js';
import { configureTeamInbox, teamInboxArrival } from '../services/team-inbox.js';

/**
 * Dev mode only (the store registers its route only with the dev signer, on loopback): the
 * demo team inbox the Outlook playground opens as a shared-mailbox item. In the signed-in user's
 * tenant, once: the role mailbox info@<their domain> (Graph, paused: nothing syncs it), run as a team
 * inbox for the user's groups with the demo pack's hand-off template, the buyer's company, and one
 * German inquiry queued through the sync's own hook (routing, clock). Calling it again answers the
 * same mail.
 */

const BUYER = { name: 'Anna Schmidt', address: 'anna@hamburg-import.de' };
const SUBJECT = 'Anfrage: LED-Panels für unsere Filialen';
const TEXT = 'Guten Tag,\n\nwir interessieren uns für 2.000 LED-Panels (60×60 cm) für unsere Filialen. Bitte senden Sie uns Ihr bestes Angebot FOB Ningbo.\n\nMit freundlichen Grüßen\nAnna Schmidt\nHamburg Import GmbH';
const MESSAGE_KEY = 'team-demo-1@hamburg-import.de';
const THREAD = 'AAQkADdemoTeamInboxLedPanels';
/** The demo pack's hand-off (src/server/demo/demo-pack.yaml). */
const HAND_OFF = { pack: 'demo-export', template: 'team-hand-off' };

export async function seedTeamDemo(tdb: TenantDb, user: { id: string; email: string }, now: Date): Promise<DevTeamItem> {
  const actor: Actor = { tenantId: tdb.tenantId, userId: null, role: 'admin', permissions: new Set(PERMISSIONS), label: 'dev team demo' };
  const roleAddress = `info@${user.email.split('@')[1] ?? 'demo.tradepane.test'}`;
  let mailbox = await tdb.selectFrom('mailboxes').select(['id']).where('address', '=', roleAddress).executeTakeFirst();
  if (!mailbox) {
    // An Exchange shared mailbox, as info@ is for an Outlook team; paused at once, so nothing ever syncs or sends through it.
    mailbox = { id: (await addMailbox(tdb, actor, undefined, { provider: 'graph', address: roleAddress, settings: {} }, { backfillDays: 0, now })).id };
    await tdb.updateTable('mailboxes', { paused: 1 }).where('id', '=', mailbox.id).execute();
  }
  if (!(await tdb.selectFrom('team_inboxes').select('id').where('mailbox_id', '=', mailbox.id).executeTakeFirst())) {
    const groups = (await tdb.selectFrom('group_members').innerJoin('groups', 'groups.id', 'group_members.group_id').select('groups.slug').where('group_members.user_id', '=', user.id).execute()).map((g) => g.slug);
    if (!groups.length) throw new AppError(409, 'no_group', `${user.email} is in no group: the demo team inbox is worked by the user's groups`);
    const input = { name: 'Info (demo)', groups, handOff: HAND_OFF, calendar: { country: 'CN', timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' } };
    // Without the demo pack (another tenant's dev data) the inbox simply has no hand-off template.
    await configureTeamInbox(tdb, actor, mailbox.id, input, now).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 400) return configureTeamInbox(tdb, actor, mailbox.id, { ...input, handOff: null }, now);
      throw error;
    });
  }
  const customer = (await customerOfEmail(tdb, BUYER.address)) ?? (await createCustomer(tdb, actor, { name: 'Hamburg Import GmbH', domains: ['hamburg-import.de'], country: 'DE' }));
  const existing = await tdb.selectFrom('mail_messages').select(['conversation_id', 'received_at', 'date_header']).where('message_key', '=', MESSAGE_KEY).where('mailbox_id', '=', mailbox.id).executeTakeFirst();
  const item = (conversationId: string, receivedAt: string, dateHeader: string): DevTeamItem => ({ roleAddress, conversationId, internetMessageId: `<${MESSAGE_KEY}>`, threadId: THREAD, subject: SUBJECT, from: BUYER, text: TEXT, receivedAt, dateHeader });
  if (existing) return item(existing.conversation_id, existing.received_at, existing.date_header ?? '');

  // Two hours ago, from Hamburg (+01:00 in winter, +02:00 in summer: the client-time engine reads either).
  const at = new Date(now.getTime() - 2 * 3600_000).toISOString();
  const dateHeader = new Date(at).toUTCString().replace('GMT', '+0000');
  const id = newId();
  const messageId = newId();
  await tdb.transaction(async (t) => {
    await t.insert('conversations', { id, subject: SUBJECT, subject_key: SUBJECT.toLowerCase(), participants: JSON.stringify([BUYER.address]), customer_ids: JSON.stringify([customer.id]), customer_id: customer.id, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    await t.insert('mail_messages', { id: messageId, mailbox_id: mailbox.id, conversation_id: id, provider_id: messageId, provider_thread_id: THREAD, folder: 'inbox', message_key: MESSAGE_KEY, from_address: BUYER.address, from_domain: registrableDomain(BUYER.address), from_name: BUYER.name, to_addresses: JSON.stringify([roleAddress]), cc_addresses: '[]', reference_keys: '[]', size_bytes: TEXT.length, attachments: '[]', received_at: at, subject: SUBJECT, direction: 'inbound', auto_verdict: 'none', language: 'de', excerpt: TEXT.slice(0, 200), created_at: at, date_header: dateHeader });
    await t.insert('mail_bodies', { message_id: messageId, text_body: TEXT, expires_at: new Date(now.getTime() + 30 * 86_400_000).toISOString() });
    // What the sync's hook does with a stored message (mail/hooks.ts): queue, route, start the clock.
    await teamInboxArrival({ tdb: t, mailboxId: mailbox.id, conversationId: id, message: { direction: 'inbound', auto_verdict: 'none', received_at: at, from_address: BUYER.address, subject: SUBJECT, language: 'de', attachments: '[]', date_header: dateHeader, message_key: MESSAGE_KEY, reference_keys: '[]' }, body: TEXT, customerIds: [customer.id], live: false, at: now });
  });
  return item(id, at, dateHeader);
}
