import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { complianceOverview, SIGNATURE_CHANNELS } from '../services/compliance.js';
import { closed, errorResponses } from './schemas.js';

/** The admin console's own reads and actions (compliance, usage, previews, imports). */

const nullableString = Type.Union([Type.String(), Type.Null()]);
const SignatureStateView = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  channel: Type.Enum([...SIGNATURE_CHANNELS]),
  address: Type.String(),
  state: Type.String(),
  compliant: Type.Boolean(),
  stale: Type.Boolean(),
  detail: nullableString,
  pack: nullableString,
  signatureId: nullableString,
  hash: nullableString,
  client: nullableString,
  seenAt: Type.String(),
  stateSince: Type.String(),
});
const Verdict = Type.Enum(['compliant', 'attention', 'unknown']);

export const adminConsoleApiRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/admin/compliance',
    {
      config: { access: 'people:read' },
      schema: {
        tags: ['admin'],
        summary: 'Signature compliance per user: the last state seen per channel and address (Outlook on send; Gmail push), with a verdict',
        querystring: Type.Object({ verdict: Type.Optional(Verdict) }, closed),
        response: {
          200: Type.Object({
            at: Type.String(),
            counts: Type.Object({ compliant: Type.Integer(), attention: Type.Integer(), unknown: Type.Integer() }),
            users: Type.Array(Type.Object({ userId: Type.String(), email: Type.String(), name: Type.String(), groups: Type.Array(Type.String()), verdict: Verdict, states: Type.Array(SignatureStateView) })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      const overview = await complianceOverview(tdb);
      const verdict = request.query.verdict;
      return verdict ? { ...overview, users: overview.users.filter((u) => u.verdict === verdict) } : overview;
    },
  );
};
