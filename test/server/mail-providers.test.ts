import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass, type SyncOptions } from '../../src/server/mail/sync.js';
import { SecretBox } from '../../src/server/secrets.js';
import { listConversations } from '../../src/server/services/conversations.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { FakeGraph } from '../support/fake-graph.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * A Microsoft 365 shared mailbox and a Workspace mailbox, connected the way an admin connects them
 * (stored settings + sealed secrets) and synced through the store's own adapter factory and sync
 * engine — the path `serve` runs — against the Graph and Gmail stand-ins. The conversations API
 * then answers "which buyer mails have had no answer for 24 hours" from both.
 */
const SERVICE_ACCOUNT = 'mail-sync@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ENTRA_TENANT = 'contoso.onmicrosoft.com';
const CLIENT_ID = '00000000-0000-0000-0000-00000000a001';
const NOW = new Date('2026-11-05T12:00:00Z');

describe.each(storeKinds())('Microsoft 365 and Workspace mailboxes through the sync engine on $name', (kind) => {
  const graph = new FakeGraph();
  const gmail = new FakeGmail();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let t: SeededTenant;
  let options: SyncOptions & { ignoreSchedule: boolean };

  beforeAll(async () => {
    await graph.start();
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    store = await kind.open();
    t = await seedTenant(store, `prov${kind.name}`);
    const google = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, box);
    options = {
      instanceId: 'w1',
      adapterFor: mailAdapterFactory({ microsoftGraph: { authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca }, google }),
      box,
      pageSize: 50,
      backfillDays: 30,
      intervalMs: 60_000,
      leaseMs: 60_000,
      threadWindowDays: 30,
      backoffCapMs: 1000,
      ignoreSchedule: true,
      now: () => NOW,
    };
  });
  afterAll(async () => {
    await graph.stop();
    await gmail.stop();
    await store.close();
  });

  it('syncs a shared Microsoft 365 mailbox and a Workspace mailbox and lists the buyer mails unanswered for 24 hours', async () => {
    const shared = `info-${kind.name}@contoso.com`;
    graph.addApp({ tenant: ENTRA_TENANT, clientId: CLIENT_ID, secret: 'right~secret' });
    graph.addMailbox(shared);
    // Answered: the buyer wrote on the 2nd, info@ answered on the 3rd (Sent Items).
    graph.addMessage(shared, { folder: 'inbox', internetMessageId: '<q1@alfanar-trading.sa>', internetMessageHeaders: [{ name: 'Date', value: 'Mon, 02 Nov 2026 09:00:00 +0300' }], conversationId: 'c-answered', from: { name: 'Fahad', address: 'fahad@alfanar-trading.sa' }, to: [{ address: shared }], subject: 'RFQ valves', receivedDateTime: '2026-11-02T06:00:02Z', sentDateTime: '2026-11-02T06:00:00Z', body: 'Please quote' });
    graph.addMessage(shared, { folder: 'sentitems', internetMessageId: '<a1@contoso.com>', internetMessageHeaders: [], conversationId: 'c-answered', from: { address: shared }, to: [{ address: 'fahad@alfanar-trading.sa' }], subject: 'RE: RFQ valves', receivedDateTime: '2026-11-03T06:00:00Z', sentDateTime: '2026-11-03T06:00:00Z', body: 'Our quote' });
    // Unanswered for three days.
    graph.addMessage(shared, { folder: 'inbox', internetMessageId: '<q2@empresa.es>', internetMessageHeaders: [{ name: 'Date', value: 'Mon, 02 Nov 2026 10:00:00 +0100' }], conversationId: 'c-open', from: { name: 'Lucía', address: 'lucia@empresa.es' }, to: [{ address: shared }], subject: 'Consulta de precios', receivedDateTime: '2026-11-02T09:00:02Z', sentDateTime: '2026-11-02T09:00:00Z', body: 'Hola' });

    const workspace = `rep-${kind.name}@acme.test`;
    gmail.addUser(workspace);
    // Unanswered, but only 2 hours old at NOW: not yet 24 hours.
    gmail.deliver(workspace, { labelIds: ['INBOX'], internalDate: Date.parse('2026-11-05T10:00:00Z'), headers: [{ name: 'From', value: 'Hans <hans@firma.de>' }, { name: 'To', value: workspace }, { name: 'Subject', value: 'Anfrage' }, { name: 'Date', value: 'Thu, 5 Nov 2026 11:00:00 +0100' }, { name: 'Message-ID', value: '<q3@firma.de>' }] });
    // Unanswered for two days.
    gmail.deliver(workspace, { labelIds: ['INBOX'], internalDate: Date.parse('2026-11-03T08:00:00Z'), headers: [{ name: 'From', value: 'Ana <ana@loja.com.br>' }, { name: 'To', value: workspace }, { name: 'Subject', value: 'Cotação' }, { name: 'Date', value: 'Tue, 3 Nov 2026 05:00:00 -0300' }, { name: 'Message-ID', value: '<q4@loja.com.br>' }] });

    const m365 = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: shared, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: 'right~secret' } }, { backfillDays: 30, now: NOW });
    const google = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'gmail', address: workspace, settings: {} }, { backfillDays: 30, now: NOW });

    for (const mailbox of [m365, google]) {
      const [result] = await runSyncPass(store.db, store.dialect, { ...options, mailboxId: mailbox.id });
      expect(result?.error ?? null).toBeNull();
    }
    const stored = await store.db.selectFrom('mail_messages').select(['mailbox_id']).where('tenant_id', '=', t.tenantId).execute();
    expect(stored.filter((m) => m.mailbox_id === m365.id)).toHaveLength(3);
    expect(stored.filter((m) => m.mailbox_id === google.id)).toHaveLength(2);

    const unanswered = await listConversations(t.tdb, { unansweredForHours: 24 }, NOW);
    expect(unanswered.map((c) => c.subject).sort()).toEqual(['Consulta de precios', 'Cotação']);

    // A second pass finds nothing new and stores nothing twice.
    for (const mailbox of [m365, google]) await runSyncPass(store.db, store.dialect, { ...options, mailboxId: mailbox.id });
    expect(await store.db.selectFrom('mail_messages').select('id').where('tenant_id', '=', t.tenantId).execute()).toHaveLength(5);
  });

  it('an idle mailbox costs its pass the claim, the tenant\'s own addresses and one cursor write per delta page, the last handing the lease back (no transaction, no separate hand-back)', async () => {
    const idle = `idle-${kind.name}@contoso.com`;
    graph.addMailbox(idle);
    const mailbox = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: idle, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: 'right~secret' } }, { backfillDays: 30, now: NOW });
    expect((await runSyncPass(store.db, store.dialect, { ...options, mailboxId: mailbox.id }))[0]?.outcome).toBe('caught-up');

    const statements: string[] = [];
    const counted = store.db.withPlugin({
      transformQuery: (args) => {
        const node = args.node as { kind: string; table?: { table?: { identifier?: { name?: string } } }; from?: { froms?: { table?: { identifier?: { name?: string } } }[] } };
        statements.push(`${node.kind.replace('QueryNode', '')} ${node.table?.table?.identifier?.name ?? node.from?.froms?.[0]?.table?.identifier?.name ?? ''}`);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const [result] = await runSyncPass(counted, store.dialect, { ...options, mailboxId: mailbox.id });
    expect(result).toMatchObject({ outcome: 'caught-up', stored: 0 });
    // The claim (its sub-select counted apart), the tenant's addresses, then one UPDATE per delta page
    // (inbox, sent items), the last of which also hands the lease back.
    expect(statements).toEqual(['Select mailboxes', 'Update mailboxes', 'Select users', 'Select mailboxes', 'Update mailboxes', 'Update mailboxes']);
    const row = await store.db.selectFrom('mailboxes').selectAll().where('id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ lease_owner: null, lease_until: null, status: 'live', failures: 0, last_error: null, next_sync_at: new Date(NOW.getTime() + options.intervalMs).toISOString() });
  });
});
