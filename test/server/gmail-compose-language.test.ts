import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/**
 * The Gmail card from the rep's side: the buyer's language (with a true reason, worded in the
 * card's language), typed money read by the compose core, and "turn into task" twice.
 */
const PACK = (group: string) => `pack: lang-pack
title: Language pack
groups: [${group}]
defaultLanguage: en
templates:
  - id: offer
    kind: quote
    title: {en: Offer, zh: 报价}
    fields:
      - name: lines
        type: lines
        required: true
        label: {en: Items, zh: 明细}
        columns:
          - {name: item, type: text, required: true, label: {en: Item, zh: 品名}}
          - {name: qty, type: number, required: true, label: {en: Quantity, zh: 数量}}
          - {name: unitPrice, type: money, currency: USD, required: true, label: {en: Unit price, zh: 单价}}
    variants:
      en: {subject: "Offer", body: "<p>[en]</p>{% for line in lines %}<p>{{ line.item }} {{ line.qty }} x {{ line.unitPrice }}</p>{% endfor %}"}
      es: {subject: "Oferta", body: "<p>[es]</p>{% for line in lines %}<p>{{ line.item }} {{ line.qty }} x {{ line.unitPrice }}</p>{% endfor %}"}
      de: {subject: "Angebot", body: "<p>[de]</p>{% for line in lines %}<p>{{ line.item }} {{ line.qty }} x {{ line.unitPrice }}</p>{% endfor %}"}
      ar: {subject: "عرض", body: "<p>[ar]</p>{% for line in lines %}<p>{{ line.item }} {{ line.qty }} x {{ line.unitPrice }}</p>{% endfor %}"}
      zh: {subject: "报价", body: "<p>[zh]</p>{% for line in lines %}<p>{{ line.item }} {{ line.qty }} x {{ line.unitPrice }}</p>{% endfor %}"}
`;

describe.each(storeKinds())('the Gmail card chooses the buyer\'s language and reads typed money on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  let germanMail: { id: string; threadId: string };

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'glang', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    const op = operator(h.tenant.tenantId);
    await pushPack(h.tenant.tdb, op, PACK(h.tenant.groupSlug));
    // The rep works in Chinese: the defect sent Chinese to every buyer as "rep's pick zh-CN".
    await h.tenant.tdb.updateTable('users', { locale: 'zh-CN' }).where('id', '=', h.tenant.rep.id).execute();
    await createCustomer(h.tenant.tdb, op, { name: 'Firma GmbH', domains: ['firma.de'], country: 'DE' });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    germanMail = gmail.addMessage(h.tenant.rep.email, {
      from: 'Klaus Weber <einkauf@firma.de>',
      to: [h.tenant.rep.email],
      subject: 'RFQ LED panels',
      date: 'Tue, 1 Dec 2026 09:00:00 +0100',
      messageId: '<rfq-de-1@firma.de>',
      snippet: 'Hi Linda, could you please send us your best price for 500 LED panels? Kind regards, Klaus',
    });
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  const lines = 'Panel | 2 | 12,50 EUR';
  const compose = (to: string, locale: string) =>
    addonEvent(h, h.tenant.rep.email, { locale, gmail: { toRecipients: [to], accessToken: 'compose-token' }, parameters: { pack: 'lang-pack', template: 'offer' }, formInputs: { f_lines: lines } });
  async function openedGerman(parameters: Record<string, string>, locale = 'en-GB'): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { locale, parameters, gmail: { messageId: germanMail.id, threadId: germanMail.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }
  const previewOf = (res: { json: <T>() => T }) => JSON.stringify(shownCard(res.json<AddonResponse>()));

  it('a quotation to buyer@alfanar-trading.sa from a Chinese-speaking rep is in Arabic, and the card says why in Chinese', async () => {
    const card = previewOf(await post(h, '/compose/preview', await compose('buyer@alfanar-trading.sa', 'zh-CN')));
    expect(card).toContain('[ar]');
    expect(card).toContain('(ar: alfanar-trading.sa 是 SA 的域名)');
    expect(card).not.toContain('[zh]');
  });

  it('a new compras@empresa.es gets Spanish; the English card words the reason in English', async () => {
    const card = previewOf(await post(h, '/compose/preview', await compose('compras@empresa.es', 'en-GB')));
    expect(card).toContain('[es]');
    expect(card).toContain('(es: empresa.es is a domain of ES)');
  });

  it('a German buyer who wrote English gets English when the rep replies from the message card', async () => {
    const params = { pack: 'lang-pack', template: 'offer', mode: 'reply', to: 'einkauf@firma.de' };
    const event = await openedGerman(params);
    event.commonEventObject!.formInputs = { f_lines: { stringInputs: { value: [lines] } } } as never;
    const card = previewOf(await post(h, '/compose/preview', event));
    expect(card).toContain('[en]');
    expect(card).toContain('(en: the buyer’s last message is in en)');
  });

  it('"12,50 EUR" is 12.50 euros, printed in the variant\'s locale — never 1250', async () => {
    const res = await post(h, '/compose/insert', await compose('buyer@example.com', 'en-GB'));
    const html = res.json<AddonResponse>().renderActions?.hostAppAction?.gmailAction.updateDraftActionMarkup?.updateBody?.insertContents[0]?.content ?? '';
    expect(html).toContain('Panel 2 x €12.50');
    expect(html).not.toMatch(/1,?250/);
    const es = await post(h, '/compose/insert', await compose('compras@empresa.es', 'es-ES'));
    expect(es.json<AddonResponse>().renderActions?.hostAppAction?.gmailAction.updateDraftActionMarkup?.updateBody?.insertContents[0]?.content).toContain('Panel 2 x 12,50\u00a0€');
  });

  it('refuses money it cannot read one way, naming the field in the card\'s language', async () => {
    const event = await compose('buyer@example.com', 'zh-CN');
    event.commonEventObject!.formInputs = { f_lines: { stringInputs: { value: ['Panel | 2 | 12 XYZ'] } } } as never;
    const body = (await post(h, '/compose/insert', event)).json<AddonResponse>();
    expect(body.renderActions?.hostAppAction).toBeUndefined();
    expect(notification(body)).toBe('明细 第 1 行 单价：无法识别“12 XYZ”');
  });

  it('"turn into task" twice on one mail shows the task the rep already has', async () => {
    const first = notification((await post(h, '/message/task', await openedGerman({}))).json<AddonResponse>());
    expect(first).toMatch(/^Task created, due /);
    const second = notification((await post(h, '/message/task', await openedGerman({}))).json<AddonResponse>());
    expect(second).toMatch(/^You already have a task for this mail, due /);
    expect(await h.tenant.tdb.selectFrom('tasks').select('id').where('status', '=', 'open').execute()).toHaveLength(1);
  });
});
