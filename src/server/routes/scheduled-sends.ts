import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import type { GoogleCredentials } from '../google/credentials.js';
import { unprocessable } from '../errors.js';
import { cancelSend, getSend, listMySends, listTenantSends, rescheduleSend, retrySend, scheduleSend, sendCounts } from '../services/scheduled-sends.js';
import { errorResponses } from '../../contract/common.js';
import { MySendsQuery, ScheduledSendView, ScheduleResult, ScheduleSendRequest, SendCapability, SendList, SendParams, SendReschedule, SendRetry, TeamSendList, TeamSendsQuery } from '../../contract/scheduled-sends.js';

const conflictResponse = { 409: errorResponses[400], 422: errorResponses[400] };

export const scheduledSendRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; credentials: GoogleCredentials }> = async (app, { db, credentials }) => {
  app.get(
    '/me/scheduled-sends/capability',
    {
      config: { access: 'sends:write' },
      schema: {
        tags: ['scheduled sends'],
        summary: 'Whether the store can send from my Gmail at a chosen time (domain-wide delegation or my own grant); if not, use Gmail\'s own Schedule send',
        response: { 200: SendCapability, ...errorResponses },
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
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'My scheduled sends (pending, sent, failed with the reason, cancelled, gone), latest sendAt first', querystring: MySendsQuery, response: { 200: SendList, ...errorResponses } } },
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
        body: ScheduleSendRequest,
        response: { 200: ScheduleResult, 201: ScheduleResult, ...errorResponses, ...conflictResponse },
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

  app.get('/me/scheduled-sends/:sendId', { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'One of my scheduled sends', params: SendParams, response: { 200: ScheduledSendView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return getSend(tdb, request.params.sendId, principal.userId);
  });

  app.patch(
    '/me/scheduled-sends/:sendId',
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'Move a pending send to another moment', params: SendParams, body: SendReschedule, response: { 200: ScheduledSendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return rescheduleSend(tdb, principal, request.params.sendId, request.body.sendAt, { own: true });
    },
  );

  app.post(
    '/me/scheduled-sends/:sendId/cancel',
    { config: { access: 'sends:write' }, schema: { tags: ['scheduled sends'], summary: 'Cancel a pending send (the draft stays in Gmail)', params: SendParams, response: { 200: ScheduledSendView, ...errorResponses, ...conflictResponse } } },
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
        querystring: TeamSendsQuery,
        response: { 200: TeamSendList, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { sends: await listTenantSends(tdb, request.query), counts: await sendCounts(tdb) };
    },
  );

  app.post(
    '/admin/scheduled-sends/:sendId/retry',
    { config: { access: 'people:write' }, schema: { tags: ['scheduled sends'], summary: 'Queue a failed send again, now or at sendAt', params: SendParams, body: SendRetry, response: { 200: ScheduledSendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return retrySend(tdb, principal, request.params.sendId, request.body?.sendAt);
    },
  );

  app.post(
    '/admin/scheduled-sends/:sendId/cancel',
    { config: { access: 'people:write' }, schema: { tags: ['scheduled sends'], summary: 'Cancel a rep\'s pending send', params: SendParams, response: { 200: ScheduledSendView, ...errorResponses, ...conflictResponse } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return cancelSend(tdb, principal, request.params.sendId);
    },
  );
};
