import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import { pushPack } from '../../src/server/services/packs.js';
import { upsertContact } from '../../src/server/services/customers.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import { formatLocalIso } from '../../src/core/clienttime/zones.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

const PACK = (group: string) => `pack: gmail-pack
title: Gmail pack
groups: [${group}]
defaultLanguage: en
templates:
  - id: quotation
    kind: quote
    title: {en: Quotation, zh: 报价单}
    fields:
      - {name: product, type: text, required: true, label: {en: Product, zh: 产品}}
      - name: lines
        type: lines
        required: true
        label: {en: Items, zh: 明细}
        columns:
          - {name: item, type: text, required: true, label: {en: Item}}
          - {name: qty, type: number, required: true, label: {en: Quantity}}
          - {name: unitPrice, type: money, currency: USD, required: true, label: {en: Unit price}}
      - {name: incoterm, type: choice, options: [FOB, CIF, DDP], default: FOB, label: {en: Incoterm}}
      - {name: validUntil, type: date, required: true, label: {en: Valid until}}
    variants:
      en:
        subject: "Quotation: {{ product }}"
        body: "<p>Dear {{ contact.firstName | default: 'Sir or Madam' }},</p><p>{{ product }} {{ incoterm }} valid until {{ validUntil }}</p>{% for line in lines %}<p>{{ line.item }} x {{ line.qty }} at {{ line.unitPrice }}</p>{% endfor %}"
      zh:
        subject: "报价单：{{ product }}"
        body: "<p>您好！</p><p>{{ product }} {{ incoterm }}</p>{% for line in lines %}<p>{{ line.item }} × {{ line.qty }}</p>{% endfor %}"
  - id: sample-note
    kind: sample
    title: "Samples <b>sent</b> & tracked"
    variants:
      en: {subject: "Samples", body: "<p>Your samples are on their way.</p>"}
`;

