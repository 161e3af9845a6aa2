import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { setCompanyProfile } from '../../src/server/services/company-profile.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, packYaml } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, cardTexts, notification, post, shownCard, startHarness, type EventParts, type Harness } from './gmail-harness.js';

/**
 * The outbound payment guard in Gmail's compose card (issue #17 part 3): the store reads the rep's
 * saved draft with their own Google grant (the compose event never carries the body) from the fake
 * Gmail, runs the same check as POST /me/payment-check, and words it in the rep's language; a draft
 * the pack's policy blocks is not scheduled.
 */

const OFFICIAL_IBAN = 'DE89 3704 0044 0532 0130 00';
const FOREIGN_IBAN = 'GB82 WEST 1234 5698 7654 32';
const ahead = (hours: number) => new Date(Math.ceil((Date.now() + hours * 3_600_000) / 60_000) * 60_000).toISOString();

describe.each(storeKinds())('checking bank details from the Gmail compose card on $name', (kind) => {
  const gmail = new FakeGmail();
  const box = new SecretBox(randomBytes(32));
  let store: Store;
  let h: Harness;
  const unconnected = 'unconnected@gcpay.test';

  beforeAll(async () => {
    await gmail.start();
    store = await kind.open();
    const grants = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, oauthClient: { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret } }, store.db, box);
    h = await startHarness(store, 'gcpay', { gmailAddon: { credentials: grants, gmailRootUrl: gmail.rootUrl() } });
    gmail.addUser(h.tenant.rep.email);
    await store.db
      .insertInto('google_grants')
      .values({ tenant_id: h.tenant.tenantId, user_id: h.tenant.rep.id, refresh_token: box.seal({ refreshToken: gmail.issueRefreshToken(h.tenant.rep.email) }), scopes: '[]', granted_at: new Date().toISOString(), revoked_reason: null })
      .execute();
    await addUser(h.tenant.tdb, operator(h.tenant.tenantId), { email: unconnected, name: 'Not connected', groups: [h.tenant.groupSlug] });
    await setCompanyProfile(h.tenant.tdb, operator(h.tenant.tenantId), { legalName: 'Exporter Co.', bankAccounts: [{ label: 'EUR', beneficiary: 'Exporter Co.', bankName: 'Deutsche Bank', iban: OFFICIAL_IBAN, swift: 'DEUTDEFF' }] });
  });

  afterAll(async () => {
    await h.close();
    await store.close();
    await gmail.stop();
  });

  const compose = (to: string, parts: EventParts = {}, email = h.tenant.rep.email) => addonEvent(h, email, { gmail: { toRecipients: [to], accessToken: 'compose-token' }, ...parts });
  const check = async (to: string, parts: EventParts = {}, email?: string) => (await post(h, '/compose/payment-check', await compose(to, parts, email))).json<AddonResponse>();

  it('offers the check on the compose card', async () => {
    const card = shownCard((await post(h, '/compose', await compose('a@buyer-gcpay.de'))).json<AddonResponse>());
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Bank details in this mail', 'Check bank details']));
    expect(actions(card).find((a) => a.text === 'Check bank details')?.path).toBe('/compose/payment-check');
  });

  it('finds only the official account in a draft that quotes it', async () => {
    gmail.addDraft(h.tenant.rep.email, { to: ['clean@buyer-gcpay.de'], subject: 'PI', html: `<p>Please pay to IBAN <b>${OFFICIAL_IBAN}</b>, SWIFT DEUTDEFF</p>` });
    const card = shownCard(await check('clean@buyer-gcpay.de'));
    expect(cardTexts(card)).toEqual(['Bank details in this mail', '<font color="#146c2e"><b>No bank details other than the company’s official ones.</b></font>', '2 official accounts found.']);
  });

  it('warns about another account, in English and in Chinese, reading the saved draft as the rep', async () => {
    gmail.addDraft(h.tenant.rep.email, { to: ['warn@buyer-gcpay.de'], subject: 'PI', html: `<p>Please pay to ${FOREIGN_IBAN}</p>` });
    const before = gmail.requests.length;
    const card = shownCard(await check('warn@buyer-gcpay.de'));
    expect(cardTexts(card)).toEqual([
      'Bank details in this mail',
      '<font color="#b10e1c"><b>This message carries bank details that are not the company\'s official ones. Check them before sending.</b></font>',
      'Bank details GB82…5432 (IBAN) are not one of the company\'s official accounts.',
    ]);
    const read = gmail.requests.slice(before).filter((r) => /\/drafts\/r-/.test(r.path));
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((r) => r.user === h.tenant.rep.email && r.method === 'GET')).toBe(true);
    const zh = shownCard(await check('warn@buyer-gcpay.de', { locale: 'zh-CN' }));
    expect(cardTexts(zh)).toEqual(['此邮件中的银行信息', '<font color="#b10e1c"><b>此邮件包含的银行信息不是公司的官方账户，发送前请核对。</b></font>', '银行信息 GB82…5432（国际银行账号）不是公司的官方账户。']);
  });

  it('schedules a draft the policy only warns about, saying so', async () => {
    const answer = (await post(h, '/schedule', await compose('warn@buyer-gcpay.de', { parameters: { at: ahead(30) } }))).json<AddonResponse>();
    expect(notification(answer)).toMatch(/^Scheduled for .+ This message carries bank details that are not the company's official ones\. Check them before sending\.$/);
    expect(await h.tenant.tdb.selectFrom('scheduled_sends').select('id').where('status', '=', 'pending').execute()).toHaveLength(1);
  });

  it('under a blocking pack: says not to send, and refuses to schedule', async () => {
    await pushPack(h.tenant.tdb, operator(h.tenant.tenantId), `${packYaml('gcpay-strict', [h.tenant.groupSlug])}policies:\n  payments: block\n`);
    gmail.addDraft(h.tenant.rep.email, { to: ['block@buyer-gcpay.de'], subject: 'PI', html: `<p>New account: ${FOREIGN_IBAN}</p>` });
    const card = shownCard(await check('block@buyer-gcpay.de'));
    expect(cardTexts(card).slice(1, 3)).toEqual([
      '<font color="#b10e1c"><b>This message carries bank details that are not the company\'s official ones, and company policy blocks it. Insert the bank details from the official profile instead.</b></font>',
      '<b>Do not send this mail: Gmail does not let tradepane stop it, and tradepane will not schedule it.</b>',
    ]);
    const pending = async () => (await h.tenant.tdb.selectFrom('scheduled_sends').select('recipients').where('status', '=', 'pending').execute()).length;
    const queued = await pending();
    const answer = (await post(h, '/schedule', await compose('block@buyer-gcpay.de', { parameters: { at: ahead(30) } }))).json<AddonResponse>();
    expect(notification(answer)).toBe('Not scheduled: the draft carries bank details that are not the company’s official ones.');
    expect(cardTexts(shownCard(answer))[0]).toBe('Bank details in this mail');
    expect(await pending()).toBe(queued);
  });

  it('asks to save the draft first, and tells a rep without a grant to connect', async () => {
    expect(notification(await check('nobody@buyer-gcpay.de'))).toBe('Save the draft first (Gmail saves it a few seconds after you type), then try again.');
    expect(notification(await check('warn@buyer-gcpay.de', {}, unconnected))).toBe('tradepane cannot read your draft: connect your Google account first.');
    expect(notification(await check('warn@buyer-gcpay.de', { locale: 'zh-CN' }, unconnected))).toBe('tradepane 无法读取您的草稿：请先关联您的 Google 账号。');
  });
});
