import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { DOCUMENT_LINK_PATH, openDocumentLink, type DocumentDeps } from '../services/documents.js';
import { AppError } from '../errors.js';

/**
 * The buyer's side of a document sent as a link (docs/documents.md): `GET /doc/<token>` answers
 * the PDF with no sign-in — the 256-bit token is the permission — and counts the opening. A HEAD
 * (link checkers) answers the same headers without counting. Anything wrong is the same 404, so
 * the answer tells nothing about which tokens or documents exist.
 */
export const documentLinkRoutes: FastifyPluginAsync<{ db: Kysely<Database>; deps: DocumentDeps }> = async (app, { db, deps }) => {
  app.get(`${DOCUMENT_LINK_PATH}/:token`, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const token = (request.params as { token?: unknown }).token;
    try {
      const { document, pdf } = await openDocumentLink(db, typeof token === 'string' ? token : '', { ...deps, count: request.method === 'GET' });
      return await reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${document.fileName}"`)
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex, nofollow')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(pdf));
    } catch (error) {
      // A document drawn by an older layout (409) is still the buyer's document, but nothing to show here.
      if (error instanceof AppError && (error.status === 404 || error.status === 409)) {
        return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('This link does not lead to a document (any more).');
      }
      throw error;
    }
  });
};
