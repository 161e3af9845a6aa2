import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { addUser } from '../../src/server/services/people.js';
import { listSignatureStates, recordSignatureState } from '../../src/server/services/compliance.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds())('signature compliance on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let other: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'comp');
    other = await seedTenant(store, 'comp-other');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const report = (key: string, payload: object) => app.inject({ method: 'POST', url: '/api/v1/me/signature-state', headers: bearer(key), payload });
  const overview = (key: string, query = '') => app.inject({ method: 'GET', url: `/api/v1/admin/compliance${query}`, headers: bearer(key) });

  it('a rep reports what Outlook saw on send; the admin sees it with the verdict "attention"', async () => {
    const res = await report(t.rep.key, { address: 'Rep@Comp.test', state: 'altered', hash: 'DEADBEEF', pack: t.packSlug, signature: 'standard', detail: 'phone line removed', client: 'Outlook on the web' });
    expect(res.statusCode).toBe(204);
    const body = (await overview(t.admin.key)).json();
    const rep = body.users.find((u: { email: string }) => u.email === t.rep.email);
    expect(rep).toMatchObject({ verdict: 'attention', groups: [t.groupSlug] });
    expect(rep.states).toEqual([
      expect.objectContaining({ channel: 'outlook', address: 'rep@comp.test', state: 'altered', compliant: false, hash: 'deadbeef', detail: 'phone line removed', client: 'Outlook on the web' }),
    ]);
    expect(body.users.find((u: { email: string }) => u.email === t.admin.email)).toMatchObject({ verdict: 'unknown', states: [] });
    expect(body.counts).toEqual({ compliant: 0, attention: 1, unknown: 1 });
  });

  it('keeps one current row per address and remembers since when the state holds', async () => {
    const tdb = t.tdb;
    await recordSignatureState(tdb, { userId: t.rep.id, channel: 'outlook', address: 'sales@comp.test', state: 'ok', at: new Date('2026-03-02T08:00:00Z') });
    await recordSignatureState(tdb, { userId: t.rep.id, channel: 'outlook', address: 'sales@comp.test', state: 'ok', at: new Date('2026-03-03T08:00:00Z') });
    let [row] = await listSignatureStates(tdb, { userId: t.rep.id, state: 'ok' }, new Date('2026-03-04T00:00:00Z'));
    expect(row).toMatchObject({ seenAt: '2026-03-03T08:00:00.000Z', stateSince: '2026-03-02T08:00:00.000Z', stale: false });
    await recordSignatureState(tdb, { userId: t.rep.id, channel: 'outlook', address: 'sales@comp.test', state: 'missing', at: new Date('2026-03-05T08:00:00Z') });
    [row] = await listSignatureStates(tdb, { userId: t.rep.id, channel: 'outlook', state: 'missing' });
    expect(row).toMatchObject({ address: 'sales@comp.test', seenAt: '2026-03-05T08:00:00.000Z', stateSince: '2026-03-05T08:00:00.000Z' });
    const rows = await tdb.selectFrom('signature_states').select('id').where('address', '=', 'sales@comp.test').execute();
    expect(rows).toHaveLength(1);
    // Old Outlook reports are stale: they say little about today's mail.
    const [old] = await listSignatureStates(tdb, { userId: t.rep.id, channel: 'outlook', state: 'missing' }, new Date('2026-06-01T00:00:00Z'));
    expect(old?.stale).toBe(true);
  });

  it('concurrent reports for one address leave one row', async () => {
    const results = await Promise.all(['ok', 'missing', 'ok', 'altered', 'ok'].map((state) => report(t.rep.key, { address: 'race@comp.test', state })));
    expect(results.map((r) => r.statusCode)).toEqual([204, 204, 204, 204, 204]);
    expect(await t.tdb.selectFrom('signature_states').select('id').where('address', '=', 'race@comp.test').execute()).toHaveLength(1);
  });

  it('records Gmail push results from the store itself, and filters by verdict', async () => {
    const op = operator(t.tenantId);
    const gmailRep = await addUser(t.tdb, op, { email: 'gmail@comp.test', name: 'Gmail Rep' });
    await recordSignatureState(t.tdb, { userId: gmailRep.id, channel: 'gmail', address: 'gmail@comp.test', state: 'pushed', hash: 'abc123ef', client: 'gmail-push' });
    const compliant = (await overview(t.admin.key, '?verdict=compliant')).json();
    expect(compliant.users.map((u: { email: string }) => u.email)).toEqual(['gmail@comp.test']);
    await recordSignatureState(t.tdb, { userId: gmailRep.id, channel: 'gmail', address: 'gmail@comp.test', state: 'failed', detail: 'Gmail API 403: delegation denied' });
    const attention = (await overview(t.admin.key, '?verdict=attention')).json();
    expect(attention.users.map((u: { email: string }) => u.email)).toEqual(['gmail@comp.test', t.rep.email]);
  });

  it('refuses states of the wrong channel, bad addresses, unknown fields and Gmail states from a rep', async () => {
    const bad = [
      { address: 'rep@comp.test', state: 'pushed' },
      { address: 'not an address', state: 'ok' },
      { address: 'rep@comp.test', state: 'ok', channel: 'gmail' },
      { address: 'rep@comp.test', state: 'ok', hash: '<script>' },
      { address: 'rep@comp.test', state: 'ok', extra: 1 },
      { address: 'rep@comp.test', state: 'ok', detail: 'x'.repeat(501) },
    ];
    for (const payload of bad) {
      const res = await report(t.rep.key, payload);
      expect([400, 422]).toContain(res.statusCode);
      expect(res.json().error.message).toBeTruthy();
    }
    const wrongAddress = await report(t.rep.key, { address: 'not an address', state: 'ok' });
    expect(wrongAddress.json().error.details).toEqual([expect.objectContaining({ path: 'address' })]);
    await expect(recordSignatureState(t.tdb, { userId: t.rep.id, channel: 'outlook', address: 'rep@comp.test', state: 'pushed' })).rejects.toThrow(/ok, missing, altered/);
  });

  it('refuses control characters in free text at the edge, naming the field, and stores nothing', async () => {
    const res = await report(t.rep.key, { address: 'ctl@comp.test', state: 'missing', detail: 'line1\u0000\nline2\u001b[31m' });
    expect([res.statusCode, res.json().error.details[0].path]).toEqual([400, 'body.detail']);
    const rows = await listSignatureStates(t.tdb, { userId: t.rep.id, state: 'missing', channel: 'outlook' });
    expect(rows.filter((r) => r.address === 'ctl@comp.test')).toEqual([]);
  });

  it('is tenant-scoped: another tenant sees none of it; a rep cannot read compliance', async () => {
    const theirs = (await overview(other.admin.key)).json();
    expect(theirs.users.map((u: { email: string }) => u.email).sort()).toEqual([other.admin.email, other.rep.email].sort());
    expect(theirs.users.every((u: { states: unknown[] }) => u.states.length === 0)).toBe(true);
    expect((await overview(t.rep.key)).statusCode).toBe(403);
    await expect(recordSignatureState(other.tdb, { userId: t.rep.id, channel: 'outlook', address: 'rep@comp.test', state: 'ok' })).rejects.toThrow(/user not found/);
  });
});
