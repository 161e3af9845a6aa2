import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { randomBytes } from 'node:crypto';
import { newId } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { configureTeamInbox } from '../../src/server/services/team-inbox.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, packYaml } from '../support/fixtures.js';
import { latinLeftovers, packDataPhrases } from '../support/latin-text.js';
import { storeKinds } from '../support/stores.js';
import { addonEvent, cardTexts, notification, post, type EventParts, type Harness, startHarness } from './gmail-harness.js';

/**
 * The Gmail cards for a rep whose Gmail is in Simplified Chinese (userLocale zh-CN): home, compose
 * (list, search, a quotation's fields, the blocked insert, the preview), the open message (card, log,
 * task, reply picker; its team-inbox section: assign, hand-off draft, close, reopen, note) and scheduling (no Google credentials: the time to pick in Gmail; the list).
 * Every text a card or notification shows may hold Latin only as test/support/latin-text.ts allows:
 * addresses, URLs, codes, dates, times and the data named here: the demo pack's template titles,
 * option values and texts without a Chinese version, the fixture pack's template ("Hello"), the
 * signature's company, the customer's and sender's names, the mail's subject (and "Re: " + it) and the values typed.
 */
describe.each(storeKinds())('the Gmail cards in zh-CN have no English sentence on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  let mail: { id: string; threadId: string };
  let allowed: string[];
  let conversationId: string;
  const team = (extra: Record<string, string> = {}) => ({ conversation: conversationId, ...extra });
  const buyer = 'anna@hamburg-import.de';
  const rfq = { from: 'Anna Schmidt <anna@hamburg-import.de>', subject: 'RFQ LED panels', date: 'Tue, 1 Dec 2026 09:00:00 +0100', messageId: '<rfq-zh-1@hamburg-import.de>' };
  const typed = ['LED panel', 'Q-2026-7', 'Ningbo', 'Panel'];

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gzh', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    const op = operator(h.tenant.tenantId);
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${h.tenant.groupSlug}]`);
    await pushPack(h.tenant.tdb, op, demo);
    await createCustomer(h.tenant.tdb, op, { name: 'Hamburg Import GmbH', domains: ['hamburg-import.de'], country: 'DE' });
    // The RFQ came in through info@, a team inbox: the message card shows its team section.
    const mailbox = await addMailbox(h.tenant.tdb, op, new SecretBox(randomBytes(32)), { provider: 'imap', address: 'info@gzh.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 1 });
    const inbox = await configureTeamInbox(h.tenant.tdb, op, mailbox.id, { groups: [h.tenant.groupSlug], handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    conversationId = newId();
    const asked = new Date(Date.now() - 3_600_000).toISOString();
    await h.tenant.tdb.insert('conversations', { id: conversationId, subject: rfq.subject, subject_key: rfq.subject.toLowerCase(), participants: JSON.stringify([buyer]), customer_ids: '[]', customer_id: null, first_message_at: asked, last_message_at: asked, last_inbound_at: asked, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: inbox.id, clock_started_at: asked, warn_at: new Date(Date.now() + 86_400_000).toISOString(), due_at: new Date(Date.now() + 3 * 86_400_000).toISOString(), created_at: asked, updated_at: asked });
    const messageId = newId();
    await h.tenant.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailbox.id, conversation_id: conversationId, provider_id: messageId, folder: 'inbox', message_key: 'rfq-zh-1@hamburg-import.de', from_address: buyer, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 1, attachments: '[]', received_at: asked, subject: rfq.subject, direction: 'inbound', auto_verdict: 'none', language: 'de', excerpt: '', created_at: asked, date_header: rfq.date });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    mail = gmail.addMessage(h.tenant.rep.email, { ...rfq, to: [h.tenant.rep.email] });
    const rep = await h.tenant.tdb.selectFrom('users').select('name').where('id', '=', h.tenant.rep.id).executeTakeFirstOrThrow();
    const demoPack = parse(demo) as { signatures?: { id: string }[] };
    allowed = [
      ...packDataPhrases(demoPack),
      ...packDataPhrases(parse(packYaml(h.tenant.packSlug, [h.tenant.groupSlug]))),
      ...(demoPack.signatures ?? []).map((s) => s.id),
      // The signature's body names the company: data, shown on the home card.
      'Demo Export Co.', 'Hamburg Import GmbH', 'Anna Schmidt', rfq.subject, `Re: ${rfq.subject}`, rep.name, ...typed,
    ];
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  const compose = (parts: EventParts = {}) => addonEvent(h, h.tenant.rep.email, { locale: 'zh-CN', timeZone: 'Asia/Shanghai', gmail: { toRecipients: [buyer], accessToken: 'compose-token' }, ...parts });
  async function opened(parts: EventParts = {}): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { locale: 'zh-CN', timeZone: 'Asia/Shanghai', ...parts, gmail: { messageId: mail.id, threadId: mail.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  /** Every text the answer shows: its notification and the card it pushes or updates. */
  async function shown(path: string, event: AddonEvent): Promise<string[]> {
    const res = await post(h, path, event);
    expect(res.statusCode).toBe(200);
    const body = res.json<AddonResponse>();
    const navigation = body.renderActions?.action?.navigations?.[0];
    const card = navigation?.pushCard ?? navigation?.updateCard;
    const texts = [notification(body) ?? '', ...(card ? cardTexts(card) : [])].filter(Boolean);
    expect(texts.length).toBeGreaterThan(0);
    // Card markup (<b>, <br>, <font>) is not text.
    return texts.map((text) => text.replace(/<[^>]*>/g, '\n').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
  }

  const leftovers = (texts: string[]) => latinLeftovers(texts.join('\n'), allowed);

  it('the check fails on an English card text', () => {
    expect(leftovers(['发件人当前时间：09:30'])).toEqual([]);
    expect(leftovers(['Log to CRM'])).toEqual(['Log to CRM']);
  });

  const quotation = { pack: 'demo-export', template: 'quotation' };
  const filled = { f_product: 'LED panel', f_quoteNo: 'Q-2026-7', f_place: 'Ningbo', f_lines: 'Panel | 2 | 12.50' };

  it.each<[string, string, () => Promise<AddonEvent>]>([
    ['home', '/homepage', () => addonEvent(h, h.tenant.rep.email, { locale: 'zh-CN' })],
    ['compose', '/compose', () => compose()],
    ['compose search', '/compose/search', () => compose({ formInputs: { q: '', kind: 'quote' } })],
    ['compose search, nothing found', '/compose/search', () => compose({ formInputs: { q: 'zzzzqqq' } })],
    ['a quotation\'s fields', '/compose/template', () => compose({ parameters: quotation })],
    ['insert blocked', '/compose/insert', () => compose({ parameters: quotation })],
    // The preview shows the mail itself: asked in the Chinese variant, so its text is checked too.
    ['preview', '/compose/preview', () => compose({ parameters: { ...quotation, language: 'zh' }, formInputs: filled })],
    ['message', '/message', () => opened()],
    ['log to CRM', '/message/log', () => opened()],
    ['log to CRM again', '/message/log', () => opened()],
    ['turn into task', '/message/task', () => opened({ formInputs: { taskDays: '3' } })],
    ['reply picker', '/message/reply', () => opened()],
    ['team: assign', '/message/team/assign', () => opened({ parameters: team(), formInputs: { teamAssignee: h.tenant.rep.email } })],
    ['team: assign to a stranger', '/message/team/assign', () => opened({ parameters: team(), formInputs: { teamAssignee: 'nobody@elsewhere.test' } })],
    ['team: hand-off draft', '/message/team/hand-off', () => opened({ parameters: team() })],
    ['team: close', '/message/team/state', () => opened({ parameters: team({ action: 'close' }) })],
    ['team: close again', '/message/team/state', () => opened({ parameters: team({ action: 'close' }) })],
    ['team: reopen', '/message/team/state', () => opened({ parameters: team({ action: 'reopen' }) })],
    ['team: note', '/message/team/note', () => opened({ parameters: team(), formInputs: { teamNote: '请确认 FOB 价格' } })],
    ['schedule without credentials', '/schedule', () => compose({ parameters: { at: new Date(Date.now() + 30 * 3_600_000).toISOString() } })],
    ['scheduled list', '/scheduled', () => compose()],
    // Without Google access the PDF goes in as a link: the notification is checked.
    ['make PDF', '/compose/document', () => compose({ parameters: { ...quotation, mode: 'compose' }, formInputs: { ...filled, docKind: 'proforma' } })],
  ])('%s (%s) speaks Chinese', async (_name, path, event) => {
    expect(leftovers(await shown(path, await event()))).toEqual([]);
  });
});
