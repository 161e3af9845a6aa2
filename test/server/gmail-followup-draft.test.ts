import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { pushPack } from '../../src/server/services/packs.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
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

  it('lists the rep’s unanswered inquiries on the home card, in English and Chinese', async () => {
    const t = h.tenant;
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address: t.rep.email, settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 });
    // Ten days ago: far past 24 of the company's business hours, still inside the 21-day window.
    const at = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await t.tdb.insert('conversations', { id: 'rfq-home', subject: 'RFQ: porcelain tiles', subject_key: 'rfq: porcelain tiles', participants: '[]', customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: at, updated_at: at });
    await t.tdb.insert('mail_messages', { id: 'msg-rfq-home', mailbox_id: mb.id, conversation_id: 'rfq-home', provider_id: 'p-rfq-home', folder: 'inbox', message_key: 'rfq-home@x.test', second_key: null, in_reply_to: null, reference_keys: '[]', provider_thread_id: null, from_address: 'buyer@new-importer.com.au', from_name: null, to_addresses: '[]', cc_addresses: '[]', date_header: null, utc_offset_minutes: null, received_at: at, subject: 'RFQ: porcelain tiles', direction: 'inbound', size_bytes: 0, attachments: '[]', auto_verdict: 'none', language: null, excerpt: '', created_at: at });

    const en = shownCard((await post(h, '/homepage', await addonEvent(h, t.rep.email))).json());
    const section = en.sections!.find((s) => s.header === 'Inquiries waiting for your answer');
    expect(JSON.stringify(section)).toContain('RFQ: porcelain tiles');
    expect(JSON.stringify(section)).toMatch(/business hours without an answer/);
    const zh = shownCard((await post(h, '/homepage', await addonEvent(h, t.rep.email, { locale: 'zh-CN' }))).json());
    expect(JSON.stringify(zh.sections!.find((s) => s.header === '待回复的询盘'))).toMatch(/个工作小时未回复/);
    // A rep with nothing waiting gets no such section.
    const other = shownCard((await post(plain, '/homepage', await addonEvent(plain, plain.tenant.rep.email))).json());
    expect(other.sections!.some((s) => s.header === 'Inquiries waiting for your answer')).toBe(false);
  });
});
