import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { findContact } from '../../src/server/services/customers.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/** Issue #13, item 8, from the Gmail card: a log creates the company and learns the name; the rep corrects the engine. */
describe.each(storeKinds())('the Gmail card lets the rep correct the engine, on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let mail: { id: string; threadId: string };
  let tokens: { userOAuthToken: string; gmailAccessToken: string };

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gcorr', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    mail = gmail.addMessage(h.tenant.rep.email, { from: '"Al-Harbi, Faisal" <faisal@alfanar-trading.sa>', subject: 'RFQ: valves', date: 'Mon, 30 Nov 2026 09:00:00 +0300', messageId: '<rfq-7@alfanar-trading.sa>', to: [h.tenant.rep.email] });
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  async function opened(parts: Parameters<typeof addonEvent>[2] = {}): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { ...parts, gmail: { messageId: mail.id, threadId: mail.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  it('Log to CRM creates the company of a business domain and learns the display name', async () => {
    const res = await post(h, '/message/log', await opened());
    expect(notification(res.json<AddonResponse>())).toBe('Logged to the CRM.');
    const contact = await findContact(h.tenant.tdb, 'faisal@alfanar-trading.sa');
    expect(contact).toMatchObject({ first_name: 'Faisal', last_name: 'Al-Harbi' });
    const company = await h.tenant.tdb.selectFrom('customers').selectAll().where('id', '=', contact!.customer_id!).executeTakeFirstOrThrow();
    expect(company.name).toBe('Alfanar Trading');
    // the refreshed card offers the correction, prefilled, with the company's country
    const text = JSON.stringify(shownCard(res.json<AddonResponse>()));
    expect(text).toContain('Correct contact');
    expect(text).toContain('Country of Alfanar Trading');
    expect(text).toContain('"value":"Faisal"');
  });

  it("saves the contact's language, country, time zone and the company's country; the card's clock follows", async () => {
    const res = await post(h, '/message/contact', await opened({ formInputs: { contactFirstName: 'Faisal', contactLastName: 'Al-Harbi', contactLanguage: 'en', contactCountry: 'AE', contactTimeZone: 'Asia/Dubai', customerCountry: 'AE' } }));
    expect(notification(res.json<AddonResponse>())).toBe('Saved: faisal@alfanar-trading.sa.');
    expect(await findContact(h.tenant.tdb, 'faisal@alfanar-trading.sa')).toMatchObject({ language: 'en', country: 'AE', time_zone: 'Asia/Dubai' });
    const company = await h.tenant.tdb.selectFrom('customers').select('country').where('name', '=', 'Alfanar Trading').executeTakeFirstOrThrow();
    expect(company.country).toBe('AE');
    const card = shownCard(res.json<AddonResponse>());
    expect(JSON.stringify(card)).toContain('Asia/Dubai');
    expect(actions(card).map((a) => a.path)).toContain('/message/contact');
  });

  it('a value the store refuses comes back naming the field, and nothing changes', async () => {
    const res = await post(h, '/message/contact', await opened({ formInputs: { contactTimeZone: 'Mars/Olympus', contactLanguage: 'en', contactCountry: 'AE' } }));
    expect(notification(res.json<AddonResponse>())).toMatch(/timeZone/);
    expect(await findContact(h.tenant.tdb, 'faisal@alfanar-trading.sa')).toMatchObject({ time_zone: 'Asia/Dubai', first_name: 'Faisal' });
  });

  it('in Chinese, the correction section is Chinese', async () => {
    const res = await post(h, '/message', await opened({ locale: 'zh-CN' }));
    const text = JSON.stringify(shownCard(res.json<AddonResponse>()));
    expect(text).toContain('更正联系人');
    expect(text).not.toContain('Correct contact');
  });
});
