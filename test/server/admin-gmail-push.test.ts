import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { pushPack } from '../../src/server/services/packs.js';
import { addUser } from '../../src/server/services/people.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** The admin console's "Push again": POST /api/v1/admin/gmail/push-signatures against the fake Gmail. */

const SERVICE_ACCOUNT = 'tradepane-push@acme-project.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

const SIGNATURE_PACK = (group: string) => `pack: signatures
title: Signatures
groups: [${group}]
defaultLanguage: en
signatures:
  - id: standard
    enforce: true
    body: "<p><b>{{ rep.name }}</b><br>{{ rep.email }}</p>"
`;

interface PushReport {
  dryRun: boolean;
  changed: number;
  unchanged: number;
  failed: number;
  skipped: number;
  lines: { email: string; address?: string; outcome: string; reason?: string; signature?: string }[];
}

describe.each(storeKinds())('admin "push again" for Gmail signatures on $name', (kind) => {
  const gmail = new FakeGmail();
  let store: Store;
  let app: FastifyInstance;
  let undelegated: FastifyInstance;
  let a: SeededTenant;
  let b: SeededTenant;
  const second = 'second@gpa.test';
  const url = '/api/v1/admin/gmail/push-signatures';
  const push = (t: SeededTenant, payload: Record<string, unknown> = {}, key = t.admin.key, on = app) => on.inject({ method: 'POST', url, headers: bearer(key), payload });
  const patches = () => gmail.requests.filter((r) => r.method === 'PATCH');
  const visible = (html: string) => html.replace(/[\u200b-\u200d\u2060]/g, '');

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    store = await kind.open();
    a = await seedTenant(store, 'gpa');
    b = await seedTenant(store, 'gpb');
    for (const t of [a, b]) await pushPack(t.tdb, operator(t.tenantId), SIGNATURE_PACK(t.groupSlug));
    await addUser(a.tdb, operator(a.tenantId), { email: second, name: 'Second Rep', groups: [a.groupSlug] });
    for (const email of [a.rep.email, second, a.admin.email, b.rep.email, b.admin.email]) gmail.addUser(email, { signature: '<p>my own</p>' });
    const credentials = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, undefined);
    app = await testApp(store, {}, { gmailAddon: { credentials } });
    undelegated = await testApp(store, {}, { gmailAddon: { credentials: new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl }, store.db, undefined) } });
  });

  afterAll(async () => {
    await app.close();
    await undelegated.close();
    await store.close();
    await gmail.stop();
  });

  it('refuses a rep (403) and touches nothing', async () => {
    const res = await push(a, {}, a.rep.key);
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('people:write');
    expect(patches()).toHaveLength(0);
  });

  it('a dry run reports per address what would change and writes nothing, not even the audit log', async () => {
    const res = await push(a, { dryRun: true });
    expect(res.statusCode).toBe(200);
    const report = res.json<PushReport>();
    expect(report).toMatchObject({ dryRun: true, changed: 2, unchanged: 0, failed: 0, skipped: 1 });
    expect(report.lines.find((l) => l.email === a.rep.email)).toEqual({ email: a.rep.email, address: a.rep.email, outcome: 'changed', reason: 'would set it: their signature is not the company one', signature: 'signatures/standard' });
    expect(report.lines.find((l) => l.email === a.admin.email)).toMatchObject({ outcome: 'skipped', reason: 'no enforced signature is published to them' });
    expect(patches()).toHaveLength(0);
    expect(await a.tdb.selectFrom('signature_states').select('id').execute()).toEqual([]);
    expect(await a.tdb.selectFrom('audit_log').select('id').where('action', '=', 'gmail.signatures.pushed').execute()).toEqual([]);
  });

  it('pushes one rep\'s signature again, records it for the compliance view and audits who did it', async () => {
    const res = await push(a, { user: a.rep.email.toUpperCase() });
    expect(res.statusCode).toBe(200);
    const report = res.json<PushReport>();
    expect(report).toMatchObject({ dryRun: false, changed: 1, unchanged: 0, failed: 0, skipped: 0 });
    expect(report.lines.map((l) => l.email)).toEqual([a.rep.email]);
    expect(visible(gmail.sendAsOf(a.rep.email)[0]!.signature)).toContain('<b>Rep gpa</b>');
    expect(gmail.sendAsOf(second)[0]!.signature).toBe('<p>my own</p>');
    const compliance = await app.inject({ method: 'GET', url: '/api/v1/admin/compliance', headers: bearer(a.admin.key) });
    const rep = compliance.json<{ users: { email: string; states: { channel: string; state: string }[] }[] }>().users.find((u) => u.email === a.rep.email)!;
    expect(rep.states.find((s) => s.channel === 'gmail')?.state).toBe('pushed');
    const entry = await a.tdb.selectFrom('audit_log').selectAll().where('action', '=', 'gmail.signatures.pushed').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_label: expect.stringContaining(a.admin.email), target_type: 'user', target_id: a.rep.email });
    expect(JSON.parse(entry.details)).toEqual({ changed: 1, unchanged: 0, failed: 0, skipped: 0 });
  });

  it('pushes a whole group: what already carries it is unchanged, a refused delegation fails with its reason', async () => {
    gmail.revokeUser(second);
    const report = (await push(a, { group: a.groupSlug })).json<PushReport>();
    expect(report).toMatchObject({ changed: 0, unchanged: 1, failed: 1 });
    expect(report.lines.find((l) => l.email === a.rep.email)?.outcome).toBe('unchanged');
    const failed = report.lines.find((l) => l.email === second)!;
    expect(failed.outcome).toBe('failed');
    expect(failed.reason).toMatch(/invalid_grant|revoked/);
  });

  it('stays inside the admin\'s own tenant', async () => {
    const before = patches().length;
    const report = (await push(b)).json<PushReport>();
    expect(report.lines.map((l) => l.email).sort()).toEqual([b.admin.email, b.rep.email].sort());
    expect(patches().slice(before).every((r) => r.user === b.rep.email)).toBe(true);
    // Another tenant's rep or group is unknown here.
    const foreignUser = await push(b, { user: a.rep.email });
    expect(foreignUser.statusCode).toBe(404);
    expect(foreignUser.json<{ error: { message: string } }>().error.message).toContain(`user "${a.rep.email}"`);
    expect((await push(b, { group: a.groupSlug })).statusCode).toBe(404);
    expect(await b.tdb.selectFrom('signature_states').select('user_id').where('user_id', 'in', [a.rep.id]).execute()).toEqual([]);
  });

  it('refuses bad input naming the field, and says when no delegation is configured', async () => {
    const unknownField = await push(a, { everyone: true });
    expect(unknownField.statusCode).toBe(400);
    expect(JSON.stringify(unknownField.json())).toContain('everyone');
    const badType = await push(a, { dryRun: 'maybe' });
    expect(badType.statusCode).toBe(400);
    expect(JSON.stringify(badType.json())).toContain('dryRun');
    const res = await push(a, {}, a.admin.key, undelegated);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'no_google_delegation', message: expect.stringContaining('GOOGLE_SERVICE_ACCOUNT_FILE') });
  });
});
