import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { signWebhook } from '../../src/server/connectors/webhook.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { FakeHubspot } from './connectors/fake-hubspot.js';

/** Issue #19 item 2: set up, test, pause, resume and remove a connector through the API the console uses. */

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook subscriber on loopback that answers `status` and keeps what it got. */
async function subscriber(): Promise<{ url: string; received: Received[]; answer: { status: number }; close: () => Promise<void> }> {
  const received: Received[] = [];
  const answer = { status: 200 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.status === 200 ? 'ok' : 'subscriber is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, answer, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

const SIGNING = 'console-signing-secret-0123456789';
const HUBSPOT_TOKEN = 'pat-na1-console-token';

describe.each(storeKinds())('connectors from the console on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let a: SeededTenant;
  let b: SeededTenant;
  let hook: Awaited<ReturnType<typeof subscriber>>;
  const hubspot = new FakeHubspot(HUBSPOT_TOKEN);
  let hubspotUrl: string;

  beforeAll(async () => {
    store = await kind.open();
    a = await seedTenant(store, `ca${kind.name}`);
    b = await seedTenant(store, `cb${kind.name}`);
    app = await testApp(store, {}, { secretBox: new SecretBox(randomBytes(32)) });
    hook = await subscriber();
    hubspotUrl = await hubspot.start();
  });
  afterAll(async () => {
    await hook.close();
    await hubspot.stop();
    await app.close();
    await store.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, key = a.admin.key) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });

  it('sets up a webhook whose secret is never shown again, sends a signed test event, pauses, resumes and removes it', async () => {
    const created = await call('POST', '/connectors', { kind: 'webhook', name: 'Our CRM hook', settings: { url: hook.url }, secrets: { signingSecret: SIGNING } });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain(SIGNING);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ kind: 'webhook', secrets: ['signingSecret'], enabled: true });
    const listed = await call('GET', '/connectors');
    expect(listed.body).not.toContain(SIGNING);

    const tested = await call('POST', `/connectors/${id}/test`);
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ ok: true, reason: null });
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    const event = JSON.parse(got.body) as { type: string; id: string; task: { title: string; assignee: string }; contact: unknown };
    expect(event).toMatchObject({ type: 'task.created', id: tested.json().eventId, contact: null, task: { title: 'tradepane test event (safe to delete)', assignee: a.admin.email } });
    // Signed with the secret the admin wrote once: the subscriber can verify it.
    expect(got.headers['x-tradepane-signature']).toBe(signWebhook(SIGNING, Number(got.headers['x-tradepane-timestamp']), got.body));

    // A failing subscriber: the admin sees what it said; no dead letter is left behind.
    hook.answer.status = 503;
    const failed = (await call('POST', `/connectors/${id}/test`)).json();
    expect(failed.ok).toBe(false);
    expect(failed.reason).toMatch(/^HTTP 503: subscriber is down/);
    expect((await call('GET', '/deliveries?status=dead')).json().deliveries).toEqual([]);
    hook.answer.status = 200;

    expect((await call('PATCH', `/connectors/${id}`, { enabled: false })).json().enabled).toBe(false);
    expect((await call('PATCH', `/connectors/${id}`, { enabled: true })).json().enabled).toBe(true);
    // Replacing the secret: the old one is gone, the new one signs.
    await call('PATCH', `/connectors/${id}`, { secrets: { signingSecret: `${SIGNING}-new` } });
    await call('POST', `/connectors/${id}/test`);
    const last = hook.received.at(-1)!;
    expect(last.headers['x-tradepane-signature']).toBe(signWebhook(`${SIGNING}-new`, Number(last.headers['x-tradepane-timestamp']), last.body));

    // Tenant b can neither test nor remove it; a rep cannot either.
    expect((await call('POST', `/connectors/${id}/test`, undefined, b.admin.key)).statusCode).toBe(404);
    expect((await call('DELETE', `/connectors/${id}`, undefined, b.admin.key)).statusCode).toBe(404);
    expect((await call('DELETE', `/connectors/${id}`, undefined, a.rep.key)).statusCode).toBe(403);
    const before = hook.received.length;

    expect((await call('DELETE', `/connectors/${id}`)).statusCode).toBe(204);
    expect((await call('GET', '/connectors')).json().connectors).toEqual([]);
    expect((await call('POST', `/connectors/${id}/test`)).statusCode).toBe(404);
    expect(hook.received).toHaveLength(before);

    const actions = ((await call('GET', '/audit?limit=50')).json().entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['connector.created', 'connector.tested', 'connector.updated', 'connector.removed']));
  });

  it('sends the test event to HubSpot (the local stand-in) as a task; a wrong token is answered with the reason', async () => {
    const created = (await call('POST', '/connectors', { kind: 'hubspot', name: 'HubSpot', settings: { basePath: hubspotUrl }, secrets: { accessToken: HUBSPOT_TOKEN } })).json() as { id: string };
    const ok = (await call('POST', `/connectors/${created.id}/test`)).json();
    expect(ok).toMatchObject({ ok: true, reason: null });
    const tasks = hubspot.objects.filter((o) => o.type === 'tasks');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.properties.hs_task_subject).toBe('tradepane test event (safe to delete)');

    await call('PATCH', `/connectors/${created.id}`, { secrets: { accessToken: 'pat-na1-wrong' } });
    const refused = (await call('POST', `/connectors/${created.id}/test`)).json();
    expect(refused.ok).toBe(false);
    expect(refused.reason).toMatch(/401/);
    expect(hubspot.objects.filter((o) => o.type === 'tasks')).toHaveLength(1);
    expect((await call('DELETE', `/connectors/${created.id}`)).statusCode).toBe(204);
  });
});
