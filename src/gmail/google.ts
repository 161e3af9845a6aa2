import { AppError } from '../server/errors.js';
import { addonGmailClient, createDraft, getDraft, getDraftBody, getDraftRaw, getMessageHeaders, gmailClient, GmailError, listDrafts, updateDraftRaw, type DraftInfo } from '../server/google/gmail-api.js';
import { addAttachment, MimeError } from '../server/google/mime-attach.js';
import type { DocumentDeps } from '../server/services/documents.js';
import { checkDraftPayments } from '../server/services/payment-guard.js';
import { SEND_SCOPES, type GoogleCredentials } from '../server/google/credentials.js';
import { cancelSend, listMySends, rescheduleSend, scheduleSend, type ScheduledSendView } from '../server/services/scheduled-sends.js';
import type { AddonContext, AddonServices, DocumentsPort, GoogleConnectPort, OpenMessage, ScheduledView, SchedulingPort } from './context.js';
import { connectRefusal, googleRedirectUri } from '../server/routes/google-connect.js';
import { draftRecipients, type AddonEvent } from './event.js';

/**
 * The add-on's Google side, wired to the one Gmail adapter (google/gmail-api.ts): the open
 * message read with the event's own tokens, reply drafts created the same way, and scheduling
 * through the send queue with the store's offline credentials (google/credentials.ts).
 */

/** How many of the rep's newest drafts are looked at to find the one in the compose window. */
const DRAFTS_SEARCHED = 25;

function eventTokens(event: AddonEvent): { oauth: string; access: string } {
  const oauth = event.authorizationEventObject?.userOAuthToken;
  const access = event.gmail?.accessToken;
  if (!oauth || !access) throw new AppError(400, 'bad_event', 'the event carries no userOAuthToken / gmail.accessToken to read the mail with');
  return { oauth, access };
}

/** Gmail's answer as an error the card can show: a 502 naming what failed. */
function upstream(error: unknown): never {
  if (error instanceof GmailError) throw new AppError(error.kind === 'not-found' ? 404 : 502, 'gmail_error', error.message);
  throw error;
}

const view = (s: ScheduledSendView): ScheduledView => ({ id: s.id, sendAt: s.sendAt, subject: s.subject, to: s.recipients, status: s.status, reason: s.reason });

/** Same addresses, whatever the order, case or repeats (a draft may name one buyer in To and Cc). */
const sameSet = (a: string[], b: string[]) => {
  const key = (list: string[]) => [...new Set(list.map((x) => x.toLowerCase()))].sort().join('\n');
  return key(a) === key(b);
};

/**
 * The draft in the rep's compose window. The compose event names the recipients (and, for a
 * reply, the thread) but never the draft id, so the store looks at the rep's newest drafts: the
 * first in the same thread, else the first with the same To+Cc. None (not saved yet) → null.
 */
export async function findComposeDraft(gmail: Parameters<typeof getDraft>[0], event: AddonEvent): Promise<DraftInfo | null> {
  const recipients = draftRecipients(event);
  const threadId = event.gmail?.threadId;
  const page = await listDrafts(gmail, { maxResults: DRAFTS_SEARCHED });
  for (const ref of page.drafts) {
    if (threadId && ref.threadId !== threadId) continue;
    const draft = await getDraft(gmail, ref.draftId);
    if (!draft) continue;
    if (threadId || (recipients.length && sameSet([...draft.to, ...draft.cc], recipients))) return draft;
  }
  return null;
}

