import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { complianceOverview } from '../services/compliance.js';
import { checkDraft, previewSignature, previewTemplate, type PackRef } from '../services/pack-preview.js';
import type { Renderer } from '../render/render-task.js';
import { importPeople, IMPORT_COLUMNS } from '../services/people-import.js';
import { usageReport } from '../services/usage.js';
import { badRequest, notFound, unprocessable } from '../errors.js';
import type { GoogleCredentials } from '../google/credentials.js';
import { pushSignatures } from '../services/gmail-signature-push.js';
import { audit } from '../services/audit.js';
import { errorResponses } from '../../contract/common.js';
import { DraftCheck, DraftCheckRequest, ImportReport, PeopleImportRequest, SignaturePreview, SignaturePreviewRequest, TemplatePreview, TemplatePreviewRequest, UsageQuery, UsageReport } from '../../contract/console.js';
import { ComplianceOverview, ComplianceQuery, PushReport, PushSignaturesRequest } from '../../contract/signatures.js';

/** The admin console's own reads and actions (compliance, usage, previews, imports). */


function packRefOf(body: { source?: string | undefined; fileName?: string | undefined; pack?: string | undefined; version?: number | undefined }): PackRef {
  if (body.source !== undefined && body.pack !== undefined) throw badRequest('give either source (a draft) or pack (a stored version), not both', [{ path: 'pack', message: 'not with source' }]);
  if (body.source !== undefined) return { source: body.source, fileName: body.fileName };
  if (body.pack !== undefined) return { pack: body.pack, version: body.version };
  throw badRequest('say what to preview: source (a draft) or pack (a stored version)', [{ path: 'source', message: 'source or pack is required' }]);
}

/** `credentials`: the store's Google credentials (the Gmail signature push needs domain-wide delegation). */
export const adminConsoleApiRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; credentials?: GoogleCredentials | undefined; renderer?: Renderer | undefined }> = async (app, { db, credentials, renderer }) => {
  app.post(
    '/admin/gmail/push-signatures',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['admin'],
        summary: 'Push each rep\'s enforced signature to their Gmail send-as addresses again (all reps, one group, or one rep), through the delegated service account; dryRun reports what would change and writes nothing. Answers the changed / unchanged / failed / skipped report.',
        body: PushSignaturesRequest,
        response: {
          200: PushReport,
          ...errorResponses,
          422: errorResponses[400],
        },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      const { group, dryRun = false } = request.body;
      const user = request.body.user?.trim().toLowerCase();
      if (!credentials?.delegated) {
        throw unprocessable('no_google_delegation', 'the store has no service account with domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE), so it cannot set Gmail signatures; see gmail-addon/README.md');
      }
      if (group && !(await tdb.selectFrom('groups').select('id').where('slug', '=', group).executeTakeFirst())) throw notFound(`group "${group}"`);
      if (user && !(await tdb.selectFrom('users').select('id').where('email', '=', user).executeTakeFirst())) throw notFound(`user "${user}"`);
      const report = await pushSignatures(tdb, credentials, { group, user, dryRun });
      if (!dryRun) {
        const target = user ? { type: 'user', id: user } : group ? { type: 'group', id: group } : { type: 'tenant', id: tdb.tenantId };
        await audit(tdb, principal, 'gmail.signatures.pushed', target, { changed: report.changed, unchanged: report.unchanged, failed: report.failed, skipped: report.skipped });
      }
      return { dryRun, ...report };
    },
  );

  app.get(
    '/admin/compliance',
    {
      config: { access: 'people:read' },
      schema: {
        tags: ['admin'],
        summary: 'Signature compliance per user: the last state seen per channel and address (Outlook on send; Gmail push), with a verdict',
        querystring: ComplianceQuery,
        response: { 200: ComplianceOverview, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      const overview = await complianceOverview(tdb);
      const verdict = request.query.verdict;
      return verdict ? { ...overview, users: overview.users.filter((u) => u.verdict === verdict) } : overview;
    },
  );

  app.post(
    '/admin/packs/check',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['admin'],
        summary: 'Check a draft pack exactly as a push would, storing nothing: every issue with its line and column, and an outline of its templates and signatures',
        body: DraftCheckRequest,
        response: { 200: DraftCheck, ...errorResponses },
      },
    },
    async (request) => {
      caller(request, db);
      return checkDraft(request.body.source, request.body.fileName);
    },
  );

  app.post(
    '/admin/packs/preview',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['admin'],
        summary: 'Render one template of a draft or stored pack in one language, as a chosen rep would get it, with sample values or a real recipient\'s records; missing values are listed, not refused',
        body: TemplatePreviewRequest,
        response: { 200: TemplatePreview, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      const { template, language, user, to, fields } = request.body;
      return previewTemplate(tdb, { ref: packRefOf(request.body), template, language, userId: user ?? principal.userId, to, fields }, renderer);
    },
  );

  app.post(
    '/admin/packs/preview-signature',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['admin'],
        summary: 'Render a signature of a draft or stored pack from one user\'s profile, marked as Outlook and Gmail get it',
        body: SignaturePreviewRequest,
        response: { 200: SignaturePreview, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return previewSignature(tdb, packRefOf(request.body), request.body.signature, request.body.user ?? principal.userId);
    },
  );

  app.post(
    '/admin/people/import',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['admin'],
        summary: `Import people from CSV (columns: ${IMPORT_COLUMNS.join(', ')}; groups separated by ";"). apply=false (default) is a dry run: per row, what would be created, updated or unchanged and what is wrong. apply=true applies all rows or none.`,
        body: PeopleImportRequest,
        response: { 200: ImportReport, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return importPeople(tdb, principal, request.body.csv, { apply: request.body.apply ?? false });
    },
  );

  app.get(
    '/admin/usage',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['admin'],
        summary: 'Template use per ISO week and per rep, and the published templates nobody used in the last N days',
        querystring: UsageQuery,
        response: { 200: UsageReport, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return usageReport(tdb, request.query);
    },
  );
};
