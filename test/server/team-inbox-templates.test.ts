import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { pushPack } from '../../src/server/services/packs.js';
import type { TeamTemplateChoices } from '../../src/contract/team-inbox.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The team inbox's acknowledgement and hand-off templates as the console sets them: the choices
 * (every template of a published pack, its titles and languages), and the store refusing a
 * template that is not there or has no variant in its pack's default language — naming the setting.
 */
describe.each(storeKinds())('team-inbox templates on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let mailboxId: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `tt${kind.name}`);
    const op = operator(t.tenantId);
    await pushPack(t.tdb, op, readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`));
    const box = new SecretBox(randomBytes(32));
    mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address: `info@${t.slug}.test`, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 1 })).id;
    app = await testApp(store, {}, { secretBox: box });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const api = (key: string, method: 'GET' | 'PUT', url: string, payload?: object) => app.inject({ method, url: `/api/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });
  const put = (body: object) => api(t.admin.key, 'PUT', `/mailboxes/${mailboxId}/team-inbox`, { groups: [t.groupSlug], ...body });

  it('lists every template of the published packs with titles and languages, the default first; admins only', async () => {
    const res = await api(t.admin.key, 'GET', '/team-inboxes/templates');
    expect(res.statusCode).toBe(200);
    const { templates } = res.json<TeamTemplateChoices>();
    const ack = templates.find((x) => x.pack === 'demo-export' && x.template === 'team-acknowledgement')!;
    expect(ack.languages[0]).toBe('en');
    expect([...ack.languages].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'zh']);
    expect(ack.title.zh).toMatch(/团队收件箱/);
    expect(templates.find((x) => x.pack === t.packSlug)?.title).toEqual({ en: 'Hello' });
    expect((await api(t.rep.key, 'GET', '/team-inboxes/templates')).statusCode).toBe(403);
  });

  it('sets and clears both templates; an unknown template or pack is a 400 naming the setting', async () => {
    const set = await put({ acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' }, handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ acknowledgement: { pack: 'demo-export', template: 'team-acknowledgement' }, handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    const unknown = await put({ handOff: { pack: 'demo-export', template: 'no-such' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { message: 'handOff: no template "no-such" in a published pack "demo-export"', details: [{ path: 'handOff.template' }] } });
    const noPack = await put({ acknowledgement: { pack: 'gone', template: 'team-acknowledgement' } });
    expect(noPack.statusCode).toBe(400);
    expect(noPack.json().error.details[0].path).toBe('acknowledgement.template');
    // Nothing half-written: the refused request left both as they were.
    expect((await api(t.admin.key, 'GET', '/team-inboxes')).json().inboxes[0]).toMatchObject({ acknowledgement: { template: 'team-acknowledgement' }, handOff: { template: 'team-hand-off' } });
    const none = await put({ acknowledgement: null });
    expect(none.json()).toMatchObject({ acknowledgement: null, handOff: { template: 'team-hand-off' } });
  });

  it('a template without a variant in its pack\'s default language is refused, the language named', async () => {
    // A version stored before the pack check required it (the check refuses such a pack today): its hand-off lacks English.
    const version = await t.tdb
      .selectFrom('pack_versions')
      .innerJoin('packs', 'packs.id', 'pack_versions.pack_id')
      .select(['pack_versions.id', 'pack_versions.document'])
      .where('packs.slug', '=', 'demo-export')
      .executeTakeFirstOrThrow();
    const document = JSON.parse(version.document) as { templates: { id: string; variants: Record<string, unknown> }[] };
    delete document.templates.find((x) => x.id === 'team-hand-off')!.variants.en;
    await t.tdb.updateTable('pack_versions', { document: JSON.stringify(document) }).where('id', '=', version.id).execute();
    const res = await put({ handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('handOff: the template "team-hand-off" of "demo-export" has no variant in the pack\'s default language "en" (has: zh, es, ar, de, fr)');
  });
});
