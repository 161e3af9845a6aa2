import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import type { GoogleCredentials } from '../google/credentials.js';
import { unprocessable } from '../errors.js';
import { cancelSend, getSend, listMySends, listTenantSends, MAX_RECIPIENTS, rescheduleSend, retrySend, scheduleSend, SEND_STATUSES, sendCounts, SUBJECT_MAX } from '../services/scheduled-sends.js';
import { closed, errorResponses } from '../../contract/common.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const SendView = Type.Object({
  id: Type.String(),
  provider: Type.Enum(['gmail', 'outlook']),
  draftId: Type.String(),
  threadId: nullable(Type.String()),
  recipients: Type.Array(Type.String()),
  subject: Type.String(),
  sendAt: Type.String(),
  status: Type.Enum([...SEND_STATUSES]),
  reason: nullable(Type.String()),
  attempts: Type.Integer(),
  nextAttemptAt: nullable(Type.String()),
  sentAt: nullable(Type.String()),
  messageId: nullable(Type.String()),
  providerMessageId: nullable(Type.String()),
  user: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const SendParams = Type.Object({ sendId: Type.String({ maxLength: 64 }) });
const Instant = Type.String({ maxLength: 40, description: 'ISO-8601 instant with its offset, e.g. 2026-03-02T09:00:00+04:00' });
const Status = Type.Optional(Type.Enum([...SEND_STATUSES]));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }));
const conflictResponse = { 409: errorResponses[400], 422: errorResponses[400] };

export const scheduledSendRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; credentials: GoogleCredentials }> = async (app, { db, credentials }) => {
  app.get(
    '/me/scheduled-sends/capability',
    {
      config: { access: 'sends:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'Whether the store can send from my Gmail at a chosen time (domain-wide delegation or my own grant); if not, use Gmail\'s own Schedule send',
        response: { 200: Type.Object({ available: Type.Boolean(), via: nullable(Type.Enum(['service-account', 'user-grant'])), canConnect: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) => {
      const { principal } = caller(request, db);
      const via = await credentials.sourceFor(principal.tenantId, principal.userId);
      return { available: via !== null, via, canConnect: via === null && credentials.consentPossible };
    },
  );

  app.get(
    '/me/scheduled-sends',
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'My scheduled sends (pending, sent, failed with the reason, cancelled, gone), latest sendAt first', querystring: Type.Object({ status: Status, limit: Limit }, closed), response: { 200: Type.Object({ sends: Type.Array(SendView) }), ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { sends: await listMySends(tdb, principal.userId, request.query) };
    },
  );

  app.post(
    '/me/scheduled-sends',
    {
      config: { access: 'sends:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'Send one of my Gmail drafts at a moment (the draft as it is then); scheduling the same draft again moves it',
        body: Type.Object(
          {
            provider: Type.Enum(['gmail']),
            draftId: Type.String({ minLength: 1, maxLength: 256 }),
            threadId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            recipients: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: MAX_RECIPIENTS }),
            subject: Type.String({ maxLength: SUBJECT_MAX }),
            sendAt: Instant,
          },
          closed,
        ),
        response: { 200: Type.Object({ outcome: Type.Enum(['created', 'rescheduled']), send: SendView }), 201: Type.Object({ outcome: Type.Enum(['created', 'rescheduled']), send: SendView }), ...errorResponses, ...conflictResponse },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      if (!(await credentials.sourceFor(principal.tenantId, principal.userId))) {
        throw unprocessable('no_google_access', 'the store cannot send from your Gmail: your admin has not set up domain-wide delegation and you have not connected your Google account; use Gmail\'s own Schedule send instead');
      }
      const result = await scheduleSend(tdb, principal, request.body);
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.get('/me/scheduled-sends/:sendId', { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'One of my scheduled sends', params: SendParams, response: { 200: SendView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return getSend(tdb, request.params.sendId, principal.userId);
  });

  app.patch(
    '/me/scheduled-sends/:sendId',
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'Move a pending send to another moment', params: SendParams, body: Type.Object({ sendAt: Instant }, closed), response: { 200: SendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return rescheduleSend(tdb, principal, request.params.sendId, request.body.sendAt, { own: true });
    },
  );

  app.post(
    '/me/scheduled-sends/:sendId/cancel',
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'Cancel a pending send (the draft stays in Gmail)', params: SendParams, response: { 200: SendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return cancelSend(tdb, principal, request.params.sendId, { own: true });
    },
  );

  app.get(
    '/admin/scheduled-sends',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'The team\'s scheduled sends, by status, rep (e-mail) and sendAt range [from, to); counts per status',
        querystring: Type.Object({ status: Status, user: Type.Optional(Type.String({ maxLength: 320 })), from: Type.Optional(Instant), to: Type.Optional(Instant), limit: Limit }, closed),
        response: { 200: Type.Object({ sends: Type.Array(SendView), counts: Type.Record(Type.String(), Type.Integer()) }), ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { sends: await listTenantSends(tdb, request.query), counts: await sendCounts(tdb) };
    },
  );

  app.post(
    '/admin/scheduled-sends/:sendId/retry',
    { config: { access: 'people:write' }, schema: { tags: ['scheduled sends'], summary: 'Queue a failed send again, now or at sendAt', params: SendParams, body: Type.Optional(Type.Object({ sendAt: Type.Optional(Instant) }, closed)), response: { 200: SendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return retrySend(tdb, principal, request.params.sendId, request.body?.sendAt);
    },
  );

  app.post(
    '/admin/scheduled-sends/:sendId/cancel',
    { config: { access: 'people:write' }, schema: { tags: ['scheduled sends'], summary: 'Cancel a rep\'s pending send', params: SendParams, response: { 200: SendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return cancelSend(tdb, principal, request.params.sendId);
    },
  );
};
