import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';
import { caller } from '../http/auth-plugin.js';
import type { AdapterFactory } from '../mail/sync.js';
import { addMailbox, getMailbox, listMailboxes, removeMailbox, resyncMailbox, setMailboxPaused, testMailbox } from '../services/mailboxes.js';
import { getConversation, listConversations } from '../services/conversations.js';
import { closed, errorResponses } from '../../contract/common.js';

const nullableString = Type.Union([Type.String(), Type.Null()]);
const MailboxView = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  address: Type.String(),
  displayName: Type.String(),
  settings: Type.Object({}, { additionalProperties: true }),
  secrets: Type.Array(Type.String()),
  status: Type.String(),
  paused: Type.Boolean(),
  lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  lastSyncedAt: nullableString,
  lagSeconds: Type.Union([Type.Integer(), Type.Null()]),
  backfill: Type.Object({ since: nullableString, done: Type.Integer(), remaining: Type.Union([Type.Integer(), Type.Null()]) }),
  nextSyncAt: Type.String(),
  createdAt: Type.String(),
});
const Address = Type.Object({ address: Type.String(), name: Type.Optional(Type.String()) });
const ConversationView = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  participants: Type.Array(Type.String()),
  customerId: nullableString,
  customerIds: Type.Array(Type.String()),
  firstMessageAt: Type.String(),
  lastMessageAt: Type.String(),
  lastInboundAt: nullableString,
  lastOutboundAt: nullableString,
  lastWriter: Type.Union([Type.Literal('buyer'), Type.Literal('us'), Type.Null()]),
  messageCount: Type.Integer(),
  inboundCount: Type.Integer(),
  outboundCount: Type.Integer(),
  mailboxIds: Type.Array(Type.String()),
});
const MessageView = Type.Object({
  id: Type.String(),
  mailboxId: Type.String(),
  folder: Type.String(),
  messageId: nullableString,
  from: Type.Union([Address, Type.Null()]),
  to: Type.Array(Address),
  cc: Type.Array(Address),
  subject: Type.String(),
  receivedAt: Type.String(),
  utcOffsetMinutes: Type.Union([Type.Integer(), Type.Null()]),
  direction: Type.String(),
  autoVerdict: Type.String(),
  language: nullableString,
  excerpt: Type.String(),
  sizeBytes: Type.Integer(),
  attachments: Type.Array(Type.Object({ name: Type.String(), contentType: Type.String() })),
});
const Params = Type.Object({ mailboxId: Type.String({ maxLength: 64 }) });
const Secrets = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 8192 }), { maxProperties: 10 });

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
  app.get('/mailboxes', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Connected mailboxes with sync status, lag and last error (secrets never shown)', response: { 200: Type.Object({ mailboxes: Type.Array(MailboxView) }), ...errorResponses } } }, async (request) => {
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
        body: Type.Object(
          {
            provider: Type.Enum(['graph', 'gmail', 'imap']),
            address: Type.String({ maxLength: 254 }),
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            settings: Type.Optional(Type.Object({}, { additionalProperties: true })),
            secrets: Type.Optional(Secrets),
            keepBodiesDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
            backfillDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
          },
          closed,
        ),
        response: { 201: MailboxView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await addMailbox(tdb, principal, box, { ...request.body, settings: request.body.settings as Record<string, unknown> | undefined }, { backfillDays, now: now() }));
    },
  );

  app.get('/mailboxes/:mailboxId', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'One connected mailbox', params: Params, response: { 200: MailboxView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getMailbox(tdb, box, request.params.mailboxId, now());
  });

  app.post(
    '/mailboxes/:mailboxId/test',
    { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Connect and list folders; says in words what is wrong', params: Params, response: { 200: Type.Object({ ok: Type.Boolean(), folders: Type.Array(Type.String()), error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]) }), ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return testMailbox(tdb, principal, box, request.params.mailboxId, adapterFor, now());
    },
  );

  app.post('/mailboxes/:mailboxId/resync', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Read the mailbox again from the start of its backfill window (nothing is stored twice)', params: Params, response: { 200: MailboxView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return resyncMailbox(tdb, principal, box, request.params.mailboxId, { backfillDays, now: now() });
  });

  app.post(
    '/mailboxes/:mailboxId/pause',
    { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Pause (paused: true) or resume the sync', params: Params, body: Type.Object({ paused: Type.Boolean() }, closed), response: { 200: MailboxView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return setMailboxPaused(tdb, principal, box, request.params.mailboxId, request.body.paused, now());
    },
  );

  app.delete('/mailboxes/:mailboxId', { config: { access: 'people:write' }, schema: { tags: ['mailboxes'], summary: 'Disconnect a mailbox and delete everything stored from it', params: Params, response: { 200: Type.Object({ messages: Type.Integer(), conversations: Type.Integer() }), ...errorResponses } } }, async (request) => {
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
        querystring: Type.Object(
          {
            mailbox: Type.Optional(Type.String({ maxLength: 64 })),
            customer: Type.Optional(Type.String({ maxLength: 64 })),
            direction: Type.Optional(Type.Enum(['inbound', 'outbound'])),
            unansweredSince: Type.Optional(Type.String({ maxLength: 40 })),
            unansweredForHours: Type.Optional(Type.Number({ minimum: 0, maximum: 8760 })),
            before: Type.Optional(Type.String({ maxLength: 40 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          closed,
        ),
        response: { 200: Type.Object({ conversations: Type.Array(ConversationView) }), ...errorResponses },
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
    { config: { access: 'crm:read' }, schema: { tags: ['mailboxes'], summary: 'One conversation with its messages (headers and excerpts)', params: Type.Object({ conversationId: Type.String({ maxLength: 64 }) }), response: { 200: Type.Intersect([ConversationView, Type.Object({ messages: Type.Array(MessageView) })]), ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return getConversation(tdb, request.params.conversationId);
    },
  );
};
