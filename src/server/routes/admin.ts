import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.js';
import { listAudit } from '../services/audit.js';
import { PERMISSIONS } from '../../core/access/permissions.js';
import { closed, errorResponses } from '../../contract/common.js';

const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  user: Type.String(),
  scopes: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean(),
});

export const adminRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/api-keys', { config: { access: 'keys:manage' }, schema: { tags: ['api keys'], summary: 'List API keys (never their secrets)', response: { 200: Type.Object({ keys: Type.Array(KeyView) }), ...errorResponses } } }, async (request) => {
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
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            user: Type.String({ maxLength: 254, description: 'e-mail of the user the key acts as' }),
            scopes: Type.Array(Type.Enum([...PERMISSIONS]), { minItems: 1 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          },
          closed,
        ),
        response: { 201: Type.Intersect([KeyView, Type.Object({ key: Type.String() })]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { user, ...rest } = request.body;
      return reply.status(201).send(await createApiKey(tdb, principal, { userEmail: user, ...rest }));
    },
  );

  app.delete('/api-keys/:keyId', { config: { access: 'keys:manage' }, schema: { tags: ['api keys'], summary: 'Revoke an API key', params: Type.Object({ keyId: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
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
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), before: Type.Optional(Type.String({ format: 'date-time' })) }, closed),
        response: {
          200: Type.Object({
            entries: Type.Array(
              Type.Object({ id: Type.String(), at: Type.String(), actor: Type.String(), action: Type.String(), target: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }), details: Type.Object({}, { additionalProperties: true }) }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { entries: await listAudit(tdb, request.query) };
    },
  );
};
