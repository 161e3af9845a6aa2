import type { Generated } from 'kysely';

/**
 * Row types of every table. Both dialects store the same shapes: ids are UUID text, instants are
 * ISO-8601 UTC text (they sort and compare correctly as text), JSON is text, flags are 0/1. That
 * keeps one query layer honest across SQLite and PostgreSQL.
 */

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  entra_tenant_id: string | null;
  google_domain: string | null;
  /** Raised by triggers whenever a rep's packs view may have changed (migration 018, services/pack-views.ts). */
  packs_view_version?: number;
  created_at: string;
}

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  title: string | null;
  phone: string | null;
  mobile: string | null;
  whatsapp: string | null;
  wechat: string | null;
  department: string | null;
  locale: string | null;
  time_zone: string | null;
  role: 'rep' | 'admin';
  disabled_at: string | null;
  /** Directory sync (migration 017): JSON array of the fields an admin pinned (never overwritten by the directory). */
  pinned_fields?: string;
  created_at: string;
  updated_at: string;
}

export interface GroupRow {
  id: string;
  tenant_id: string;
  slug: string;
  name: string;
  created_at: string;
}

export interface GroupMemberRow {
  tenant_id: string;
  group_id: string;
  user_id: string;
}

export interface PackRow {
  id: string;
  tenant_id: string;
  slug: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface PackVersionRow {
  id: string;
  tenant_id: string;
  pack_id: string;
  version: number;
  document: string;
  source: string;
  source_format: 'yaml' | 'json';
  digest: string;
  pushed_by: string | null;
  pushed_by_label: string;
  created_at: string;
}

/** Which version of a pack a group (or '*', everyone) receives. */
export interface PackPublicationRow {
  tenant_id: string;
  pack_id: string;
  audience: string;
  version_id: string;
  published_by_label: string;
  published_at: string;
}

export interface PersonalTemplateRow {
  id: string;
  tenant_id: string;
  user_id: string;
  template_id: string;
  document: string;
  created_at: string;
  updated_at: string;
}

export interface CustomerRow {
  id: string;
  tenant_id: string;
  name: string;
  country: string | null;
  time_zone: string | null;
  languages: string;
  business_hours: string | null;
  closed_days: string;
  /** The rep who looks after this company (team inbox: their buyers go to them). */
  owner_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CustomerDomainRow {
  tenant_id: string;
  domain: string;
  customer_id: string;
}

export interface ContactRow {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  email: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  country: string | null;
  time_zone: string | null;
  phone: string | null;
  last_utc_offset: string | null;
  last_date_header: string | null;
  last_seen_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ActivityRow {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  contact_id: string | null;
  kind: string;
  direction: 'inbound' | 'outbound';
  message_id: string;
  thread_id: string | null;
  occurred_at: string;
  utc_offset: string | null;
  from_address: string;
  to_addresses: string;
  subject: string;
  snippet: string;
  logged_by: string;
  logged_via: string;
  created_at: string;
}

export interface TaskRow {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  contact_id: string | null;
  activity_id: string | null;
  title: string;
  notes: string;
  due_at: string | null;
  due_local: string | null;
  due_time_zone: string | null;
  assignee_id: string;
  status: 'open' | 'done';
  created_by: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface ScheduledSendRow {
  id: string;
  tenant_id: string;
  user_id: string;
  provider: 'gmail' | 'outlook';
  draft_id: string;
  recipient: string;
  send_at: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' | 'gone';
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  // 005_send_queue:
  thread_id: string | null;
  subject: Generated<string>;
  /** JSON list of the draft's recipients as the rep saw them when scheduling. */
  recipients: Generated<string>;
  /** RFC 822 Message-ID of the draft, recorded just before drafts.send (the crash-recovery key). */
  rfc822_message_id: string | null;
  /** Gmail's id of the sent message. */
  provider_message_id: string | null;
  /** Why it failed, is gone or was cancelled, in words a rep understands. */
  reason: string | null;
  /** How often the rep or an admin moved it (event ids stay unique). */
  revision: Generated<number>;
}

/** A rep's own Google grant (per-user OAuth), for tenants without domain-wide delegation. */
export interface GoogleGrantRow {
  tenant_id: string;
  user_id: string;
  /** The refresh token sealed with SecretBox. */
  refresh_token: string;
  scopes: string;
  granted_at: string;
  /** Set when Google refused the token (revoked); the rep must connect again. */
  revoked_reason: string | null;
}

export interface AuditRow {
  id: string;
  tenant_id: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string;
  at: string;
}

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  key_id: string;
  secret_hash: string;
  scopes: string;
  created_by_label: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface TemplateUseRow {
  tenant_id: string;
  user_id: string;
  /** Pack slug, or '~personal' for the rep's own templates. */
  pack: string;
  template_id: string;
  /** ISO week, e.g. 2026-W48 */
  week: string;
  count: number;
  last_used_at: string;
}

export interface ConnectorRow {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  settings: string;
  /** AES-256-GCM ciphertext of the JSON secrets (see secrets.ts) */
  secrets: string;
  /** JSON list of event types it receives */
  events: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

export interface OutboxRow {
  id: string;
  tenant_id: string;
  connector_id: string;
  event_type: string;
  event: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** A periodic job that runs once per interval across all instances (jobs/periodic.ts). */
export interface JobRunRow {
  name: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
}

/** The last signature state seen per rep, channel and sending address (admin compliance view). */
export interface SignatureStateRow {
  id: string;
  tenant_id: string;
  user_id: string;
  channel: 'outlook' | 'gmail';
  address: string;
  /** outlook: ok | missing | altered (seen on send); gmail: pushed | unchanged | drifted | failed */
  state: string;
  detail: string | null;
  pack: string | null;
  signature_id: string | null;
  hash: string | null;
  /** What reported it: the Outlook host/platform, or "gmail-push". */
  client: string | null;
  seen_at: string;
  /** When the state last changed to its current value. */
  state_since: string;
}

/** A mailbox a company connected for sync (docs/mailboxes.md). */
export interface MailboxRow {
  id: string;
  tenant_id: string;
  provider: 'graph' | 'gmail' | 'imap';
  address: string;
  display_name: string;
  /** JSON: provider settings (IMAP host/port/TLS, SMTP, preset), keepBodiesDays, backfillDays. */
  settings: string;
  /** Password / client secret sealed with SecretBox (secrets.ts); null when the provider needs none. */
  secrets: string | null;
  status: 'new' | 'backfilling' | 'live' | 'retrying' | 'error';
  paused: number;
  /** MailboxErrorCode of the last failure, and the same in words an IT admin understands. */
  last_error_code: string | null;
  last_error: string | null;
  failures: number;
  lease_owner: string | null;
  lease_until: string | null;
  next_sync_at: string;
  /** The adapter's opaque cursor, written in the same transaction as the messages it covers. */
  cursor: string | null;
  /** Start of the backfill window of the current (re)sync. */
  backfill_since: string | null;
  backfill_done: number;
  /** Messages the adapter says are still to come in the backfill; null when it cannot tell. */
  backfill_remaining: number | null;
  /** When the backfill first caught up; null while (re)backfilling: mail found after it is live mail (events, hooks). */
  caught_up_at: string | null;
  last_synced_at: string | null;
  created_at: string;
  updated_at: string;
}
/** One conversation with people outside the company, across the tenant's mailboxes. */
export interface ConversationRow {
  id: string;
  tenant_id: string;
  subject: string;
  subject_key: string;
  /** JSON list of outside addresses. */
  participants: string;
  /** JSON list of the participants' companies (customer ids). */
  customer_ids: string;
  customer_id: string | null;
  first_message_at: string;
  last_message_at: string;
  last_inbound_at: string | null;
  last_outbound_at: string | null;
  last_writer: 'buyer' | 'us' | null;
  message_count: number;
  inbound_count: number;
  outbound_count: number;
  state: string;
  assignee_id: string | null;
  first_response_at: string | null;
  /** Team inbox (migration 014): the inbox the conversation is queued in, null for others. */
  team_inbox_id: string | null;
  /** JSON list of tags (routing rules, reps). */
  tags: Generated<string>;
  /** The response clock: started when the buyer wrote and nobody had answered; stopped at our reply. */
  clock_started_at: string | null;
  warn_at: string | null;
  due_at: string | null;
  responded_at: string | null;
  warned_at: string | null;
  breached_at: string | null;
  assigned_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}
/** Headers of one synced message (never the body; see MailBodyRow). */
export interface MailMessageRow {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  conversation_id: string;
  provider_id: string;
  folder: 'inbox' | 'sent';
  /** Normalised Message-ID (core/crm messageIdKey); unique per mailbox. */
  message_key: string | null;
  /** A second identity: Exchange's original Message-ID when it rewrote it. */
  second_key: string | null;
  in_reply_to: string | null;
  /** JSON list of normalised References. */
  reference_keys: string;
  provider_thread_id: string | null;
  from_address: string | null;
  /** The sender's registrable domain (core/payment registrableDomain), for the payment guard's "first mail from this domain" (migration 023). */
  from_domain: string | null;
  from_name: string | null;
  /** JSON [{address, name?}] */
  to_addresses: string;
  cc_addresses: string;
  date_header: string | null;
  utc_offset_minutes: number | null;
  received_at: string;
  subject: string;
  direction: 'inbound' | 'outbound' | 'internal';
  size_bytes: number;
  /** JSON [{name, contentType}] */
  attachments: string;
  auto_verdict: 'none' | 'auto-reply' | 'bounce' | 'receipt' | 'bulk';
  language: string | null;
  excerpt: string;
  created_at: string;
}
export interface MailBodyRow {
  message_id: string;
  tenant_id: string;
  text_body: string;
  expires_at: string;
}
/** The company's official profile (contract/company.ts CompanyProfile as JSON). */
export interface CompanyProfileRow {
  tenant_id: string;
  document: string;
  updated_by: string;
  updated_at: string;
}

/** The payment guard's verdict on one synced message (core/payment findings as JSON). */
export interface PaymentVerdictRow {
  message_id: string;
  tenant_id: string;
  message_key: string | null;
  verdict: 'ok' | 'notice' | 'suspicious';
  findings: string;
  accounts: string;
  customer_id: string | null;
  contact_id: string | null;
  from_address: string | null;
  created_at: string;
}

/** The last document number given per tenant, kind and year (migration 012). */
export interface DocumentSequenceRow {
  tenant_id: string;
  kind: string;
  year: number;
  last_value: number;
}

/** A quotation or proforma invoice as issued: its number, and the data and layout version that drew it. */
export interface DocumentRow {
  id: string;
  tenant_id: string;
  kind: string;
  number: string;
  year: number;
  sequence: number;
  language: string;
  layout_version: number;
  pack: string | null;
  pack_version: number | null;
  template_id: string | null;
  data: string;
  total_minor: string;
  currency: string;
  sha256: string | null;
  byte_size: number | null;
  created_by: string | null;
  created_at: string;
}

/** A link to a document sent instead of an attachment (migration 015): the token's SHA-256 and its opens. */
export interface DocumentLinkRow {
  token_hash: string;
  tenant_id: string;
  document_id: string;
  created_by: string | null;
  created_at: string;
  first_opened_at: string | null;
  last_opened_at: string | null;
  open_count: Generated<number>;
}

/** A "remind me if no reply" on a sent mail (docs/followups.md). */
export interface FollowUpRow {
  id: string;
  tenant_id: string;
  user_id: string;
  status: 'awaiting-send' | 'waiting' | 'due' | 'replied' | 'done' | 'cancelled';
  /** Normalised Internet Message-ID of the sent mail (null until known). */
  message_key: string | null;
  /** Gmail draft id / provider thread id given at compose, to find the mail when it leaves. */
  draft_id: string | null;
  thread_id: string | null;
  conversation_id: string | null;
  subject: string;
  subject_key: string;
  /** JSON list of the outside addresses the mail went to. */
  recipients: string;
  template_kind: string | null;
  language: string | null;
  /** JSON core/followup FollowUpRule. */
  rule: string;
  sent_at: string | null;
  due_at: string | null;
  due_local: string | null;
  rep_time_zone: string | null;
  buyer_deadline: string | null;
  /** The buyer's return date an out-of-office gave ('YYYY-MM-DD'), when it moved the reminder. */
  moved_until: string | null;
  snoozes: number;
  fired_at: string | null;
  fired_by: string | null;
  task_id: string | null;
  replied_at: string | null;
  /** mail_messages.id of the counted reply. */
  reply_message_id: string | null;
  created_at: string;
  updated_at: string;
}
/** A morning digest sent to a rep on a day of their calendar. */
export interface FollowUpDigestRow {
  tenant_id: string;
  user_id: string;
  local_date: string;
  items: number;
  message_id: string | null;
  sent_at: string;
}
/** Directory sync (migration 017): where a tenant's profile fields come from. */
export interface DirectorySourceRow {
  tenant_id: string;
  provider: 'entra' | 'google';
  settings: string;
  secrets: string;
  last_run_at: string | null;
  last_summary: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  directory_sources: DirectorySourceRow;
  tenants: TenantRow;
  users: UserRow;
  groups: GroupRow;
  group_members: GroupMemberRow;
  packs: PackRow;
  pack_versions: PackVersionRow;
  pack_publications: PackPublicationRow;
  personal_templates: PersonalTemplateRow;
  customers: CustomerRow;
  customer_domains: CustomerDomainRow;
  contacts: ContactRow;
  activities: ActivityRow;
  tasks: TaskRow;
  scheduled_sends: ScheduledSendRow;
  google_grants: GoogleGrantRow;
  audit_log: AuditRow;
  api_keys: ApiKeyRow;
  template_uses: TemplateUseRow;
  connectors: ConnectorRow;
  outbox: OutboxRow;
  signature_states: SignatureStateRow;
  job_runs: JobRunRow;
  mailboxes: MailboxRow;
  conversations: ConversationRow;
  mail_messages: MailMessageRow;
  mail_bodies: MailBodyRow;
  company_profiles: CompanyProfileRow;
  payment_verdicts: PaymentVerdictRow;
  document_sequences: DocumentSequenceRow;
  documents: DocumentRow;
  followups: FollowUpRow;
  followup_digests: FollowUpDigestRow;
  team_inboxes: TeamInboxRow;
  team_notes: TeamNoteRow;
  team_presence: TeamPresenceRow;
  team_mail: TeamMailRow;
  team_responses: TeamResponseRow;
  document_links: DocumentLinkRow;
}

/** A connected mailbox run as a team inbox (docs/team-inbox.md). */
export interface TeamInboxRow {
  id: string;
  tenant_id: string;
  mailbox_id: string;
  name: string;
  /** JSON list of group ids whose members work the inbox. */
  group_ids: string;
  manager_id: string | null;
  target_hours: number;
  /** JSON {country, timeZone, start, end} */
  calendar: string;
  turn: number;
  /** JSON {pack, template}: the auto-acknowledgement; null = off. */
  ack_template: string | null;
  /** JSON {pack, template}: what a rep hands off with; null = none chosen. */
  handoff_template: string | null;
  created_at: string;
  updated_at: string;
}
export type TeamMailKind = 'ack' | 'warning' | 'breach' | 'notify' | 'hand-off';
export type TeamMailStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';
/** What the team inbox sends (migration 019): claimed once by `dedupe_key`, sent by jobs/team-mail.ts. */
export interface TeamMailRow {
  id: string;
  tenant_id: string;
  conversation_id: string;
  team_inbox_id: string;
  kind: TeamMailKind;
  dedupe_key: string;
  user_id: string | null;
  to_address: string;
  status: TeamMailStatus;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  message_id: string;
  /** JSON */
  payload: string;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}
/** An internal note on a conversation: never sent to the buyer. */
export interface TeamNoteRow {
  id: string;
  tenant_id: string;
  conversation_id: string;
  author_id: string | null;
  author_label: string;
  body: string;
  /** JSON list of user ids */
  mentions: string;
  created_at: string;
}
/**
 * One stopped response clock (migration 022): the manager's figures read these, since a
 * conversation's own clock columns are reset when the buyer writes again.
 */
export interface TeamResponseRow {
  tenant_id: string;
  conversation_id: string;
  team_inbox_id: string;
  clock_started_at: string;
  responded_at: string;
  due_at: string | null;
  /** Who answered; the assignee when the role address itself answered; null when nobody can tell. */
  responder_id: string | null;
}
export interface TeamPresenceRow {
  tenant_id: string;
  conversation_id: string;
  user_id: string;
  activity: 'viewing' | 'replying';
  seen_at: string;
}
