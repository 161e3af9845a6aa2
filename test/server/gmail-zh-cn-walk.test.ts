import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, packYaml } from '../support/fixtures.js';
import { latinLeftovers, packDataPhrases } from '../support/latin-text.js';
import { storeKinds } from '../support/stores.js';
import { addonEvent, cardTexts, notification, post, type EventParts, type Harness, startHarness } from './gmail-harness.js';

/**
 * The Gmail cards for a rep whose Gmail is in Simplified Chinese (userLocale zh-CN): home, compose
 * (list, search, a quotation's fields, the blocked insert, the preview), the open message (card, log,
 * task, reply picker) and scheduling (no Google credentials: the time to pick in Gmail; the list).
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
    ['schedule without credentials', '/schedule', () => compose({ parameters: { at: new Date(Date.now() + 30 * 3_600_000).toISOString() } })],
    ['scheduled list', '/scheduled', () => compose()],
    // Without Google access the PDF goes in as a link: the notification is checked.
    ['make PDF', '/compose/document', () => compose({ parameters: { ...quotation, mode: 'compose' }, formInputs: { ...filled, docKind: 'proforma' } })],
  ])('%s (%s) speaks Chinese', async (_name, path, event) => {
    expect(leftovers(await shown(path, await event()))).toEqual([]);
  });
});
