import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { checkCompanyProfile, getCompanyProfile } from '../../src/server/services/company-profile.js';
import { listAudit } from '../../src/server/services/audit.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const account = (over: object = {}) => ({ label: 'USD main', beneficiary: 'Alfanar Trading Co.', bankName: 'Deutsche Bank', iban: 'DE89 3704 0044 0532 0130 00', swift: 'deutdeff', currency: 'usd', ...over });

describe.each(storeKinds())('company profile on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let other: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'cprof');
    other = await seedTenant(store, 'cprof-other');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (key: string) => app.inject({ method: 'GET', url: '/api/v1/admin/company-profile', headers: bearer(key) });
  const put = (key: string, payload: object) => app.inject({ method: 'PUT', url: '/api/v1/admin/company-profile', headers: bearer(key), payload });

  it('starts empty, named after the tenant', async () => {
    const res = await get(t.admin.key);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ legalName: 'Tenant cprof', address: null, phone: null, email: null, website: null, taxId: null, bankAccounts: [], updatedAt: null, updatedBy: null });
  });

  it('stores accounts in canonical form, audits the change with masked numbers, and serves them to the service', async () => {
    const res = await put(t.admin.key, { legalName: ' Alfanar Trading Co. ', phone: '+966 11 000 0000', bankAccounts: [account({ id: 'usd' }), account({ label: 'CNY', iban: null, accountNumber: '6222-0212 3456 7890', swift: 'BKCHCNBJ', currency: 'CNY', bankName: 'Bank of China' })] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.legalName).toBe('Alfanar Trading Co.');
    expect(body.updatedBy).toBe(`api-key admin key (${t.admin.email})`);
    expect(body.bankAccounts[0]).toEqual({ id: 'usd', label: 'USD main', beneficiary: 'Alfanar Trading Co.', bankName: 'Deutsche Bank', bankAddress: null, iban: 'DE89370400440532013000', accountNumber: null, swift: 'DEUTDEFF', currency: 'USD' });
    expect(body.bankAccounts[1]).toMatchObject({ iban: null, accountNumber: '62220212345678 90'.replace(' ', ''), swift: 'BKCHCNBJ' });
    expect(body.bankAccounts[1].id).toMatch(/^[0-9a-f-]{36}$/);
    const profile = await getCompanyProfile(t.tdb);
    expect(profile).toEqual({ legalName: 'Alfanar Trading Co.', address: null, phone: '+966 11 000 0000', email: null, website: null, taxId: null, bankAccounts: body.bankAccounts });
    const [entry] = await listAudit(t.tdb, { limit: 1 });
    expect(entry).toMatchObject({ action: 'company-profile.updated', actor: `api-key admin key (${t.admin.email})`, details: { accountsAdded: ['DE89…3000|DEUTDEFF', '6222…7890|BKCHCNBJ'], accountsRemoved: [] } });
    // The other tenant still has its own empty profile.
    expect((await get(other.admin.key)).json().bankAccounts).toEqual([]);
  });

  it('names the field and the account of every bad IBAN, BIC and currency at once', async () => {
    const res = await put(t.admin.key, {
      legalName: 'X',
      bankAccounts: [account(), account({ iban: 'DE89 3704 0044 0532 0130 01', swift: 'DEU1DEFF' }), account({ iban: null, accountNumber: null, currency: 'us$' })],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'bankAccounts[1].iban', message: '"DE89 3704 0044 0532 0130 01" is not a valid IBAN (country, length or check digits)' },
      { path: 'bankAccounts[1].swift', message: '"DEU1DEFF" is not a SWIFT/BIC code (8 or 11 characters: bank, country, location, branch)' },
      { path: 'bankAccounts[2].iban', message: 'give an IBAN or an account number' },
      { path: 'bankAccounts[2].currency', message: '"US$" is not an ISO 4217 code such as USD' },
    ]);
  });

  it('refuses the same account twice, control characters and unknown fields', async () => {
    const twice = await put(t.admin.key, { legalName: 'X', bankAccounts: [account(), account({ iban: 'de89370400440532013000' })] });
    expect(twice.json().error.details).toEqual([{ path: 'bankAccounts[1].iban', message: 'the same account as bankAccounts[0]' }]);
    const nul = await put(t.admin.key, { legalName: 'X\u0000Y', bankAccounts: [account()] });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details).toEqual([{ path: 'body.legalName', message: 'contains the control character U+0000, which no text field accepts' }]);
    // The service refuses them too, for callers that do not come through HTTP (the CLI).
    expect(() => checkCompanyProfile({ legalName: 'X\u0007Y', bankAccounts: [account({ beneficiary: 'A\u001bB' })] })).toThrow(
      'company profile: legalName contains a control character; bankAccounts[0].beneficiary contains a control character',
    );
    const unknown = await put(t.admin.key, { legalName: 'X', bankAccounts: [{ ...account(), routing: '1' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('routing');
    // Nothing of the refused writes was stored.
    expect((await getCompanyProfile(t.tdb)).legalName).toBe('Alfanar Trading Co.');
  });

  it('is for admins only', async () => {
    expect((await get(t.rep.key)).statusCode).toBe(403);
    expect((await put(t.rep.key, { legalName: 'Rep Co', bankAccounts: [] })).statusCode).toBe(403);
  });
});
