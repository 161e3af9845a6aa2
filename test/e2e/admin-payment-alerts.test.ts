import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import type { Store } from '../../src/server/db/connect.js';
import { loadDevSigner } from '../../src/server/auth/dev-keys.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { operator, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { collectPageErrors, launchChromium, screenshot } from '../support/browser.js';
import { expectCount } from '../support/settle.js';
import { TEST_DIST } from '../support/build-faces.mjs';

jest.setTimeout(120_000);

/**
 * The admin console's list of suspicious payment mails (Company & payments), in Chromium: what the
 * inbound guard stored for this company's mailboxes, each reason worded in the admin's language;
 * a mere notice and another company's alert are not listed.
 */

const kind = storeKinds()[0]!;

/** What the mailbox sync stores for one received mail and the guard's verdict on it. */
async function receivedMail(t: SeededTenant, n: number, mail: { from: string; subject: string; at: string; verdict: 'suspicious' | 'notice'; findings: object[]; customerId: string | null }) {
  const tdb = t.tdb;
  const { at } = mail;
  if (n === 1) await tdb.insert('mailboxes', { id: `mb-${t.tenantId}`, provider: 'imap', address: `info@${t.tenantId.slice(0, 8)}.test`, next_sync_at: at, created_at: at, updated_at: at } as never);
  await tdb.insert('conversations', { id: `cv-${t.tenantId}-${n}`, subject: mail.subject, subject_key: mail.subject.toLowerCase(), first_message_at: at, last_message_at: at, created_at: at, updated_at: at } as never);
  await tdb.insert('mail_messages', { id: `mm-${t.tenantId}-${n}`, mailbox_id: `mb-${t.tenantId}`, conversation_id: `cv-${t.tenantId}-${n}`, provider_id: `p${n}`, folder: 'inbox', message_key: `m${n}@${t.tenantId}`, received_at: at, subject: mail.subject, direction: 'inbound', auto_verdict: 'none', created_at: at } as never);
  await tdb.insert('payment_verdicts', { message_id: `mm-${t.tenantId}-${n}`, message_key: `m${n}@${t.tenantId}`, verdict: mail.verdict, findings: JSON.stringify(mail.findings), accounts: '[]', customer_id: mail.customerId, contact_id: null, from_address: mail.from, created_at: at });
}

describe(`the payment alerts in the admin console in Chromium (${kind.name})`, () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let t: SeededTenant;
  let adminToken: string;

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'e2e-alerts');
    const other = await seedTenant(store, 'e2e-alerts-other');
    const company = await createCustomer(t.tdb, operator(t.tenantId), { name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: 'SA' });
    await receivedMail(t, 1, {
      from: 'ahmed@alfanar-tradlng.sa',
      subject: 'Updated invoice',
      at: '2026-11-25T09:00:00.000Z',
      verdict: 'suspicious',
      customerId: company.id,
      findings: [
        { code: 'domain.lookalike', params: { domain: 'alfanar-tradlng.sa', known: 'alfanar-trading.sa', how: 'confusable' } },
        { code: 'account.change-wording', params: { phrase: 'new bank <b>account</b>', language: 'en' } },
      ],
    });
    await receivedMail(t, 2, { from: 'sales@alfanar-trading.sa', subject: 'Our bank details', at: '2026-11-26T09:00:00.000Z', verdict: 'notice', customerId: company.id, findings: [{ code: 'account.new', params: { account: 'SA03…7519' } }] });
    await receivedMail(other, 1, { from: 'x@other-fraud.example', subject: 'Other company alert', at: '2026-11-27T09:00:00.000Z', verdict: 'suspicious', customerId: null, findings: [{ code: 'reply-to.other-domain', params: { replyTo: 'x@evil.example', from: 'x@other-fraud.example' } }] });
    const signer = await loadDevSigner(mkdtempSync(join(tmpdir(), 'tp-alerts-e2e-')));
    app = await testApp(store, {}, { addinDir: TEST_DIST, devSigner: signer });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    adminToken = await signer.sign({ tenantId: t.tenantId, userId: t.admin.id, email: t.admin.email });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const openCompany = async (): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const errors = collectPageErrors(page);
    await page.goto(`${base}/admin#token=${encodeURIComponent(adminToken)}`);
    await page.getByRole('tab', { name: 'Company & payments' }).click();
    return { page, errors };
  };

  it('lists the suspicious mail with its reasons, the mail\'s own words as text; not the notice, not another company\'s', async () => {
    const { page, errors } = await openCompany();
    const table = page.getByRole('table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expectCount(rows, 1);
    const row = await rows.first().innerText();
    expect(row).toContain(`ahmed@alfanar-tradlng.sa → info@${t.tenantId.slice(0, 8)}.test`);
    expect(row).toContain('Updated invoice');
    expect(row).toContain('The sender\'s domain alfanar-tradlng.sa imitates alfanar-trading.sa (letters swapped for look-alikes).');
    expect(row).toContain('The mail announces a change of bank account ("new bank <b>account</b>").');
    expect(await table.locator('b').count()).toBe(0);
    expect(row).not.toContain('Our bank details');
    expect(await page.getByText('Other company alert').count()).toBe(0);
    await screenshot(page, 'admin-payment-alerts');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('words the reasons in Chinese for a Chinese console', async () => {
    const { page, errors } = await openCompany();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByText('可疑付款邮件', { exact: true }).waitFor();
    const row = await page.getByRole('table').locator('tbody tr').first().innerText();
    expect(row).toContain('发件人域名 alfanar-tradlng.sa 在冒充 alfanar-trading.sa（用形近字符替换了字母）。');
    expect(row).toContain('邮件声称更改了银行账户（“new bank <b>account</b>”）。');
    await screenshot(page, 'admin-payment-alerts-zh-CN');
    expect(errors).toEqual([]);
    await page.close();
  });
});
