import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { bearer, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { RenderPool } from '../../src/server/render/pool.js';
import { untilCount } from '../support/atomics.js';

/** `k0: 1` … one key a line: 60,000 keys is 3 × 60,000 nodes, over the 20,000 limit, yet under the length limit. */
const manyKeys = (count: number) => Array.from({ length: count }, (_, i) => `${i.toString(36)}: 1`).join('\n');

/** A valid pack whose 1,000 templates reuse one anchor each for kind, title and variants. */
function anchorReusePack(): string {
  const rest = Array.from({ length: 999 }, (_, i) => `  - {id: t${i + 1}, kind: *k, title: *ti, variants: *v}`).join('\n');
  return `pack: reuse
title: Reuse
groups: ["*"]
defaultLanguage: en
templates:
  - id: t0
    kind: &k inquiry
    title: &ti Hello
    variants: &v
      en: {subject: "Hello", body: "<p>Hello</p>"}
${rest}
`;
}

/** Sanitising removes the <script> and the {% endif %} inside it: the template could never render. */
const brokenAfterSanitising = `pack: broken
title: Broken
groups: ["*"]
defaultLanguage: en
templates:
  - id: hello
    kind: inquiry
    title: Hello
    variants:
      en:
        subject: Hello
        body: "<p>{% if contact.firstName %}Dear {{ contact.firstName }}</p><script>{% endif %}</script>"
`;

describe.each(storeKinds().map((k) => [k.name, k] as const))('hardening on %s', (_name, kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'hard');
    // Bodies up to 4 MB reach the pack's own limits (the default 1 MB would answer first).
    app = await testApp(store, { bodyLimitBytes: 4 * 1024 * 1024 });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (url: string, payload: string | object, key = t.admin.key, contentType = 'application/json') =>
    app.inject({ method: 'POST', url, headers: { ...bearer(key), 'content-type': contentType }, payload });

  describe('pack limits (finding 1)', () => {
    it('answers a pack of 60,000 keys with 422 naming the node limit, on push, check and preview, and stores nothing', async () => {
      const source = manyKeys(60_000);
      for (const url of ['/api/v1/packs', '/api/v1/admin/packs/check', '/api/v1/admin/packs/preview']) {
        const res = await post(url, url.endsWith('preview') ? { source, template: 'x', language: 'en' } : { source });
        expect([url, res.statusCode]).toEqual([url, 422]);
        expect(res.json().error).toMatchObject({
          code: 'pack_too_large',
          message: 'the pack has more than the limit of 20000 nodes (keys, values and list items, aliases expanded)',
          // The 20,001st node is the value on line 6667 (3 a line), after the key 6666 = "556" and ": ".
          details: [{ path: 'source', limit: 'nodes', max: 20_000, line: 6667, column: 6 }],
        });
      }
      expect(await t.tdb.selectFrom('packs').select('slug').execute()).toEqual([{ slug: 'hard-pack' }]);
    });

    it('answers the 100,000-key (1 MB) pack of the report with 413 naming the length limit', async () => {
      const source = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n');
      const res = await post('/api/v1/packs', source, t.admin.key, 'application/yaml');
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'pack_too_large', message: 'the pack is longer than the limit of 524288 characters', details: [{ limit: 'sourceChars', max: 524_288 }] });
    });

    it('answers YAML aliases beyond the limit with 422, and accepts a pack reusing one anchor 1,000 times (finding 4)', async () => {
      const ok = await post('/api/v1/packs', { source: anchorReusePack() });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ pack: 'reuse', version: 1, status: 'created' });
      const tooMany = await post('/api/v1/packs', { source: `pack: a\nx: &a 1\ny: [${Array(5001).fill('*a').join(', ')}]` });
      expect(tooMany.statusCode).toBe(422);
      expect(tooMany.json().error).toMatchObject({ code: 'pack_too_large', details: [{ limit: 'aliases', max: 5000 }] });
    });
  });

  describe('templates that cannot render once sanitised (finding 7)', () => {
    it('are refused at push with the line and column of the body, and nothing is stored', async () => {
      const res = await post('/api/v1/packs', { source: brokenAfterSanitising });
      expect(res.statusCode).toBe(422);
      const error = res.json().error;
      expect(error.code).toBe('invalid_pack');
      const issue = (error.details as { path: string; severity: string; line?: number; column?: number; message: string }[]).find((d) => d.severity === 'error');
      expect(issue).toMatchObject({ path: 'templates[0].variants.en.body', line: 12, column: 15 });
      expect(issue!.message).toMatch(/^cannot render once unsafe HTML is removed: Liquid syntax error at line 1, column 4: tag \{% if contact.firstName %\} not closed/);
      expect(await t.tdb.selectFrom('packs').select('slug').where('slug', '=', 'broken').execute()).toEqual([]);
    });

    it('fail the draft check the same way', async () => {
      const res = await post('/api/v1/admin/packs/check', { source: brokenAfterSanitising });
      expect(res.statusCode).toBe(200);
      expect(res.json().ok).toBe(false);
      expect(res.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'templates[0].variants.en.body', severity: 'error', line: 12, column: 15 })]));
    });
  });

  describe('control characters in input (finding 3)', () => {
    it('refuses a NUL in a text field with 400 naming the field, and stores nothing', async () => {
      const res = await post('/api/v1/customers', '{"name":"Ac\\u0000me"}', t.rep.key);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual({
        code: 'invalid_text',
        message: 'body.name: contains the control character U+0000, which no text field accepts',
        details: [{ path: 'body.name', message: 'contains the control character U+0000, which no text field accepts' }],
      });
      expect(await t.tdb.selectFrom('customers').select('name').where('name', 'like', 'Ac%').execute()).toEqual([]);
    });

    it('names nested places and field names, and refuses other C0 controls', async () => {
      const nested = await post('/api/v1/customers', { name: 'Acme', domains: ['acme.test', 'bad\u001b.test'] }, t.rep.key);
      expect(nested.statusCode).toBe(400);
      expect(nested.json().error.details).toEqual([{ path: 'body.domains[1]', message: 'contains the control character U+001B, which no text field accepts' }]);
      const key = await post('/api/v1/customers', '{"name":"Acme","a\\u0007b":1}', t.rep.key);
      expect(key.json().error.details).toEqual([{ path: 'body["a\\u0007b"]', message: 'the field name contains the control character U+0007' }]);
    });

    it('keeps tab, newline and carriage return, which text legitimately holds', async () => {
      const res = await post('/api/v1/customers', { name: 'A\tB\nC\r\nD' }, t.rep.key);
      expect(res.statusCode).toBe(201);
      expect(res.json().name).toBe('A\tB\nC\r\nD');
    });

    it('refuses a NUL in a query string or path parameter', async () => {
      const query = await app.inject({ method: 'GET', url: '/api/v1/contacts/lookup?email=a%00b@x.test', headers: bearer(t.rep.key) });
      expect(query.statusCode).toBe(400);
      expect(query.json().error.details).toEqual([{ path: 'query.email', message: 'contains the control character U+0000, which no text field accepts' }]);
      const param = await app.inject({ method: 'GET', url: '/api/v1/customers/a%00b', headers: bearer(t.rep.key) });
      expect(param.statusCode).toBe(400);
      expect(param.json().error.details[0].path).toBe('params.customerId');
    });
  });

  describe('types are not coerced in bodies (finding 8)', () => {
    it('answers {"name": 123} with 400 naming the field instead of storing "123"', async () => {
      const res = await post('/api/v1/customers', { name: 123 }, t.rep.key);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toEqual([{ path: 'body.name', message: 'must be string' }]);
      expect(await t.tdb.selectFrom('customers').select('name').where('name', '=', '123').execute()).toEqual([]);
    });

    it('still reads numbers in query strings', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit?limit=2', headers: bearer(t.admin.key) });
      expect(res.statusCode).toBe(200);
      expect(res.json().entries).toHaveLength(2);
    });
  });
});

