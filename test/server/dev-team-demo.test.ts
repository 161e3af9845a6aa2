import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../src/server/db/connect.js';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import { pushPack } from '../../src/server/services/packs.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The Outlook playground's shared mailbox (docs/outlook.md): POST /dev/team-demo seeds the demo
 * team inbox once in the user's tenant and answers its inquiry as Outlook would show it. Dev mode,
 * loopback only; a store without the dev signer has no such route.
 */
describe.each(storeKinds())('the dev team demo on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'devteam');
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, operator(t.tenantId), demo);
    app = await testApp(store, {}, { devSigner: await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-devteam-'))) });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const seed = (email: string, host = 'localhost') => app.inject({ method: 'POST', url: `/dev/team-demo?email=${encodeURIComponent(email)}`, remoteAddress: '127.0.0.1', headers: { host } });

  it('seeds the team inbox, the buyer and one queued inquiry once; the rep finds it by the Message-ID and gets the hand-off in German', async () => {
    const first = await seed(t.rep.email);
    expect(first.statusCode).toBe(200);
    const item = first.json();
    expect(item).toMatchObject({ roleAddress: 'info@devteam.test', internetMessageId: '<team-demo-1@hamburg-import.de>', threadId: 'AAQkADdemoTeamInboxLedPanels', subject: 'Anfrage: LED-Panels für unsere Filialen', from: { name: 'Anna Schmidt', address: 'anna@hamburg-import.de' } });
    const again = await seed(t.rep.email);
    expect(again.json()).toEqual(item);
    expect(await t.tdb.selectFrom('team_inboxes').select('id').execute()).toHaveLength(1);
    expect(await t.tdb.selectFrom('mail_messages').select('id').execute()).toHaveLength(1);
    // Nothing ever syncs or sends through the demo's role mailbox.
    expect(await t.tdb.selectFrom('mailboxes').select(['provider', 'paused']).where('address', '=', 'info@devteam.test').executeTakeFirstOrThrow()).toEqual({ provider: 'graph', paused: 1 });
    const conversation = await t.tdb.selectFrom('conversations').select(['id', 'state', 'team_inbox_id', 'clock_started_at', 'customer_id']).where('id', '=', item.conversationId).executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ state: 'new', clock_started_at: item.receivedAt });
    expect(conversation.customer_id).not.toBeNull();

    const lookup = await app.inject({ method: 'POST', url: '/api/v1/team-conversations/lookup', headers: bearer(t.rep.key), payload: { internetMessageId: item.internetMessageId } });
    expect(lookup.json()).toMatchObject({ matchedBy: 'message-id', conversation: { id: item.conversationId, inbox: { address: 'info@devteam.test' }, buyer: 'anna@hamburg-import.de' } });
    const handOff = await app.inject({ method: 'GET', url: `/api/v1/team-conversations/${item.conversationId}/hand-off`, headers: bearer(t.rep.key) });
    expect(handOff.statusCode).toBe(200);
    expect(handOff.json()).toMatchObject({ language: 'de', to: 'anna@hamburg-import.de', inReplyTo: '<team-demo-1@hamburg-import.de>' });
    expect(handOff.json().text).toContain('Ihre Anfrage an info@devteam.test');
  });

  it('is for this machine only, and for users in a group', async () => {
    expect((await seed(t.rep.email, 'attacker.example')).statusCode).toBe(403);
    expect((await seed('nobody@devteam.test')).statusCode).toBe(404);
    // The seeded tenant's admin is in no group: in another tenant the inbox's members would be nobody.
    await store.db.deleteFrom('team_inboxes').execute();
    const admin = await seed(t.admin.email);
    expect(admin.statusCode).toBe(409);
    expect(admin.json().error).toMatchObject({ code: 'no_group', message: `${t.admin.email} is in no group: the demo team inbox is worked by the user's groups` });
    const prod = await testApp(store);
    expect((await prod.inject({ method: 'POST', url: `/dev/team-demo?email=${t.rep.email}`, remoteAddress: '127.0.0.1', headers: { host: 'localhost' } })).statusCode).toBe(404);
    await prod.close();
  });
});