export function schedulingPort(credentials: GoogleCredentials, rootUrl: string | undefined): SchedulingPort {
  return {
    async schedule(ctx: AddonContext, sendAt: Date) {
      const { principal } = ctx;
      const creds = await credentials.forUser({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, SEND_SCOPES);
      if (!creds) return { noAccess: true as const };
      const gmail = gmailClient(creds.auth, { rootUrl });
      const draft = await findComposeDraft(gmail, ctx.event).catch(upstream);
      if (!draft) return { draftNotFound: true as const };
      // The store sends this draft later, so it applies the payment policy as Outlook's on-send check does: block is not queued.
      const body = await getDraftBody(gmail, draft.draftId).catch(upstream);
      const payment = body ? await checkDraftPayments(ctx.tdb, principal, body) : undefined;
      if (payment?.action === 'block') return { paymentBlocked: payment };
      const result = await scheduleSend(ctx.tdb, principal, {
        provider: 'gmail',
        draftId: draft.draftId,
        threadId: draft.threadId ?? undefined,
        recipients: [...draft.to, ...draft.cc, ...draft.bcc],
        subject: draft.subject,
        sendAt: sendAt.toISOString(),
      }, ctx.now);
      return { ...view(result.send), ...(payment?.action === 'warn' ? { payment } : {}) };
    },
    async list(ctx) {
      return (await listMySends(ctx.tdb, ctx.principal.userId, { limit: 20 })).map(view);
    },
    async reschedule(ctx, id, sendAt) {
      return view(await rescheduleSend(ctx.tdb, ctx.principal, id, sendAt.toISOString(), { own: true, now: ctx.now }));
    },
    async cancel(ctx, id) {
      await cancelSend(ctx.tdb, ctx.principal, id, { own: true });
    },
  };
}

export function googleServices(options: { credentials?: GoogleCredentials | undefined; gmailRootUrl?: string | undefined }): AddonServices {
  const rootUrl = options.gmailRootUrl;
  const services: AddonServices = {
    async readOpenMessage(event): Promise<OpenMessage> {
      const { oauth, access } = eventTokens(event);
      const messageId = event.gmail?.messageId;
      if (!messageId) throw new AppError(400, 'bad_event', 'the event names no open message (gmail.messageId)');
      const headers = await getMessageHeaders(addonGmailClient(oauth, access, { rootUrl }), messageId).catch(upstream);
      if (!headers) throw new AppError(404, 'not_found', 'the open mail no longer exists');
      return {
        messageId: headers.id,
        threadId: headers.threadId ?? event.gmail?.threadId ?? '',
        from: headers.from ?? '',
        to: [...headers.to, ...headers.cc],
        subject: headers.subject,
        dateHeader: headers.date,
        snippet: headers.snippet ?? '',
        internetMessageId: headers.rfc822MessageId ?? '',
        references: headers.references,
      };
    },
    async findDraft(event, draftId) {
      const { oauth, access } = eventTokens(event);
      try {
        const draft = await getDraft(addonGmailClient(oauth, access, { rootUrl }), draftId);
        return draft ? { draftId: draft.draftId, threadId: draft.threadId ?? '' } : null;
      } catch (error) {
        // The add-on's compose scope is Google's "manage drafts … when you interact with the
        // add-on"; should Gmail still refuse the read, a new draft is made as before.
        if (error instanceof GmailError && error.kind === 'auth') return null;
        return upstream(error);
      }
    },
    async createReplyDraft(event, reply) {
      const { oauth, access } = eventTokens(event);
      const draft = await createDraft(addonGmailClient(oauth, access, { rootUrl }), {
        threadId: reply.threadId,
        to: [reply.to],
        subject: reply.subject,
        html: reply.html,
        inReplyTo: reply.inReplyTo,
        references: reply.references,
      }).catch(upstream);
      return { draftId: draft.draftId, threadId: draft.threadId ?? reply.threadId };
    },
  };
  const credentials = options.credentials;
  if (credentials && (credentials.delegated || credentials.consentPossible)) {
    services.scheduling = schedulingPort(credentials, rootUrl);
    services.draftBody = async (ctx) => {
      const { principal } = ctx;
      const creds = await credentials.forUser({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, SEND_SCOPES);
      if (!creds) return { noAccess: true as const };
      const gmail = gmailClient(creds.auth, { rootUrl });
      const draft = await findComposeDraft(gmail, ctx.event).catch(upstream);
      const body = draft ? await getDraftBody(gmail, draft.draftId).catch(upstream) : null;
      return body ?? { draftNotFound: true as const };
    };
    // The home card has no open message, so no event token to write with: the store's offline access acts as the rep.
    services.createFollowUpDraft = async (ctx, draft) => {
      const { principal } = ctx;
      const creds = await credentials.forUser({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, SEND_SCOPES);
      if (!creds) return { noAccess: true as const };
      const made = await createDraft(gmailClient(creds.auth, { rootUrl }), {
        threadId: draft.threadId ?? undefined,
        to: draft.to,
        subject: draft.subject,
        html: draft.html,
        ...(draft.inReplyTo ? { inReplyTo: draft.inReplyTo, references: draft.inReplyTo } : {}),
      }).catch(upstream);
      return { draftId: made.draftId, threadId: made.threadId ?? draft.threadId };
    };
  }
  return services;
}

/** The Gmail card's "Connect your Google account" button: a consent link for reps the store cannot act for yet. */
export function googleConnectPort(credentials: GoogleCredentials, publicUrl: string): GoogleConnectPort | undefined {
  const redirectUri = googleRedirectUri(publicUrl);
  if (connectRefusal(credentials, redirectUri)) return undefined;
  return {
    async connectUrl(ctx) {
      const { principal } = ctx;
      if (await credentials.sourceFor(principal.tenantId, principal.userId)) return null;
      // Real time, not the add-on's clock: the callback checks the expiry against the real one.
      return credentials.beginConsent({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, redirectUri).url;
    },
  };
}

/**
 * "Make PDF" in the compose card. With the store's offline access to the rep's Gmail (domain-wide
 * delegation or the rep's own grant, scope gmail.compose) the PDF is added to the draft in the
 * compose window: found as scheduling finds it (the event has no draft id), read whole (format
 * raw), the file added without changing anything else (mime-attach.ts), written back with
 * drafts.update in the same thread. Without that access the card inserts a link instead.
 */
export function documentsPort(options: { credentials?: GoogleCredentials | undefined; gmailRootUrl?: string | undefined; publicUrl: string; deps: DocumentDeps }): DocumentsPort {
  const { credentials, gmailRootUrl: rootUrl } = options;
  const port: DocumentsPort = { deps: options.deps, publicUrl: options.publicUrl.replace(/\/+$/, '') };
  if (!credentials || !(credentials.delegated || credentials.consentPossible)) return port;
  port.attach = async (ctx, file) => {
    const { principal } = ctx;
    const creds = await credentials.forUser({ tenantId: principal.tenantId, userId: principal.userId, email: principal.email }, SEND_SCOPES);
    if (!creds) return { noAccess: true as const };
    const gmail = gmailClient(creds.auth, { rootUrl });
    const draft = await findComposeDraft(gmail, ctx.event).catch(upstream);
    if (!draft) return { draftNotFound: true as const };
    const current = await getDraftRaw(gmail, draft.draftId).catch(upstream);
    if (!current) return { draftNotFound: true as const };
    let raw: Buffer;
    try {
      raw = addAttachment(current.raw, file);
    } catch (error) {
      if (error instanceof MimeError) throw new AppError(422, 'draft_unreadable', `the draft could not be read to add ${file.fileName}: ${error.message}`);
      throw error;
    }
    await updateDraftRaw(gmail, draft.draftId, raw, current.threadId ?? draft.threadId).catch(upstream);
    return { attached: true as const, draftId: draft.draftId };
  };
  return port;
}
