import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../src/server/db/connect.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { createCustomer, upsertContact } from '../../src/server/services/customers.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

describe.each(storeKinds())('the Gmail message card on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let mail: { id: string; threadId: string };
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  const rfq = { from: 'Omar Al-Rashid <omar@al-noor.com.sa>', subject: 'RFQ: LED panels <urgent>', date: 'Wed, 25 Nov 2026 12:00:00 +0300', messageId: '<CAF=rfq-1@mail.al-noor.com.sa>' };

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gmsg', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    await createCustomer(h.tenant.tdb, operator(h.tenant.tenantId), { name: 'Al Noor Trading', domains: ['al-noor.com.sa'], country: 'SA' });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    mail = gmail.addMessage(h.tenant.rep.email, { ...rfq, to: [h.tenant.rep.email] });
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  /** The event Gmail sends while the mail is open: the add-on tokens that open this one message. */
  async function opened(parts: Parameters<typeof addonEvent>[2] = {}, accessToken = tokens.gmailAccessToken): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { ...parts, gmail: { messageId: mail.id, threadId: mail.threadId, accessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  const activities = () => h.tenant.tdb.selectFrom('activities').selectAll().execute();

  it('shows the sender, their local time learnt from the Date: header, and the actions', async () => {
    const res = await post(h, '/message', await opened());
    expect(res.statusCode).toBe(200);
    const card = shownCard(res.json<AddonResponse>());
    const text = JSON.stringify(card);
    expect(card.header?.subtitle).toBe('RFQ: LED panels &lt;urgent&gt;');
    expect(text).toContain('Omar Al-Rashid &lt;omar@al-noor.com.sa&gt;');
    expect(text).toContain('Asia/Riyadh');
    expect(text).toContain('UTC+03:00');
    expect(actions(card).map((a) => a.path)).toEqual(['/message/log', '/message/task', '/message/reply', '/message/contact']);
    // It read the mail's metadata only, with the add-on's tokens.
    const read = gmail.requests.filter((r) => r.path.endsWith(`/messages/${mail.id}`));
    expect(read.at(-1)).toMatchObject({ user: h.tenant.rep.email, query: expect.objectContaining({ format: 'metadata' }) });
  });

  it('logs the mail to the CRM once, however often it is clicked', async () => {
    const first = await post(h, '/message/log', await opened());
    expect(notification(first.json<AddonResponse>())).toBe('Logged to the CRM.');
    const second = await post(h, '/message/log', await opened());
    expect(notification(second.json<AddonResponse>())).toBe(`Already in the CRM (logged by ${h.tenant.rep.email}).`);
    const rows = await activities();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ message_id: 'CAF=rfq-1@mail.al-noor.com.sa', direction: 'inbound', from_address: 'omar@al-noor.com.sa', logged_via: 'gmail', utc_offset: '+03:00', thread_id: mail.threadId });
    // The card now says it is logged and offers no second log button.
    const card = shownCard(second.json<AddonResponse>());
    expect(actions(card).map((a) => a.path)).not.toContain('/message/log');
  });

  it('turns the mail into a task due in the client\'s business days, linking the thread', async () => {
    const res = await post(h, '/message/task', await opened({ formInputs: { taskDays: '3' } }));
    expect(notification(res.json<AddonResponse>())).toMatch(/^Task created, due \d{4}-\d{2}-\d{2} 10:00 \(Asia\/Riyadh\)\.$/);
    const task = await h.tenant.tdb.selectFrom('tasks').selectAll().executeTakeFirstOrThrow();
    expect(task.title).toBe('Follow up: RFQ: LED panels <urgent>');
    expect(task.due_time_zone).toBe('Asia/Riyadh');
    expect(task.notes).toContain(`https://mail.google.com/mail/u/0/#all/${mail.threadId}`);
    // Friday and Saturday are not business days in Saudi Arabia.
    const weekday = new Date(`${task.due_local!.slice(0, 10)}T12:00:00Z`).getUTCDay();
    expect([5, 6]).not.toContain(weekday);
    expect(await activities()).toHaveLength(1);
  });

  it('replies with a template: the reply draft is created in the thread and opened', async () => {
    const picker = shownCard((await post(h, '/message/reply', await opened())).json<AddonResponse>());
    const use = actions(picker).find((a) => a.path === '/compose/template' && a.parameters.template === 'hello')!;
    expect(use.parameters).toMatchObject({ mode: 'reply', to: 'omar@al-noor.com.sa' });
    const form = shownCard((await post(h, '/compose/template', await opened({ parameters: use.parameters }))).json<AddonResponse>());
    const insert = actions(form).find((a) => a.path === '/compose/insert')!;
    // Logging the mail taught the store "Omar" from `Omar Al-Rashid <omar@…>`; with the name cleared,
    // the template (it greets by first name) says what it lacks.
    expect(await h.tenant.tdb.selectFrom('contacts').select(['first_name', 'last_name']).where('email', '=', 'omar@al-noor.com.sa').executeTakeFirst()).toEqual({ first_name: 'Omar', last_name: 'Al-Rashid' });
    await upsertContact(h.tenant.tdb, operator(h.tenant.tenantId), { email: 'omar@al-noor.com.sa', firstName: null, lastName: null });
    const blocked = (await post(h, '/compose/insert', await opened({ parameters: insert.parameters }))).json<AddonResponse>();
    expect(notification(blocked)).toBe('Cannot insert yet: contact.firstName');
    expect(blocked.renderActions?.hostAppAction).toBeUndefined();
    await upsertContact(h.tenant.tdb, operator(h.tenant.tenantId), { email: 'omar@al-noor.com.sa', firstName: 'Omar' });
    const res = await post(h, '/compose/insert', await opened({ parameters: insert.parameters }));
    const body = res.json<AddonResponse>();
    const open = body.renderActions?.hostAppAction?.gmailAction.openCreatedDraftActionMarkup;
    expect(open?.draftThreadId).toBe(mail.threadId);
    expect(gmail.hasDraft(h.tenant.rep.email, open!.draftId)).toBe(true);
    const created = gmail.requests.filter((r) => r.method === 'POST' && r.path === '/gmail/v1/users/me/drafts').at(-1)!;
    const raw = Buffer.from((created.body as { message: { raw: string } }).message.raw, 'base64url').toString('utf8');
    expect(raw).toContain('To: omar@al-noor.com.sa');
    expect(raw).toContain('In-Reply-To: <CAF=rfq-1@mail.al-noor.com.sa>');
    expect(raw).toMatch(/Subject: Re: RFQ: LED panels <urgent>/);
    expect(Buffer.from(raw.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8')).toContain('Hello Omar');
    expect((created.body as { message: { threadId: string } }).message.threadId).toBe(mail.threadId);
    expect(notification(body)).toBe('Reply draft created.');
  });

  it('tells the rep when Gmail refuses the add-on\'s access, and logs nothing', async () => {
    const before = (await activities()).length;
    const res = await post(h, '/message/log', await opened({}, 'gmail-access-forged'));
    expect(res.statusCode).toBe(200);
    expect(notification(res.json<AddonResponse>())).toMatch(/^Something went wrong: messages\.get .*HTTP 401/);
    expect(await activities()).toHaveLength(before);
  });
});
