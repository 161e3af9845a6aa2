import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { Store } from '../../src/server/db/connect.js';
import { newId } from '../../src/server/db/tenant-db.js';
import { loadDevSigner, type DevSigner } from '../../src/server/auth/dev-keys.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { configureTeamInbox, teamInboxArrival } from '../../src/server/services/team-inbox.js';
import { pushPack } from '../../src/server/services/packs.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { collectPageErrors, downloadedText, screenshot } from '../support/browser.js';
import { expectCount, expectText } from '../support/settle.js';
import { latinLeftovers } from '../support/latin-text.js';
import { servePanes, type ServedPanes } from '../support/panes.js';

jest.setTimeout(120_000);

const kind = storeKinds()[0]!;
const HOSTILE = 'Dear team,\nplease quote 2 containers.\n<img src=x onerror="window.__pwned=1">\nRegards, Hans';

describe(`the web team inbox in Chromium (${kind.name})`, () => {
  let store: Store;
  let panes: ServedPanes | undefined;
  let app: FastifyInstance;
  let signer: DevSigner;
  let browser: Browser;
  let base: string;
  let t: SeededTenant;
  const tokens: Record<'linda' | 'omar' | 'admin', string> = { linda: '', omar: '', admin: '' };
  const conversations: string[] = [];
  let inboxId = '';

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'tie2e');
    const op = operator(t.tenantId);
    signer = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-inbox-e2e-')));
    for (const name of ['linda', 'omar'] as const) {
      const u = await addUser(t.tdb, op, { email: `${name}@tie2e.test`, name: name === 'linda' ? 'Linda Chen' : 'Omar Haddad', groups: [t.groupSlug] });
      tokens[name] = await signer.sign({ tenantId: t.tenantId, userId: u.id, email: u.email });
    }
    tokens.admin = await signer.sign({ tenantId: t.tenantId, userId: t.admin.id, email: t.admin.email });
    const box = new SecretBox(randomBytes(32));
    const mailboxId = (await addMailbox(t.tdb, op, box, { provider: 'imap', address: 'info@tie2e.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 30 })).id;
    inboxId = (await configureTeamInbox(t.tdb, op, mailboxId, { groups: [t.groupSlug], calendar: { country: 'CN', timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' } })).id;
    // Two buyer mails that arrived a week ago: nobody answered, both are overdue.
    const mails = [
      { subject: 'Ceramic tiles for Hamburg', from: 'hans@hamburg-import.de', body: HOSTILE, at: '2025-11-24T02:00:00.000Z', dateHeader: 'Mon, 24 Nov 2025 03:00:00 +0100' },
      { subject: '水泵询价', from: 'wang@shanghai-build.cn', body: '您好，请报价。', at: '2025-11-24T03:00:00.000Z', dateHeader: null },
    ];
    for (const m of mails) {
      const id = newId();
      const messageId = newId();
      await t.tdb.insert('conversations', { id, subject: m.subject, subject_key: m.subject.toLowerCase(), participants: JSON.stringify([m.from]), customer_ids: '[]', customer_id: null, first_message_at: m.at, last_message_at: m.at, last_inbound_at: m.at, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'open', assignee_id: null, first_response_at: null, created_at: m.at, updated_at: m.at });
      await t.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailboxId, conversation_id: id, provider_id: messageId, folder: 'inbox', message_key: `${messageId}@mail.test`, from_address: m.from, to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 100, attachments: '[]', received_at: m.at, subject: m.subject, direction: 'inbound', auto_verdict: 'none', excerpt: m.body.slice(0, 100), created_at: m.at, date_header: m.dateHeader });
      await t.tdb.insert('mail_bodies', { message_id: messageId, text_body: m.body, expires_at: '2099-01-01T00:00:00.000Z' });
      await t.tdb.transaction((tdb) => teamInboxArrival({ tdb, mailboxId, conversationId: id, message: { direction: 'inbound', auto_verdict: 'none', received_at: m.at, from_address: m.from, subject: m.subject, language: null, attachments: '[]', date_header: m.dateHeader }, body: m.body, customerIds: [], live: true, at: new Date(m.at) }));
      conversations.push(id);
    }
    panes = await servePanes(store, { devSigner: signer });
    ({ app, base, browser } = panes);
  });

  afterAll(async () => {
    await (panes ? panes.close() : store?.close());
  });

  const openInbox = async (who: 'linda' | 'omar'): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/inbox#token=${encodeURIComponent(tokens[who])}`);
    return { page, errors };
  };

  it('Linda claims an overdue inquiry, says she is replying, notes for Omar; Omar sees it all, in English and in Chinese', async () => {
    const linda = await openInbox('linda');
    await linda.page.getByRole('tab', { name: 'Unassigned' }).waitFor();
    const list = linda.page.getByTestId('team-list');
    await list.getByText('Ceramic tiles for Hamburg').waitFor();
    await expectText(list).toContain('水泵询价');
    await expectText(list.locator('tr', { hasText: 'Ceramic tiles' })).toMatch(/New\s+Nobody yet\s+Overdue by \d+ h \d+ min of business hours/);
    await list.getByText('Ceramic tiles for Hamburg').click();
    const pane = linda.page.getByTestId('conversation');
    // The kept body is shown as text: the markup is visible and never ran.
    await pane.getByText('<img src=x onerror="window.__pwned=1">').waitFor();
    await expect(linda.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    await expectText(pane.getByTestId('buyer-time')).toMatch(/^Buyer's time: \d\d:\d\d on \d{4}-\d\d-\d\d \(Europe\/Berlin\)$/);
    await pane.getByRole('button', { name: "I'll take it" }).click();
    await pane.getByText('Assignee: Linda Chen').waitFor();
    // Claimed, it leaves the Unassigned list (the list reloads after the claim answers).
    await list.getByText('Ceramic tiles for Hamburg').waitFor({ state: 'detached' });
    await pane.getByRole('button', { name: "I'm replying" }).click();
    await pane.getByLabel('Note (@name to mention)').fill('@omar they asked for FOB Ningbo last year, can you check the old price?');
    await pane.getByRole('button', { name: 'Add note' }).click();
    await pane.getByTestId('note').getByText(/they asked for FOB Ningbo/).waitFor();
    await linda.page.getByRole('tab', { name: 'Mine' }).click();
    await list.getByText('Ceramic tiles for Hamburg').waitFor();
    await screenshot(linda.page, 'inbox-en-linda');

    const omar = await openInbox('omar');
    await omar.page.getByRole('tab', { name: 'Overdue' }).click();
    const omarList = omar.page.getByTestId('team-list');
    await expectText(omarList.locator('tr', { hasText: 'Ceramic tiles' })).toMatch(/Assigned\s+Linda Chen\s+Overdue by/);
    await omarList.getByText('Ceramic tiles for Hamburg').click();
    const omarPane = omar.page.getByTestId('conversation');
    await omarPane.getByTestId('presence').getByText('Linda Chen is replying').waitFor();
    await expectCount(omarPane.getByRole('button', { name: "I'll take it" }), 0);
    await omarPane.getByText(/they asked for FOB Ningbo/).waitFor();
    await screenshot(omar.page, 'inbox-en-omar');

    // The same page in Chinese: every label translated, only data left in Latin.
    await omar.page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await omar.page.getByRole('tab', { name: '已超时' }).waitFor();
    await omarPane.getByText('Linda Chen 正在回复').waitFor();
    await expect(omar.page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    const text = await omar.page.locator('main').innerText();
    expect(text).toContain('已超时');
    const data = ['Ceramic tiles for Hamburg', 'Linda Chen', 'Omar Haddad', HOSTILE, ...HOSTILE.split('\n'), '@omar they asked for FOB Ningbo last year, can you check the old price?', 'hans@hamburg-import.de', 'info@tie2e.test', 'Team tie2e'];
    expect(latinLeftovers(text, data)).toEqual([]);
    await screenshot(omar.page, 'inbox-zh-CN-omar');

    const audit = (await t.tdb.selectFrom('audit_log').select(['action', 'actor_label']).where('target_id', '=', conversations[0]!).orderBy('at').execute()).map((r) => `${r.action} ${r.actor_label}`);
    expect(audit).toEqual(expect.arrayContaining(['team-conversation.claim linda@tie2e.test', 'team-conversation.note linda@tie2e.test', 'team-conversation.open omar@tie2e.test']));
    expect([...linda.errors, ...omar.errors]).toEqual([]);
    await linda.page.close();
    await omar.page.close();
  });

  it('the manager sees the team inbox and its figures in the console', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/admin#token=${encodeURIComponent(tokens.admin)}`);
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    const row = page.getByTestId('team-inbox-list').locator('tr', { hasText: 'info@tie2e.test' });
    await expectText(row).toMatch(/tie2e-sales\s+—\s+24 business hours\s+CN · Asia\/Shanghai · 09:00–18:00/);
    await page.getByRole('button', { name: 'Figures of info@tie2e.test' }).click();
    const figures = page.getByTestId('team-figures');
    // After the first test: Linda holds the Hamburg inquiry, the Chinese one waits; both are overdue.
    await figures.getByText('Now: 1 unassigned, 2 overdue.').waitFor();
    await expectText(figures.locator('tr', { hasText: 'Linda Chen' })).toMatch(/Linda Chen\s+0\s+—\s+—\s+0\s+1/);
    // By region and week (nothing answered yet in this run: the headings and the CSV export).
    await expectText(figures.getByTestId('team-figures-regions').locator('caption')).toBe("By the buyer's region");
    const [download] = await Promise.all([page.waitForEvent('download'), figures.getByTestId('team-figures-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^team-inbox-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await downloadedText(download);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFGroup,Key,Name,First responses,p50 (business minutes),p90 (business minutes),After target,Open now,From,Until');
    expect(csv).toMatch(/\r\nrep,linda@tie2e\.test,Linda Chen,0,,,0,1,/);
    await screenshot(page, 'admin-team-inbox-en');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the admin picks the acknowledgement and hand-off templates in the console; the store\'s refusal is shown; en and zh-CN', async () => {
    const op = operator(t.tenantId);
    await pushPack(t.tdb, op, readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${t.groupSlug}]`));
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/admin#token=${encodeURIComponent(tokens.admin)}`);
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    const row = page.getByTestId('team-inbox-list').locator('tr', { hasText: 'info@tie2e.test' });
    await expectText(row).toMatch(/None\s+None/);
    await page.getByRole('button', { name: 'Edit the team inbox info@tie2e.test' }).click();
    const ack = page.getByLabel('Acknowledgement');
    await expectText(ack.locator('option').first()).toBe('None: no acknowledgement');
    // Each template with its pack and languages, in the console's language.
    await expectText(ack.locator('option[value="demo-export/team-acknowledgement"]')).toBe('Team inbox: acknowledgement (demo-export) · English, Arabic, German, Spanish, French, Chinese');
    await ack.selectOption('demo-export/team-acknowledgement');
    await page.getByLabel('Hand-off template').selectOption('demo-export/team-hand-off');
    await page.getByRole('button', { name: 'Save team inbox' }).click();
    await page.getByText('info@tie2e.test is a team inbox.').waitFor();
    await expectText(row).toMatch(/Team inbox: acknowledgement \(demo-export\)\s+Team inbox: hand-off to a rep \(demo-export\)/);
    const stored = await t.tdb.selectFrom('team_inboxes').select(['ack_template', 'handoff_template']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ ack_template: JSON.stringify({ pack: 'demo-export', template: 'team-acknowledgement' }), handoff_template: JSON.stringify({ pack: 'demo-export', template: 'team-hand-off' }) });
    await screenshot(page, 'admin-team-inbox-templates-en');

    // The store refuses a template without its pack's default language (an older version): the console shows why, nothing is changed.
    const version = await t.tdb.selectFrom('pack_versions').innerJoin('packs', 'packs.id', 'pack_versions.pack_id').select(['pack_versions.id', 'pack_versions.document']).where('packs.slug', '=', 'demo-export').executeTakeFirstOrThrow();
    const document = JSON.parse(version.document) as { templates: { id: string; variants: Record<string, unknown> }[] };
    delete document.templates.find((x) => x.id === 'team-hand-off')!.variants.en;
    await t.tdb.updateTable('pack_versions', { document: JSON.stringify(document) }).where('id', '=', version.id).execute();
    await ack.selectOption('');
    await page.getByRole('button', { name: 'Save team inbox' }).click();
    await page.getByText('handOff: the template "team-hand-off" of "demo-export" has no variant in the pack\'s default language "en"', { exact: false }).waitFor();
    expect((await t.tdb.selectFrom('team_inboxes').select('ack_template').executeTakeFirstOrThrow()).ack_template).not.toBeNull();
    await screenshot(page, 'admin-team-inbox-templates-refused-en');
    await t.tdb.updateTable('pack_versions', { document: version.document }).where('id', '=', version.id).execute();
    await page.getByRole('button', { name: 'Save team inbox' }).click();
    await row.getByRole('cell', { name: 'None', exact: true }).waitFor();
    await expectText(row).toMatch(/None\s+Team inbox: hand-off to a rep/);
    expect((await t.tdb.selectFrom('team_inboxes').select('ack_template').executeTakeFirstOrThrow()).ack_template).toBeNull();

    // In Chinese: the labels, the "none" choice and the template titles and languages.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('tab', { name: '邮箱' }).click();
    await page.getByRole('button', { name: '编辑团队收件箱 info@tie2e.test' }).click();
    const zhAck = page.getByLabel('自动确认');
    await expectText(zhAck.locator('option').first()).toBe('无：不发送自动确认');
    await expectText(zhAck.locator('option[value="demo-export/team-hand-off"]')).toBe('团队收件箱：转交业务员 (demo-export) · 英语、阿拉伯语、德语、西班牙语、法语、中文');
    const section = await page.getByTestId('team-inboxes').innerText();
    const data = ['info@tie2e.test', 'demo-export', 'tie2e-sales', t.packSlug, 'Hello', 'Linda Chen', 'Omar Haddad', 'Admin tie2e', 'Rep tie2e'];
    expect(latinLeftovers(section.replace(/<[^>]+>/g, ' '), data)).toEqual([]);
    await screenshot(page, 'admin-team-inbox-templates-zh-CN');
    // The one refused save is the only error the browser logged.
    expect(errors).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.close();
  });

  it('a long queue pages as the rep scrolls: only the rows in view are in the page, j moves past the first page, in English and Chinese', async () => {
    // 250 more unassigned inquiries, newer than the two above: three pages of the store's 100.
    const rows = Array.from({ length: 250 }, (_, i) => {
      const at = new Date(Date.UTC(2025, 11, 1, 0, 0, 0) + i * 60_000).toISOString();
      return { id: newId(), tenant_id: t.tenantId, subject: `Queue inquiry ${String(i).padStart(3, '0')}`, subject_key: `queue inquiry ${i}`, participants: JSON.stringify([`buyer${i}@queue-buyer.de`]), customer_ids: '[]', customer_id: null, first_message_at: at, last_message_at: at, last_inbound_at: at, last_outbound_at: null, last_writer: 'buyer' as const, message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: inboxId, clock_started_at: at, warn_at: at, due_at: at, created_at: at, updated_at: at };
    });
    for (let i = 0; i < rows.length; i += 50) await store.db.insertInto('conversations').values(rows.slice(i, i + 50)).execute();
    const { page, errors } = await openInbox('omar');
    const list = page.getByTestId('team-list');
    // Newest first: the last one inserted leads; the first page holds 100, the page shows fewer rows than that.
    await list.getByText('Queue inquiry 249').waitFor();
    await expectText(page.getByTestId('team-list-count')).toBe('100 loaded · scroll for more');
    const inDom = await list.locator('tbody tr[data-index]').count();
    expect(inDom).toBeLessThan(40);
    // j from the top walks down the list; 25 presses scroll the list with the selection.
    await list.getByText('Queue inquiry 249').click();
    for (let i = 0; i < 25; i++) await page.keyboard.press('j');
    await expectText(list.locator('tr[aria-selected="true"]')).toContain('Queue inquiry 224');
    await page.getByTestId('conversation').locator('#conversation-title', { hasText: 'Queue inquiry 224' }).waitFor();
    // Scrolling to the end asks for the next pages until the list is whole (251 or 252: whether the
    // first test's Linda took the Hamburg inquiry); the Chinese inquiry, the oldest, comes last.
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="team-list-scroller"]')!;
      el.scrollTo(0, el.scrollHeight);
      return /^\d+ in this list$/.test(document.querySelector('[data-testid="team-list-count"]')?.textContent ?? '');
    }, undefined, { polling: 100 });
    const total = Number((await page.getByTestId('team-list-count').innerText()).split(' ')[0]);
    expect([251, 252]).toContain(total);
    await list.getByText('水泵询价').waitFor();
    expect(await list.locator('tbody tr[data-index]').count()).toBeLessThan(40);
    await screenshot(page, 'inbox-en-long-queue-end');
    // The same in Chinese, back at the top.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('tab', { name: '未分配' }).waitFor();
    await expectText(page.getByTestId('team-list-count')).toBe(`此列表共 ${total} 条`);
    await page.getByRole('tab', { name: '已超时' }).click();
    await list.getByText('Queue inquiry 000').waitFor();
    await expectText(page.getByTestId('team-list-count')).toBe('已加载 100 条 · 向下滚动加载更多');
    await screenshot(page, 'inbox-zh-CN-long-queue');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the first screen asks who the rep is, the inboxes and the first page together, and shows that page without asking again; en and zh-CN', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale });
      const errors = collectPageErrors(page);
      const asked: string[] = [];
      let listAsked!: () => void;
      const listSeen = new Promise<void>((resolve) => (listAsked = resolve));
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (!url.pathname.startsWith('/api/v1/')) return;
        asked.push(url.pathname + url.search);
        if (url.pathname === '/api/v1/team-conversations') listAsked();
      });
      // Who the rep is is answered only once the list has been asked for: before, the page asked
      // for the list only after /me and /team-inboxes had answered, so this load never showed a row.
      await page.route('**/api/v1/me', async (route) => {
        await listSeen;
        await route.continue();
      });
      await page.goto(`${base}/inbox#token=${encodeURIComponent(tokens.omar)}`);
      const list = page.getByTestId('team-list');
      await list.getByText('Queue inquiry 249').waitFor();
      await page.getByRole('tab', { name: locale === 'zh-CN' ? '未分配' : 'Unassigned' }).waitFor();
      expect(asked.slice(0, 3).sort()).toEqual(['/api/v1/me', '/api/v1/team-conversations?list=unassigned', '/api/v1/team-inboxes']);
      // One inbox: the page asked for at start is the list's first page; nothing asked twice.
      expect(asked.filter((a) => a.startsWith('/api/v1/team-conversations'))).toEqual(['/api/v1/team-conversations?list=unassigned']);
      await expectText(page.getByTestId('team-list-count')).toBe(locale === 'zh-CN' ? '已加载 100 条 · 向下滚动加载更多' : '100 loaded · scroll for more');
      // The conversation view is its own chunk, loaded on the way: opening one still works.
      await list.getByText('Queue inquiry 249').click();
      await page.getByTestId('conversation').locator('#conversation-title', { hasText: 'Queue inquiry 249' }).waitFor();
      await screenshot(page, `inbox-first-screen-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
