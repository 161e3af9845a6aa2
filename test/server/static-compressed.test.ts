import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { testApp } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The production build writes each script beside its gzip and brotli forms (webpack.config.js),
 * and the store sends the one the browser accepts: the bytes the size budgets count are the
 * bytes a pane loads, with no proxy compressing and no compression per request.
 */
describe('the faces, precompressed', () => {
  let store: Store;
  let app: FastifyInstance;
  // The team inbox's first-paint entry: one of the files every cold /inbox load fetches.
  const script = readdirSync(TEST_DIST).find((f) => /^inbox\.[0-9a-f]{8}\.js$/.test(f))!;
  const plain = readFileSync(join(TEST_DIST, script));

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    app = await testApp(store, {}, { addinDir: TEST_DIST });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (acceptEncoding?: string) => app.inject({ method: 'GET', url: `/addin/${script}`, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

  it('sends brotli to a browser that takes it, gzip to one that takes only gzip, the plain file otherwise: the same script each time', async () => {
    expect(script).toBeDefined();
    const br = await get('gzip, deflate, br, zstd');
    expect([br.statusCode, br.headers['content-encoding'], br.headers['content-type']]).toEqual([200, 'br', 'application/javascript; charset=utf-8']);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
    // Well under half the bytes: what the size budget counts is what travels.
    expect(br.rawPayload.length).toBeLessThan(plain.length / 2);

    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true);

    const identity = await get();
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.rawPayload.equals(plain)).toBe(true);
  });
});
