import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { runDirectorySyncPass } from '../../src/server/jobs/directory-sync.js';
import { setDirectorySource, type DirectoryAccess } from '../../src/server/services/directory-sync.js';
import { listAudit } from '../../src/server/services/audit.js';
import { getUser } from '../../src/server/services/people.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/** The daily pass: every tenant with a source is synced and applied; one refusing directory does not stop the others. */
describe.each(storeKinds())('the daily directory sync pass on $name', (kind) => {
  let store: Store;
  let a: SeededTenant;
  let b: SeededTenant;
  let c: SeededTenant;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    store = await kind.open();
    a = await seedTenant(store, `ja${kind.name}`);
    b = await seedTenant(store, `jb${kind.name}`);
    c = await seedTenant(store, `jc${kind.name}`);
    await setDirectorySource(a.tdb, operator(a.tenantId), box, { googleDelegation: false }, { provider: 'entra', tenantId: 'a.example.com', clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', clientSecret: 'secret-a' });
    await setDirectorySource(c.tdb, operator(c.tenantId), box, { googleDelegation: false }, { provider: 'entra', tenantId: 'c.example.com', clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', clientSecret: 'secret-c' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('applies tenant A, records the refusal of tenant C, leaves tenant B without a source alone', async () => {
    const seen: string[] = [];
    const read: DirectoryAccess['read'] = async (source) => {
      if (source.provider !== 'entra') throw new Error('only Entra sources here');
      seen.push(`${source.tenantId}:${source.clientSecret}`);
      if (source.tenantId === 'c.example.com') throw new Error('AADSTS7000215: Invalid client secret provided.');
      return [{ email: a.rep.email, enabled: true, fields: { title: 'Export Manager' } }];
    };
    const results = await runDirectorySyncPass(store.db, box, { read });
    expect(seen.sort()).toEqual(['a.example.com:secret-a', 'c.example.com:secret-c']);
    expect(results.find((r) => r.tenantId === a.tenantId)).toEqual({ tenantId: a.tenantId, ok: true, updated: 1 });
    expect(results.find((r) => r.tenantId === c.tenantId)).toMatchObject({ ok: false, error: expect.stringContaining('AADSTS7000215') });
    expect(results.some((r) => r.tenantId === b.tenantId)).toBe(false);
    expect((await getUser(a.tdb, a.rep.id)).title).toBe('Export Manager');
    expect((await getUser(b.tdb, b.rep.id)).title).toBeNull();
    expect((await listAudit(a.tdb)).find((e) => e.action === 'directory.synced')).toMatchObject({ actor: 'daily directory sync' });
  });
});
