import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { listAudit } from '../services/audit.js';
import { errorResponses, NoBody } from '../../contract/common.js';
import { ApiKeyCreate, ApiKeyList, ApiKeyParams, AuditList, AuditQuery, CreatedKey } from '../../contract/admin.js';

export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api-keys', { config: { access: 'keys:manage' }, schema: { tags: ['api keys'], summary: 'List API keys (never their secrets)', response: { 200: ApiKeyList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { keys: await listApiKeys(tdb) };
  });

  app.post(
    '/api-keys',
    {
      config: { access: 'keys:manage' },
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key for automation. The key is in this response only.',
        body: ApiKeyCreate,
        response: { 201: CreatedKey, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { user, ...rest } = request.body;
      return reply.status(201).send(await createApiKey(tdb, principal, { userEmail: user, ...rest }));
    },
  );

  app.delete('/api-keys/:keyId', { config: { access: 'keys:manage' }, schema: { tags: ['api keys'], summary: 'Revoke an API key', params: ApiKeyParams, response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    await revokeApiKey(tdb, principal, request.params.keyId);
    return sendNoBody(reply, 204);
  });

  app.get(
    '/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Admin actions, newest first',
        querystring: AuditQuery,
        response: { 200: AuditList, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { entries: await listAudit(tdb, request.query) };
    },
  );
};
