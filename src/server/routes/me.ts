import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { getUser } from '../services/people.js';
import { PackViews } from '../services/pack-views.js';
import { ErrorResponse, errorResponses, NoBody } from '../../contract/common.js';
import { IfNoneMatch, Me, MyPacks, PersonalTemplate, PersonalTemplateList, PersonalTemplatePut, Rendered, RenderRequest, TemplateCopy, TemplateParams, TemplateUse, TemplateUses } from '../../contract/me.js';
import { MySignature, SignatureStateReport } from '../../contract/signatures.js';
import { copyTemplate, deletePersonalTemplate, listPersonalTemplates, myTemplateUses, PERSONAL, recordTemplateUse, savePersonalTemplate } from '../services/personal-templates.js';
import { mySignature, signatureEtag } from '../services/signatures.js';
import { renderForRep } from '../services/render.js';
import type { Renderer } from '../render/render-task.js';
import { notFound } from '../errors.js';
import { recordSignatureState } from '../services/compliance.js';

export const meRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; renderer?: Renderer | undefined }> = async (app, { db, renderer }) => {
  const packViews = new PackViews(db);

  app.get(
    '/me',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['me'],
        summary: 'Who I am: my profile, tenant, groups and permissions',
        response: {
          200: Me,
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
        headers: IfNoneMatch,
        response: {
          200: MyPacks,
          304: NoBody,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const view = await packViews.current(tdb, principal.userId, principal.packsViewVersion);
      const { etag } = view;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const sent = request.headers['if-none-match'];
      if (sent && (sent.trim() === '*' || sent.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag))) {
        return sendNoBody(reply, 304);
      }
      // Serialised by this route's response schema once per version of the view, then sent as is.
      const body = await packViews.body(tdb, principal.userId, view, (packs) => reply.serialize(packs) as string);
      // A string with a JSON content type goes out unchanged (Fastify serialises only objects).
      return reply.type('application/json; charset=utf-8').send(body as unknown as MyPacks);
    },
  );

  app.get(
    '/me/signature',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'My enforced signature, rendered from my profile and marked, with its hash and the on-send policy (404 when no pack enforces one). Send If-None-Match to get 304 when unchanged.',
        headers: IfNoneMatch,
        response: {
          200: MySignature,
          304: NoBody,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const etag = await signatureEtag(tdb, principal.userId);
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const sent = request.headers['if-none-match'];
      if (sent && (sent.trim() === '*' || sent.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag))) {
        return sendNoBody(reply, 304);
      }
      const signature = await mySignature(tdb, principal.userId);
      if (!signature) throw notFound('an enforced signature in the packs published to you');
      return signature;
    },
  );

  app.post(
    '/me/render',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'Render a template for a recipient: language chosen (with the reason), values escaped; 422 lists every missing value',
        body: RenderRequest,
        response: {
          200: Rendered,
          422: ErrorResponse,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return renderForRep(tdb, principal.userId, request.body, renderer);
    },
  );

  app.get('/me/templates', { config: { access: 'templates:personal' }, schema: { tags: ['me'], summary: 'My personal templates (nobody else sees them)', response: { 200: PersonalTemplateList, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return { templates: await listPersonalTemplates(tdb, principal.userId) };
  });

  app.put(
    '/me/templates/:templateId',
    {
      config: { access: 'templates:personal' },
      schema: { tags: ['me'], summary: 'Create or replace one of my templates (checked like a pack template)', params: TemplateParams, body: PersonalTemplatePut, response: { 200: PersonalTemplate, 422: ErrorResponse, ...errorResponses } },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return savePersonalTemplate(tdb, principal, { ...request.body.template, id: request.params.templateId });
    },
  );

  app.post(
    '/me/templates/copy',
    {
      config: { access: 'templates:personal' },
      schema: {
        tags: ['me'],
        summary: 'Start a personal template from a published one (refused when the admin locked it)',
        body: TemplateCopy,
        response: { 201: PersonalTemplate, 422: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await copyTemplate(tdb, principal, request.body));
    },
  );

  app.delete('/me/templates/:templateId', { config: { access: 'templates:personal' }, schema: { tags: ['me'], summary: 'Delete one of my templates', params: TemplateParams, response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    await deletePersonalTemplate(tdb, principal, request.params.templateId);
    return sendNoBody(reply, 204);
  });

  app.post(
    '/me/template-uses',
    {
      config: { access: 'packs:read' },
      schema: { tags: ['me'], summary: `Count one insert of a template (pack "${PERSONAL}" for my own)`, body: TemplateUse, response: { 204: NoBody, ...errorResponses } },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      await recordTemplateUse(tdb, principal, request.body);
      return sendNoBody(reply, 204);
    },
  );

  app.post(
    '/me/signature-state',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'Report the signature my Outlook on-send check saw (ok, missing or altered) for a sending address; keeps only the latest state per address',
        body: SignatureStateReport,
        response: { 204: NoBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { body } = request;
      await recordSignatureState(tdb, {
        userId: principal.userId,
        channel: 'outlook',
        address: body.address,
        state: body.state,
        pack: body.pack,
        signatureId: body.signature,
        hash: body.hash,
        detail: body.detail,
        client: body.client,
      });
      return sendNoBody(reply, 204);
    },
  );

  app.get(
    '/me/template-uses',
    { config: { access: 'packs:read' }, schema: { tags: ['me'], summary: 'How often I used each template in the last 90 days (ranks my search)', response: { 200: TemplateUses, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { uses: await myTemplateUses(tdb, principal.userId) };
    },
  );
};
