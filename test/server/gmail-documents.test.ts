import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { listDocuments } from '../../src/server/services/documents.js';
import { renderDocumentInline } from '../../src/server/documents/task.js';
import type { AddonResponse, Card } from '../../src/gmail/cards.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, seedTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { readPdf } from '../support/pdf-text.js';
import { actions, addonEvent, cardTexts, notification, post, shownCard, startHarness, type EventParts, type Harness } from './gmail-harness.js';

/**
 * "Make PDF" in the Gmail compose card (issue #17 part 2): the quotation / PI drawn by the store,
 * then added to the rep's saved draft through the Gmail API (acting as the rep with their own
 * grant, against the fake Gmail driven by the real googleapis client), or a link to the store
 * inserted at the cursor when the store cannot write to the draft or the pack prefers links. The
 * link serves the PDF without sign-in and counts its openings.
 */

const docPack = (slug: string, groups: string[], delivery?: 'link') => `pack: ${slug}
title: Trade documents
groups: [${groups.join(', ')}]
defaultLanguage: en
company:
  name: Demo Export Co., Ltd.
  phone: "+86 574 8888 0000"
${delivery ? `policies:\n  documentDelivery: ${delivery}\n` : ''}templates:
  - id: quotation
    kind: quote
    title: Quotation
    fields:
      - name: lines
        type: lines
        required: true
        columns:
          - {name: item, type: text, required: true}
          - {name: qty, type: number, required: true}
          - {name: unitPrice, type: money, currency: USD, required: true}
      - {name: incoterm, type: choice, options: [EXW, FOB, CIF], default: FOB}
      - {name: place, type: text}
    variants:
      en: {subject: "Quotation", body: "<p>See the attached quotation.</p>"}
  - id: hello
    kind: inquiry
    title: Hello
    variants:
      en: {subject: "Hello", body: "<p>Hello</p>"}
`;

const buyer = 'hans@buyer-of-gdoc.de';
// 100 × 12.50 = 1,250.00; 101 × 13.25 = 1,338.25; total 2,588.25
const LINES = 'Ball valve DN15 | 100 | 12.50\nBall valve DN20 | 101 | 13.25';
const year = new Date().getUTCFullYear();

/** The draft's source split at its first blank line. */
const headOf = (source: Buffer) => source.toString('utf8').split('\r\n\r\n')[0]!;

