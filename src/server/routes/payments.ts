import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { checkDraftPayments, listPaymentAlerts, paymentVerdictFor } from '../services/payment-guard.js';
import { closed, errorResponses } from '../../contract/common.js';
import { PaymentAlertView, PaymentCheckRequest, PaymentCheckResponse, PaymentVerdictQuery, PaymentVerdictResponse } from '../../contract/payments.js';

/** The payment guard: the on-send check both clients call, the verdict on a received mail, the admin's alerts. */
export const paymentRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.post(
    '/me/payment-check',
    {
      config: { access: 'packs:read' },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['payments'],
        summary: 'Check a draft\'s bank details (IBAN, SWIFT/BIC, account numbers) against the company\'s official accounts under my packs\' payments policy',
        body: PaymentCheckRequest,
        response: { 200: PaymentCheckResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return checkDraftPayments(tdb, principal, request.body);
    },
  );

  app.get(
    '/me/payment-verdict',
    {
      config: { access: 'crm:read' },
      schema: { tags: ['payments'], summary: 'The payment guard\'s verdict on a received mail, by its Internet Message-ID (null when it was not judged)', querystring: PaymentVerdictQuery, response: { 200: PaymentVerdictResponse, ...errorResponses } },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { verdict: await paymentVerdictFor(tdb, request.query.messageId) };
    },
  );

  app.get(
    '/admin/payment-alerts',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['payments'],
        summary: 'Received mail the payment guard found suspicious, newest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, closed),
        response: { 200: Type.Object({ alerts: Type.Array(PaymentAlertView) }), ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return { alerts: await listPaymentAlerts(tdb, request.query) };
    },
  );
};
