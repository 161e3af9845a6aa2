import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { createCustomer, upsertContact } from '../../src/server/services/customers.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { addonEvent, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/** The Gmail message card shows the inbound payment guard's verdict on the open mail, in the rep's language. */
describe.each(storeKinds())('the payment warning on the Gmail message card on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  const at = '2026-11-25T09:00:00.000Z';

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gpay', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    const op = operator(h.tenant.tenantId);
    const company = await createCustomer(h.tenant.tdb, op, { name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: 'SA' });
    await upsertContact(h.tenant.tdb, op, { email: 'ahmed@alfanar-trading.sa', phone: '+966 11 555 0100' });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    // What the mailbox sync stored for the mail (the columns with database defaults left out), and the guard's verdict on it.
    const tdb = h.tenant.tdb;
    await tdb.insert('mailboxes', { id: 'mb-gpay', provider: 'imap', address: 'info@gpay.test', next_sync_at: at, created_at: at, updated_at: at } as never);
    await tdb.insert('conversations', { id: 'cv-gpay', subject: 'Invoice', subject_key: 'invoice', first_message_at: at, last_message_at: at, created_at: at, updated_at: at } as never);
    await tdb.insert('mail_messages', { id: 'mm-gpay', mailbox_id: 'mb-gpay', conversation_id: 'cv-gpay', provider_id: 'p1', folder: 'inbox', message_key: 'fake-1@alfanar-tradlng.sa', received_at: at, subject: 'Invoice', direction: 'inbound', auto_verdict: 'none', created_at: at } as never);
    await tdb.insert('payment_verdicts', {
      message_id: 'mm-gpay',
      message_key: 'fake-1@alfanar-tradlng.sa',
      verdict: 'suspicious',
      findings: JSON.stringify([
        { code: 'domain.lookalike', params: { domain: 'alfanar-tradlng.sa', known: 'alfanar-trading.sa', how: 'confusable' } },
        { code: 'account.change-wording', params: { phrase: 'new bank <b>account</b>', language: 'en' } },
      ]),
      accounts: '[]',
      customer_id: company.id,
      contact_id: null,
      from_address: 'ahmed@alfanar-tradlng.sa',
      created_at: at,
    });
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  async function opened(messageId: string, locale = 'en-US'): Promise<AddonEvent> {
    const mail = gmail.addMessage(h.tenant.rep.email, { from: 'Ahmed <ahmed@alfanar-tradlng.sa>', subject: 'Invoice', date: 'Wed, 25 Nov 2026 12:00:00 +0300', messageId, to: [h.tenant.rep.email] });
    const event = await addonEvent(h, h.tenant.rep.email, { locale, gmail: { messageId: mail.id, threadId: mail.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  it('puts the warning first: why, and the number on file to confirm by (the mail\'s own words escaped)', async () => {
    const card = shownCard((await post(h, '/message', await opened('<fake-1@alfanar-tradlng.sa>'))).json<AddonResponse>());
    const first = JSON.stringify(card.sections![0]);
    expect(first).toContain('Possible payment fraud');
    expect(first).toContain('The sender\'s domain alfanar-tradlng.sa imitates alfanar-trading.sa (letters swapped for look-alikes).');
    expect(first).toContain('new bank &lt;b&gt;account&lt;/b&gt;');
    expect(first).toContain('Confirm by phone with Alfanar Trading on the number on file: +966 11 555 0100.');
  });

  it('in Chinese for a Chinese Gmail', async () => {
    const card = shownCard((await post(h, '/message', await opened('<fake-1@alfanar-tradlng.sa>', 'zh-CN'))).json<AddonResponse>());
    const first = JSON.stringify(card.sections![0]);
    expect(first).toContain('可能是付款诈骗');
    expect(first).toContain('请致电 Alfanar Trading 存档号码 +966 11 555 0100 核实。');
  });

  it('shows nothing for a mail the guard did not judge', async () => {
    const card = shownCard((await post(h, '/message', await opened('<other@alfanar-trading.sa>'))).json<AddonResponse>());
    expect(JSON.stringify(card)).not.toContain('payment fraud');
  });
});
