/**
 * The CRM log's shapes and its dedupe key, shared by the store and both faces (the typed
 * client), so a mail logged from Outlook and from Gmail is recognised as the same one.
 */

/**
 * `<abc@host>` → `abc@host`: the angle brackets are syntax, the id inside is compared as written.
 * Returns null for what is not a Message-ID (empty, spaces, stray brackets, over 998 characters).
 */
export function messageIdKey(raw: string): string | null {
  const id = raw.trim().replace(/^<|>$/g, '').trim();
  return !id || id.length > 998 || /[\s<>]/.test(id) ? null : id;
}

export interface ActivityView {
  id: string;
  messageId: string;
  threadId: string | null;
  direction: 'inbound' | 'outbound';
  occurredAt: string;
  utcOffset: string | null;
  from: string;
  to: string[];
  subject: string;
  snippet: string;
  customerId: string | null;
  contactId: string | null;
  loggedBy: string;
  loggedVia: string;
  loggedAt: string;
}
export interface TaskView {
  id: string;
  title: string;
  notes: string;
  status: 'open' | 'done';
  dueAt: string | null;
  dueLocal: string | null;
  dueTimeZone: string | null;
  assignee: string;
  customerId: string | null;
  contactId: string | null;
  activityId: string | null;
  createdAt: string;
  completedAt: string | null;
}
