import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { inputProblem } from '../http/json-body.js';
import { AppError } from '../errors.js';
import { exportPack, getPack, listPacks, publishPack, pushPack, rollbackPack, unpublishPack } from '../services/packs.js';
import { ErrorResponse, errorResponses } from '../../contract/common.js';
import { PackCreated, PackDetail, PackExport, PackExportQuery, PackList, PackParams, PackPublish, PackPush, PackRollback, PackSummary, PackUnchanged, PublicationParams } from '../../contract/packs.js';


export const packRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  // `curl --data-binary @pack.yaml -H 'content-type: application/yaml'` works as well as JSON {source}.
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string' }, (_request, body, done) => {
    const value = { source: body as string };
    const problem = inputProblem(value, 'body');
    if (problem) done(new AppError(400, 'invalid_text', `${problem.path}: ${problem.message}`, [problem]), undefined);
    else done(null, value);
  });

  app.get('/packs', { config: { access: 'packs:write' }, schema: { tags: ['packs'], summary: 'All packs of my tenant with their publications', response: { 200: PackList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { packs: await listPacks(tdb) };
  });

  app.post(
    '/packs',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['packs'],
        summary: 'Push a pack: validated, stored as a new immutable version when it changed, published to the groups it names',
        body: PackPush,
        response: {
          200: PackUnchanged,
          201: PackCreated,
          422: ErrorResponse,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const result = await pushPack(tdb, principal, request.body.source, request.body.fileName, { publish: request.body.publish ?? true });
      return reply.status(result.status === 'created' ? 201 : 200).send(result as never);
    },
  );

  app.get(
    '/packs/:pack',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['packs'],
        summary: 'A pack, its versions and publications',
        params: PackParams,
        response: { 200: PackDetail, ...errorResponses },
      },
    },
    async (request) => {
      const { tdb } = caller(request, db);
      return getPack(tdb, request.params.pack);
    },
  );

  app.post(
    '/packs/:pack/publish',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['packs'],
        summary: 'Publish a version to groups (default: the groups it names); other groups keep what they have',
        params: PackParams,
        body: PackPublish,
        response: { 200: PackSummary, 422: ErrorResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return publishPack(tdb, principal, request.params.pack, request.body);
    },
  );

  app.post(
    '/packs/:pack/rollback',
    {
      config: { access: 'packs:write' },
      schema: { tags: ['packs'], summary: 'Give every group that receives the pack an earlier version', params: PackParams, body: PackRollback, response: { 200: PackSummary, 422: ErrorResponse, ...errorResponses } },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return rollbackPack(tdb, principal, request.params.pack, request.body);
    },
  );

  app.delete(
    '/packs/:pack/publications/:audience',
    {
      config: { access: 'packs:write' },
      schema: { tags: ['packs'], summary: 'Stop publishing the pack to a group (or "*")', params: PublicationParams, response: { 200: PackSummary, 422: ErrorResponse, ...errorResponses } },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return unpublishPack(tdb, principal, request.params.pack, request.params.audience);
    },
  );

  app.get(
    '/packs/:pack/export',
    {
      config: { access: 'packs:write' },
      schema: {
        tags: ['packs'],
        summary: 'Export a version (default: the latest) as its original source, YAML or JSON',
        params: PackParams,
        querystring: PackExportQuery,
        response: { 200: PackExport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tdb } = caller(request, db);
      const out = await exportPack(tdb, request.params.pack, request.query);
      return reply
        .header('content-type', out.format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
        .header('x-pack-version', String(out.version))
        .header('content-disposition', `attachment; filename="${request.params.pack}-v${out.version}.${out.format}"`)
        .send(out.text);
    },
  );
};
