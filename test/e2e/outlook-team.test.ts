import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import type { Store } from '../../src/server/db/connect.js';
import { newId } from '../../src/server/db/tenant-db.js';
import { pushPack } from '../../src/server/services/packs.js';
import { addUser } from '../../src/server/services/people.js';
import { teamInboxArrival } from '../../src/server/services/team-inbox.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectCount, expectText } from '../support/settle.js';
import { operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { latinLeftovers } from '../support/latin-text.js';
import { storeKinds } from '../support/stores.js';

jest.setTimeout(180_000);

/**
 * The team inbox in Outlook, driven as reps would in the playground (docs/outlook.md): two reps,
 * each in a browser context of their own with the REAL task pane and event handlers, open the demo
 * team inbox's inquiry as an item of the shared mailbox info@ (the store's dev-only seed). Linda
 * (English Outlook) claims it, notes for Omar and hands off in the buyer's language; Omar (Chinese
 * Outlook) sees her, is refused the claim in words, and is warned on send — a colleague answered,
 * the buyer is Linda's. Then the languages swap.
 */
describe('the team inbox in the Outlook playground, two reps (Chromium)', () => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  let base: string;
  let dataDir: string;
  let browser: Browser;
  const reps = { linda: { id: '', email: '', name: 'Linda Chen' }, omar: { id: '', email: '', name: 'Omar Haddad' } };
  const pageErrors: string[][] = [];

  beforeAll(async () => {
    store = await storeKinds()[0]!.open();
    t = await seedTenant(store, 'e2e-olteam');
    const op = operator(t.tenantId);
    // The demo pack (its hand-off template in six languages) for this tenant's group.
    const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`);
    await pushPack(t.tdb, op, demo);
    for (const key of ['linda', 'omar'] as const) {
      const u = await addUser(t.tdb, op, { email: `${key}@${t.slug}.test`, name: reps[key].name, title: key === 'linda' ? 'Sales Manager Europe' : 'Sales Manager Middle East', groups: [t.groupSlug] });
      reps[key] = { id: u.id, email: u.email, name: reps[key].name };
    }
    dataDir = mkdtempSync(join(tmpdir(), 'tp-e2e-olteam-'));
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner: await loadDevSigner(dataDir) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    // Chromium logs every 4xx answer (the 409 of a lost claim) and the requests we abort; script errors and 5xx are bugs.
    expect(pageErrors.flat().filter((e) => !/ERR_FAILED|net::|responded with a status of 4\d\d/.test(e))).toEqual([]);
  });

  interface Rep {
    context: BrowserContext;
    page: Page;
    pane: () => FrameLocator;
  }

  async function playground(who: 'linda' | 'omar', language: 'en-US' | 'zh-CN'): Promise<Rep> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', timezoneId: 'Asia/Shanghai' });
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    pageErrors.push(collectPageErrors(page));
    await page.goto(`${base}/dev/playground?email=${encodeURIComponent(reps[who].email)}`);
    await page.getByLabel('Events runtime').getByText(/handlers registered/).waitFor();
    if (language !== 'en-US') await page.getByLabel('Outlook language').selectOption(language);
    const pane = () => page.frameLocator('iframe[title="tradepane task pane"]');
    await pane().getByRole('heading', { name: 'tradepane' }).waitFor();
    return { context, page, pane };
  }

  const openTeamMail = async (rep: Rep) => {
    await rep.page.getByRole('button', { name: 'Open info@ team mail (shared mailbox)' }).click();
    await rep.page.getByLabel('Simulated received message').waitFor();
  };

  /** The pane's text as a rep reads it (the frame's body). */
  const paneText = (rep: Rep) => rep.pane().locator('body').innerText();

  const shot = async (page: Page, name: string) => {
    await screenshot(page, `outlook-team-${name}`);
  };

  /** Runs `open` (New message, Reply) and waits for the compose launch event it fires to complete (the signature is in). */
  const compose = async (rep: Rep, open: () => Promise<void>) => {
    const count = () => window.tradepanePlayground!.mailbox.eventLog.filter((e) => e.event.includes('OnNewMessageCompose')).length;
    const before = await rep.page.evaluate(count);
    await open();
    await rep.page.waitForFunction((n) => window.tradepanePlayground!.mailbox.eventLog.filter((e) => e.event.includes('OnNewMessageCompose')).length > n, before);
    await rep.page.getByLabel('Simulated compose window').waitFor();
  };

  /** Send in the playground: the real OnMessageSend handler; answers what Outlook would show. */
  const send = async (rep: Rep): Promise<string> => {
    await rep.page.getByRole('button', { name: 'Send', exact: true }).click();
    const outcome = rep.page.getByRole('alert', { name: 'Send blocked' }).or(rep.page.getByRole('status').filter({ hasText: 'Sent (the playground does not deliver mail).' }));
    await outcome.first().waitFor();
    return outcome.first().innerText();
  };

  /** Data the Chinese pane may show in Latin letters: names, the buyer's company, the subject, the note Linda typed, titles, tags. */
  const data = () => [`Rep ${t.slug}`, 'Linda Chen', 'Omar Haddad', 'Hamburg Import GmbH', 'Anna Schmidt', 'Anfrage: LED-Panels für unsere Filialen', "@omar Anna asked for FOB Ningbo; can you check last year's price?", 'Sales Manager Europe', 'Sales Manager Middle East', 'high-intent'];

  it('Linda claims, notes and hands off from the shared mailbox; Omar sees her, loses the claim in words and is warned on send; in English and Chinese', async () => {
    const role = `info@${t.slug}.test`;
    const linda = await playground('linda', 'en-US');
    await openTeamMail(linda);
    await expectText(linda.page.getByLabel('Shared mailbox')).toContain(role);
    const lp = linda.pane();
    await lp.getByRole('heading', { name: `Team inbox ${role}` }).waitFor();
    // getSharedPropertiesAsync named the shared mailbox; the store found the conversation.
    await lp.getByText(`Opened from the shared mailbox ${role}`).waitFor();
    await lp.getByText('Nobody has taken it yet.').waitFor();
    await lp.getByText(/of business hours left to answer|Overdue by/).waitFor();
    await lp.getByText('No notes yet.').waitFor();
    await lp.getByText(/^Buyer's time now: .+ \(Europe\/Berlin\)$/).waitFor();
    await shot(linda.page, 'en-linda-opened');

    // Omar's Outlook is in Chinese and has no getSharedPropertiesAsync (new Outlook): the store still finds it.
    const omar = await playground('omar', 'zh-CN');
    await omar.page.getByLabel('getSharedPropertiesAsync (off: like new Outlook)').uncheck();
    await omar.pane().getByRole('heading', { name: 'tradepane' }).waitFor();
    await openTeamMail(omar);
    const op = omar.pane();
    await op.getByRole('heading', { name: `团队收件箱 ${role}` }).waitFor();
    await expectCount(op.getByText(/从共享邮箱/), 0);
    await op.getByText('Linda Chen 正在查看此会话').waitFor();
    await op.getByRole('button', { name: '我来处理' }).waitFor();

    // Linda claims first; Omar, whose pane still offers it, is told who has it.
    await lp.getByRole('button', { name: "I'll take it" }).click();
    await lp.getByText('Handled by Linda Chen').waitFor();
    await op.getByRole('button', { name: '我来处理' }).click();
    await op.getByRole('alert').getByText('Linda Chen 已认领此会话。').waitFor();
    await op.getByText('负责人：Linda Chen').waitFor();
    await expectCount(op.getByRole('button', { name: '我来处理' }), 0);
    await shot(omar.page, 'zh-omar-claim-refused');
    expect(latinLeftovers(await paneText(omar), data())).toEqual([]);

    // An internal note with an @mention.
    await lp.getByLabel('Add a note for the team').fill('@omar Anna asked for FOB Ningbo; can you check last year\'s price?');
    await lp.getByRole('button', { name: 'Add note' }).click();
    await lp.getByText("@omar Anna asked for FOB Ningbo; can you check last year's price?").waitFor();
    const note = await t.tdb.selectFrom('team_notes').select(['mentions']).executeTakeFirstOrThrow();
    expect(note.mentions).toContain(reps.omar.id);

    // The hand-off: the inbox's template rendered by the store in the buyer's language (German).
    await lp.getByRole('button', { name: 'Hand off from my address' }).click();
    const handOff = lp.getByRole('region', { name: 'Hand-off to the buyer' });
    await handOff.getByText(/The team's hand-off in German, to anna@hamburg-import\.de/).waitFor();
    await handOff.getByText(/mein Name ist Linda Chen, Sales Manager Europe\. Ihre Anfrage an info@/).waitFor();
    await shot(linda.page, 'en-linda-hand-off');
    await handOff.getByRole('button', { name: 'Open the reply' }).click();
    // Outlook's reply form on the buyer's mail, the hand-off above the quoted inquiry, in the thread.
    await linda.page.getByLabel('Simulated compose window').waitFor();
    await expect(linda.page.evaluate(() => window.tradepanePlayground!.mailbox.replyFormHtml)).resolves.toContain('Ihre Anfrage an');
    const reply = await linda.page.evaluate(() => {
      const c = window.tradepanePlayground!.mailbox.compose!;
      return { to: c.to.map((p) => p.address), subject: c.subject, body: c.bodyHtml, conversationId: c.conversationId, composeType: c.composeType };
    });
    expect(reply).toMatchObject({ to: ['anna@hamburg-import.de'], subject: 'Re: Anfrage: LED-Panels für unsere Filialen', conversationId: 'AAQkADdemoTeamInboxLedPanels', composeType: 'reply' });
    expect(reply.body).toMatch(/^<p>Sehr geehrte Damen und Herren,<\/p>/);
    expect(reply.body).toContain('mein Name ist Linda Chen');
    expect(reply.body.indexOf('Ihre Anfrage an')).toBeLessThan(reply.body.indexOf('wir interessieren uns'));
    await shot(linda.page, 'en-linda-reply-form');

    // The sync stores Linda's answer (as the mailbox sync's hook would, see test/server/team-inbox.test.ts).
    const conversation = await t.tdb.selectFrom('conversations').select(['id', 'customer_id']).where('subject', '=', 'Anfrage: LED-Panels für unsere Filialen').executeTakeFirstOrThrow();
    const mailbox = await t.tdb.selectFrom('mailboxes').select('id').where('address', '=', role).executeTakeFirstOrThrow();
    const at = new Date().toISOString();
    const id = newId();
    await t.tdb.transaction(async (tdb) => {
      await tdb.insert('mail_messages', { id, mailbox_id: mailbox.id, conversation_id: conversation.id, provider_id: id, provider_thread_id: 'AAQkADdemoTeamInboxLedPanels', folder: 'sent', message_key: `${id}@${t.slug}.test`, from_address: reps.linda.email, from_name: reps.linda.name, to_addresses: '["anna@hamburg-import.de"]', cc_addresses: '[]', reference_keys: '["team-demo-1@hamburg-import.de"]', size_bytes: 100, attachments: '[]', received_at: at, subject: 'Re: Anfrage: LED-Panels für unsere Filialen', direction: 'outbound', auto_verdict: 'none', language: 'de', excerpt: 'Sehr geehrte Damen und Herren', created_at: at, date_header: null });
      await teamInboxArrival({ tdb, mailboxId: mailbox.id, conversationId: conversation.id, message: { direction: 'outbound', auto_verdict: 'none', received_at: at, from_address: reps.linda.email, subject: 'Re: Anfrage: LED-Panels für unsere Filialen', language: 'de', attachments: '[]', date_header: null }, body: '', customerIds: conversation.customer_id ? [conversation.customer_id] : [], live: true, at: new Date(at) });
    });
    expect((await t.tdb.selectFrom('customers').select('owner_id').where('id', '=', conversation.customer_id!).executeTakeFirstOrThrow()).owner_id).toBe(reps.linda.id);

    // Omar replies to the mail he opened before Linda's answer arrived: Outlook asks first, in Chinese.
    await compose(omar, () => omar.page.getByRole('button', { name: 'Reply', exact: true }).click());
    const collision = await send(omar);
    expect(collision).toContain('Outlook asks before sending');
    expect(collision).toMatch(/Linda Chen 已在您打开此会话后回复了客户（.+）。请先阅读其回复再发送，或仍要发送。/);
    expect(collision).toContain('或仍要发送。Hamburg Import GmbH（anna@hamburg-import.de）是 Linda Chen 的客户。');
    await omar.page.getByRole('button', { name: 'Send anyway' }).waitFor();
    await shot(omar.page, 'zh-omar-collision-on-send');

    // A new mail to Linda's buyer: the ownership warning alone.
    await compose(omar, () => omar.page.getByRole('button', { name: 'New message' }).click());
    await omar.page.getByLabel('To', { exact: true }).fill('anna@hamburg-import.de');
    await omar.page.getByLabel('Subject', { exact: true }).fill('Katalog 2026');
    const owned = await send(omar);
    expect(owned).toMatch(/Outlook asks before sending:\s*Hamburg Import GmbH（anna@hamburg-import\.de）是 Linda Chen 的客户。请先与 Linda Chen 商定再联系对方，或仍要发送。/);
    await shot(omar.page, 'zh-omar-ownership-on-send');

    // The languages swap: Omar's Outlook in English, Linda's in Chinese.
    await omar.page.getByLabel('Outlook language').selectOption('en-US');
    await omar.pane().getByRole('heading', { name: 'tradepane' }).waitFor();
    await compose(omar, () => omar.page.getByRole('button', { name: 'New message' }).click());
    await omar.page.getByLabel('To', { exact: true }).fill('anna@hamburg-import.de');
    expect(await send(omar)).toContain("Hamburg Import GmbH (anna@hamburg-import.de) is Linda Chen's buyer. Agree with Linda Chen before you write to them, or send anyway.");
    await shot(omar.page, 'en-omar-ownership-on-send');
    await openTeamMail(omar);
    await omar.pane().getByText('Handled by Linda Chen').waitFor();
    await omar.pane().getByText("@omar Anna asked for FOB Ningbo; can you check last year's price?").waitFor();
    await omar.pane().getByText('First answer sent; the clock has stopped.').waitFor();
    await shot(omar.page, 'en-omar-after-answer');
    // He has now seen Linda's answer: replying again raises no collision, only the buyer's owner.
    await compose(omar, () => omar.page.getByRole('button', { name: 'Reply', exact: true }).click());
    const again = await send(omar);
    expect(again).not.toContain('already answered');
    expect(again).toContain("is Linda Chen's buyer");

    await linda.page.getByLabel('Outlook language').selectOption('zh-CN');
    await openTeamMail(linda);
    const lz = linda.pane();
    await lz.getByRole('heading', { name: `团队收件箱 ${role}` }).waitFor();
    await lz.getByText('负责人：Linda Chen').waitFor();
    await lz.getByText('已发出首次回复，计时已停止。').waitFor();
    // Assign to Omar with the picker of the inbox's members, then close and reopen.
    await lz.getByRole('combobox', { name: '分配给' }).selectOption(reps.omar.email);
    await lz.getByRole('button', { name: '分配', exact: true }).click();
    await lz.getByText('负责人：Omar Haddad').waitFor();
    await lz.getByRole('button', { name: '关闭', exact: true }).click();
    await lz.getByText('已关闭', { exact: true }).waitFor();
    await shot(linda.page, 'zh-linda-closed');
    expect(latinLeftovers(await paneText(linda), data())).toEqual([]);
    await lz.getByRole('button', { name: '重新打开' }).click();
    await lz.getByRole('button', { name: '关闭', exact: true }).waitFor();
    // The hand-off composer in Chinese: the language named in Chinese, the template still German.
    await lz.getByRole('button', { name: '用我的邮箱接手回复' }).click();
    const zhHandOff = lz.getByRole('region', { name: '向客户交接' });
    await zhHandOff.getByText(/团队的交接模板（德语），发给 anna@hamburg-import\.de/).waitFor();
    await shot(linda.page, 'zh-linda-hand-off');
    const text = await paneText(linda);
    const german = (await zhHandOff.locator('p[lang="de"]').innerText()).split('\n').filter(Boolean);
    expect(latinLeftovers(text, [...german, ...data()])).toEqual([]);
    const audit = (await t.tdb.selectFrom('audit_log').select('action').where('target_id', '=', conversation.id).execute()).map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['team-conversation.open', 'team-conversation.claim', 'team-conversation.note', 'team-conversation.assign', 'team-conversation.close', 'team-conversation.reopen']));

    await linda.context.close();
    await omar.context.close();
  });
});
