import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { ErrorResponse, errorResponses } from '../../contract/common.js';
import { CreateDocumentRequest, CreatedDocument, DocumentList, DocumentListQuery, DocumentParams, DocumentPdf } from '../../contract/documents.js';
import { createDocument, documentPdf, listDocuments, type DocumentDeps } from '../services/documents.js';
import { notFound } from '../errors.js';

/**
 * Quotations and proforma invoices for the rep composing a mail: "Make PDF" in Outlook and Gmail
 * posts here and attaches the answer's PDF to the draft (docs/documents.md).
 */
export const documentRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; deps: DocumentDeps }> = async (app, { db, deps }) => {
  app.post(
    '/me/documents',
    {
      // Whoever may use the company's templates may turn a quotation into its PDF.
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: "Make a quotation or proforma invoice PDF from a template's fields: numbered (PI-2026-0001), stored with its data, bank details from the company profile only",
        body: CreateDocumentRequest,
        response: { 201: CreatedDocument, 422: ErrorResponse, 503: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { document, pdf } = await createDocument(tdb, principal.userId, request.body, deps);
      reply.code(201);
      return { document, pdfBase64: Buffer.from(pdf).toString('base64'), downloadPath: `/api/v1/me/documents/${document.id}/pdf` };
    },
  );

  app.get(
    '/me/documents',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'The documents I made (an admin: everyone\u2019s), newest first',
        querystring: DocumentListQuery,
        response: { 200: DocumentList, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      const all = await listDocuments(tdb, { limit: request.query.limit ?? 50 });
      return { documents: principal.role === 'admin' ? all : all.filter((d) => d.createdBy === principal.userId) };
    },
  );

  app.get(
    '/me/documents/:documentId/pdf',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'A document I made (an admin: any of the company\u2019s), drawn again from its stored data: the same PDF',
        params: DocumentParams,
        response: { 200: DocumentPdf, 409: ErrorResponse, 503: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { document, pdf } = await documentPdf(tdb, request.params.documentId, deps);
      // A rep sees their own documents only: the same answer as for an id that does not exist.
      if (principal.role !== 'admin' && document.createdBy !== principal.userId) throw notFound(`document ${request.params.documentId}`);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${document.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(pdf));
    },
  );
};
