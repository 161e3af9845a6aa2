import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { newId } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { addNote, configureTeamInbox, touchPresence } from '../../src/server/services/team-inbox.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectText } from '../support/settle.js';
import { latinLeftovers } from '../support/latin-text.js';
import { cardToHtml, FORM_VALUES_SCRIPT } from '../support/card-html.js';
import { addonEvent, ENDPOINT_BASE, notification, post, shownCard, startHarness, type EventParts, type Harness } from '../server/gmail-harness.js';

jest.setTimeout(120_000);

const kind = storeKinds()[0]!;

/**
 * The team section of the Gmail message card as a rep sees it: the card JSON the store answers,
 * laid out by test/support/card-html.ts in headless Chromium, and driven by pressing its buttons
 * (the page's form values posted as Gmail would post them). A role-mailbox inquiry from a Dubai
 * buyer, Linda replying, a note; the rep gives it to Linda, closes and reopens it — in English and
 * in Chinese, where only data may stay Latin. The compose card's ownership warning likewise.
 */
describe(`the Gmail team card in Chromium (${kind.name})`, () => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let browser: Browser;
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  let mail: { id: string; threadId: string };
  let conversationId: string;

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gcard', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    const op = operator(h.tenant.tenantId);
    await pushPack(h.tenant.tdb, op, readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${h.tenant.groupSlug}]`));
    const mailbox = await addMailbox(h.tenant.tdb, op, new SecretBox(randomBytes(32)), { provider: 'imap', address: 'info@gcard.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 1 });
    const inbox = await configureTeamInbox(h.tenant.tdb, op, mailbox.id, { groups: [h.tenant.groupSlug], calendar: { country: 'CN', timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' }, handOff: { pack: 'demo-export', template: 'team-hand-off' } });
    const linda = await addUser(h.tenant.tdb, op, { email: 'linda@gcard.test', name: 'Linda Chen', groups: [h.tenant.groupSlug] });
    conversationId = newId();
    const asked = new Date(Date.now() - 3_600_000).toISOString();
    await h.tenant.tdb.insert('conversations', { id: conversationId, subject: 'Inquiry: LED panels', subject_key: 'inquiry: led panels', participants: '["karim@gulf-led.ae"]', customer_ids: '[]', customer_id: null, first_message_at: asked, last_message_at: asked, last_inbound_at: asked, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: inbox.id, clock_started_at: asked, warn_at: new Date(Date.now() + 86_400_000).toISOString(), due_at: new Date(Date.now() + 3 * 86_400_000).toISOString(), tags: '["high-intent"]', created_at: asked, updated_at: asked });
    const messageId = newId();
    await h.tenant.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailbox.id, conversation_id: conversationId, provider_id: messageId, folder: 'inbox', message_key: 'card-1@gulf-led.ae', from_address: 'karim@gulf-led.ae', to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 1, attachments: '[]', received_at: asked, subject: 'Inquiry: LED panels', direction: 'inbound', auto_verdict: 'none', language: 'en', excerpt: '', created_at: asked, date_header: 'Wed, 25 Nov 2026 12:00:00 +0400' });
    const lindaPrincipal = { tenantId: h.tenant.tenantId, userId: linda.id, email: linda.email, role: 'rep' as const, permissions: permissionsOfRole('rep'), label: linda.email, via: 'api-key' as const };
    await touchPresence(h.tenant.tdb, lindaPrincipal, conversationId, 'replying');
    await addNote(h.tenant.tdb, lindaPrincipal, conversationId, 'They asked for CE papers last year.');
    // Another rep's buyer for the compose warning.
    const acme = await createCustomer(h.tenant.tdb, op, { name: 'Acme Trading', domains: ['acme-trading.test'], country: 'AE' });
    await h.tenant.tdb.updateTable('customers', { owner_id: linda.id }).where('id', '=', acme.id).execute();
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    mail = gmail.addMessage(h.tenant.rep.email, { from: 'Karim <karim@gulf-led.ae>', to: ['info@gcard.test'], subject: 'Inquiry: LED panels', date: 'Wed, 25 Nov 2026 12:00:00 +0400', messageId: '<card-1@gulf-led.ae>' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await gmail?.stop();
    await store?.close();
  });

  async function opened(locale: string, parts: EventParts = {}): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { locale, timeZone: 'Asia/Shanghai', ...parts, gmail: { messageId: mail.id, threadId: mail.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  async function draw(page: Page, response: AddonResponse, lang: string): Promise<void> {
    await page.setContent(cardToHtml(shownCard(response), { notification: notification(response), lang }));
  }

  /** Presses a card button as Gmail would: its action's endpoint gets the event with the form's values and the action's parameters. */
  async function press(page: Page, name: string, locale: string): Promise<AddonResponse> {
    const data = await page.getByRole('button', { name, exact: true }).getAttribute('data-action');
    const action = JSON.parse(data!) as { function: string; parameters: { key: string; value: string }[] };
    const form = (await page.evaluate(FORM_VALUES_SCRIPT)) as Record<string, string[]>;
    const path = action.function.slice(ENDPOINT_BASE.length);
    const response = (await post(h, path, await opened(locale, { parameters: Object.fromEntries(action.parameters.map((p) => [p.key, p.value])), formInputs: form }))).json<AddonResponse>();
    await draw(page, response, locale);
    return response;
  }

  const team = (page: Page) => page.locator('.section').first().innerText();
  const data = ['Karim <karim@gulf-led.ae>', 'Karim', 'Inquiry: LED panels', 'Linda Chen', 'Rep gcard', 'They asked for CE papers last year.', 'high-intent', 'Acme Trading', 'Demo Export Co.'];

  it.each([
    ['en', 'en-GB'],
    ['zh-CN', 'zh-CN'],
  ])('the team section in %s: read, give to Linda, close, reopen', async (lang, locale) => {
    const page = await browser.newPage({ viewport: { width: 340, height: 900 }, locale });
    const errors = collectPageErrors(page);
    await draw(page, (await post(h, '/message', await opened(locale))).json<AddonResponse>(), lang);
    const first = await team(page);
    if (lang === 'en') {
      expect(first).toContain('Team inbox info@gcard.test');
      expect(first).toMatch(/State\s+(New|Assigned) · high-intent/);
      expect(first).toMatch(/Response clock\s+\d+ h \d+ min of business hours left\s+Due \d{4}-\d\d-\d\d \d\d:\d\d \(Asia\/Shanghai\)/);
      expect(first).toContain('Linda Chen is replying');
      expect(first).toContain('They asked for CE papers last year.');
    } else {
      expect(first).toContain('团队收件箱 info@gcard.test');
      expect(first).toContain('Linda Chen 正在回复');
      expect(first).toMatch(/还有 \d+ 小时 \d+ 分钟（工作时间）/);
    }
    await screenshot(page, `gmail-team-card-${lang}`);

    await page.getByRole('combobox').first().selectOption('linda@gcard.test');
    const given = await press(page, lang === 'en' ? 'Assign' : '分配', locale);
    expect(notification(given)).toBe(lang === 'en' ? 'Now with Linda Chen.' : '现由 Linda Chen 负责。');
    await expect(team(page)).resolves.toContain(lang === 'en' ? 'Handled by Linda Chen' : '负责人：Linda Chen');
    await screenshot(page, `gmail-team-card-${lang}-assigned`);
    await press(page, lang === 'en' ? 'Close' : '关闭', locale);
    await expectText(page.getByRole('status')).toBe(lang === 'en' ? 'Closed.' : '已关闭。');
    await expect(team(page)).resolves.toContain(lang === 'en' ? 'Closed' : '已关闭');
    await screenshot(page, `gmail-team-card-${lang}-closed`);
    await press(page, lang === 'en' ? 'Reopen' : '重新打开', locale);
    await expect(team(page)).resolves.toContain(lang === 'en' ? 'Assigned' : '已分配');

    const all = await page.locator('.panel').innerText();
    // No raw keys or placeholders anywhere.
    expect(all).not.toMatch(/\bteam[A-Z]\w+|\{\w+\}|teamState\.|teamAction\./);
    if (lang === 'zh-CN') expect(latinLeftovers(all, data)).toEqual([]);
    // Back to the queue for the next language.
    await page.getByRole('combobox').first().selectOption('');
    await press(page, lang === 'en' ? 'Assign' : '分配', locale);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['en', 'en-GB'],
    ['zh-CN', 'zh-CN'],
  ])('the compose card warns about another rep\'s buyer in %s', async (lang, locale) => {
    const page = await browser.newPage({ viewport: { width: 340, height: 900 }, locale });
    await draw(page, (await post(h, '/compose', await addonEvent(h, h.tenant.rep.email, { locale, timeZone: 'Asia/Shanghai', gmail: { toRecipients: ['buyer@acme-trading.test'], accessToken: 'compose-token' } }))).json<AddonResponse>(), lang);
    const warning = await page.locator('.section').first().innerText();
    expect(warning).toContain(lang === 'en' ? 'Linda Chen looks after Acme Trading (linda@gcard.test)' : 'Acme Trading 由 Linda Chen（linda@gcard.test）负责');
    if (lang === 'zh-CN') expect(latinLeftovers(warning, data)).toEqual([]);
    await screenshot(page, `gmail-compose-owner-${lang}`);
    await page.close();
  });
});
