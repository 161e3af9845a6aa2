import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';
import { caller } from '../http/auth-plugin.js';
import { createConnector, listConnectors, listDeliveries, replayDelivery, updateConnector } from '../services/connectors.js';
import { closed, errorResponses } from '../../contract/common.js';

const ConnectorView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  settings: Type.Object({}, { additionalProperties: true }),
  secrets: Type.Array(Type.String()),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  health: Type.Object({ pending: Type.Integer(), dead: Type.Integer(), lastDeliveredAt: Type.Union([Type.String(), Type.Null()]) }),
});
const Delivery = Type.Object({
  id: Type.String(),
  connector: Type.String(),
  eventType: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
});
const Secrets = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 4096 }), { maxProperties: 10 });

export const connectorRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; box: SecretBox | undefined }> = async (app, { db, box }) => {
  app.get('/connectors', { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'CRM connectors of my tenant, with their delivery health (secrets never shown)', response: { 200: Type.Object({ connectors: Type.Array(ConnectorView) }), ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { connectors: await listConnectors(tdb, box) };
  });

  app.post(
    '/connectors',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['crm'],
        summary: 'Add a CRM connector (webhook today); its secrets are stored encrypted',
        body: Type.Object({ kind: Type.String({ maxLength: 32 }), name: Type.String({ minLength: 1, maxLength: 100 }), settings: Type.Object({}, { additionalProperties: true }), secrets: Secrets, events: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })), enabled: Type.Optional(Type.Boolean()) }, closed),
        response: { 201: ConnectorView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await createConnector(tdb, principal, box, request.body));
    },
  );

  app.patch(
    '/connectors/:connectorId',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['crm'],
        summary: 'Enable, disable or change a connector',
        params: Type.Object({ connectorId: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ enabled: Type.Optional(Type.Boolean()), settings: Type.Optional(Type.Object({}, { additionalProperties: true })), secrets: Type.Optional(Secrets), events: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })) }, closed),
        response: { 200: ConnectorView, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return updateConnector(tdb, principal, box, request.params.connectorId, request.body);
    },
  );

  app.get(
    '/deliveries',
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Deliveries to connectors; status=dead lists the dead letters', querystring: Type.Object({ status: Type.Optional(Type.Enum(['pending', 'delivered', 'dead'])) }, closed), response: { 200: Type.Object({ deliveries: Type.Array(Delivery) }), ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return { deliveries: await listDeliveries(tdb, request.query.status) };
    },
  );

  app.post(
    '/deliveries/:deliveryId/replay',
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Queue a dead letter again', params: Type.Object({ deliveryId: Type.String({ maxLength: 64 }) }), response: { 200: Delivery, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return replayDelivery(tdb, principal, request.params.deliveryId);
    },
  );
};