/** An inline script as the built task pane has one; its sha256 (base64), worked out with `openssl dgst -sha256 -binary | base64`. */
const LOADER = "document.write('x')";
const LOADER_HASH = "'sha256-w1FRCGc0yaR8OPJv8OX9VpFRDLdPe3t0dGU0ePCVpgE='";

describe('the HTTP edge', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let port: number;

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'edge');
    const addinDir = mkdtempSync(join(tmpdir(), 'tp-addin-'));
    writeFileSync(join(addinDir, 'taskpane.html'), `<!doctype html><title>x</title><script>${LOADER}</script><script src="/addin/taskpane.js"></script>`);
    writeFileSync(join(addinDir, 'playground.html'), '<!doctype html><title>p</title>');
    writeFileSync(join(addinDir, 'admin.html'), '<!doctype html><title>a</title>');
    writeFileSync(join(addinDir, 'taskpane.js.map'), '{}');
    writeFileSync(join(addinDir, '.env'), 'SECRET=1');
    mkdirSync(join(addinDir, 'sub'));
    mkdirSync(join(addinDir, '.git'));
    writeFileSync(join(addinDir, '.git', 'config'), '[core]');
    dir = addinDir;
    app = await testApp(store, { authFailureLimit: 3 }, { addinDir });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers 300,000 "[" as malformed JSON with 400 naming the depth limit, not a stack overflow (finding 4)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...bearer(t.rep.key), 'content-type': 'application/json' }, payload: '['.repeat(300_000) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'malformed_json', message: 'request body is not valid JSON: nested deeper than the limit of 64 levels at line 1, column 65 (position 64)' });
  });

  it('lets a valid credential in from an address whose other callers failed past the limit; failures alone are throttled (finding 5)', async () => {
    const bad = bearer('tpk_0000000000000000_' + 'z'.repeat(43));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bad })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const good = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.rep.key) });
    expect(good.statusCode).toBe(200);
    const again = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bad });
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  });

  /** One raw HTTP exchange, for what app.inject never reaches (Node's own parser). */
  function raw(request: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('error', () => resolve(data)); // the server resets after answering
      socket.on('close', () => resolve(data));
      socket.on('connect', () => socket.write(request));
      setTimeout(() => reject(new Error('no answer')), 30_000).unref();
    });
  }

  it('answers oversized headers with 431 in the one error shape (finding 8)', async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ error: { code: 'headers_too_large', message: 'the request headers are larger than the server accepts (16 KB in all); send fewer or shorter headers' } });
  });

  it('answers a URL that does not decode (/%) with 400 in the one error shape (finding 8)', async () => {
    const res = await app.inject({ method: 'GET', url: '/%' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'bad_url', message: 'the URL "/%" is not valid: \'/%\' is not a valid url component' } });
  });

  it('answers a static path it refuses (a folder) with 403 in the one error shape (finding 8)', async () => {
    const res = await app.inject({ method: 'GET', url: '/addin/sub/' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: { code: 'forbidden', message: '/addin/sub/: this path may not be read' } });
  });

  describe('security headers (finding 6)', () => {
    const policy = (header: unknown) => new Map(String(header).split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

    it('give the task pane a CSP with its inline script by hash, Office.js, and framing by Outlook only', async () => {
      const res = await app.inject({ method: 'GET', url: '/addin/taskpane.html' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = policy(res.headers['content-security-policy']);
      expect(csp.get('script-src')).toEqual(["'self'", 'https://appsforoffice.microsoft.com', 'https://accounts.google.com/gsi/client', LOADER_HASH]);
      expect(csp.get('frame-ancestors')).toEqual(["'self'", 'https://outlook.office.com', 'https://outlook.office365.com', 'https://outlook.cloud.microsoft', 'https://outlook.live.com', 'https://*.officeapps.live.com']);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('default-src')).toEqual(["'self'"]);
    });

    it("lets nobody frame the console, the playground, the start page or /docs", async () => {
      for (const url of ['/admin', '/addin/playground.html', '/']) {
        const res = await app.inject({ method: 'GET', url });
        expect([url, res.statusCode]).toEqual([url, 200]);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect([url, policy(res.headers['content-security-policy']).get('frame-ancestors')]).toEqual([url, ["'none'"]]);
      }
      const docs = await app.inject({ method: 'GET', url: '/docs/' });
      expect(docs.statusCode).toBe(200);
      const csp = policy(docs.headers['content-security-policy']);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests')).toBe(false);
      expect(csp.get('script-src')![0]).toBe("'self'");
    });

    it('put nosniff on API answers too', async () => {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeUndefined();
    });

    it('serve source maps in development and not in production', async () => {
      expect((await app.inject({ method: 'GET', url: '/addin/taskpane.js.map' })).statusCode).toBe(200);
      const production = await testApp(store, { production: true }, { addinDir: dir });
      const res = await production.inject({ method: 'GET', url: '/addin/taskpane.js.map' });
      expect(res.statusCode).toBe(404);
      expect((await production.inject({ method: 'GET', url: '/addin/taskpane.html' })).statusCode).toBe(200);
      await production.close();
    });
  });

  it('never serves dotfiles or dot-directories from the add-in folder', async () => {
    for (const url of ['/addin/.env', '/addin/.git/config', '/addin/%2eenv']) {
      const res = await app.inject({ method: 'GET', url });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
      expect(res.body).not.toContain('SECRET');
      expect(res.body).not.toContain('[core]');
    }
  });

  describe('renders off the event loop (finding 2)', () => {
    it('answers /healthz while renders run, and 503 with Retry-After past threads + queue', async () => {
      // Stand-in worker threads that block until released: the renders are "running" for as long as the test wants.
      const gate = new SharedArrayBuffer(8);
      const flags = new Int32Array(gate);
      const pool = new RenderPool({ threads: 1, queue: 1, timeoutMs: 60_000, filename: new URL('../support/blocking-render-worker.mjs', import.meta.url).href });
      // The stand-in reads its gate from the task: hand it over with every task the route sends.
      const original = pool.render;
      (pool as unknown as { render: typeof original }).render = (task) => original({ ...task, gate } as typeof task);
      const blocked = await testApp(store, {}, { renderPool: pool });
      // inject() sends when its result is awaited or then()ed: then() here sends each at once.
      const render = () => blocked.inject({ method: 'POST', url: '/api/v1/me/render', headers: bearer(t.rep.key), payload: { pack: t.packSlug, template: 'hello', language: 'en' } }).then((res) => res);
      const first = render();
      await untilCount(flags, 0, 1);
      // A render is running in a worker: the event loop is free, so /healthz answers now.
      const health = await blocked.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      // Two more: one takes the queue's only place, the other finds threads and queue full.
      const [second, third] = [render(), render()];
      const refused = await Promise.race([second, third].map((p) => p.then((res) => (res.statusCode === 503 ? res : new Promise<never>(() => {})))));
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.json().error.code).toBe('busy');
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      expect((await first).statusCode).toBe(200);
      expect([(await second).statusCode, (await third).statusCode].sort()).toEqual([200, 503]);
      await blocked.close();
    });
  });
});
