import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { getUser } from '../services/people.js';
import { publishedEtag, publishedPacks } from '../services/packs.js';
import { errorResponses, UserView } from './schemas.js';

export const meRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['me'],
        summary: 'Who I am: my profile, tenant, groups and permissions',
        response: {
          200: Type.Object({ user: UserView, tenant: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }), permissions: Type.Array(Type.String()), via: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      const tenant = await db.selectFrom('tenants').select(['id', 'slug', 'name']).where('id', '=', principal.tenantId).executeTakeFirstOrThrow();
      return { user: await getUser(tdb, principal.userId), tenant, permissions: [...principal.permissions].sort(), via: principal.via };
    },
  );

  app.get(
    '/me/packs',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'The packs published to me (merged over my groups). Send If-None-Match to get 304 when unchanged.',
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            packs: Type.Array(
              Type.Object({ pack: Type.String(), title: Type.String(), version: Type.Integer(), publishedAt: Type.String(), document: Type.Object({}, { additionalProperties: true }) }),
            ),
          }),
          304: Type.Null(),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const etag = await publishedEtag(tdb, principal.userId);
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const sent = request.headers['if-none-match'];
      if (sent && sent.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag)) {
        return reply.status(304).send(null);
      }
      return { packs: await publishedPacks(tdb, principal.userId) };
    },
  );
};
