import type { Selectable } from 'kysely';
import type { ConversationRow } from '../db/tables.js';
import type { TenantDb } from '../db/tenant-db.js';
import { badRequest, notFound } from '../errors.js';
import type { ConversationDetail, ConversationView, MessageView } from '../../contract/conversations.js';

export type { ConversationView, MessageView };

/**
 * Conversations as the faces and automation read them. "Which buyer mails have had no answer
 * for 24 hours": `unansweredForHours=24` (or `unansweredSince=<instant>`) lists conversations
 * whose last human message came from outside the company at or before that instant; automatic
 * mail (out-of-office, bounces, receipts, lists) and internal mail never count as an answer or
 * as the buyer writing.
 */

export interface ConversationFilters {
  mailboxId?: string | undefined;
  customerId?: string | undefined;
  /** Who wrote the last human message: inbound = the buyer, outbound = the company. */
  direction?: 'inbound' | 'outbound' | undefined;
  unansweredSince?: string | undefined;
  unansweredForHours?: number | undefined;
  /** Only conversations whose last message is older than this instant (paging, newest first). */
  before?: string | undefined;
  limit?: number | undefined;
}

function view(row: Selectable<ConversationRow>, mailboxIds: string[]): ConversationView {
  return {
    id: row.id,
    subject: row.subject,
    participants: JSON.parse(row.participants) as string[],
    customerId: row.customer_id,
    customerIds: JSON.parse(row.customer_ids) as string[],
    firstMessageAt: row.first_message_at,
    lastMessageAt: row.last_message_at,
    lastInboundAt: row.last_inbound_at,
    lastOutboundAt: row.last_outbound_at,
    lastWriter: row.last_writer,
    messageCount: row.message_count,
    inboundCount: row.inbound_count,
    outboundCount: row.outbound_count,
    mailboxIds,
  };
}

function instant(value: string, path: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw badRequest(`${path}: an ISO-8601 instant such as 2026-11-30T09:00:00Z`, [{ path, message: 'not an ISO-8601 instant' }]);
  return new Date(ms).toISOString();
}

async function mailboxesOf(tdb: TenantDb, conversationIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
  if (!conversationIds.length) return map;
  const rows = await tdb.selectFrom('mail_messages').select(['conversation_id', 'mailbox_id']).distinct().where('conversation_id', 'in', conversationIds).execute();
  for (const r of rows) map.get(r.conversation_id)?.push(r.mailbox_id);
  return map;
}

export async function listConversations(tdb: TenantDb, filters: ConversationFilters, now = new Date()): Promise<ConversationView[]> {
  let query = tdb.selectFrom('conversations').selectAll('conversations');
  if (filters.unansweredSince !== undefined && filters.unansweredForHours !== undefined) {
    throw badRequest('give unansweredSince or unansweredForHours, not both', [{ path: 'unansweredForHours', message: 'not with unansweredSince' }]);
  }
  const cutoff = filters.unansweredSince !== undefined ? instant(filters.unansweredSince, 'unansweredSince') : filters.unansweredForHours !== undefined ? new Date(now.getTime() - filters.unansweredForHours * 3_600_000).toISOString() : undefined;
  if (cutoff) query = query.where('conversations.last_writer', '=', 'buyer').where('conversations.last_inbound_at', '<=', cutoff);
  if (filters.direction) query = query.where('conversations.last_writer', '=', filters.direction === 'inbound' ? 'buyer' : 'us');
  if (filters.customerId) query = query.where('conversations.customer_ids', 'like', `%"${filters.customerId.replace(/[%_"\\]/g, '')}"%`);
  if (filters.mailboxId) {
    const mailboxId = filters.mailboxId;
    query = query.where((eb) => eb.exists(eb.selectFrom('mail_messages').select('mail_messages.id').whereRef('mail_messages.conversation_id', '=', 'conversations.id').where('mail_messages.mailbox_id', '=', mailboxId).where('mail_messages.tenant_id', '=', tdb.tenantId)));
  }
  if (filters.before) query = query.where('conversations.last_message_at', '<', instant(filters.before, 'before'));
  const rows = await query.orderBy('conversations.last_message_at', 'desc').limit(Math.min(Math.max(filters.limit ?? 50, 1), 200)).execute();
  const boxes = await mailboxesOf(tdb, rows.map((r) => r.id));
  return rows.map((r) => view(r, boxes.get(r.id) ?? []));
}

export async function getConversation(tdb: TenantDb, conversationId: string): Promise<ConversationDetail> {
  const row = await tdb.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
  if (!row) throw notFound('conversation');
  const messages = await tdb.selectFrom('mail_messages').selectAll().where('conversation_id', '=', conversationId).orderBy('received_at').limit(500).execute();
  const boxes = [...new Set(messages.map((m) => m.mailbox_id))];
  return {
    ...view(row, boxes),
    messages: messages.map((m) => ({
      id: m.id,
      mailboxId: m.mailbox_id,
      folder: m.folder,
      messageId: m.message_key,
      from: m.from_address ? { address: m.from_address, ...(m.from_name ? { name: m.from_name } : {}) } : null,
      to: JSON.parse(m.to_addresses) as MessageView['to'],
      cc: JSON.parse(m.cc_addresses) as MessageView['cc'],
      subject: m.subject,
      receivedAt: m.received_at,
      utcOffsetMinutes: m.utc_offset_minutes,
      direction: m.direction,
      autoVerdict: m.auto_verdict,
      language: m.language,
      excerpt: m.excerpt,
      sizeBytes: m.size_bytes,
      attachments: JSON.parse(m.attachments) as MessageView['attachments'],
    })),
  };
}
