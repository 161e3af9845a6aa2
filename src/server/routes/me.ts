import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { getUser } from '../services/people.js';
import { publishedEtag, publishedPacks } from '../services/packs.js';
import { closed, ErrorResponse, errorResponses } from '../../contract/common.js';
import { UserView } from '../../contract/people.js';
import { copyTemplate, deletePersonalTemplate, listPersonalTemplates, myTemplateUses, PERSONAL, recordTemplateUse, savePersonalTemplate } from '../services/personal-templates.js';
import { TemplateSchema } from '../../core/pack/schema.js';
import { mySignature, signatureEtag } from '../services/signatures.js';
import { renderForRep } from '../services/render.js';
import type { Renderer } from '../render/render-task.js';
import { notFound } from '../errors.js';
import { recordSignatureState, SIGNATURE_STATES } from '../services/compliance.js';

export const meRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; renderer?: Renderer | undefined }> = async (app, { db, renderer }) => {
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
            personal: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'my own templates' }),
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
      if (sent && (sent.trim() === '*' || sent.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(etag))) {
        return sendNoBody(reply, 304);
      }
      return { packs: await publishedPacks(tdb, principal.userId), personal: (await listPersonalTemplates(tdb, principal.userId)).map((p) => p.template) };
    },
  );

  app.get(
    '/me/signature',
    {
      config: { access: 'packs:read' },
      schema: {
        tags: ['me'],
        summary: 'My enforced signature, rendered from my profile and marked, with its hash and the on-send policy (404 when no pack enforces one). Send If-None-Match to get 304 when unchanged.',
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({
            pack: Type.String(),
            signature: Type.String(),
            html: Type.String(),
            text: Type.String(),
            hash: Type.String(),
            policy: Type.Object({ signatureOnSend: Type.Enum(['block', 'warn', 'off']), disableClientSignature: Type.Boolean() }),
          }),
          304: Type.Null(),
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
        body: Type.Object(
          {
            pack: Type.String({ maxLength: 63 }),
            template: Type.String({ maxLength: 63 }),
            language: Type.Optional(Type.String({ maxLength: 35 })),
            to: Type.Optional(Type.String({ maxLength: 254 })),
            inbound: Type.Optional(Type.String({ maxLength: 100_000, description: "the buyer's own last message in the thread (plain text): its language comes right after the rep's pick" })),
            fields: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 100 })),
          },
          closed,
        ),
        response: {
          200: Type.Object({
            language: Type.String(),
            reason: Type.String({ description: 'why this language, in English' }),
            source: Type.Enum(['rep-pick', 'buyer-wrote', 'contact-language', 'customer-country', 'recipient-domain', 'pack-default']),
            why: Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.String()) }, { description: 'the reason as a code with parameters, for a face to word in its UI language' }),
            subject: Type.String(),
            html: Type.String(),
            text: Type.String(),
          }),
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

  const PersonalView = Type.Object({ template: Type.Object({}, { additionalProperties: true }), updatedAt: Type.String() });
  const TemplateParams = Type.Object({ templateId: Type.String({ maxLength: 63 }) });

  app.get('/me/templates', { config: { access: 'templates:personal' }, schema: { tags: ['me'], summary: 'My personal templates (nobody else sees them)', response: { 200: Type.Object({ templates: Type.Array(PersonalView) }), ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return { templates: await listPersonalTemplates(tdb, principal.userId) };
  });

  app.put(
    '/me/templates/:templateId',
    {
      config: { access: 'templates:personal' },
      schema: { tags: ['me'], summary: 'Create or replace one of my templates (checked like a pack template)', params: TemplateParams, body: Type.Object({ template: TemplateSchema }, closed), response: { 200: PersonalView, 422: ErrorResponse, ...errorResponses } },
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
        body: Type.Object({ pack: Type.String({ maxLength: 63 }), template: Type.String({ maxLength: 63 }), newId: Type.Optional(Type.String({ maxLength: 63 })) }, closed),
        response: { 201: PersonalView, 422: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await copyTemplate(tdb, principal, request.body));
    },
  );

  app.delete('/me/templates/:templateId', { config: { access: 'templates:personal' }, schema: { tags: ['me'], summary: 'Delete one of my templates', params: TemplateParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    await deletePersonalTemplate(tdb, principal, request.params.templateId);
    return sendNoBody(reply, 204);
  });

  app.post(
    '/me/template-uses',
    {
      config: { access: 'packs:read' },
      schema: { tags: ['me'], summary: `Count one insert of a template (pack "${PERSONAL}" for my own)`, body: Type.Object({ pack: Type.String({ maxLength: 63 }), template: Type.String({ maxLength: 63 }) }, closed), response: { 204: Type.Null(), ...errorResponses } },
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
        body: Type.Object(
          {
            channel: Type.Optional(Type.Literal('outlook', { description: 'Gmail states are recorded by the store\'s own push' })),
            address: Type.String({ minLength: 3, maxLength: 254, description: 'the From address of the message' }),
            state: Type.Enum([...SIGNATURE_STATES.outlook]),
            pack: Type.Optional(Type.String({ maxLength: 63 })),
            signature: Type.Optional(Type.String({ maxLength: 63 })),
            hash: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{1,64}$', description: 'the signature hash found in the body' })),
            detail: Type.Optional(Type.String({ maxLength: 500 })),
            client: Type.Optional(Type.String({ maxLength: 100, description: 'host and platform, e.g. "Outlook on the web"' })),
          },
          closed,
        ),
        response: { 204: Type.Null(), ...errorResponses },
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
    { config: { access: 'packs:read' }, schema: { tags: ['me'], summary: 'How often I used each template in the last 90 days (ranks my search)', response: { 200: Type.Object({ uses: Type.Array(Type.Object({ pack: Type.String(), template: Type.String(), count: Type.Integer() })) }), ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { uses: await myTemplateUses(tdb, principal.userId) };
    },
  );
};
