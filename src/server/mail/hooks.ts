import type { Selectable } from 'kysely';
import type { ConversationRow, MailMessageRow } from '../db/tables.js';
import type { TenantDb } from '../db/tenant-db.js';
import type { FetchedMessage } from './types.js';
import { paymentGuardHook } from '../services/payment-guard.js';
import { followUpHook } from '../services/followups.js';
import { teamInboxArrival } from '../services/team-inbox.js';

/**
 * What a feature sees of a message the sync has just stored. Features that react to mail as it
 * arrives or leaves (team-inbox routing, follow-up replies, the inbound payment guard) register a
 * hook below instead of editing the engine. Hooks run inside the page's transaction, after the
 * message and its conversation are written: what a hook writes is committed with the message or
 * not at all, so a crash can neither lose nor double its effect. The body is in hand only here
 * (it is stored only where a mailbox keeps bodies), so rules that need it run now.
 */
export interface StoredMessage {
  tdb: TenantDb;
  mailbox: { id: string; address: string; tenantId: string };
  /** The row as stored (addresses cleaned, direction and auto-reply verdict decided). */
  message: Omit<MailMessageRow, 'tenant_id'>;
  conversation: { id: string; created: boolean; subject: string; customerIds: string[]; lastWriter: 'buyer' | 'us' | null; lastInboundAt: string | null; lastOutboundAt: string | null; row?: Selectable<ConversationRow> };
  /** What the provider gave (Reply-To, the text body up to 64 KiB). */
  fetched: FetchedMessage;
  /** False while a mailbox's backfill runs: a hook must not alert or notify about last month's mail. */
  live: boolean;
  at: Date;
  /** What the hooks read once for all the messages of the page (one per page's transaction). */
  page: PageMemo;
}

/**
 * Values a hook reads once per page instead of once per message, so the answers are the ones a
 * read per message would give inside the page's transaction: what the sync itself does not change
 * while it stores the page (the tenant's users and mailboxes, its company profile, its team
 * inboxes' settings), and what it changes only by filing a company (`dependsOn: 'companies'`),
 * read again after the sync says so (`companyFiled`). A hook keeps what it writes itself current
 * in its own memo (the payment guard's accounts on file).
 */
export class PageMemo {
  private readonly values = new Map<string, Promise<unknown>>();
  private readonly onCompanies = new Set<string>();

  /** `read()`'s answer, read on the first call for `key` in this page (and after a company is filed, for `dependsOn: 'companies'`). */
  once<T>(key: string, read: () => Promise<T>, options: { dependsOn?: 'companies' } = {}): Promise<T> {
    let value = this.values.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      this.values.set(key, value);
      if (options.dependsOn === 'companies') this.onCompanies.add(key);
    }
    return value;
  }

  /** The sync filed a company (a customer with its domains) in this page: what depends on the companies on file is read again. */
  companyFiled(): void {
    for (const key of this.onCompanies) this.values.delete(key);
    this.onCompanies.clear();
  }
}

export type StoredMessageHook = (stored: StoredMessage) => Promise<void>;

/** The hooks the store runs, in this order. Tests pass their own list through SyncOptions.afterStore. */
export const STORED_MESSAGE_HOOKS: readonly StoredMessageHook[] = [teamInboxHook, paymentGuardHook, followUpHook];

/** The team inbox: queue, route, reopen, start and stop the response clock (services/team-inbox.ts). */
export async function teamInboxHook(stored: StoredMessage): Promise<void> {
  await teamInboxArrival({
    tdb: stored.tdb,
    mailboxId: stored.mailbox.id,
    conversationId: stored.conversation.id,
    conversation: stored.conversation.row,
    message: stored.message,
    body: stored.fetched.textBody ?? '',
    customerIds: stored.conversation.customerIds,
    live: stored.live,
    at: stored.at,
    once: (key, read) => stored.page.once(key, read),
  });
}
