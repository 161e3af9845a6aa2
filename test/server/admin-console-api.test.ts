import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { recordTemplateUse } from '../../src/server/services/personal-templates.js';
import { pushPack } from '../../src/server/services/packs.js';
import { upsertContact } from '../../src/server/services/customers.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const twoLanguagePack = (slug: string, group: string) => `pack: ${slug}
title: Two languages
groups: [${group}]
defaultLanguage: en
templates:
  - id: quote
    kind: quote
    title: {en: Quotation, es: Cotización}
    fields:
      - {name: product, type: text, required: true}
      - {name: price, type: money, currency: USD}
    variants:
      en: {subject: "Quote for {{ product }}", body: "<p>Dear {{ contact.firstName }} of {{ customer.company }}, {{ product }} costs {{ price | money }}. {{ rep.name }}</p>"}
      es: {subject: "Cotización de {{ product }}", body: "<p>Estimado {{ contact.firstName }}: {{ product }} cuesta {{ price | money }}.</p>"}
signatures:
  - id: standard
    enforce: true
    body: "<p>{{ rep.name }} · {{ company.name }}</p>"
`;

describe.each(storeKinds())('admin console API on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let other: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'adm');
    other = await seedTenant(store, 'adm-other');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const post = (url: string, key: string, payload: object) => app.inject({ method: 'POST', url: `/api/v1${url}`, headers: bearer(key), payload });
  const get = (url: string, key: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(key) });

  it('checks a draft without storing it: each error at its line and column with the engine\'s message', async () => {
    const broken = 'pack: draft\ntitle: Draft\ngroups: [adm-sales]\ndefaultLanguage: en\ntemplates:\n  - id: hello\n    kind: inquirey\n    title: Hello\n    variants:\n      en: {subject: "Hi", body: "<p>Hi</p>"}\n';
    const res = await post('/admin/packs/check', t.admin.key, { source: broken });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(false);
    expect(body.issues).toEqual([expect.objectContaining({ path: 'templates[0].kind', severity: 'error', line: 7, column: 11 })]);
    expect(body.issues[0].message).toMatch(/inquiry/);
    const good = await post('/admin/packs/check', t.admin.key, { source: twoLanguagePack('draft', t.groupSlug) });
    expect(good.json()).toMatchObject({ ok: true, format: 'yaml', outline: { pack: 'draft', templates: [{ id: 'quote', languages: ['en', 'es'] }], signatures: [{ id: 'standard', enforce: true }] } });
    expect(await t.tdb.selectFrom('packs').select('slug').where('slug', '=', 'draft').execute()).toEqual([]);
    const syntax = await post('/admin/packs/check', t.admin.key, { source: 'pack: x\ntitle: [unclosed\n' });
    expect(syntax.json().issues[0]).toMatchObject({ path: '(document)', line: expect.any(Number) });
  });

  it('previews a draft template in two languages with sample data, and with a real customer', async () => {
    const source = twoLanguagePack('draft', t.groupSlug);
    const en = (await post('/admin/packs/preview', t.admin.key, { source, template: 'quote', language: 'en' })).json();
    expect(en).toMatchObject({ language: 'en', data: 'sample', missing: [], subject: 'Quote for Sample product' });
    expect(en.html).toContain('Maria');
    expect(en.html).toContain('Admin adm');
    const es = (await post('/admin/packs/preview', t.admin.key, { source, template: 'quote', language: 'es', user: t.rep.id })).json();
    expect(es.subject).toBe('Cotización de Sample product');
    await upsertContact(t.tdb, operator(t.tenantId), { email: 'hans@buyer-of-adm.de', firstName: 'Hans' });
    const real = (await post('/admin/packs/preview', t.admin.key, { source, template: 'quote', language: 'en', to: 'hans@buyer-of-adm.de', fields: { product: '<b>LED</b>' } })).json();
    expect(real).toMatchObject({ data: 'customer', subject: 'Quote for <b>LED</b>' });
    expect(real.html).toContain('Dear Hans of Customer of adm');
    expect(real.html).toContain('&lt;b&gt;LED&lt;/b&gt;');
    const missing = (await post('/admin/packs/preview', t.admin.key, { source, template: 'quote', language: 'en', fields: { product: '' } })).json();
    expect(missing.missing.map((m: { name: string }) => m.name)).toContain('product');
    expect((await post('/admin/packs/preview', t.admin.key, { source, template: 'quote', language: 'fr' })).statusCode).toBe(400);
    expect((await post('/admin/packs/preview', t.admin.key, { template: 'quote', language: 'en' })).json().error.details[0].path).toBe('source');
  });

  it('previews a stored version and a signature for a chosen user', async () => {
    await pushPack(t.tdb, operator(t.tenantId), twoLanguagePack('stored', t.groupSlug));
    const stored = (await post('/admin/packs/preview', t.admin.key, { pack: 'stored', version: 1, template: 'quote', language: 'es' })).json();
    expect(stored.language).toBe('es');
    const sig = await post('/admin/packs/preview-signature', t.admin.key, { pack: 'stored', signature: 'standard', user: t.rep.id });
    expect(sig.statusCode).toBe(200);
    expect(sig.json().text).toContain('Rep adm · Tenant adm');
    expect(sig.json().hash).toMatch(/^[0-9a-f]{8}$/);
    expect((await post('/admin/packs/preview-signature', other.admin.key, { pack: 'stored', signature: 'standard' })).statusCode).toBe(404);
    expect((await post('/admin/packs/preview-signature', t.admin.key, { pack: 'stored', signature: 'standard', user: other.rep.id })).statusCode).toBe(404);
  });

  it('imports people from CSV: a dry run reports per row, changes nothing; apply does it all', async () => {
    const csv = [
      'Email,Name,Role,Groups,Title,Time Zone',
      'new.rep@adm.test,New Rep,rep,adm-sales,Sales Manager,Europe/Madrid',
      'REP@adm.test,,,adm-sales,Export Manager,',
      'admin@adm.test,Admin adm,admin,,,',
      'bad-address,Someone,,,,',
      'x@adm.test,X,boss,adm-salse,,Mars/Base',
    ].join('\n');
    const dry = await post('/admin/people/import', t.admin.key, { csv });
    expect(dry.statusCode).toBe(200);
    const report = dry.json();
    expect(report).toMatchObject({ applied: false, counts: { create: 1, update: 1, unchanged: 1, error: 2 } });
    expect(report.rows.map((r: { line: number; action: string }) => [r.line, r.action])).toEqual([[2, 'create'], [3, 'update'], [4, 'unchanged'], [5, 'error'], [6, 'error']]);
    expect(report.rows[1].changes).toEqual([{ field: 'title', from: '', to: 'Export Manager' }]);
    expect(report.rows[4].errors.map((e: { column: string }) => e.column).sort()).toEqual(['groups', 'role', 'timeZone']);
    expect(report.rows[4].errors.find((e: { column: string }) => e.column === 'groups').message).toMatch(/did you mean "adm-sales"/);
    expect(await t.tdb.selectFrom('users').select('id').where('email', '=', 'new.rep@adm.test').execute()).toEqual([]);

    const refused = await post('/admin/people/import', t.admin.key, { csv, apply: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0].path).toMatch(/^line 5\./);

    const clean = csv.split('\n').slice(0, 4).join('\n');
    const applied = (await post('/admin/people/import', t.admin.key, { csv: clean, apply: true })).json();
    expect(applied).toMatchObject({ applied: true, counts: { create: 1, update: 1, unchanged: 1, error: 0 } });
    const users = (await get('/users', t.admin.key)).json().users;
    expect(users.find((u: { email: string }) => u.email === 'new.rep@adm.test')).toMatchObject({ name: 'New Rep', title: 'Sales Manager', timeZone: 'Europe/Madrid', groups: ['adm-sales'] });
    expect(users.find((u: { email: string }) => u.email === 'rep@adm.test')).toMatchObject({ title: 'Export Manager' });
    const again = (await post('/admin/people/import', t.admin.key, { csv: clean })).json();
    expect(again.counts).toEqual({ create: 0, update: 0, unchanged: 3, error: 0 });
    const audit = (await get('/audit?limit=5', t.admin.key)).json().entries.map((e: { action: string }) => e.action);
    expect(audit).toContain('people.imported');
  });

  it('refuses a CSV with an unknown column or no email column, naming them', async () => {
    const unknown = await post('/admin/people/import', t.admin.key, { csv: 'email,nmae\na@adm.test,A' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/"nmae".*did you mean "name"/);
    expect((await post('/admin/people/import', t.admin.key, { csv: 'name\nA' })).json().error.message).toMatch(/email/);
  });

  it('reports template use per week and per rep, and templates nobody used in 90 days', async () => {
    await pushPack(t.tdb, operator(t.tenantId), twoLanguagePack('used', t.groupSlug));
    const rep = { ...operator(t.tenantId), userId: t.rep.id, label: t.rep.email };
    const now = new Date();
    await recordTemplateUse(t.tdb, rep, { pack: 'used', template: 'quote' }, now);
    await recordTemplateUse(t.tdb, rep, { pack: 'used', template: 'quote' }, now);
    await recordTemplateUse(t.tdb, rep, { pack: 'used', template: 'quote' }, new Date(now.getTime() - 14 * 86_400_000));
    const usage = (await get('/admin/usage?weeks=4', t.admin.key)).json();
    expect(usage.weeks).toHaveLength(4);
    const quote = usage.templates.find((x: { pack: string }) => x.pack === 'used');
    expect(quote).toMatchObject({ template: 'quote', title: 'Quotation', total: 3, users: [{ email: t.rep.email, count: 3 }] });
    expect(Object.values(quote.perWeek).sort()).toEqual([1, 2]);
    const unused = usage.unused.map((u: { pack: string; template: string }) => `${u.pack}/${u.template}`);
    expect(unused).toContain(`${t.packSlug}/hello`);
    expect(unused).not.toContain('used/quote');
    const theirs = (await get('/admin/usage', other.admin.key)).json();
    expect(theirs.templates).toEqual([]);
  });

  it('refuses a rep on every admin console route with 403', async () => {
    const calls = [
      post('/admin/packs/check', t.rep.key, { source: 'pack: x' }),
      post('/admin/packs/preview', t.rep.key, { pack: t.packSlug, template: 'hello', language: 'en' }),
      post('/admin/packs/preview-signature', t.rep.key, { pack: t.packSlug, signature: 'x' }),
      post('/admin/people/import', t.rep.key, { csv: 'email\na@b.c' }),
      get('/admin/usage', t.rep.key),
      get('/admin/compliance', t.rep.key),
    ];
    for (const res of await Promise.all(calls)) expect(res.statusCode).toBe(403);
  });

  it('serves the console page at /admin and the public sign-in settings', async () => {
    const settings = await app.inject({ method: 'GET', url: '/admin/sign-in.json' });
    expect(settings.json()).toEqual({ microsoft: null, google: null, dev: false });
    const configured = await testApp(store, { microsoft: { audience: 'api://store.example.com/0b8c4f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f', jwksUrl: 'https://x.test/keys', issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0' }, google: { audience: 'client.apps.googleusercontent.com', jwksUrl: 'https://x.test/certs', issuers: ['https://accounts.google.com'] } });
    expect((await configured.inject({ method: 'GET', url: '/admin/sign-in.json' })).json()).toMatchObject({
      microsoft: { clientId: '0b8c4f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f', scopes: ['api://store.example.com/0b8c4f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f/access_as_user'] },
      google: { clientId: 'client.apps.googleusercontent.com' },
    });
    await configured.close();
  });
});
