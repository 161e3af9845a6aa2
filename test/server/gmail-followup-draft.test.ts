import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { pushPack } from '../../src/server/services/packs.js';
import { updateUser } from '../../src/server/services/people.js';
import { createFollowUp, fireDueFollowUps } from '../../src/server/services/followups.js';
import type { Actor } from '../../src/server/auth/principal.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { followUpPackYaml } from '../support/followup-pack.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/**
 * The Gmail home card's "Follow up" (docs/followups.md): the home card has no open message, so the
 * store writes the reply draft in the rep's Gmail with its offline access (here domain-wide
 * delegation against the fake Gmail), in the sent mail's thread, and asks Gmail to open it.
 */
const SERVICE_ACCOUNT = 'tradepane-sender@acme-project.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe.each(storeKinds())('the Gmail home card’s one-click follow up on $name', (kind) => {
  const gmail = new FakeGmail();
  let store: Store;
  let h: Harness;
  let plain: Harness;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, publicKeyPem);
    store = await kind.open();
    const delegation = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: privateKeyPem } }, store.db, box);
    h = await startHarness(store, 'gfud', { gmailAddon: { credentials: delegation, gmailRootUrl: gmail.rootUrl() } });
    gmail.addUser(h.tenant.rep.email);
    await pushPack(h.tenant.tdb, operator(h.tenant.tenantId), followUpPackYaml('gfud-follow', h.tenant.groupSlug));
    await updateUser(h.tenant.tdb, operator(h.tenant.tenantId), h.tenant.rep.id, { timeZone: 'Asia/Shanghai' });
    plain = await startHarness(store, 'gfudn', { gmailAddon: { credentials: new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl }, store.db, undefined), gmailRootUrl: gmail.rootUrl() } });
  });
  afterAll(async () => {
    await h.close();
    await plain.close();
    await store.close();
    await gmail.stop();
  });

  it('writes the German reply in the sent mail’s thread and opens it; Chinese card, Chinese words', async () => {
    const t = h.tenant;
    const actor: Actor = { tenantId: t.tenantId, userId: t.rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: t.rep.email };
    // Made from a Gmail draft in thread t-42: the reply goes in that thread.
    const made = await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-5', to: [`hans@buyer-of-gfud.de`], messageId: '<qt-5@gfud.test>', sentAt: '2026-05-21T08:00:00Z', threadId: 't-42', templateKind: 'quote' });
    expect(await fireDueFollowUps(store.db, 'gmail-test', new Date('2026-06-01T01:00:00Z'))).toBe(1);

    const card = shownCard((await post(h, '/homepage', await addonEvent(h, t.rep.email))).json());
    const follow = actions(card).find((a) => a.path === '/followups/draft' && a.parameters.id === made.followUp.id);
    expect(follow).toBeDefined();
    const res = (await post(h, '/followups/draft', await addonEvent(h, t.rep.email, { parameters: follow!.parameters }))).json();
    const open = res.renderActions.hostAppAction.gmailAction.openCreatedDraftActionMarkup;
    expect(open.draftThreadId).toBe('t-42');
    expect(gmail.hasDraft(t.rep.email, open.draftId)).toBe(true);
    expect(notification(res)).toBe('Reply to hans@buyer-of-gfud.de created with your follow-up template: check it and send, then mark it done.');
    const created = gmail.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/drafts')).at(-1)!;
    const mime = await simpleParser(Buffer.from((created.body as { message: { raw: string } }).message.raw, 'base64url'));
    expect(mime.subject).toBe('Re: Quotation QT-5');
    expect(mime.inReplyTo).toBe('<qt-5@gfud.test>');
    expect(mime.html).toContain('Guten Tag, zu quotation vom 21. Mai 2026: gibt es Neuigkeiten?');

    const zh = shownCard((await post(h, '/homepage', await addonEvent(h, t.rep.email, { locale: 'zh-CN' }))).json());
    expect(JSON.stringify(zh)).toContain('"text":"跟进"');
    const zhRes = (await post(h, '/followups/draft', await addonEvent(h, t.rep.email, { locale: 'zh-CN', parameters: follow!.parameters }))).json();
    expect(notification(zhRes)).toBe('已用跟进模板创建给 hans@buyer-of-gfud.de 的回复：检查后发送，然后标记完成。');
  });

  it('says what is missing: no offline access to Gmail, or another rep’s follow-up', async () => {
    const t = plain.tenant;
    const actor: Actor = { tenantId: t.tenantId, userId: t.rep.id, role: 'rep', permissions: permissionsOfRole('rep'), label: t.rep.email };
    const made = await createFollowUp(t.tdb, actor, { rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-6', to: ['x@buyer-of-gfudn.de'], messageId: '<qt-6@gfudn.test>', sentAt: '2026-05-21T08:00:00Z' });
    // No delegation and no per-user consent configured: the store has no way into Gmail.
    const res = (await post(plain, '/followups/draft', await addonEvent(plain, t.rep.email, { parameters: { id: made.followUp.id } }))).json();
    expect(notification(res)).toBe('Gmail access is not configured on the store.');
    const foreign = (await post(h, '/followups/draft', await addonEvent(h, h.tenant.rep.email, { parameters: { id: made.followUp.id } }))).json();
    expect(notification(foreign)).toMatch(/not found|follow-up/i);
  });
});
