import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { Store } from '../../src/server/db/connect.js';
import { loadDevSigner, type DevSigner } from '../../src/server/auth/dev-keys.js';
import { SecretBox } from '../../src/server/secrets.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { collectPageErrors, downloadedText, launchChromium, screenshot } from '../support/browser.js';
import { expectCount, expectText } from '../support/settle.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { dovecotSettings, imapAvailable, imapHost, imapPort, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

jest.setTimeout(120_000);

/** The pack an admin writes in the console: first with a misspelt kind and an unknown key. */
const goodPack = (group: string, subject = 'Quote for {{ product }}') => `pack: console-pack
title: Console pack
groups: [${group}]
defaultLanguage: en
templates:
  - id: quote
    kind: quote
    title: {en: Quotation, es: Cotización}
    fields:
      - {name: product, type: text, required: true}
    variants:
      en: {subject: "${subject}", body: "<p>Dear {{ contact.firstName }}, here is our offer for {{ product }}.</p>"}
      es: {subject: "Cotización de {{ product }}", body: "<p>Estimado/a {{ contact.firstName }}: le enviamos nuestra oferta de {{ product }}.</p>"}
`;
const brokenPack = (group: string) =>
  goodPack(group)
    .replace('    kind: quote\n', '    kind: qoute\n')
    .replace('defaultLanguage: en\n', 'defaultLanguage: en\ncolour: blue\n')
    .replace('Quote for {{ product }}', 'Quote for {{ prodcut }}');

/** The editor's error markers: the line each is on (1-based, counted in the rendered document) and the text it underlines. */
const markers = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.cm-lintRange-error, .cm-lintRange-warning')].map((el) => {
      const line = el.closest('.cm-line')!;
      return { line: [...line.parentElement!.children].filter((c) => c.classList.contains('cm-line')).indexOf(line) + 1, text: el.textContent, severity: el.classList.contains('cm-lintRange-error') ? 'error' : 'warning' };
    }),
  );

// Chromium runs once; one store kind is enough for the browser flow (the API suites cover both).
const kind = storeKinds()[0]!;

