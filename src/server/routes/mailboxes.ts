import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';
import { caller } from '../http/auth-plugin.js';
import type { AdapterFactory } from '../mail/sync.js';
import { addMailbox, getMailbox, listMailboxes, removeMailbox, replaceMailboxSecret, resyncMailbox, setMailboxPaused, testMailbox } from '../services/mailboxes.js';
import { getConversation, listConversations } from '../services/conversations.js';
import { errorResponses } from '../../contract/common.js';
import { MailboxCreate, MailboxList, MailboxParams, MailboxPause, MailboxRemoved, MailboxSecretPut, MailboxTest, MailboxView } from '../../contract/mailboxes.js';
import { ConversationDetail, ConversationList, ConversationParams, ConversationQuery } from '../../contract/conversations.js';


export interface MailboxRouteOptions {
  db: Kysely<Database>;
  box: SecretBox | undefined;
  backfillDays: number;
  /** Builds a provider adapter for a stored mailbox (mail/adapters.ts: mailAdapterFactory). */
  adapterFor: AdapterFactory;
  now?: (() => Date) | undefined;
}

/** Connected mailboxes (admins) and the conversations synced from them (anyone with crm:read). */
export const mailboxRoutes: FastifyPluginAsyncTypebox<MailboxRouteOptions> = async (app, { db, box, backfillDays, adapterFor, now = () => new Date() }) => {
  app.get('/mailboxes', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Connected mailboxes with sync status, lag and last error (secrets never shown)', response: { 200: MailboxList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { mailboxes: await listMailboxes(tdb, box, now()) };
  });

  app.post(
    '/mailboxes',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['mailboxes'],
        summary: 'Connect a mailbox (imap: a preset — tencent, alibaba, netease, zoho, outlook — or custom host/port/security; its password sealed at rest)',
        body: MailboxCreate,
        response: { 201: MailboxView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await addMailbox(tdb, principal, box, { ...request.body, settings: request.body.settings as Record<string, unknown> | undefined }, { backfillDays, now: now() }));
    },
  );

  app.get('/mailboxes/:mailboxId', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'One connected mailbox', params: MailboxParams, response: { 200: MailboxView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getMailbox(tdb, box, request.params.mailboxId, now());
  });

  app.post(
    '/mailboxes/:mailboxId/test',
    { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Connect and list folders; says in words what is wrong', params: MailboxParams, response: { 200: MailboxTest, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return testMailbox(tdb, principal, box, request.params.mailboxId, adapterFor, now());
    },
  );

  app.post('/mailboxes/:mailboxId/resync', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Read the mailbox again from the start of its backfill window (nothing is stored twice)', params: MailboxParams, response: { 200: MailboxView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return resyncMailbox(tdb, principal, box, request.params.mailboxId, { backfillDays, now: now() });
  });

  app.post(
    '/mailboxes/:mailboxId/pause',
    { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Pause (paused: true) or resume the sync', params: MailboxParams, body: MailboxPause, response: { 200: MailboxView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return setMailboxPaused(tdb, principal, box, request.params.mailboxId, request.body.paused, now());
    },
  );

  app.put(
    '/mailboxes/:mailboxId/secret',
    { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Replace the password (IMAP) or client secret (Microsoft 365) in place: what was stored stays, a sync stopped by a refused sign-in runs again', params: MailboxParams, body: MailboxSecretPut, response: { 200: MailboxView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return replaceMailboxSecret(tdb, principal, box, request.params.mailboxId, request.body.secret, now());
    },
  );

  app.delete('/mailboxes/:mailboxId', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Disconnect a mailbox and delete everything stored from it', params: MailboxParams, response: { 200: MailboxRemoved, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return removeMailbox(tdb, principal, request.params.mailboxId);
  });

  app.get(
    '/conversations',
    {
      config: { access: 'crm:read' },
      schema: {
        tags: ['mailboxes'],
        summary: 'Conversations from the synced mailboxes, newest first; unansweredForHours=24 lists buyer mails nobody has answered for a day',
        querystring: ConversationQuery,
        response: { 200: ConversationList, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      const q = request.query;
      return { conversations: await listConversations(tdb, { mailboxId: q.mailbox, customerId: q.customer, direction: q.direction, unansweredSince: q.unansweredSince, unansweredForHours: q.unansweredForHours, before: q.before, limit: q.limit }, now()) };
    },
  );

  app.get(
    '/conversations/:conversationId',
    { config: { access: 'crm:read' }, schema: { tags: ['mailboxes'], summary: 'One conversation with its messages (headers and excerpts)', params: ConversationParams, response: { 200: ConversationDetail, ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return getConversation(tdb, request.params.conversationId);
    },
  );
};
