import type { Principal } from '../server/auth/principal.js';
import type { TenantDb } from '../server/db/tenant-db.js';
import type { AddonEvent } from './event.js';
import type { Lang, Translate } from './i18n.js';
import type { ActionTarget } from './cards.js';
import type { ScheduledSendView } from '../contract/scheduled-sends.js';
import type { PaymentCheckResponse } from '../contract/payments.js';
import type { DocumentDeps } from '../server/services/documents.js';
import type { Attachment } from '../server/google/mime-attach.js';

/** Everything one add-on request's handler needs: the verified rep, their tenant, the event, their language. */
export interface AddonContext {
  principal: Principal;
  tdb: TenantDb;
  event: AddonEvent;
  lang: Lang;
  t: Translate;
  now: Date;
  /** The rep's time zone: Gmail's (useLocaleFromApp), else their profile's, else UTC. */
  timeZone: string;
  /** An action target at one of this add-on's endpoints: `target('/compose/insert', {pack, template})`. */
  target(path: string, parameters?: Record<string, string | undefined>): ActionTarget;
  services: AddonServices;
}

/** The parts that talk to Google on the rep's behalf; absent when the store has no Gmail access configured. */
export interface AddonServices {
  /** Headers of the open message (the contextual trigger), read with the event's tokens. */
  readOpenMessage?: (event: AddonEvent) => Promise<OpenMessage>;
  /**
   * A draft of the rep's made earlier, read with the event's tokens: its ids while Gmail still has
   * it, null once it was sent or deleted — or when Gmail does not let the add-on read it.
   */
  findDraft?: (event: AddonEvent, draftId: string) => Promise<{ draftId: string; threadId: string } | null>;
  /** Creates a reply draft in the open message's thread; answers the new draft's ids. */
  createReplyDraft?: (event: AddonEvent, reply: { to: string; subject: string; html: string; inReplyTo: string; references: string; threadId: string }) => Promise<{ draftId: string; threadId: string }>;
  /** Scheduled sending: absent when no offline Google credentials are configured. */
  scheduling?: SchedulingPort;
  /** "Connect your Google account" (routes/google-connect.ts): absent when per-user consent is not possible. */
  googleConnect?: GoogleConnectPort;
  /** "Make PDF" (docs/documents.md): absent when the store draws no documents. */
  documents?: DocumentsPort;
  /**
   * The body of the draft in this compose window, read with the store's offline access (the
   * compose event never carries it): for the payment check. Absent without offline credentials.
   */
  draftBody?: (ctx: AddonContext) => Promise<{ body: string; format: 'html' | 'text' } | { draftNotFound: true } | { noAccess: true }>;
  /** The home card's "Follow up": files the reply draft in the rep's Gmail with the store's offline access (delegation or the rep's grant). */
  createFollowUpDraft?: (ctx: AddonContext, draft: { to: string[]; subject: string; html: string; inReplyTo: string | null; threadId: string | null }) => Promise<{ draftId: string; threadId: string | null } | { noAccess: true }>;
}

/** Trade documents from the compose card: drawn by services/documents.ts, then attached or linked. */
export interface DocumentsPort {
  deps: DocumentDeps;
  /** The store's public address (PUBLIC_URL): links to documents start with it. */
  publicUrl: string;
  /**
   * Adds the file to the rep's draft in this compose window through the Gmail API, acting as the
   * rep with the store's offline access; absent when the store has none configured.
   */
  attach?: (ctx: AddonContext, file: Attachment) => Promise<{ attached: true; draftId: string } | { draftNotFound: true } | { noAccess: true }>;
}

export interface GoogleConnectPort {
  /** Google's consent URL for this rep when the store cannot act for them yet and they can connect; else null. */
  connectUrl(ctx: AddonContext): Promise<string | null>;
}

export interface OpenMessage {
  messageId: string;
  threadId: string;
  from: string;
  to: string[];
  subject: string;
  dateHeader: string | null;
  snippet: string;
  /** The Message-ID header, the CRM's dedupe key. */
  internetMessageId: string;
  references: string | null;
}

/** A scheduled send as the cards show it: the contract's view, its recipients as `to`. */
export type ScheduledView = Pick<ScheduledSendView, 'id' | 'sendAt' | 'subject' | 'status' | 'reason'> & { to: string[] };

/** What the add-on needs from the send queue (services/scheduled-sends.ts), in the rep's name. */
export interface SchedulingPort {
  /** Finds the rep's draft for this compose window (recipients, thread) and queues it for `sendAt`. */
  schedule(ctx: AddonContext, sendAt: Date): Promise<(ScheduledView & { payment?: PaymentCheckResponse }) | { draftNotFound: true } | { noAccess: true } | { paymentBlocked: PaymentCheckResponse }>;
  list(ctx: AddonContext): Promise<ScheduledView[]>;
  reschedule(ctx: AddonContext, id: string, sendAt: Date): Promise<ScheduledView>;
  cancel(ctx: AddonContext, id: string): Promise<void>;
}
