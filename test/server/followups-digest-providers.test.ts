import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import { sendMorningDigests } from '../../src/server/services/followup-digest.js';
import { fileFollowUpDraft } from '../../src/server/services/followup-link.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { FakeGraph } from '../support/fake-graph.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { followUpPackYaml } from '../support/followup-pack.js';
import { storeKinds } from '../support/stores.js';

/**
 * The morning digest and its "follow up" draft through Microsoft 365 (Graph, app-only) and
 * Workspace (Gmail API, domain-wide delegation) mailboxes, against their stand-ins.
 */
const SERVICE_ACCOUNT = 'mail-sync@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ENTRA_TENANT = 'contoso.onmicrosoft.com';
const CLIENT_ID = '00000000-0000-0000-0000-00000000d16e';

describe.each(storeKinds())('the follow-up digest through Graph and Gmail mailboxes on $name', (kind) => {
  const graph = new FakeGraph();
  const gmail = new FakeGmail();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let t: SeededTenant;
  let adapterFor: ReturnType<typeof mailAdapterFactory>;

  beforeAll(async () => {
    await graph.start();
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    store = await kind.open();
    t = await seedTenant(store, `fudp${kind.name}`);
    await pushPack(t.tdb, operator(t.tenantId), followUpPackYaml(`fudp-${kind.name}`, t.groupSlug));
    const google = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() } }, store.db, box);
    adapterFor = mailAdapterFactory({ microsoftGraph: { authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca }, google });
    graph.addApp({ tenant: ENTRA_TENANT, clientId: CLIENT_ID, secret: 'right~secret', roles: ['Mail.Read', 'Mail.ReadWrite', 'Mail.Send'] });
  });
  afterAll(async () => {
    await graph.stop();
    await gmail.stop();
    await store.close();
  });

  async function repWithDue(email: string, n: number): Promise<{ id: string; followUpId: string }> {
    const rep = await addUser(t.tdb, operator(t.tenantId), { email, name: `Rep ${n}`, timeZone: 'Europe/Berlin', locale: 'en', groups: [t.groupSlug] });
    const actor: Actor = { tenantId: t.tenantId, userId: rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: email };
    const made = await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: `Quotation QT-${n}`, to: [`hans@buyer-of-fudp${kind.name}.de`], messageId: `<qt-${n}-${rep.id}@x.test>`, sentAt: '2026-05-21T08:00:00Z', templateKind: 'quote' });
    return { id: rep.id, followUpId: made.followUp.id };
  }

  it('sends each rep’s 08:30 digest from their own Microsoft 365 or Workspace mailbox, and files the follow-up draft there', async () => {
    const m365 = `li-${kind.name}@contoso.com`;
    const workspace = `ana-${kind.name}@acme.test`;
    graph.addMailbox(m365);
    gmail.addUser(workspace);
    const a = await repWithDue(m365, 1);
    const b = await repWithDue(workspace, 2);
    await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'graph', address: m365, settings: { tenantId: ENTRA_TENANT, clientId: CLIENT_ID }, secrets: { clientSecret: 'right~secret' } }, { backfillDays: 30 });
    await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'gmail', address: workspace, settings: {} }, { backfillDays: 30 });
    // 3 of the German buyer's business days from Thu 21 May 2026 have long run out by 1 June.
    expect(await fireDueFollowUps(store.db, 'i1', new Date('2026-06-01T00:00:00Z'))).toBe(2);

    // Tue 2 Jun 08:30 in Berlin is 06:30Z.
    expect(await sendMorningDigests(store.db, { adapterFor, box, now: new Date('2026-06-02T06:30:00Z'), publicUrl: 'https://store.example.test' })).toBe(2);
    const sentGraph = graph.messagesOf(m365).filter((m) => m.folder === 'sentitems');
    expect(sentGraph.map((m) => m.subject)).toEqual(['Follow-ups due today: 1']);
    expect(sentGraph[0]!.to).toEqual([{ address: m365, name: 'Rep 1' }]);
    expect(sentGraph[0]!.body).toContain('Quotation QT-1');
    expect(sentGraph[0]!.body).toContain('https://store.example.test/followups/draft?token=v1.');
    const sentGmail = gmail.sentMessages(workspace);
    expect(sentGmail.map((m) => m.headers.find((h) => h.name.toLowerCase() === 'subject')?.value)).toEqual(['Follow-ups due today: 1']);

    // The digest's link on each: the draft lands in the rep's own mailbox.
    const graphDraft = await fileFollowUpDraft({ db: store.db, box, adapterFor }, { tenantId: t.tenantId, userId: a.id, followUpId: a.followUpId }, new Date('2026-06-02T06:31:00Z'));
    expect(graphDraft).toEqual({ mailbox: m365, provider: 'graph', folder: 'Drafts', webLink: null, subject: 'Re: Quotation QT-1' });
    const posted = graph.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path) && r.body.includes('Re: Quotation QT-1')).at(-1)!;
    expect(JSON.parse(posted.body)).toMatchObject({ subject: 'Re: Quotation QT-1', toRecipients: [{ emailAddress: { address: `hans@buyer-of-fudp${kind.name}.de` } }] });
    expect(JSON.parse(posted.body).body.content).toContain('Guten Tag, zu quotation vom 21. Mai 2026');
    // Filed as a draft, not sent: still one mail in Sent Items.
    expect(graph.messagesOf(m365).filter((m) => m.folder === 'sentitems')).toHaveLength(1);

    const gmailDraft = await fileFollowUpDraft({ db: store.db, box, adapterFor }, { tenantId: t.tenantId, userId: b.id, followUpId: b.followUpId }, new Date('2026-06-02T06:31:00Z'));
    expect(gmailDraft).toMatchObject({ mailbox: workspace, provider: 'gmail', folder: 'Drafts', subject: 'Re: Quotation QT-2' });
    expect(gmailDraft.webLink).toMatch(/^https:\/\/mail\.google\.com\/mail\/u\/0\/#drafts\?compose=\w+$/);
    expect(gmail.sentMessages(workspace)).toHaveLength(1);
  });
});