describe(`the admin console in Chromium (${kind.name})`, () => {
  let store: Store;
  let app: FastifyInstance;
  let signer: DevSigner;
  let browser: Browser;
  let base: string;
  let t: SeededTenant;
  let adminToken: string;
  let repToken: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'e2e');
    signer = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-admin-e2e-')));
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner: signer, secretBox: new SecretBox(randomBytes(32)) });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    adminToken = await signer.sign({ tenantId: t.tenantId, userId: t.admin.id, email: t.admin.email });
    repToken = await signer.sign({ tenantId: t.tenantId, userId: t.rep.id, email: t.rep.email });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const openConsole = async (token: string): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/admin#token=${encodeURIComponent(token)}`);
    return { page, errors };
  };
  const repPacks = async () => (await app.inject({ method: 'GET', url: '/api/v1/me/packs', headers: bearer(repToken) })).json().packs as { pack: string; version: number; document: { templates: { variants: { en: { subject: string } } }[] } }[];

  it('check at the right lines → fix → preview in two languages → publish → the rep sees it → roll back', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('tab', { name: 'Packs' }).waitFor();
    // The fragment token moved into the session: it is not left in the address bar.
    expect(page.url()).not.toContain('token=');

    await page.getByRole('button', { name: 'New pack' }).click();
    await page.getByTestId('pack-source').fill(brokenPack(t.groupSlug));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const issues = page.getByTestId('pack-issues');
    // Every stage at once: the structure's two errors and the template's misspelt variable, all in
    // the file's coordinates (line 13: 6 spaces + 'en: {subject: "' + 'Quote for {{ ' = 34 → column 35).
    await issues.getByText('3 problem(s) found').waitFor();
    await expectCount(issues.getByText(/Line 5, column 1/), 1);
    await expectText(issues.locator('li', { hasText: 'Line 5, column 1' })).toMatch(/colour.*unknown field/);
    await expectText(issues.locator('li', { hasText: 'Line 8, column 11' })).toMatch(/templates\[0\]\.kind.*quote/);
    const variable = await issues.locator('li', { hasText: 'Line 13, column 35' }).innerText();
    expect(variable).toMatch(/templates\[0\]\.variants\.en\.subject.*unknown variable prodcut — did you mean product\?/);
    expect(variable).not.toMatch(/\(line \d/);
    await expect(page.getByRole('button', { name: 'Save and publish to its groups' }).isDisabled()).resolves.toBe(true);
    // The same three as markers in the editor, on those lines, under those words.
    await page.locator('.cm-lintRange-error').nth(2).waitFor();
    await expect(markers(page)).resolves.toEqual([
      { line: 5, text: 'colour', severity: 'error' },
      { line: 8, text: 'qoute', severity: 'error' },
      { line: 13, text: 'prodcut', severity: 'error' },
    ]);
    await screenshot(page, 'admin-pack-errors');

    // Clicking an issue selects its word in the editor.
    await issues.getByRole('button', { name: 'Line 8, column 11' }).click();
    await expect(page.evaluate(() => window.getSelection()?.toString())).resolves.toBe('qoute');
    await expectText(page.locator('.cm-activeLine')).toBe('    kind: qoute');

    await page.getByTestId('pack-source').fill(goodPack(t.groupSlug));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await issues.getByText('The pack is valid.').waitFor();

    await page.getByTestId('preview-language').selectOption('en');
    await page.getByRole('button', { name: 'Preview template' }).click();
    await page.getByTestId('preview-subject').getByText('Quote for Sample product').waitFor();
    await expectText(page.frameLocator('iframe[title="quote en"]').locator('body')).toContain('Dear Maria, here is our offer for Sample product.');
    await page.getByTestId('preview-language').selectOption('es');
    await page.getByRole('button', { name: 'Preview template' }).click();
    await page.getByTestId('preview-subject').getByText('Cotización de Sample product').waitFor();
    await expectText(page.frameLocator('iframe[title="quote es"]').locator('body')).toContain('Estimado/a Maria: le enviamos nuestra oferta de Sample product.');
    await screenshot(page, 'admin-pack-preview-es');

    expect((await repPacks()).map((p) => p.pack)).not.toContain('console-pack');
    await page.getByRole('button', { name: 'Save and publish to its groups' }).click();
    // It asks first, naming the groups the pack will reach.
    const confirm = page.getByTestId('pack-confirm');
    await expectText(confirm.getByRole('heading')).toBe('Save and publish console-pack?');
    await expectText(confirm.getByTestId('pack-confirm-groups')).toBe(t.groupSlug);
    await confirm.getByRole('button', { name: 'Save and publish to its groups' }).click();
    await page.getByText(`Stored version 1 of console-pack. Published to: ${t.groupSlug}`).waitFor();
    expect((await repPacks()).find((p) => p.pack === 'console-pack')).toMatchObject({ version: 1 });

    // Version 2: the diff shows the changed line against the published version.
    await page.getByTestId('pack-source').fill(goodPack(t.groupSlug, 'Our offer: {{ product }}'));
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await issues.getByText('The pack is valid.').waitFor();
    const diff = page.getByTestId('pack-diff');
    await diff.getByText('(v1)').waitFor();
    await expectText(diff.locator('pre').filter({ hasText: '+ ' })).toContain('Our offer: {{ product }}');
    await expectText(diff.locator('pre').filter({ hasText: /^- / })).toContain('Quote for {{ product }}');
    // The first confirmation is gone before the second is asked for (one dialog at a time).
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save and publish to its groups' }).click();
    await confirm.getByRole('heading', { name: 'Save and publish console-pack?' }).waitFor();
    await confirm.getByRole('button', { name: 'Save and publish to its groups' }).click();
    await page.getByText('Stored version 2 of console-pack.', { exact: false }).waitFor();
    const v2 = (await repPacks()).find((p) => p.pack === 'console-pack')!;
    expect(v2.version).toBe(2);
    expect(v2.document.templates[0]!.variants.en.subject).toBe('Our offer: {{ product }}');

    // History says who pushed each version; roll back to v1.
    const history = page.getByTestId('pack-history');
    await history.getByRole('cell', { name: 'v2' }).first().waitFor();
    await expectText(history).toContain(t.admin.email);
    await screenshot(page, 'admin-pack-history');
    // Version to version: v1 → v2 shows the changed subject.
    const versions = page.getByTestId('version-diff');
    await expectText(versions.getByTestId('compare-from'), 'inputValue').toBe('1');
    await expectText(versions.getByTestId('compare-to'), 'inputValue').toBe('2');
    await expectText(versions.locator('pre').filter({ hasText: '+ ' })).toContain('Our offer: {{ product }}');
    await screenshot(page, 'admin-pack-version-diff');

    // Roll-back asks first, listing each group with the version it leaves and gets; Cancel changes nothing.
    await history.getByRole('button', { name: 'Roll back to this v1' }).click();
    await expectText(confirm.getByRole('heading')).toBe('Roll console-pack back to version 1?');
    await expectText(confirm.getByTestId('pack-confirm-groups')).toBe(`${t.groupSlug}: v2 → v1`);
    await screenshot(page, 'admin-pack-rollback-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect((await repPacks()).find((p) => p.pack === 'console-pack')).toMatchObject({ version: 2 });
    await history.getByRole('button', { name: 'Roll back to this v1' }).click();
    await confirm.getByRole('button', { name: 'Roll back to this' }).click();
    await page.getByText('Everyone who had console-pack now gets version 1.').waitFor();
    expect((await repPacks()).find((p) => p.pack === 'console-pack')).toMatchObject({ version: 1 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pack editor: completion of field types and of the pack\'s variable names', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('button', { name: 'New pack' }).click();
    const editor = page.getByTestId('pack-source');
    await editor.fill('pack: typed\ntemplates:\n  - id: t\n    fields:\n      - {name: product, type: te');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Space');
    const list = page.locator('.cm-tooltip-autocomplete');
    await list.locator('li').nth(1).waitFor();
    await expect(list.locator('li').allInnerTexts()).resolves.toEqual(['textfield type', 'textareafield type']);
    await page.keyboard.press('Escape');
    await editor.fill('pack: typed\ntemplates:\n  - id: t\n    fields:\n      - {name: product, type: text}\n    variants:\n      en: {subject: "{{ pro');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Space');
    await list.locator('li', { hasText: 'product' }).waitFor();
    await expect(list.locator('li').allInnerTexts()).resolves.toEqual(['productfield of this pack']);
    await screenshot(page, 'admin-pack-completion');
    await page.keyboard.press('Enter');
    await expectText(page.locator('.cm-activeLine')).toBe('      en: {subject: "{{ product');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('audit log as sentences with filters and CSV export; compliance OK in green', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const list = page.getByTestId('audit-list');
    // The first test published v1, v2 and rolled back to v1: each is one sentence naming who, what, which version, where.
    await list.getByText(`${t.admin.email} rolled console-pack back to v1 for ${t.groupSlug}`).waitFor();
    await list.getByText(`${t.admin.email} saved console-pack v2 and published it to ${t.groupSlug}`).waitFor();
    await expect(list.innerText()).resolves.not.toMatch(/digest|\{"/);
    await page.getByTestId('audit-area').selectOption('pack');
    // 'pack.rolled_back' is in the unfiltered list too: wait for the filtered list itself (every
    // row a pack action), then read it; on a timeout the read below shows what the page holds.
    await page
      .waitForFunction(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="audit-list"] tbody tr')];
        return rows.length > 0 && rows.every((r) => /\bpack\.\w+$/.test(r.innerText.trim()));
      }, undefined, { timeout: 15_000 })
      .catch(() => undefined);
    await page.getByText('pack.rolled_back').waitFor();
    await expect(list.locator('tbody tr').evaluateAll((rows) => rows.every((r) => /\bpack\.\w+$/.test((r as HTMLElement).innerText.trim())))).resolves.toBe(true);
    await screenshot(page, 'admin-audit-en');

    // CSV: the same filter, with the sentence beside the raw fields.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await downloadedText(download);
    expect(csv.split('\r\n')[0]).toBe('\ufeff"at","actor","action","sentence","target_type","target_id","details"');
    expect(csv).toContain(`"pack.rolled_back","${t.admin.email} rolled console-pack back to v1 for ${t.groupSlug}"`);
    expect(csv).not.toContain('"people.imported"');

    // A range that ends before anything happened shows nothing.
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByText('No entries match.').waitFor();

    // Compliance: a rep whose signature is present shows it green, in words.
    const report = await app.inject({ method: 'POST', url: '/api/v1/me/signature-state', headers: bearer(repToken), payload: { address: t.rep.email, state: 'ok', detail: 'present and unchanged' } });
    expect(report.statusCode).toBeLessThan(300);
    await page.getByRole('tab', { name: 'Compliance' }).click();
    const state = page.getByTestId('compliance-state').first();
    await expectText(state).toBe('signature present');
    const colour = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).color);
    const [r, g] = (await colour('text=— present and unchanged')).match(/\d+/g)!.map(Number);
    expect(g).toBeGreaterThan(r!);
    await screenshot(page, 'admin-compliance-ok-green');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('CSV import: a dry run lists what would change per row, then applies', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('tab', { name: 'People' }).click();
    const csv = ['email,name,groups,title', `new.person@e2e.test,New Person,${t.groupSlug},Export Manager`, `${t.rep.email},,,Area Manager`, 'broken,Someone,,', `x@e2e.test,X,no-such-group,`].join('\n');
    await page.getByTestId('csv-text').fill(csv);
    await page.getByRole('button', { name: 'Dry run' }).click();
    const report = page.getByTestId('import-report');
    await report.getByText('1 to create, 1 to update, 0 unchanged, 2 with errors').waitFor();
    await expectText(report.locator('tr', { hasText: 'new.person@e2e.test' })).toMatch(/^2\s/);
    await expectText(report.locator('tr', { hasText: t.rep.email })).toContain('title: "" → "Area Manager"');
    await expectText(report.locator('tr', { hasText: 'no-such-group' })).toMatch(/^5\s/);
    await expect(page.getByRole('button', { name: 'Apply' }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'admin-csv-dry-run');
    expect(await t.tdb.selectFrom('users').select('id').where('email', '=', 'new.person@e2e.test').execute()).toEqual([]);

    await page.getByTestId('csv-text').fill(csv.split('\n').slice(0, 3).join('\n'));
    await page.getByRole('button', { name: 'Dry run' }).click();
    await report.getByText('1 to create, 1 to update, 0 unchanged, 0 with errors').waitFor();
    await page.getByRole('button', { name: 'Apply' }).click();
    await report.getByText('Imported: 1 created, 1 updated.').waitFor();
    await page.locator('section[aria-labelledby="users-title"]').getByRole('cell', { name: 'new.person@e2e.test', exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  // The real Dovecot of the mailbox tests (global-setup starts it); without it this flow cannot run.
  (imapAvailable() ? it : it.skip)('Mailboxes: connect an IMAP mailbox on Dovecot, see it listed, test, pause and remove it', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('tab', { name: 'Mailboxes' }).click();
    const address = sandboxAddress('console');
    await page.getByLabel('Address', { exact: true }).fill(address);
    await page.getByLabel('Mail service').selectOption('custom');
    await page.getByLabel('Password or app password').fill(SANDBOX_PASSWORD);
    await page.getByLabel('IMAP host').fill(imapHost());
    await page.getByLabel('IMAP port').fill(String(imapPort()));
    await page.getByLabel('IMAP security').selectOption('none');
    await page.getByLabel('SMTP port').fill('2525');
    await page.getByLabel('SMTP security').selectOption('none');
    // Without the SMTP host the store refuses it, and the console names the field.
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expectText(page.getByRole('alert')).toContain('settings.smtp.host: a host name is required for a custom server');
    await page.getByLabel('SMTP host').fill(imapHost());
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText(`${address} connected; the first sync starts shortly.`).waitFor();

    const row = page.getByTestId('mailbox-list').locator('tr', { hasText: address });
    await expectText(row).toMatch(/IMAP\/SMTP\s+waiting for the first sync/);
    const stored = async () => ((await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: bearer(adminToken) })).json().mailboxes as { address: string; paused: boolean; secrets: string[]; settings: { imap: { host: string; port: number } } }[]).filter((m) => m.address === address);
    expect(await stored()).toMatchObject([{ paused: false, secrets: ['password'], settings: { imap: { host: imapHost(), port: imapPort() } } }]);
    // The password went to the store, not back into the form.
    await expectText(page.getByLabel('Password or app password'), 'inputValue').toBe('');

    await page.getByRole('button', { name: `Test ${address}` }).click();
    await expectText(page.getByText(`${address} works. Folders:`)).toContain('INBOX');

    // A mailbox with a wrong password: Test says so in words, with the server's reason.
    const wrong = sandboxAddress('console-wrong');
    expect((await app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: bearer(adminToken), payload: { provider: 'imap', address: wrong, settings: dovecotSettings(), secrets: { password: 'not-the-password' } } })).statusCode).toBe(201);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByRole('button', { name: `Test ${wrong}` }).click();
    await expectText(page.getByText(`${wrong} does not work.`)).toMatch(/The password or permission was refused: .*refused the credentials/);
    // … and its row keeps it as the last error.
    await page.getByTestId('mailbox-list').locator('tr', { hasText: wrong }).getByText(/The password or permission was refused.*refused the credentials/).waitFor();
    // Put right in place: the new password is written once, never shown, and Test works again.
    await page.getByRole('button', { name: `Change the password of ${wrong}` }).click();
    const secretForm = page.getByTestId('secret-form');
    await secretForm.getByLabel(`New password or app password for ${wrong}`).fill(SANDBOX_PASSWORD);
    await screenshot(page, 'admin-mailbox-password-en');
    await secretForm.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`New credentials for ${wrong} saved; the next sync uses them.`).waitFor();
    expect(await page.locator('main').innerHTML()).not.toContain(`value="${SANDBOX_PASSWORD}"`);
    await page.getByRole('button', { name: `Test ${wrong}` }).click();
    await page.getByText(`${wrong} works. Folders:`).waitFor();

    await page.getByRole('button', { name: `Pause ${address}` }).click();
    await page.getByRole('button', { name: `Resume ${address}` }).waitFor();
    await expectText(row).toContain('paused');
    expect((await stored())[0]!.paused).toBe(true);
    await screenshot(page, 'admin-mailboxes-en');

    // Remove asks first, naming the address and what goes; Cancel keeps it.
    await page.getByRole('button', { name: `Remove ${address}` }).click();
    const confirm = page.getByTestId('remove-confirm');
    await expectText(confirm).toContain(`Disconnect ${address} and delete every message header and conversation stored from it?`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await stored()).toHaveLength(1);
    await page.getByRole('button', { name: `Remove ${address}` }).click();
    await confirm.getByRole('button', { name: `Delete ${address} and its data` }).click();
    await page.getByText(`${address} removed: 0 messages and 0 conversations deleted.`).waitFor();
    expect(await stored()).toEqual([]);
    // The list reloads after the notice: wait for the row to go rather than count it at once.
    await row.waitFor({ state: 'detached' });
    // The one refused connect (no SMTP host) is the only thing the browser complained about.
    expect(errors).toEqual(['console.error: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await page.close();
  });

  it('shows the console in Simplified Chinese', async () => {
    const { page, errors } = await openConsole(adminToken);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('tab', { name: '模板包' }).waitFor();
    // The roll-back confirmation in Chinese (console-pack is at v1 after the first test; v2 exists).
    await page.getByRole('button', { name: '打开 console-pack' }).click();
    await page.getByTestId('pack-history').getByRole('button', { name: '回滚到此版本 v2' }).click();
    const confirm = page.getByTestId('pack-confirm');
    await expectText(confirm.getByRole('heading')).toBe('将 console-pack 回滚到第 2 版？');
    await expectText(confirm.getByTestId('pack-confirm-groups')).toBe(`${t.groupSlug}：第 1 版 → 第 2 版`);
    await screenshot(page, 'admin-zh-CN-pack-rollback-confirm');
    await confirm.getByRole('button', { name: '取消' }).click();
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page.getByTestId('audit-list').getByText(`${t.admin.email} 将 ${t.groupSlug} 的 console-pack 回滚到第 1 版`).waitFor();
    await screenshot(page, 'admin-zh-CN-audit');
    await page.getByRole('tab', { name: '合规' }).click();
    await page.getByTestId('compliance-counts').getByText(/人合规/).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    await screenshot(page, 'admin-zh-CN-compliance');
    // The Mailboxes view's labels in Chinese, none left in English.
    await page.getByRole('tab', { name: '邮箱' }).click();
    await page.getByText('已连接的邮箱', { exact: true }).waitFor();
    await page.getByText('连接邮箱', { exact: true }).waitFor();
    await page.getByLabel('邮件服务').selectOption('custom');
    for (const label of ['邮箱地址', '服务商', '密码或客户端专用密码', 'IMAP 主机', 'SMTP 加密方式']) await page.getByLabel(label).waitFor();
    await expectText(page.getByLabel('邮件服务').locator('option:checked')).toBe('其他服务器（填写主机和端口）');
    await expectCount(page.getByRole('button', { name: '连接', exact: true }), 1);
    await expect(page.locator('main').innerText()).resolves.not.toMatch(/Mailbox|Connect|Password|Provider/);
    await screenshot(page, 'admin-zh-CN-mailboxes');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a rep: "admins only" in the page, 403 from its API', async () => {
    const { page } = await openConsole(repToken);
    await page.getByTestId('admins-only').getByText('Admins only').waitFor();
    // The console's first load does not carry the pack editor: CodeMirror is in a chunk only the Packs view asks for.
    const scripts = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js')));
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) expect(await (await fetch(url)).text()).not.toContain('cm-lintRange');
    await expectText(page.getByTestId('admins-only')).toContain(t.rep.email);
    await expectCount(page.getByRole('tab', { name: 'Packs' }), 0);
    await screenshot(page, 'admin-rep-refused');
    const status = await page.evaluate(
      async ([token]) => (await fetch('/api/v1/admin/compliance', { headers: { authorization: `Bearer ${token}` } })).status,
      [repToken] as const,
    );
    expect(status).toBe(403);
    await page.close();
  });
});
