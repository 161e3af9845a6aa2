import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import Type from 'typebox';
import type { Store } from '../../src/server/db/connect.js';
import { testApp } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * Issue #13, "One contract": every shape the store's API accepts or answers is declared once, in
 * src/contract. This walks the route table as the app registers it (an onRoute hook) and fails
 * when a documented route validates or answers with a schema that is not one of the contract's
 * exports — a schema written beside a route, which the faces' clients cannot share, is exactly
 * how the faces drifted apart. Every /api/v1 route must answer its success with a contract
 * schema, and the OpenAPI document (/docs/json) must list each of them.
 */

const PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/** Every schema object src/contract exports (by identity), with its name for messages. */
async function contractSchemas(): Promise<Map<object, string>> {
  const found = new Map<object, string>();
  const files = readdirSync(resolve('src/contract')).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const module = (await import(`../../src/contract/${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (value && typeof value === 'object') found.set(value, `${file}:${name}`);
      // errorResponses: a map of status → ErrorResponse, spread into routes
      if (name === 'errorResponses') for (const schema of Object.values(value as Record<string, object>)) found.set(schema, `${file}:errorResponses`);
    }
  }
  return found;
}

interface SeenRoute {
  method: string;
  url: string;
  schema: RouteOptions['schema'];
}

/** What is wrong with the routes' schemas, one sentence per problem (empty: all from the contract). */
function contractProblems(routes: SeenRoute[], contract: Map<object, string>): string[] {
  const problems: string[] = [];
  for (const { method, url, schema } of routes) {
    // hidden routes are pages and the Gmail add-on's own protocol; HEAD repeats its GET
    if ((schema as { hide?: boolean } | undefined)?.hide || method === 'HEAD') continue;
    const where = `${method} ${url}`;
    const api = url.startsWith('/api/v1/');
    for (const part of PARTS) {
      const given = (schema as Record<string, unknown> | undefined)?.[part];
      if (given !== undefined && !contract.has(given as object)) problems.push(`${where}: its ${part} schema is not from src/contract`);
    }
    const response = (schema?.response ?? {}) as Record<string, unknown>;
    for (const [status, given] of Object.entries(response)) {
      if (!contract.has(given as object)) problems.push(`${where}: its ${status} response schema is not from src/contract`);
    }
    if (api && !Object.keys(response).some((status) => /^2\d\d$/.test(status))) problems.push(`${where}: no response schema for its success`);
  }
  return problems;
}

/** `/api/v1/customers/:customerId` → `/api/v1/customers/{customerId}` (OpenAPI's spelling). */
const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the contract checker', () => {
  it('names a route whose schemas are written beside it, and passes one built from the contract', async () => {
    const contract = await contractSchemas();
    const { CustomerParams, CustomerView } = await import('../../src/contract/crm.js');
    const { errorResponses } = await import('../../src/contract/common.js');
    const seen: SeenRoute[] = [];
    const app = Fastify({ logger: false });
    app.addHook('onRoute', (route) => {
      seen.push({ method: String(route.method), url: route.url, schema: route.schema });
    });
    app.get('/api/v1/good/:customerId', { schema: { params: CustomerParams, response: { 200: CustomerView, ...errorResponses } } }, async () => ({}));
    app.get('/api/v1/inline', { schema: { querystring: Type.Object({ q: Type.String() }), response: { 200: Type.Object({ id: Type.String() }) } } }, async () => ({}));
    app.post('/api/v1/silent', async () => ({}));
    await app.ready();
    await app.close();
    expect(contractProblems(seen, contract)).toEqual([
      'GET /api/v1/inline: its querystring schema is not from src/contract',
      'GET /api/v1/inline: its 200 response schema is not from src/contract',
      'POST /api/v1/silent: no response schema for its success',
    ]);
  });
});

describe.each(storeKinds())('every route of the store speaks the contract on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  const routes: SeenRoute[] = [];

  beforeAll(async () => {
    store = await kind.open();
    app = await testApp(store, {}, { onRoute: (route) => void routes.push({ method: String(route.method), url: route.url, schema: route.schema }) });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('validates and answers with src/contract schemas only', async () => {
    const api = routes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
    // the walk sees the whole API (a broken hook would pass vacuously)
    expect(api.length).toBeGreaterThan(60);
    expect(contractProblems(routes, await contractSchemas())).toEqual([]);
  });

  it('documents every /api/v1 route in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const missing = routes
      .filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD' && !(r.schema as { hide?: boolean } | undefined)?.hide)
      .filter((r) => !doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });
});
