import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { pushSignatures, type PushLine } from '../../src/server/services/gmail-signature-push.js';
import { pushPack } from '../../src/server/services/packs.js';
import { addUser, createGroup } from '../../src/server/services/people.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const SIGNATURE_PACK = (group: string) => `pack: signatures
title: Signatures
groups: [${group}]
defaultLanguage: en
signatures:
  - id: standard
    enforce: true
    body: "<table><tr><td><b>{{ rep.name }}</b>{% if rep.title %} · {{ rep.title }}{% endif %}<br>{{ rep.email }}</td></tr></table>"
`;

describe.each(storeKinds())('the Gmail signature push on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  let gmail: FakeGmail;
  let credentials: GoogleCredentials;
  const serviceAccount = 'tradepane-push@acme-project.iam.gserviceaccount.com';
  const second = 'second@gsig.test';
  const longTitle = 'second@gsig.test has a title far too long '.repeat(260);

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'gsig');
    const op = operator(t.tenantId);
    await createGroup(t.tdb, op, { slug: 'pilot' });
    await addUser(t.tdb, op, { email: second, name: 'Second Rep', groups: [t.groupSlug, 'pilot'] });
    await pushPack(t.tdb, op, SIGNATURE_PACK(t.groupSlug));
    gmail = new FakeGmail();
    await gmail.start();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    gmail.addServiceAccount(serviceAccount, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    gmail.addUser(t.rep.email, { signature: '<p>Cheers, me</p>' });
    gmail.addUser(second);
    gmail.addUser(t.admin.email);
    credentials = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: serviceAccount, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, undefined);
  });

  afterAll(async () => {
    await gmail.stop();
    await store.close();
  });

  const states = () => t.tdb.selectFrom('signature_states').selectAll().where('channel', '=', 'gmail').orderBy('address').execute();
  /** The signature without the zero-width marker characters that carry its hash. */
  const visible = (html: string) => html.replace(/[\u200b-\u200d\u2060]/g, '');
  const outcomeOf = (lines: PushLine[], email: string) => lines.filter((l) => l.email === email).map((l) => l.outcome);

  it('in a dry run reports what would change and touches neither Gmail nor the store', async () => {
    const report = await pushSignatures(t.tdb, credentials, { dryRun: true });
    expect(outcomeOf(report.lines, t.rep.email)).toEqual(['changed']);
    expect(report.lines.find((l) => l.email === t.admin.email)).toMatchObject({ outcome: 'skipped', reason: 'no enforced signature is published to them' });
    expect(gmail.sendAsOf(t.rep.email)[0]!.signature).toBe('<p>Cheers, me</p>');
    expect(gmail.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(await states()).toEqual([]);
  });

  it('sets each rep\'s rendered signature on their send-as address, with progress, and records it', async () => {
    const progress: string[] = [];
    const report = await pushSignatures(t.tdb, credentials, { group: t.groupSlug, onProgress: (done, total, lines) => progress.push(`${done}/${total} ${lines.map((l) => l.outcome).join(',')}`) });
    expect(progress).toHaveLength(2);
    expect(progress.at(-1)).toMatch(/^2\/2 /);
    expect(outcomeOf(report.lines, t.rep.email)).toEqual(['changed']);
    const pushed = visible(gmail.sendAsOf(t.rep.email)[0]!.signature);
    expect(pushed).toContain('<b>Rep gsig</b>');
    expect(pushed).toContain(t.rep.email);
    const patch = gmail.requests.find((r) => r.method === 'PATCH' && r.user === t.rep.email);
    expect(patch?.path).toBe(`/gmail/v1/users/me/settings/sendAs/${t.rep.email}`);
    expect((await states()).find((s) => s.address === t.rep.email)).toMatchObject({ state: 'pushed', pack: 'signatures', signature_id: 'standard', client: 'gmail-push' });
    expect(report.changed).toBe(2);
  });

  it('leaves an address that already carries the signature unchanged', async () => {
    const report = await pushSignatures(t.tdb, credentials, { group: t.groupSlug });
    expect(outcomeOf(report.lines, t.rep.email)).toEqual(['unchanged']);
    expect(report).toMatchObject({ changed: 0, unchanged: 2, failed: 0 });
  });

  it('the drift check re-applies a signature a rep changed in Gmail, and says so', async () => {
    gmail.sendAsOf(t.rep.email)[0]!.signature = '<p>My own signature</p>';
    const report = await pushSignatures(t.tdb, credentials, { mode: 'drift' });
    expect(report.lines.find((l) => l.email === t.rep.email)).toMatchObject({ outcome: 'changed', reason: 'their signature is not the company one' });
    expect(visible(gmail.sendAsOf(t.rep.email)[0]!.signature)).toContain('<b>Rep gsig</b>');
    const state = (await states()).find((s) => s.address === t.rep.email)!;
    expect(state.state).toBe('pushed');
    expect(state.detail).toBe('their signature is not the company one');
  });

  it('fails an over-long signature, naming the signature and Gmail\'s limit, without sending it', async () => {
    await store.db.updateTable('users').set({ title: longTitle }).where('email', '=', second).execute();
    const patchesBefore = gmail.requests.filter((r) => r.method === 'PATCH').length;
    const report = await pushSignatures(t.tdb, credentials, { group: 'pilot' });
    expect(report.lines).toHaveLength(1);
    expect(report.lines[0]!.outcome).toBe('failed');
    expect(report.lines[0]!.reason).toMatch(/^signature "signatures\/standard" is [\d,]+ characters rendered for second@gsig\.test; Gmail accepts at most 10,000$/);
    expect(gmail.requests.filter((r) => r.method === 'PATCH').length).toBe(patchesBefore);
    expect((await states()).find((s) => s.address === second)).toMatchObject({ state: 'failed' });
    await store.db.updateTable('users').set({ title: null }).where('email', '=', second).execute();
  });

  it('reports a signature Gmail rejects, and a user whose delegation is refused, with the reasons', async () => {
    gmail.sendAsOf(t.rep.email)[0]!.signature = '';
    gmail.failNext(1, 400, { path: /settings\/sendAs\//, method: 'PATCH' });
    gmail.revokeUser(second);
    const report = await pushSignatures(t.tdb, credentials, { group: t.groupSlug });
    const rep = report.lines.find((l) => l.email === t.rep.email)!;
    expect(rep.outcome).toBe('failed');
    expect(rep.reason).toMatch(/^Gmail refused signature "signatures\/standard" \([\d,]+ of at most 10,000 characters\): settings\.sendAs\.patch .*HTTP 400: Invalid To header/);
    const refused = report.lines.find((l) => l.email === second)!;
    expect(refused.outcome).toBe('failed');
    // A cached token Google no longer accepts, or a refused grant: either way the admin is told to check delegation.
    expect(refused.reason).toMatch(/(HTTP 401|invalid_grant).*is domain-wide delegation granted for https:\/\/www\.googleapis\.com\/auth\/gmail\.settings\.basic\?/);
    expect(report.failed).toBe(2);
  });

  it('without delegated credentials every rep fails with what to configure', async () => {
    const report = await pushSignatures(t.tdb, undefined, { group: t.groupSlug });
    expect(report.failed).toBe(2);
    expect(report.lines[0]!.reason).toContain('GOOGLE_SERVICE_ACCOUNT_FILE');
  });
});
