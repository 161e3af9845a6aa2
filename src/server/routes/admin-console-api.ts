import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { complianceOverview, SIGNATURE_CHANNELS } from '../services/compliance.js';
import { checkDraft, previewSignature, previewTemplate, type PackRef } from '../services/pack-preview.js';
import type { Renderer } from '../render/render-task.js';
import { importPeople, IMPORT_COLUMNS } from '../services/people-import.js';
import { usageReport } from '../services/usage.js';
import { badRequest, notFound, unprocessable } from '../errors.js';
import type { GoogleCredentials } from '../google/credentials.js';
import { pushSignatures } from '../services/gmail-signature-push.js';
import { audit } from '../services/audit.js';
import { closed, errorResponses } from '../../contract/common.js';

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
const Issue = Type.Object({ path: Type.String(), message: Type.String(), severity: Type.String(), line: Type.Optional(Type.Integer()), column: Type.Optional(Type.Integer()) });
/** The pack to preview: the editor's draft (source), or a stored version (pack, version; default latest). */
const PackRefFields = {
  source: Type.Optional(Type.String({ minLength: 1, description: 'draft pack text (YAML or JSON)' })),
  fileName: Type.Optional(Type.String({ maxLength: 255 })),
  pack: Type.Optional(Type.String({ maxLength: 63 })),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
};
const Id = Type.String({ maxLength: 63 });

function packRefOf(body: { source?: string | undefined; fileName?: string | undefined; pack?: string | undefined; version?: number | undefined }): PackRef {
  if (body.source !== undefined && body.pack !== undefined) throw badRequest('give either source (a draft) or pack (a stored version), not both', [{ path: 'pack', message: 'not with source' }]);
  if (body.source !== undefined) return { source: body.source, fileName: body.fileName };
  if (body.pack !== undefined) return { pack: body.pack, version: body.version };
  throw badRequest('say what to preview: source (a draft) or pack (a stored version)', [{ path: 'source', message: 'source or pack is required' }]);
}

const PushLine = Type.Object({
  email: Type.String(),
  address: Type.Optional(Type.String()),
  outcome: Type.Enum(['changed', 'unchanged', 'failed', 'skipped']),
  reason: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
});

/** `credentials`: the store's Google credentials (the Gmail signature push needs domain-wide delegation). */
export const adminConsoleApiRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; credentials?: GoogleCredentials | undefined; renderer?: Renderer | undefined }> = async (app, { db, credentials, renderer }) => {
  app.post(
    '/admin/gmail/push-signatures',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['admin'],
        summary: 'Push each rep\'s enforced signature to their Gmail send-as addresses again (all reps, one group, or one rep), through the delegated service account; dryRun reports what would change and writes nothing. Answers the changed / unchanged / failed / skipped report.',
        body: Type.Object(
          {
            user: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'only this rep (e-mail)' })),
            group: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'only the reps of this group (slug)' })),
            dryRun: Type.Optional(Type.Boolean()),
          },
          closed,
        ),
        response: {
          200: Type.Object({ dryRun: Type.Boolean(), changed: Type.Integer(), unchanged: Type.Integer(), failed: Type.Integer(), skipped: Type.Integer(), lines: Type.Array(PushLine) }),
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

  app.post(
    '/admin/packs/check',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['admin'],
        summary: 'Check a draft pack exactly as a push would, storing nothing: every issue with its line and column, and an outline of its templates and signatures',
        body: Type.Object({ source: Type.String({ minLength: 1 }), fileName: Type.Optional(Type.String({ maxLength: 255 })) }, closed),
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            format: Type.Enum(['yaml', 'json']),
            issues: Type.Array(Issue),
            outline: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
          }),
          ...errorResponses,
        },
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
        body: Type.Object(
          {
            ...PackRefFields,
            template: Id,
            language: Type.String({ maxLength: 35 }),
            user: Type.Optional(Type.String({ maxLength: 64, description: 'user id whose profile fills rep.* (default: me)' })),
            to: Type.Optional(Type.String({ maxLength: 254, description: 'a recipient e-mail whose contact and customer records fill contact.* and customer.*' })),
            fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
          },
          closed,
        ),
        response: {
          200: Type.Object({
            language: Type.String(),
            subject: Type.String(),
            html: Type.String(),
            text: Type.String(),
            data: Type.Enum(['sample', 'customer']),
            missing: Type.Array(Type.Object({ name: Type.String(), label: Type.Optional(Type.String()), where: Type.String(), reason: Type.String() })),
          }),
          ...errorResponses,
        },
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
        body: Type.Object({ ...PackRefFields, signature: Id, user: Type.Optional(Type.String({ maxLength: 64 })) }, closed),
        response: { 200: Type.Object({ signature: Type.String(), html: Type.String(), text: Type.String(), hash: Type.String(), removed: Type.Array(Type.String()) }), ...errorResponses },
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
        body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 2_000_000 }), apply: Type.Optional(Type.Boolean()) }, closed),
        response: {
          200: Type.Object({
            applied: Type.Boolean(),
            columns: Type.Array(Type.String()),
            counts: Type.Object({ create: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() }),
            rows: Type.Array(
              Type.Object({
                line: Type.Integer(),
                email: Type.String(),
                action: Type.Enum(['create', 'update', 'unchanged', 'error']),
                changes: Type.Array(Type.Object({ field: Type.String(), from: Type.String(), to: Type.String() })),
                errors: Type.Array(Type.Object({ column: Type.String(), message: Type.String() })),
              }),
            ),
          }),
          ...errorResponses,
        },
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
        querystring: Type.Object({ weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 53 })), unusedDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 365 })) }, closed),
        response: {
          200: Type.Object({
            weeks: Type.Array(Type.String()),
            unusedDays: Type.Integer(),
            templates: Type.Array(
              Type.Object({ pack: Type.String(), template: Type.String(), title: Type.String(), total: Type.Integer(), perWeek: Type.Record(Type.String(), Type.Integer()), users: Type.Array(Type.Object({ email: Type.String(), count: Type.Integer() })) }),
            ),
            unused: Type.Array(Type.Object({ pack: Type.String(), template: Type.String(), title: Type.String(), publishedVersion: Type.Integer() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return usageReport(tdb, request.query);
    },
  );
};
