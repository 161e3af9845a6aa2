import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { SecretBox } from '../secrets.js';
import { caller } from '../http/auth-plugin.js';
import { createConnector, listConnectors, listDeliveries, removeConnector, replayDelivery, testConnector, updateConnector } from '../services/connectors.js';
import { sendNoBody } from '../http/no-body.js';
import { errorResponses, NoBody } from '../../contract/common.js';
import { ConnectorCreate, ConnectorList, ConnectorParams, ConnectorPatch, ConnectorView, DeliveryList, DeliveryParams, DeliveryQuery, DeliveryView, ConnectorTestResult } from '../../contract/connectors.js';


export const connectorRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; box: SecretBox | undefined }> = async (app, { db, box }) => {
  app.get('/connectors', { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'CRM connectors of my tenant, with their delivery health (secrets never shown)', response: { 200: ConnectorList, ...errorResponses } } }, async (request) => {
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
        body: ConnectorCreate,
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
        params: ConnectorParams,
        body: ConnectorPatch,
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
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Deliveries to connectors; status=dead lists the dead letters', querystring: DeliveryQuery, response: { 200: DeliveryList, ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return { deliveries: await listDeliveries(tdb, request.query.status) };
    },
  );

  app.post(
    '/deliveries/:deliveryId/replay',
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Queue a dead letter again', params: DeliveryParams, response: { 200: DeliveryView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return replayDelivery(tdb, principal, request.params.deliveryId);
    },
  );

  app.delete(
    '/connectors/:connectorId',
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Remove a connector with its queued and dead deliveries', params: ConnectorParams, response: { 204: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      await removeConnector(tdb, principal, request.params.connectorId);
      return sendNoBody(reply, 204);
    },
  );

  app.post(
    '/connectors/:connectorId/test',
    { config: { access: 'people:write' }, schema: { tags: ['crm'], summary: 'Send a test event (a task) through the connector now and answer what the CRM said', params: ConnectorParams, response: { 200: ConnectorTestResult, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return testConnector(tdb, principal, box, request.params.connectorId);
    },
  );
};