describe.each(storeKinds())('the Gmail compose card on $name', (kind) => {
  let store: Store;
  let h: Harness;
  const buyer = 'hans@buyer-of-gcomp.de';

  beforeAll(async () => {
    store = await kind.open();
    h = await startHarness(store, 'gcomp');
    const op = operator(h.tenant.tenantId);
    await pushPack(h.tenant.tdb, op, PACK(h.tenant.groupSlug));
    await upsertContact(h.tenant.tdb, op, { email: buyer, firstName: 'Hans <i>' });
  });

  afterAll(async () => {
    await h.close();
    await store.close();
  });

  const compose = (parts: Parameters<typeof addonEvent>[2] = {}) => addonEvent(h, h.tenant.rep.email, { gmail: { toRecipients: [buyer], accessToken: 'compose-token' }, ...parts });

  it('opens with the rep\'s templates, a search by kind and language, and the recipient\'s local time with send slots', async () => {
    const res = await post(h, '/compose', await compose());
    expect(res.statusCode).toBe(200);
    const card = shownCard(res.json<AddonResponse>());
    const widgets = card.sections!.flatMap((s) => s.widgets ?? []);
    expect(widgets.some((w) => w.textInput?.name === 'q')).toBe(true);
    expect(widgets.find((w) => w.selectionInput?.name === 'kind')?.selectionInput?.items?.map((i) => i.value)).toEqual(['', 'inquiry', 'quote', 'sample', 'follow-up', 'shipping', 'payment', 'other']);
    expect(widgets.find((w) => w.selectionInput?.name === 'language')?.selectionInput?.items?.map((i) => i.value)).toEqual(['', 'en', 'zh']);
    const picks = actions(card).filter((a) => a.path === '/compose/template');
    expect(picks.map((p) => p.parameters.template).sort()).toEqual(['hello', 'quotation', 'sample-note']);
    // The admin's title with markup arrives as text.
    expect(JSON.stringify(card)).toContain('Samples &lt;b&gt;sent&lt;/b&gt; &amp; tracked');
    // Client time: the buyer's company is German → Europe/Berlin, with slots to schedule.
    const clock = widgets.find((w) => w.decoratedText?.topLabel === buyer)?.decoratedText;
    expect(clock?.text).toContain('Europe/Berlin');
    const slots = actions(card).filter((a) => a.path === '/schedule');
    expect(slots.length).toBeGreaterThanOrEqual(2);
    for (const slot of slots) expect(Date.parse(slot.parameters.at!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('searches with a kind filter', async () => {
    const res = await post(h, '/compose/search', await compose({ formInputs: { q: '', kind: 'quote' } }));
    const card = shownCard(res.json<AddonResponse>());
    expect(res.json<AddonResponse>().renderActions?.action?.navigations?.[0]?.updateCard).toBeDefined();
    expect(actions(card).filter((a) => a.path === '/compose/template').map((a) => a.parameters.template)).toEqual(['quotation']);
    const none = shownCard((await post(h, '/compose/search', await compose({ formInputs: { q: 'zzzzqqq' } }))).json<AddonResponse>());
    expect(actions(none).filter((a) => a.path === '/compose/template')).toEqual([]);
  });

  it('shows the typed fields as card inputs: text, line items, a dropdown and a date picker', async () => {
    const res = await post(h, '/compose/template', await compose({ parameters: { pack: 'gmail-pack', template: 'quotation' } }));
    const card = shownCard(res.json<AddonResponse>());
    const widgets = card.sections!.flatMap((s) => s.widgets ?? []);
    expect(widgets.find((w) => w.textInput?.name === 'f_product')?.textInput?.label).toBe('Product *');
    expect(widgets.find((w) => w.textInput?.name === 'f_lines')?.textInput?.type).toBe('MULTIPLE_LINE');
    expect(widgets.find((w) => w.selectionInput?.name === 'f_incoterm')?.selectionInput).toMatchObject({ type: 'DROPDOWN', items: expect.arrayContaining([expect.objectContaining({ value: 'FOB', selected: true })]) });
    expect(widgets.find((w) => w.dateTimePicker?.name === 'f_validUntil')?.dateTimePicker?.type).toBe('DATE_ONLY');
    expect(actions(card).map((a) => a.path)).toEqual(['/compose/preview', '/compose/insert', '/compose/document', '/followups/remind']);
  });

  it('names the missing values instead of inserting', async () => {
    const res = await post(h, '/compose/insert', await compose({ parameters: { pack: 'gmail-pack', template: 'quotation' }, formInputs: { f_product: 'LED panel' } }));
    const body = res.json<AddonResponse>();
    expect(body.renderActions?.hostAppAction).toBeUndefined();
    expect(notification(body)).toMatch(/Cannot insert yet: .*Items.*Valid until|Cannot insert yet: .*Valid until.*Items/);
    const card = shownCard(body);
    expect(JSON.stringify(card)).toContain('LED panel'); // what the rep typed stays
    // Each missing field is marked at the field itself (cards cannot focus one): a sign and the problem as its hint.
    const widgets = card.sections!.flatMap((s) => s.widgets ?? []);
    expect(widgets.find((w) => w.textInput?.name === 'f_lines')?.textInput).toMatchObject({ label: expect.stringMatching(/^⚠ /), hintText: expect.stringMatching(/is required$/) });
    expect(widgets.find((w) => w.dateTimePicker?.name === 'f_validUntil')?.dateTimePicker?.label).toMatch(/^⚠ Valid until/);
    expect(widgets.find((w) => w.textInput?.name === 'f_product')?.textInput?.label).toBe('Product *');
  });

  it('previews, then inserts the rendered HTML at the cursor and sets the subject of a new mail', async () => {
    const validUntil = Date.UTC(2026, 11, 31);
    const inputs = { f_product: 'LED <script>alert(1)</script> panel', f_lines: 'Panel 60x60 | 100 | 12.50\nDriver | 100 | 3 USD', f_incoterm: 'CIF', f_validUntil: { ms: validUntil }, setSubject: 'yes' };
    const preview = await post(h, '/compose/preview', await compose({ parameters: { pack: 'gmail-pack', template: 'quotation' }, formInputs: inputs }));
    const previewCard = shownCard(preview.json<AddonResponse>());
    expect(JSON.stringify(previewCard)).toContain('Panel 60x60');

    const res = await post(h, '/compose/insert', await compose({ parameters: { pack: 'gmail-pack', template: 'quotation' }, formInputs: inputs }));
    const markup = res.json<AddonResponse>().renderActions?.hostAppAction?.gmailAction.updateDraftActionMarkup;
    expect(markup?.updateBody?.type).toBe('IN_PLACE_INSERT');
    const inserted = markup?.updateBody?.insertContents[0];
    expect(inserted?.contentType).toBe('MUTABLE_HTML');
    expect(inserted?.content).toContain('Panel 60x60 x 100');
    expect(inserted?.content).toContain('CIF');
    expect(inserted?.content).toContain('Dear Hans &lt;i&gt;');
    expect(inserted?.content).not.toContain('<script>');
    expect(markup?.updateSubject?.subject).toBe('Quotation: LED <script>alert(1)</script> panel');
    // The use counts for the rep's ranking.
    const uses = await h.tenant.tdb.selectFrom('template_uses').selectAll().where('template_id', '=', 'quotation').execute();
    expect(uses.length).toBe(1);
  });

  it('leaves the subject alone in a reply (the draft already has the thread\'s subject)', async () => {
    const res = await post(h, '/compose/insert', await compose({ gmail: { toRecipients: [buyer], threadId: 'thread-9', accessToken: 't' }, parameters: { pack: 'gmail-pack', template: 'sample-note' }, formInputs: { setSubject: 'yes' } }));
    const markup = res.json<AddonResponse>().renderActions?.hostAppAction?.gmailAction.updateDraftActionMarkup;
    expect(markup?.updateBody?.insertContents[0]?.content).toContain('Your samples are on their way.');
    expect(markup?.updateSubject).toBeUndefined();
  });

  it('speaks Simplified Chinese to a rep whose Gmail is in Chinese, and picks the Chinese variant when asked', async () => {
    const card = shownCard((await post(h, '/compose', await compose({ locale: 'zh-CN' }))).json<AddonResponse>());
    expect(card.header?.title).toBe('插入模板');
    const res = await post(h, '/compose/insert', await compose({ locale: 'zh-CN', parameters: { pack: 'gmail-pack', template: 'quotation', language: 'zh' }, formInputs: { f_product: '面板', f_lines: '面板 | 10 | 1', f_validUntil: { ms: Date.UTC(2026, 11, 31) } } }));
    const body = res.json<AddonResponse>();
    expect(body.renderActions?.hostAppAction?.gmailAction.updateDraftActionMarkup?.updateBody?.insertContents[0]?.content).toContain('面板 × 10');
    expect(notification(body)).toBe('已插入“报价单”。');
  });

  it('without Google credentials, shows the exact time to pick in Gmail\'s own Schedule send, in the rep\'s zone', async () => {
    const at = '2030-03-04T08:00:00.000Z';
    const res = await post(h, '/schedule', await compose({ parameters: { at }, timeZone: 'Asia/Shanghai' }));
    const card = shownCard(res.json<AddonResponse>());
    expect(JSON.stringify(card)).toContain('2030-03-04 16:00');
    expect(JSON.stringify(card)).toContain('Asia/Shanghai');
    expect(formatLocalIso('Asia/Shanghai', Date.parse(at))).toContain('16:00');
  });

  it('says when there is no recipient yet, and refuses a template not published to the rep', async () => {
    const empty = shownCard((await post(h, '/compose', await addonEvent(h, h.tenant.rep.email, { gmail: { toRecipients: [] } }))).json<AddonResponse>());
    expect(JSON.stringify(empty)).toContain('Add a recipient to see their local time.');
    const res = await post(h, '/compose/template', await compose({ parameters: { pack: 'someone-elses', template: 'secret' } }));
    expect(res.statusCode).toBe(200);
    expect(notification(res.json<AddonResponse>())).toContain('is not published to you');
  });
});