describe.each(storeKinds())('Make PDF in the Gmail compose card on $name', (kind) => {
  const gmail = new FakeGmail();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let h: Harness;
  const unconnected = 'unconnected@gdoc.test';

  beforeAll(async () => {
    await gmail.start();
    store = await kind.open();
    const grants = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, oauthClient: { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret } }, store.db, box);
    h = await startHarness(store, 'gdoc', { gmailAddon: { credentials: grants, gmailRootUrl: gmail.rootUrl() }, documentDraw: renderDocumentInline });
    gmail.addUser(h.tenant.rep.email);
    // The rep connected their Google account: a refresh token sealed at rest.
    await store.db
      .insertInto('google_grants')
      .values({ tenant_id: h.tenant.tenantId, user_id: h.tenant.rep.id, refresh_token: box.seal({ refreshToken: gmail.issueRefreshToken(h.tenant.rep.email) }), scopes: '[]', granted_at: new Date().toISOString(), revoked_reason: null })
      .execute();
    await addUser(h.tenant.tdb, operator(h.tenant.tenantId), { email: unconnected, name: 'Not connected', groups: [h.tenant.groupSlug] });
    await pushPack(h.tenant.tdb, operator(h.tenant.tenantId), docPack('trade-docs', [h.tenant.groupSlug]), undefined, { publish: true });
    await pushPack(h.tenant.tdb, operator(h.tenant.tenantId), docPack('trade-links', [h.tenant.groupSlug], 'link'), undefined, { publish: true });
  });

  afterAll(async () => {
    await h.close();
    await store.close();
    await gmail.stop();
  });

  const compose = (parts: EventParts = {}, email = h.tenant.rep.email) => addonEvent(h, email, { gmail: { toRecipients: [buyer], accessToken: 'compose-token' }, ...parts });
  const makePdf = async (parts: EventParts & { pack?: string; docKind?: string; lines?: string } = {}, email?: string) =>
    (await post(h, '/compose/document', await compose({ parameters: { pack: parts.pack ?? 'trade-docs', template: 'quotation', mode: 'compose' }, formInputs: { f_lines: parts.lines ?? LINES, f_place: 'Ningbo', docKind: parts.docKind ?? 'quotation' }, ...parts }, email))).json<AddonResponse>();
  const insertedHtml = (r: AddonResponse) => r.renderActions?.hostAppAction?.gmailAction?.updateDraftActionMarkup?.updateBody?.insertContents?.[0]?.content ?? '';
  const linkPath = (html: string) => /href="https?:\/\/[^/"]+(\/doc\/[A-Za-z0-9_-]{43})"/.exec(html)?.[1];

  it('offers Make PDF on a template with item lines, in English and Chinese, and not on one without', async () => {
    const open = async (template: string, locale = 'en-GB') => shownCard((await post(h, '/compose/template', await compose({ locale, parameters: { pack: 'trade-docs', template, mode: 'compose' } }))).json<AddonResponse>());
    const card: Card = await open('quotation');
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Quotation or proforma invoice (PDF)', 'Document', 'Quotation', 'Proforma invoice', 'Make PDF']));
    expect(actions(card).find((a) => a.text === 'Make PDF')).toMatchObject({ path: '/compose/document', parameters: { pack: 'trade-docs', template: 'quotation', mode: 'compose' } });
    const zh = await open('quotation', 'zh-CN');
    expect(cardTexts(zh)).toEqual(expect.arrayContaining(['报价单或形式发票（PDF）', '单据', '报价单', '形式发票', '生成 PDF']));
    expect(cardTexts(await open('hello')).join('\n')).not.toContain('Make PDF');
  });

  it('adds the quotation to the saved draft, keeping its body, recipients, subject and thread', async () => {
    const rep = h.tenant.rep.email;
    const thread = gmail.addMessage(rep, { from: buyer, to: [rep], subject: 'RFQ valves', date: new Date().toUTCString(), messageId: '<rfq-1@buyer-of-gdoc.de>' });
    const html = '<p>Dear Mr Müller,</p><p>please find our offer — 报价 attached.</p>';
    const draft = gmail.addDraft(rep, { to: [`Hans Müller <${buyer}>`], cc: ['boss@buyer-of-gdoc.de'], subject: 'Re: RFQ valves', threadId: thread.threadId, inReplyTo: '<rfq-1@buyer-of-gdoc.de>', html });
    const before = gmail.draft(rep, draft.draftId)!;

    const answer = await makePdf({ gmail: { toRecipients: [buyer], ccRecipients: ['boss@buyer-of-gdoc.de'], threadId: thread.threadId, accessToken: 'compose-token' } });
    expect(notification(answer)).toMatch(new RegExp(`^Q-${year}-0001 is attached to your draft \\(\\d+ KB\\)\\.`));
    expect(insertedHtml(answer)).toBe('');

    const after = gmail.draft(rep, draft.draftId)!;
    expect(after.threadId).toBe(before.threadId);
    expect(after.id).not.toBe(before.id); // drafts.update gives the draft a new message
    const head = headOf(after.source!);
    for (const line of headOf(before.source!).split('\r\n').filter((l) => !/^(Content-|MIME-Version)/i.test(l))) expect(head).toContain(line);
    const boundary = /Content-Type: multipart\/mixed; boundary="([^"]+)"/.exec(head)?.[1];
    expect(boundary).toBeDefined();
    const parts = after.source!.toString('utf8').split(`--${boundary}`);
    // preamble, the original body with its own headers, the PDF, the closing "--"
    expect(parts).toHaveLength(4);
    expect(parts[1]).toBe(`\r\nContent-Type: text/html; charset="UTF-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}\r\n`);
    expect(parts[2]).toContain(`Content-Type: application/pdf; name="Q-${year}-0001.pdf"`);
    expect(parts[2]).toContain(`Content-Disposition: attachment; filename="Q-${year}-0001.pdf"`);
    const pdf = Buffer.from(parts[2]!.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64');
    const text = await readPdf(pdf);
    for (const expected of [`Q-${year}-0001`, 'Demo Export Co., Ltd.', 'USD 1,338.25', 'USD 2,588.25', buyer]) expect(text.joined).toContain(expected);
    expect(parts[3]).toBe('--\r\n');

    // Read whole and written back as the rep, with the token Google granted for the rep's mailbox.
    const calls = gmail.requests.filter((r) => r.path === `/gmail/v1/users/me/drafts/${draft.draftId}`);
    expect(calls.map((c) => `${c.method} ${c.query.format ?? ''}`)).toEqual(expect.arrayContaining(['GET raw', 'PUT ']));
    expect(calls.every((c) => c.user === rep)).toBe(true);
    const row = await h.tenant.tdb.selectFrom('documents').selectAll().where('number', '=', `Q-${year}-0001`).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'quotation', pack: 'trade-docs', template_id: 'quotation', created_by: h.tenant.rep.id, byte_size: pdf.byteLength });
  });

  it('adds a PI as one more attachment to a draft that already has one', async () => {
    const rep = h.tenant.rep.email;
    const other = 'second@buyer-of-gdoc.de';
    const draft = gmail.addDraft(rep, { to: [other], subject: 'Offer' });
    // A first PDF makes the draft multipart/mixed; the second goes in beside it.
    await makePdf({ gmail: { toRecipients: [other], accessToken: 'compose-token' } });
    const answer = await makePdf({ docKind: 'proforma', gmail: { toRecipients: [other], accessToken: 'compose-token' } });
    expect(notification(answer)).toMatch(new RegExp(`^PI-${year}-0001 is attached`));
    const source = gmail.draft(rep, draft.draftId)!.source!.toString('utf8');
    expect(source.match(/Content-Type: multipart\/mixed/g)).toHaveLength(1);
    expect(source).toContain(`filename="Q-${year}-0002.pdf"`);
    expect(source).toContain(`filename="PI-${year}-0001.pdf"`);
    expect(source.indexOf(`Q-${year}-0002.pdf`)).toBeLessThan(source.indexOf(`PI-${year}-0001.pdf`));
    expect(source.trimEnd().endsWith('--')).toBe(true);
  });

  it('inserts a link when the draft is not saved yet, and the link serves the PDF and counts each opening', async () => {
    const answer = await makePdf({ gmail: { toRecipients: ['nobody-yet@buyer-of-gdoc.de'], accessToken: 'compose-token' } });
    expect(notification(answer)).toBe(`Your draft is not saved yet, so a link to Q-${year}-0003 is in your mail instead of an attachment.`);
    const html = insertedHtml(answer);
    expect(html).toMatch(new RegExp(`^<p><a href="[^"]+">Q-${year}-0003\\.pdf</a></p>$`));
    expect(answer.renderActions?.hostAppAction?.gmailAction?.updateDraftActionMarkup?.updateBody?.type).toBe('IN_PLACE_INSERT');
    const path = linkPath(html)!;
    expect(path).toBeDefined();

    const row = await h.tenant.tdb.selectFrom('documents').select('id').where('number', '=', `Q-${year}-0003`).executeTakeFirstOrThrow();
    const link = () => h.tenant.tdb.selectFrom('document_links').selectAll().where('document_id', '=', row.id).executeTakeFirstOrThrow();
    expect(await link()).toMatchObject({ open_count: 0, first_opened_at: null, last_opened_at: null, created_by: h.tenant.rep.id });
    // Only the token's digest is stored.
    expect((await link()).token_hash).not.toContain(path.slice(5));

    const head = await h.app.inject({ method: 'HEAD', url: path });
    expect(head.statusCode).toBe(200);
    expect(Number((await link()).open_count)).toBe(0);

    const first = await h.app.inject({ method: 'GET', url: path });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.headers['content-disposition']).toBe(`inline; filename="Q-${year}-0003.pdf"`);
    expect((await readPdf(first.rawPayload)).joined).toContain(`Q-${year}-0003`);
    const once = await link();
    expect(Number(once.open_count)).toBe(1);
    expect(once.first_opened_at).not.toBeNull();
    expect(once.last_opened_at).toBe(once.first_opened_at);

    expect((await h.app.inject({ method: 'GET', url: path })).rawPayload.equals(first.rawPayload)).toBe(true);
    const twice = await link();
    expect(Number(twice.open_count)).toBe(2);
    expect(twice.first_opened_at).toBe(once.first_opened_at);
    expect(Date.parse(twice.last_opened_at!)).toBeGreaterThanOrEqual(Date.parse(once.first_opened_at!));
    // The rep's list of documents shows it.
    const listed = (await listDocuments(h.tenant.tdb)).find((d) => d.number === `Q-${year}-0003`);
    expect(listed?.link).toEqual({ opens: 2, firstOpenedAt: once.first_opened_at, lastOpenedAt: twice.last_opened_at });
  });

  it('inserts a link for a rep who has not connected Google, in Chinese for a Chinese Gmail', async () => {
    const answer = await makePdf({ locale: 'zh-CN', docKind: 'proforma' }, unconnected);
    expect(notification(answer)).toBe(`邮件中已插入 PI-${year}-0002 的链接：买方打开时 tradepane 会记录。`);
    expect((await h.app.inject({ method: 'GET', url: linkPath(insertedHtml(answer))! })).statusCode).toBe(200);
  });

  it('inserts a link, leaving the saved draft alone, when the pack prefers links', async () => {
    const rep = h.tenant.rep.email;
    const to = 'linkpref@buyer-of-gdoc.de';
    const draft = gmail.addDraft(rep, { to: [to], subject: 'Offer', html: '<p>Hi</p>' });
    const before = gmail.draft(rep, draft.draftId)!;
    const answer = await makePdf({ pack: 'trade-links', gmail: { toRecipients: [to], accessToken: 'compose-token' } });
    expect(notification(answer)).toBe(`A link to Q-${year}-0004 is in your mail: tradepane records when the buyer opens it.`);
    expect(linkPath(insertedHtml(answer))).toBeDefined();
    expect(gmail.draft(rep, draft.draftId)).toBe(before);
  });

  it('re-shows the form naming what is missing, and takes no number', async () => {
    const before = await h.tenant.tdb.selectFrom('documents').select('id').execute();
    const answer = await makePdf({ lines: '' });
    const card = shownCard(answer);
    expect(cardTexts(card)).toContain('<font color="#b3261e">lines: is empty; a document needs at least one item line</font>');
    expect(notification(answer)).toBe('lines: is empty; a document needs at least one item line');
    expect(await h.tenant.tdb.selectFrom('documents').select('id').execute()).toHaveLength(before.length);
  });

  it('answers 404 for a token that is unknown, malformed, or points at another company\'s document', async () => {
    expect((await h.app.inject({ method: 'GET', url: `/doc/${randomBytes(32).toString('base64url')}` })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: '/doc/..%2F..%2Fetc' })).statusCode).toBe(404);
    // A link row in another tenant naming this tenant's document (never made by the store, but the
    // lookup must not trust it): the document is read in the link's tenant only.
    const other = await seedTenant(store, 'gdoc-other');
    const doc = await h.tenant.tdb.selectFrom('documents').select('id').where('number', '=', `Q-${year}-0001`).executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    const { createHash } = await import('node:crypto');
    await other.tdb.insert('document_links', { token_hash: createHash('sha256').update(token).digest('hex'), document_id: doc.id, created_by: null, created_at: new Date().toISOString() });
    const res = await h.app.inject({ method: 'GET', url: `/doc/${token}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });
});
