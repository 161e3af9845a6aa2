import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { migrate, pendingMigrations, type Store } from '../../src/server/db/connect.js';
import { TenantDb } from '../../src/server/db/tenant-db.js';
import { addUser, createGroup, setMembership, updateUser } from '../../src/server/services/people.js';
import { exportPack, pushPack } from '../../src/server/services/packs.js';
import { createTenant } from '../../src/server/services/tenants.js';
import { bearer, operator, packYaml, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

describe.each(storeKinds())('the store on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let acme: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    acme = await seedTenant(store, 'acme');
    app = await testApp(store);
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const get = (url: string, key: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { ...bearer(key), ...headers } });
  const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, key: string, payload?: unknown) =>
    app.inject({ method, url, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('has run every migration, and running them again changes nothing', async () => {
    expect(await pendingMigrations(store)).toEqual([]);
    expect(await migrate(store)).toEqual({ applied: [] });
  });

  describe('users and groups', () => {
    it('adds a user with groups and records who did it', async () => {
      const res = await send('POST', '/api/v1/users', acme.admin.key, { email: 'Zhang.San@Acme.test', name: 'Zhang San', title: 'Sales', groups: [acme.groupSlug], timeZone: 'Asia/Shanghai' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ email: 'zhang.san@acme.test', role: 'rep', groups: [acme.groupSlug], timeZone: 'Asia/Shanghai', disabled: false });
      const audit = (await get('/api/v1/audit', acme.admin.key)).json().entries as { action: string; actor: string; details: { email?: string } }[];
      expect(audit[0]).toMatchObject({ action: 'user.added', actor: 'api-key admin key (admin@acme.test)', details: { email: 'zhang.san@acme.test' } });
    });

    it('writes nothing when any part of an add fails (unknown group → no user row)', async () => {
      const res = await send('POST', '/api/v1/users', acme.admin.key, { email: 'half@acme.test', name: 'Half', groups: [acme.groupSlug, 'acme-slaes'] });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details).toEqual([{ path: 'groups[1]', message: expect.stringContaining('unknown group "acme-slaes" — did you mean "acme-sales"?') }]);
      const rows = await acme.tdb.selectFrom('users').select('id').where('email', '=', 'half@acme.test').execute();
      expect(rows).toEqual([]);
      const audits = await acme.tdb.selectFrom('audit_log').select('id').where('details', 'like', '%half@acme.test%').execute();
      expect(audits).toEqual([]);
    });

    it('refuses a duplicate e-mail with 409 and a bad time zone with 400 naming the field', async () => {
      expect((await send('POST', '/api/v1/users', acme.admin.key, { email: 'REP@acme.test', name: 'Again' })).statusCode).toBe(409);
      const bad = await send('POST', '/api/v1/users', acme.admin.key, { email: 'tz@acme.test', name: 'TZ', timeZone: 'Mars/Olympus' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details).toEqual([{ path: 'timeZone', message: 'unknown time zone' }]);
    });

    it('disables a user, after which their credentials stop working', async () => {
      const user = await addUser(acme.tdb, operator(acme.tenantId), { email: 'leaver@acme.test', name: 'Leaver' });
      const { createApiKey } = await import('../../src/server/services/api-keys.js');
      const key = await createApiKey(acme.tdb, operator(acme.tenantId), { userEmail: user.email, name: 'k', scopes: ['packs:read'] });
      expect((await get('/api/v1/me', key.key)).statusCode).toBe(200);
      expect((await send('PATCH', `/api/v1/users/${user.id}`, acme.admin.key, { disabled: true })).json()).toMatchObject({ disabled: true });
      expect((await get('/api/v1/me', key.key)).statusCode).toBe(401);
    });

    it('keeps reps out of people management', async () => {
      expect((await get('/api/v1/users', acme.rep.key)).statusCode).toBe(403);
      expect((await send('POST', '/api/v1/groups', acme.rep.key, { slug: 'mine' })).statusCode).toBe(403);
    });
  });

  describe('packs', () => {
    const source = `# ACME's quotation pack — comments survive export
${packYaml('quotes', ['acme-sales'], 'Quotes')}`;

    it('stores a push as version 1, the same push again as unchanged, a change as version 2', async () => {
      const first = await send('POST', '/api/v1/packs', acme.admin.key, { source, fileName: 'quotes.yaml' });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ pack: 'quotes', version: 1, status: 'created', publishedTo: ['acme-sales'] });
      const again = await send('POST', '/api/v1/packs', acme.admin.key, { source: source + '\n# only a comment changed\n' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ version: 1, status: 'unchanged' });
      const changed = await send('POST', '/api/v1/packs', acme.admin.key, { source: source.replace('title: Quotes', 'title: Quotations') });
      expect(changed.json()).toMatchObject({ version: 2, status: 'created' });
      const detail = (await get('/api/v1/packs/quotes', acme.admin.key)).json();
      expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(detail.publications).toEqual([expect.objectContaining({ audience: 'acme-sales', version: 2 })]);
    });

    it('accepts raw YAML with content-type application/yaml', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/packs', headers: { ...bearer(acme.admin.key), 'content-type': 'application/yaml' }, payload: packYaml('raw-yaml', ['*']) });
      expect(res.statusCode).toBe(201);
    });

    it('exports the original source of any version, or the stored document as YAML or JSON', async () => {
      const v1 = await get('/api/v1/packs/quotes/export?version=1', acme.admin.key);
      expect(v1.headers['x-pack-version']).toBe('1');
      expect(v1.body).toBe(source);
      const json = await get('/api/v1/packs/quotes/export?format=json', acme.admin.key);
      expect(JSON.parse(json.body)).toMatchObject({ pack: 'quotes', title: 'Quotations' });
      expect((await exportPack(acme.tdb, 'quotes', { format: 'yaml' })).text).toContain('title: Quotations');
      expect((await get('/api/v1/packs/quotes/export?version=9', acme.admin.key)).statusCode).toBe(404);
    });

    it('refuses an invalid pack with every error at its line, and stores nothing', async () => {
      const broken = packYaml('broken', ['acme-sales']).replace('kind: inquiry', 'kind: inqiury').replace('title: Hello', 'titel: Hello');
      const res = await send('POST', '/api/v1/packs', acme.admin.key, { source: broken, fileName: 'broken.yaml' });
      expect(res.statusCode).toBe(422);
      const details = res.json().error.details as { path: string; line: number; message: string }[];
      expect(details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'templates[0].kind', line: 7, message: expect.stringContaining('did you mean "inquiry"') }),
          expect.objectContaining({ path: 'templates[0].titel', line: 8, message: expect.stringContaining('did you mean "title"') }),
        ]),
      );
      expect(await acme.tdb.selectFrom('packs').select('id').where('slug', '=', 'broken').execute()).toEqual([]);
    });

    it('refuses a pack for a group that does not exist, naming it, and stores nothing', async () => {
      const res = await send('POST', '/api/v1/packs', acme.admin.key, { source: packYaml('typo', ['acme-sales', 'acme-slaes']) });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details).toEqual([{ path: 'groups[1]', message: expect.stringContaining('did you mean "acme-sales"') }]);
      expect(await acme.tdb.selectFrom('packs').select('id').where('slug', '=', 'typo').execute()).toEqual([]);
    });

    it('lets only admins push', async () => {
      expect((await send('POST', '/api/v1/packs', acme.rep.key, { source: packYaml('x', ['*']) })).statusCode).toBe(403);
      const op = operator(acme.tenantId);
      await expect(pushPack(acme.tdb, { ...op, permissions: new Set(['packs:read']) }, packYaml('x', ['*']))).rejects.toMatchObject({ status: 403 });
    });
  });

  describe('publishing', () => {
    it('stores without publishing, publishes a version to chosen groups, rolls back, unpublishes — each audited', async () => {
      const op = operator(acme.tenantId);
      const { tdb } = acme;
      await createGroup(tdb, op, { slug: 'pilot' });
      const pilotRep = await addUser(tdb, op, { email: 'pilot@acme.test', name: 'Pilot', groups: ['pilot'] });
      const mainRep = await addUser(tdb, op, { email: 'main@acme.test', name: 'Main', groups: ['acme-sales'] });
      const { publishedPacks } = await import('../../src/server/services/packs.js');
      const versionsSeen = async (userId: string) => (await publishedPacks(tdb, userId)).filter((p) => p.pack === 'staged').map((p) => p.version);

      await pushPack(tdb, op, packYaml('staged', ['acme-sales', 'pilot'], 'Staged v1'));
      const stored = await send('POST', '/api/v1/packs', acme.admin.key, { source: packYaml('staged', ['acme-sales', 'pilot'], 'Staged v2'), publish: false });
      expect(stored.json()).toMatchObject({ version: 2, status: 'created', publishedTo: [] });
      expect(await versionsSeen(mainRep.id)).toEqual([1]);

      const pilot = await send('POST', '/api/v1/packs/staged/publish', acme.admin.key, { version: 2, groups: ['pilot'] });
      expect(pilot.statusCode).toBe(200);
      expect(await versionsSeen(pilotRep.id)).toEqual([2]);
      expect(await versionsSeen(mainRep.id)).toEqual([1]);

      await send('POST', '/api/v1/packs/staged/publish', acme.admin.key, { version: 2 });
      expect(await versionsSeen(mainRep.id)).toEqual([2]);

      const back = await send('POST', '/api/v1/packs/staged/rollback', acme.admin.key, { version: 1 });
      expect(back.json().publications.map((p: { version: number }) => p.version)).toEqual([1, 1]);
      expect(await versionsSeen(pilotRep.id)).toEqual([1]);

      expect((await send('DELETE', '/api/v1/packs/staged/publications/pilot', acme.admin.key)).statusCode).toBe(200);
      expect(await versionsSeen(pilotRep.id)).toEqual([]);
      expect(await versionsSeen(mainRep.id)).toEqual([1]);

      const actions = ((await get('/api/v1/audit?limit=10', acme.admin.key)).json().entries as { action: string }[]).map((e) => e.action);
      expect(actions.slice(0, 4)).toEqual(['pack.unpublished', 'pack.rolled_back', 'pack.published', 'pack.published']);
    });

    it('refuses unknown versions and groups, and nothing changes', async () => {
      expect((await send('POST', '/api/v1/packs/staged/publish', acme.admin.key, { version: 99 })).statusCode).toBe(404);
      const typo = await send('POST', '/api/v1/packs/staged/publish', acme.admin.key, { version: 1, groups: ['pilto'] });
      expect(typo.statusCode).toBe(422);
      expect(typo.json().error.details).toEqual([{ path: 'groups[0]', message: expect.stringContaining('did you mean "pilot"') }]);
      expect((await send('POST', '/api/v1/packs/staged/publish', acme.rep.key, { version: 1 })).statusCode).toBe(403);
    });
  });

  describe('personal templates and use counts', () => {
    const mine = { id: 'my-followup', kind: 'follow-up', title: 'My follow-up', variants: { en: { subject: 'Following up', body: '<p>Any news, {{ contact.firstName }}?</p>' } } };

    it("are the rep's own, checked like pack templates, and invisible to other reps", async () => {
      const saved = await send('PUT', '/api/v1/me/templates/my-followup', acme.rep.key, { template: mine });
      expect(saved.statusCode).toBe(200);
      const broken = await send('PUT', '/api/v1/me/templates/bad', acme.rep.key, { template: { ...mine, kind: 'folow-up' } });
      expect(broken.statusCode).toBe(400);
      expect(JSON.stringify(broken.json().error.details)).toContain('kind');

      const other = await addUser(acme.tdb, operator(acme.tenantId), { email: 'other@acme.test', name: 'Other', groups: ['acme-sales'] });
      const { createApiKey } = await import('../../src/server/services/api-keys.js');
      const otherKey = (await createApiKey(acme.tdb, operator(acme.tenantId), { userEmail: other.email, name: 'o', scopes: ['packs:read', 'templates:personal'] })).key;
      expect((await get('/api/v1/me/templates', otherKey)).json().templates).toEqual([]);
      expect((await get('/api/v1/me/packs', otherKey)).json().personal).toEqual([]);
      expect((await get('/api/v1/me/packs', acme.rep.key)).json().personal).toEqual([expect.objectContaining({ id: 'my-followup' })]);
      expect((await send('DELETE', '/api/v1/me/templates/my-followup', otherKey)).statusCode).toBe(404);
    });

    it('change the ETag of the rep\'s view when saved', async () => {
      const before = (await get('/api/v1/me/packs', acme.rep.key)).headers.etag as string;
      await send('PUT', '/api/v1/me/templates/my-followup', acme.rep.key, { template: { ...mine, title: 'Renamed' } });
      expect((await get('/api/v1/me/packs', acme.rep.key, { 'if-none-match': before })).statusCode).toBe(200);
    });

    it('can start from a published template, but never from a locked one', async () => {
      const op = operator(acme.tenantId);
      await pushPack(acme.tdb, op, packYaml('copyable', ['acme-sales']));
      await pushPack(acme.tdb, op, packYaml('locked-pack', ['acme-sales']).replace('    kind: inquiry', '    kind: inquiry\n    locked: true'));
      const copied = await send('POST', '/api/v1/me/templates/copy', acme.rep.key, { pack: 'copyable', template: 'hello' });
      expect(copied.statusCode).toBe(201);
      expect(copied.json().template).toMatchObject({ id: 'my-hello', kind: 'inquiry' });
      const refused = await send('POST', '/api/v1/me/templates/copy', acme.rep.key, { pack: 'locked-pack', template: 'hello' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'locked' });
      expect((await send('POST', '/api/v1/me/templates/copy', acme.rep.key, { pack: 'nope', template: 'hello' })).statusCode).toBe(404);
    });

    it('count uses per rep and ISO week, only of templates the rep can see', async () => {
      const { isoWeek, recordTemplateUse, myTemplateUses } = await import('../../src/server/services/personal-templates.js');
      expect(isoWeek(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48');
      expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
      expect(isoWeek(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
      for (let i = 0; i < 3; i++) expect((await send('POST', '/api/v1/me/template-uses', acme.rep.key, { pack: 'copyable', template: 'hello' })).statusCode).toBe(204);
      await send('POST', '/api/v1/me/template-uses', acme.rep.key, { pack: '~personal', template: 'my-followup' });
      const repActor = { ...operator(acme.tenantId), userId: acme.rep.id };
      await recordTemplateUse(acme.tdb, repActor, { pack: 'copyable', template: 'hello' }, new Date(Date.now() - 14 * 86_400_000));
      expect((await get('/api/v1/me/template-uses', acme.rep.key)).json().uses).toEqual([
        { pack: 'copyable', template: 'hello', count: 4 },
        { pack: '~personal', template: 'my-followup', count: 1 },
      ]);
      const weeks = await acme.tdb.selectFrom('template_uses').select('week').where('user_id', '=', acme.rep.id).where('pack', '=', 'copyable').execute();
      expect(new Set(weeks.map((w) => w.week)).size).toBe(2);
      expect((await send('POST', '/api/v1/me/template-uses', acme.rep.key, { pack: 'quotes', template: 'nope' })).statusCode).toBe(404);
      expect((await myTemplateUses(acme.tdb, acme.admin.id)).length).toBe(0);
    });
  });

  describe('admin HTML and signatures', () => {
    const hostile = packYaml('hostile', ['acme-sales']).replace(
      '<p>Hello {{ contact.firstName }}</p>',
      '<p onclick=\\"steal()\\">Hello {{ contact.firstName }}</p><script>alert(1)</script><a href=\\"https://example.test\\" onmouseover=\\"x()\\">x</a>',
    ) + `signatures:
  - id: standard
    enforce: true
    body: "<table><tr><td><b>{{ rep.name }}</b>{% if rep.title %} · {{ rep.title }}{% endif %}</td></tr><tr><td>Mobile: {{ rep.mobile }}</td></tr></table>"
policies:
  signatureOnSend: warn
`;

    it('is sanitised when pushed: reps never receive scripts, handlers or javascript: links, and the admin is told', async () => {
      const res = await send('POST', '/api/v1/packs', acme.admin.key, { source: hostile });
      expect(res.statusCode).toBe(201);
      const warnings = (res.json().warnings as { path: string; message: string }[]).filter((w) => w.path === 'templates[0].variants.en.body');
      expect(warnings.length).toBeGreaterThanOrEqual(3);
      const served = ((await get('/api/v1/me/packs', acme.rep.key)).json().packs as { pack: string; document: { templates: { variants: { en: { body: string } } }[] } }[]).find((p) => p.pack === 'hostile')!;
      const body = served.document.templates[0]!.variants.en.body;
      expect(body).toContain('Hello {{ contact.firstName }}');
      expect(body).not.toMatch(/script|onclick|onmouseover/i);
      expect(body).toContain('href="https://example.test"');
    });

    it('refuses a pack whose template hard-codes a javascript: link, at its line', async () => {
      const res = await send('POST', '/api/v1/packs', acme.admin.key, { source: packYaml('js-link', ['acme-sales']).replace('<p>Hello {{ contact.firstName }}</p>', '<a href=\\"javascript:alert(2)\\">x</a>') });
      expect(res.statusCode).toBe(422);
      const details = res.json().error.details as { severity: string }[];
      // The one error, at its line; the sanitiser's warning about the same link comes with it (every stage at once).
      expect(details.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ path: 'templates[0].variants.en.body', line: 10, message: expect.stringContaining('javascript:') })]);
      expect(details.filter((d) => d.severity === 'warning')).toEqual([expect.objectContaining({ path: 'templates[0].variants.en.body', line: 10, message: 'removed javascript: link on <a>' })]);
    });

    it("serves the rep's enforced signature rendered from their profile, with its hash and policy", async () => {
      await updateUser(acme.tdb, operator(acme.tenantId), acme.rep.id, { title: 'Export <Manager>', mobile: null });
      const res = await get('/api/v1/me/signature', acme.rep.key);
      expect(res.statusCode).toBe(200);
      const sig = res.json() as { html: string; hash: string; policy: { signatureOnSend: string } };
      expect(sig.policy.signatureOnSend).toBe('warn');
      expect(sig.html).toContain('Rep acme');
      expect(sig.html).toContain('Export &lt;Manager&gt;');
      expect(sig.html).not.toContain('Mobile:'); // the empty line disappears
      const { verifySignature } = await import('../../src/core/signature/index.js');
      expect(verifySignature(`<p>Hi</p>${sig.html}`, { id: 'standard', hash: sig.hash }).state).toBe('present');
      await updateUser(acme.tdb, operator(acme.tenantId), acme.rep.id, { mobile: '+86 138 0000 0000' });
      const withMobile = (await get('/api/v1/me/signature', acme.rep.key)).json() as { html: string; hash: string };
      expect(withMobile.html).toContain('Mobile: +86 138 0000 0000');
      expect(withMobile.hash).not.toBe(sig.hash);
    });
  });

  describe('rendering for a rep', () => {
    beforeAll(async () => {
      const { readFileSync } = await import('node:fs');
      const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', 'groups: [acme-sales]');
      await pushPack(acme.tdb, operator(acme.tenantId), demo);
      const { upsertContact, createCustomer } = await import('../../src/server/services/customers.js');
      await createCustomer(acme.tdb, operator(acme.tenantId), { name: 'Importadora Andina', domains: ['andina.com.co'], country: 'CO' });
      await upsertContact(acme.tdb, operator(acme.tenantId), { email: 'lucia@andina.com.co', firstName: 'Lucía' });
    });
    const render = (body: object) => send('POST', '/api/v1/me/render', acme.rep.key, body);

    it("picks the language from the recipient's company, fills contact and rep, and says why", async () => {
      const res = await render({ pack: 'demo-export', template: 'inquiry-reply', to: 'lucia@andina.com.co', fields: { product: 'paneles LED', moq: 500 } });
      expect(res.statusCode).toBe(200);
      const out = res.json() as { language: string; reason: string; subject: string; html: string; text: string };
      expect(out.language).toBe('es');
      expect(out.reason).toMatch(/Colombia|CO/);
      expect(out.subject).toContain('paneles LED');
      expect(out.html).toContain('Lucía');
      expect(out.text).not.toMatch(/<[a-z]/i);
    });

    it('lets the rep pick the language explicitly', async () => {
      const res = await render({ pack: 'demo-export', template: 'inquiry-reply', to: 'lucia@andina.com.co', language: 'zh', fields: { product: 'LED', moq: 1 } });
      expect(res.json()).toMatchObject({ language: 'zh' });
      expect((await render({ pack: 'demo-export', template: 'inquiry-reply', language: 'fr', fields: { product: 'x' } })).statusCode).toBe(400);
    });

    it('blocks with the list of missing values, never a blank greeting', async () => {
      const res = await render({ pack: 'demo-export', template: 'quotation', to: 'lucia@andina.com.co', fields: {} });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('missing_values');
      const names = (res.json().error.details as { path: string }[]).map((d) => d.path);
      expect(names).toEqual(expect.arrayContaining(['product', 'lines']));
    });

    it('escapes hostile values and refuses templates the rep cannot see', async () => {
      const res = await render({ pack: 'demo-export', template: 'inquiry-reply', language: 'en', fields: { product: '<img src=x onerror=alert(1)>', moq: 1 } });
      expect(res.statusCode).toBe(200);
      expect(res.json().html).not.toContain('<img');
      expect(res.json().html).toContain('&lt;img');
      expect((await render({ pack: 'hostile-elsewhere', template: 'x' })).statusCode).toBe(404);
    });
  });

  describe("a rep's packs", () => {
    it('are exactly the packs published to their groups and to everyone', async () => {
      const t = await createTenant(store.db, { slug: `vis-${kind.name}`, name: 'Visibility' });
      const tdb = new TenantDb(store.db, t.id);
      const op = operator(t.id);
      await createGroup(tdb, op, { slug: 'eu' });
      await createGroup(tdb, op, { slug: 'me' });
      const eu = await addUser(tdb, op, { email: 'eu@vis.test', name: 'EU', groups: ['eu'] });
      const me = await addUser(tdb, op, { email: 'me@vis.test', name: 'ME', groups: ['me'] });
      const none = await addUser(tdb, op, { email: 'none@vis.test', name: 'None' });
      await pushPack(tdb, op, packYaml('for-eu', ['eu']));
      await pushPack(tdb, op, packYaml('for-me', ['me']));
      await pushPack(tdb, op, packYaml('for-all', ['*']));
      await pushPack(tdb, op, packYaml('for-both', ['eu', 'me']));
      const { publishedPacks } = await import('../../src/server/services/packs.js');
      const names = async (userId: string) => (await publishedPacks(tdb, userId)).map((p) => p.pack);
      expect(await names(eu.id)).toEqual(['for-all', 'for-both', 'for-eu']);
      expect(await names(me.id)).toEqual(['for-all', 'for-both', 'for-me']);
      expect(await names(none.id)).toEqual(['for-all']);
      await setMembership(tdb, op, 'me', none.id, true);
      expect(await names(none.id)).toEqual(['for-all', 'for-both', 'for-me']);
      await pushPack(tdb, op, packYaml('for-eu', ['*'], 'Now for everyone'));
      expect(await names(none.id)).toEqual(['for-all', 'for-both', 'for-eu', 'for-me']);
    });

    it('answer with an ETag, 304 while unchanged, and a new ETag after a publish or a profile change', async () => {
      const first = await get('/api/v1/me/packs', acme.rep.key);
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^".+"$/);
      expect(first.json().packs.map((p: { pack: string }) => p.pack)).toContain('quotes');

      const cached = await get('/api/v1/me/packs', acme.rep.key, { 'if-none-match': etag });
      expect(cached.statusCode).toBe(304);
      expect(cached.body).toBe('');
      // A 304 announcing a body it never sends hangs keep-alive clients.
      expect(cached.headers['content-length'] ?? '0').toBe('0');

      await send('POST', '/api/v1/packs', acme.admin.key, { source: packYaml('quotes', ['acme-sales'], 'Quotes v3') });
      const afterPublish = await get('/api/v1/me/packs', acme.rep.key, { 'if-none-match': etag });
      expect(afterPublish.statusCode).toBe(200);
      const etag2 = afterPublish.headers.etag as string;
      expect(etag2).not.toBe(etag);

      await updateUser(acme.tdb, operator(acme.tenantId), acme.rep.id, { mobile: '+49 170 0000000' });
      expect((await get('/api/v1/me/packs', acme.rep.key, { 'if-none-match': etag2 })).statusCode).toBe(200);
    });
  });

  describe('API keys', () => {
    it('are shown once, stored hashed, act within their scopes, and stop when revoked', async () => {
      const created = await send('POST', '/api/v1/api-keys', acme.admin.key, { name: 'ci push', user: 'admin@acme.test', scopes: ['packs:write', 'packs:read'] });
      expect(created.statusCode).toBe(201);
      const { id, key } = created.json() as { id: string; key: string };
      expect(key).toMatch(/^tpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const row = await acme.tdb.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(key.slice(-43));
      expect(JSON.stringify((await get('/api/v1/api-keys', acme.admin.key)).json())).not.toContain(key);

      expect((await get('/api/v1/packs', key)).statusCode).toBe(200);
      const outOfScope = await get('/api/v1/users', key);
      expect(outOfScope.statusCode).toBe(403);
      expect(outOfScope.json().error.message).toContain("not in this API key's scopes");

      const revokedNow = await send('DELETE', `/api/v1/api-keys/${id}`, acme.admin.key);
      expect(revokedNow.statusCode).toBe(204);
      expect(revokedNow.headers['content-length'] ?? '0').toBe('0');
      const revoked = await get('/api/v1/packs', key);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().error.message).toBe('API key was revoked');
    });

    it("never exceed their owner's role, even after the owner is demoted", async () => {
      const denied = await send('POST', '/api/v1/api-keys', acme.admin.key, { name: 'sneaky', user: acme.rep.email, scopes: ['people:write'] });
      expect(denied.statusCode).toBe(403);
      const boss = await addUser(acme.tdb, operator(acme.tenantId), { email: 'boss@acme.test', name: 'Boss', role: 'admin' });
      const key = (await send('POST', '/api/v1/api-keys', acme.admin.key, { name: 'boss', user: boss.email, scopes: ['people:read'] })).json().key as string;
      expect((await get('/api/v1/users', key)).statusCode).toBe(200);
      await updateUser(acme.tdb, operator(acme.tenantId), boss.id, { role: 'rep' });
      expect((await get('/api/v1/users', key)).statusCode).toBe(403);
    });
  });
});
