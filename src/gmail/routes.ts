import { followUpNow, markFollowUpDone, remindIfNoReply, snoozeFollowUpLater } from './followups.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../server/db/tables.js';
import { TenantDb } from '../server/db/tenant-db.js';
import type { TokenVerifier } from '../server/auth/tokens.js';
import { AppError } from '../server/errors.js';
import { isValidTimeZone } from './time-zone.js';
import { notify, pushCard, updateCard, type AddonResponse } from './cards.js';
import type { AddonContext, AddonServices } from './context.js';
import { formString, parameter, userTimeZone, type AddonEvent } from './event.js';
import { langOf, translator } from './i18n.js';
import { verifyAddonRequest, type GmailAddonAuth } from './verify.js';
import { homeCard } from './home.js';
import { composeCard, insertTemplate, makeDocument, openTemplate, previewTemplate } from './compose.js';
import { checkComposePayments } from './payment.js';
import { assignFromCard, claimFromCard, handOffFromCard, noteFromCard, stateFromCard } from './team.js';
import { createReply, logToCrm, messageCard, openMessage, replyRecipient, saveCorrection, turnIntoTask } from './message.js';
import { cancelItem, rescheduleItem, scheduleDraft, scheduledCard } from './schedule.js';

/**
 * The Gmail add-on's endpoints (HTTP runtime), all POST under one prefix (`/gmail`), outside
 * /api/v1: Google calls them, not the reps. Each request is verified first (verify.ts: Google's
 * system ID token for this exact URL, then the user's ID token, then the tenant user); a request
 * that fails gets 401 and nothing else happens. A verified request always gets a card answer:
 * a problem the rep can act on becomes a notification, not an HTTP error Gmail would show as
 * "could not load".
 */

export const GMAIL_PREFIX = '/gmail';

/** The endpoints the deployment descriptor names (triggers); actions are named in the cards. */
export const GMAIL_TRIGGERS = { homepage: '/homepage', message: '/message', compose: '/compose' } as const;

export interface GmailRoutesOptions {
  db: Kysely<Database>;
  verifier: TokenVerifier;
  auth: GmailAddonAuth | undefined;
  services: AddonServices;
  /** Tests pin the clock. */
  now?: () => Date;
}

type Handler = (ctx: AddonContext) => Promise<AddonResponse>;

/** The message card drawn again in place (after a team action). */
const redrawMessage = (ctx: AddonContext) => async (): Promise<AddonResponse> => ({ renderActions: { action: { navigations: [{ updateCard: await messageCard(ctx) }] } } });

const HANDLERS: Record<string, Handler> = {
  [GMAIL_TRIGGERS.homepage]: async (ctx) => pushCard(await homeCard(ctx)),
  [GMAIL_TRIGGERS.compose]: async (ctx) => pushCard(await composeCard(ctx)),
  '/compose/search': async (ctx) =>
    updateCard(await composeCard(ctx, { q: formString(ctx.event, 'q'), kind: formString(ctx.event, 'kind'), language: formString(ctx.event, 'language') || undefined, mode: parameter(ctx.event, 'mode') === 'reply' ? 'reply' : 'compose', to: parameter(ctx.event, 'to') })),
  '/compose/template': openTemplate,
  '/compose/preview': previewTemplate,
  '/compose/insert': (ctx) => insertTemplate(ctx, (rendered) => createReply(ctx, rendered)),
  '/schedule': scheduleDraft,
  '/scheduled': async (ctx) => pushCard(await scheduledCard(ctx)),
  '/scheduled/reschedule': rescheduleItem,
  '/scheduled/cancel': cancelItem,
  '/followups/remind': remindIfNoReply,
  '/followups/done': markFollowUpDone,
  '/followups/snooze': snoozeFollowUpLater,
  '/followups/draft': followUpNow,
  [GMAIL_TRIGGERS.message]: async (ctx) => pushCard(await messageCard(ctx)),
  '/message/log': logToCrm,
  '/message/team/claim': (ctx) => claimFromCard(ctx, redrawMessage(ctx)),
  '/message/team/note': (ctx) => noteFromCard(ctx, redrawMessage(ctx)),
  '/message/team/assign': (ctx) => assignFromCard(ctx, redrawMessage(ctx)),
  '/message/team/state': (ctx) => stateFromCard(ctx, redrawMessage(ctx)),
  '/message/team/hand-off': (ctx) => handOffFromCard(ctx, () => openMessage(ctx)),
  '/message/task': turnIntoTask,
  '/message/contact': saveCorrection,
  '/message/reply': async (ctx) => pushCard(await composeCard(ctx, { mode: 'reply', to: await replyRecipient(ctx) })),
  '/compose/document': makeDocument,
  '/compose/payment-check': checkComposePayments,
};

export const GMAIL_ENDPOINTS = Object.keys(HANDLERS);

export const gmailRoutes: FastifyPluginAsync<GmailRoutesOptions> = async (app, options) => {
  const { db, verifier, auth, services } = options;
  const clock = options.now ?? (() => new Date());

  async function contextFor(request: FastifyRequest, endpointPath: string): Promise<AddonContext> {
    if (!auth) throw new AppError(503, 'gmail_addon_off', 'the Gmail add-on is not configured on this store (GMAIL_ADDON_ENDPOINT_BASE, GMAIL_ADDON_SERVICE_ACCOUNT, GMAIL_ADDON_OAUTH_CLIENT_ID)');
    const event = (request.body ?? {}) as AddonEvent;
    const principal = await verifyAddonRequest(db, verifier, auth, { authorization: request.headers.authorization, endpointPath, event });
    const tdb = new TenantDb(db, principal.tenantId);
    const lang = langOf(event.commonEventObject?.userLocale);
    const fromGmail = userTimeZone(event);
    const profile = fromGmail && isValidTimeZone(fromGmail) ? undefined : await tdb.selectFrom('users').select('time_zone').where('id', '=', principal.userId).executeTakeFirst();
    const timeZone = fromGmail && isValidTimeZone(fromGmail) ? fromGmail : profile?.time_zone && isValidTimeZone(profile.time_zone) ? profile.time_zone : 'UTC';
    return {
      principal,
      tdb,
      event,
      lang,
      t: translator(lang),
      now: clock(),
      timeZone,
      services,
      target: (path, parameters) => ({ url: auth.endpointBase + path, ...(parameters ? { parameters } : {}) }),
    };
  }

  for (const [path, handler] of Object.entries(HANDLERS)) {
    app.post(path, { config: { access: 'public' }, schema: { hide: true } }, async (request) => {
      const ctx = await contextFor(request, path);
      try {
        return await handler(ctx);
      } catch (error) {
        // The rep is verified: tell them in Gmail what went wrong rather than a blank error page.
        if (error instanceof AppError && error.status < 500) return notify(ctx.t('error', { message: error.message }));
        if (error instanceof AppError && error.status === 502) return notify(ctx.t('error', { message: error.message }));
        if (error instanceof AppError && error.status === 503) return notify(error.message);
        throw error;
      }
    });
  }
};
