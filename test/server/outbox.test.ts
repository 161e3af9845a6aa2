import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { deliverDue, MAX_ATTEMPTS } from '../../src/server/jobs/outbox-worker.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const SECRET = 'whsec-test-0123456789abcdef';

/** A subscriber's endpoint that verifies deliveries exactly as docs/crm.md tells subscribers to. */
class Receiver {
  server: Server;
  received = new Map<string, { type: string; body: unknown }>();
  attempts = 0;
  failNext = 0;
  badSignatures = 0;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        this.attempts++;
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end('temporarily broken');
          return;
        }
        const timestamp = Number(req.headers['x-tradepane-timestamp']);
        const expected = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex')}`;
        const given = String(req.headers['x-tradepane-signature'] ?? '');
        const fresh = Math.abs(Date.now() / 1000 - timestamp) < 300;
        if (!fresh || given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
          this.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        // Deduplicate on the delivery id, as subscribers are told to.
        this.received.set(String(req.headers['x-tradepane-delivery']), { type: String(req.headers['x-tradepane-event']), body: JSON.parse(raw) });
        res.writeHead(204).end();
      });
    });
  }

  async start(port = 0): Promise<void> {
    await new Promise<void>((r) => this.server.listen(port, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/crm`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

describe.each(storeKinds())('CRM deliveries on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let box: SecretBox;
  const receiver = new Receiver();
  let mail = 0;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'out');
    box = new SecretBox(randomBytes(32));
    app = await testApp(store, {}, { secretBox: box });
    await receiver.start();
    const created = await app.inject({ method: 'POST', url: '/api/v1/connectors', headers: bearer(t.admin.key), payload: { kind: 'webhook', name: 'in-house CRM', settings: { url: receiver.url }, secrets: { signingSecret: SECRET } } });
    expect(created.statusCode).toBe(201);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    await receiver.stop();
  });

  const log = (messageId = `<m${++mail}@buyer.example.de>`) =>
    app.inject({ method: 'POST', url: '/api/v1/log', headers: bearer(t.rep.key), payload: { messageId, direction: 'inbound', from: 'einkauf@buyer.example.de', to: ['rep@out.test'], subject: `Order ${mail}`, via: 'api' } });
  const pending = () => t.tdb.selectFrom('outbox').selectAll().where('status', '=', 'pending').execute();
  const later = (ms: number) => new Date(Date.now() + ms);

  it('keeps connector secrets encrypted at rest and never shows them', async () => {
    const row = await t.tdb.selectFrom('connectors').selectAll().executeTakeFirstOrThrow();
    expect(row.secrets).not.toContain(SECRET);
    expect(box.open(row.secrets)).toEqual({ signingSecret: SECRET });
    const listed = await app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer(t.admin.key) });
    expect(listed.body).not.toContain(SECRET);
    expect(listed.json().connectors[0].secrets).toEqual(['signingSecret']);
  });

  it('delivers a logged mail once, signed; logging it again queues nothing', async () => {
    await log('<once@buyer.example.de>');
    await log('<once@buyer.example.de>');
    expect(await pending()).toHaveLength(1);
    expect(await deliverDue(store.db, box, 'w1')).toEqual({ delivered: 1, retried: 0, dead: 0 });
    expect(receiver.badSignatures).toBe(0);
    const [delivery] = [...receiver.received.values()];
    expect(delivery).toMatchObject({ type: 'email.logged', body: { activity: { messageId: 'once@buyer.example.de', from: 'einkauf@buyer.example.de' } } });
  });

  it('retries a CRM that answers 500, then delivers exactly once', async () => {
    receiver.failNext = 2;
    const before = receiver.received.size;
    await log();
    expect(await deliverDue(store.db, box, 'w1')).toMatchObject({ retried: 1 });
    expect(await deliverDue(store.db, box, 'w1')).toMatchObject({ delivered: 0, retried: 0 }); // backing off: not due yet
    expect(await deliverDue(store.db, box, 'w1', { now: later(60_000) })).toMatchObject({ retried: 1 });
    expect(await deliverDue(store.db, box, 'w1', { now: later(10 * 60_000) })).toMatchObject({ delivered: 1 });
    expect(receiver.received.size).toBe(before + 1);
    const row = await t.tdb.selectFrom('outbox').selectAll().where('status', '=', 'delivered').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    expect(row.attempts).toBe(3);
  });

  it('lets two workers share the queue without delivering anything twice', async () => {
    const before = receiver.attempts;
    for (let i = 0; i < 6; i++) await log();
    const [a, b] = await Promise.all([deliverDue(store.db, box, 'worker-a'), deliverDue(store.db, box, 'worker-b')]);
    expect(a.delivered + b.delivered).toBe(6);
    expect(receiver.attempts - before).toBe(6);
  });

  it('keeps a mail owed to a CRM that is down, gives up after its attempts into the dead letters, and replays it', async () => {
    await receiver.stop();
    await log('<while-down@buyer.example.de>');
    let now = Date.now();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      now += 2 * 3_600_000;
      await deliverDue(store.db, box, 'w1', { now: new Date(now) });
    }
    const dead = await app.inject({ method: 'GET', url: '/api/v1/deliveries?status=dead', headers: bearer(t.admin.key) });
    expect(dead.json().deliveries).toHaveLength(1);
    const letter = dead.json().deliveries[0] as { id: string; attempts: number; lastError: string };
    expect(letter.attempts).toBe(MAX_ATTEMPTS);
    expect(letter.lastError).toMatch(/gave up after 8 attempts: could not reach/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer(t.admin.key) })).json().connectors[0].health.dead).toBe(1);

    await receiver.start(Number(new URL(receiver.url).port));
    expect((await app.inject({ method: 'POST', url: `/api/v1/deliveries/${letter.id}/replay`, headers: bearer(t.admin.key) })).json()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await deliverDue(store.db, box, 'w1')).toMatchObject({ delivered: 1 });
    expect([...receiver.received.values()].some((d) => (d.body as { activity: { messageId: string } }).activity.messageId === 'while-down@buyer.example.de')).toBe(true);
  });

  it('refuses bad connector settings by name, and needs the secret key', async () => {
    const post = (payload: object, target = app) => target.inject({ method: 'POST', url: '/api/v1/connectors', headers: bearer(t.admin.key), payload });
    const plainHttp = await post({ kind: 'webhook', name: 'x', settings: { url: 'http://crm.example.com/hook' }, secrets: { signingSecret: SECRET } });
    expect(plainHttp.statusCode).toBe(400);
    expect(plainHttp.json().error.message).toBe('settings.url: must be an https URL');
    expect((await post({ kind: 'webhook', name: 'y', settings: { url: 'https://crm.example.com/hook' }, secrets: { signingSecret: 'short' } })).statusCode).toBe(400);
    expect((await post({ kind: 'okki', name: 'z', settings: {}, secrets: {} })).statusCode).toBe(400);
    const keyless = await testApp(store);
    expect((await post({ kind: 'webhook', name: 'w', settings: { url: 'https://crm.example.com/hook' }, secrets: { signingSecret: SECRET } }, keyless)).statusCode).toBe(503);
    await keyless.close();
    expect((await app.inject({ method: 'GET', url: '/api/v1/connectors', headers: bearer(t.rep.key) })).statusCode).toBe(403);
  });
});
