import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addUser } from '../../src/server/services/people.js';
import type { AddonResponse } from '../../src/gmail/cards.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, cardTexts, notification, post, shownCard, startHarness, type EventParts, type Harness } from './gmail-harness.js';

/**
 * Scheduling from the Gmail add-on with offline Google credentials pointed at the fake Gmail:
 * the compose event names only the recipients (or the thread), so the store finds the rep's saved
 * draft through the Gmail API acting as the rep, and queues it in scheduled_sends.
 */

const SERVICE_ACCOUNT = 'tradepane-sender@acme-project.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** An instant a day or more ahead, on the minute (what the card's slots offer). */
const ahead = (hours: number) => new Date(Math.ceil((Date.now() + hours * 3_600_000) / 60_000) * 60_000).toISOString();

describe.each(storeKinds())('scheduling from the Gmail add-on on $name', (kind) => {
  const gmail = new FakeGmail();
  let store: Store;
  /** Domain-wide delegation: the store acts as every rep of the domain. */
  let delegated: Harness;
  /** Per-user grants: only reps who connected their Google account. */
  let perUser: Harness;
  /** Neither: the card gives the time for Gmail's own Schedule send. */
  let none: Harness;
  const box = new SecretBox(randomBytes(32));
  const buyer = 'hans@buyer-of-gsch.de';
  const unconnected = 'unconnected@gschu.test';

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, publicKeyPem);
    store = await kind.open();
    const delegation = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: privateKeyPem } }, store.db, box);
    delegated = await startHarness(store, 'gsch', { gmailAddon: { credentials: delegation, gmailRootUrl: gmail.rootUrl() } });
    gmail.addUser(delegated.tenant.rep.email);

    const grants = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, oauthClient: { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret } }, store.db, box);
    perUser = await startHarness(store, 'gschu', { gmailAddon: { credentials: grants, gmailRootUrl: gmail.rootUrl() } });
    gmail.addUser(perUser.tenant.rep.email);
    // The rep connected their Google account: a refresh token sealed at rest.
    await store.db
      .insertInto('google_grants')
      .values({ tenant_id: perUser.tenant.tenantId, user_id: perUser.tenant.rep.id, refresh_token: box.seal({ refreshToken: gmail.issueRefreshToken(perUser.tenant.rep.email) }), scopes: '[]', granted_at: new Date().toISOString(), revoked_reason: null })
      .execute();
    await addUser(perUser.tenant.tdb, operator(perUser.tenant.tenantId), { email: unconnected, name: 'Not connected', groups: [perUser.tenant.groupSlug] });

    none = await startHarness(store, 'gschn', { gmailAddon: { credentials: new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl }, store.db, undefined), gmailRootUrl: gmail.rootUrl() } });
  });

  afterAll(async () => {
    await delegated.close();
    await perUser.close();
    await none.close();
    await store.close();
    await gmail.stop();
  });

  const compose = (h: Harness, parts: EventParts = {}, email = h.tenant.rep.email) => addonEvent(h, email, { gmail: { toRecipients: [buyer], accessToken: 'compose-token' }, ...parts });
  const rows = (h: Harness) => h.tenant.tdb.selectFrom('scheduled_sends').selectAll().orderBy('created_at').orderBy('id').execute();
  const live = async (h: Harness) => (await rows(h)).filter((r) => r.status === 'pending' || r.status === 'sending');

  it('queues the saved draft with the same recipients for the slot the rep picked, acting as the rep', async () => {
    const rep = delegated.tenant.rep.email;
    const mine = gmail.addDraft(rep, { to: ['Hans Müller <Hans@Buyer-of-gsch.de>'], subject: 'Quotation FOB Ningbo' });
    // A newer draft to someone else must not be taken for it.
    gmail.addDraft(rep, { to: ['other@elsewhere.test'], subject: 'Something else' });
    const at = ahead(30);
    const res = await post(delegated, '/schedule', await compose(delegated, { parameters: { at }, timeZone: 'Asia/Dubai' }));
    expect(res.statusCode).toBe(200);
    const body = res.json<AddonResponse>();
    const when = new Date(Date.parse(at) + 4 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(notification(body)).toBe(`Scheduled for ${when} (Asia/Dubai) (your time).`);
    const list = shownCard(body);
    expect(cardTexts(list).join('\n')).toContain('Quotation FOB Ningbo');

    const queued = await live(delegated);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ user_id: delegated.tenant.rep.id, draft_id: mine.draftId, provider: 'gmail', status: 'pending', subject: 'Quotation FOB Ningbo' });
    expect(Date.parse(queued[0]!.send_at)).toBe(Date.parse(at));
    expect(JSON.parse(queued[0]!.recipients)).toEqual(['hans@buyer-of-gsch.de']);
    // The drafts were read with a token Google granted for the rep's own mailbox.
    const draftCalls = gmail.requests.filter((r) => r.path.startsWith('/gmail/v1/users/me/drafts'));
    expect(draftCalls.length).toBeGreaterThan(0);
    expect(draftCalls.every((r) => r.user === rep && r.method === 'GET')).toBe(true);
    expect(gmail.sendsOf(mine.draftId)).toBe(0);
  });

  it('scheduling the same draft again moves it instead of queueing a second send', async () => {
    const at = ahead(50);
    const res = await post(delegated, '/schedule', await compose(delegated, { parameters: { at } }));
    expect(notification(res.json<AddonResponse>())).toMatch(/^Scheduled for /);
    const queued = await live(delegated);
    expect(queued).toHaveLength(1);
    expect(Date.parse(queued[0]!.send_at)).toBe(Date.parse(at));
  });

  it('takes the draft in the reply\'s thread', async () => {
    const rep = delegated.tenant.rep.email;
    const thread = gmail.addMessage(rep, { from: buyer, to: [rep], subject: 'Inquiry', date: new Date().toUTCString(), messageId: '<inq-1@buyer-of-gsch.de>' });
    const reply = gmail.addDraft(rep, { to: [buyer], subject: 'Re: Inquiry', threadId: thread.threadId });
    // A newer draft to the same buyer outside the thread must not be taken.
    gmail.addDraft(rep, { to: [buyer], subject: 'A new mail to the same buyer' });
    await post(delegated, '/schedule', await compose(delegated, { parameters: { at: ahead(26) }, gmail: { toRecipients: [buyer], threadId: thread.threadId, accessToken: 'compose-token' } }));
    const queued = (await live(delegated)).find((r) => r.draft_id === reply.draftId);
    expect(queued).toMatchObject({ thread_id: thread.threadId, subject: 'Re: Inquiry' });
  });

  it('lists what is scheduled with the time in the rep\'s zone, a picker and reschedule / cancel for each', async () => {
    const res = await post(delegated, '/scheduled', await compose(delegated, { timeZone: 'Europe/Berlin' }));
    const card = shownCard(res.json<AddonResponse>());
    const pending = await live(delegated);
    expect(card.sections).toHaveLength(pending.length);
    for (const row of pending) {
      const picker = card.sections!.flatMap((s) => s.widgets ?? []).find((w) => w.dateTimePicker?.name === `at_${row.id}`)?.dateTimePicker;
      expect(Number(picker?.valueMsEpoch)).toBe(Date.parse(row.send_at));
      expect(actions(card).filter((a) => a.parameters.id === row.id).map((a) => a.path).sort()).toEqual(['/scheduled/cancel', '/scheduled/reschedule']);
    }
  });

  it('reschedules an item to the picked time', async () => {
    const [first] = await live(delegated);
    const to = Date.parse(ahead(72));
    const res = await post(delegated, '/scheduled/reschedule', await compose(delegated, { parameters: { id: first!.id }, formInputs: { [`at_${first!.id}`]: { ms: to } }, timeZone: 'UTC' }));
    const body = res.json<AddonResponse>();
    expect(notification(body)).toBe(`Rescheduled for ${new Date(to).toISOString().slice(0, 16).replace('T', ' ')} (UTC) (your time).`);
    expect(body.renderActions?.action?.navigations?.[0]?.updateCard).toBeDefined();
    const moved = (await rows(delegated)).find((r) => r.id === first!.id)!;
    expect(Date.parse(moved.send_at)).toBe(to);
    expect(moved.status).toBe('pending');
  });

  it('a time in the past is refused with a notification naming the problem, and nothing moves', async () => {
    const [first] = await live(delegated);
    const res = await post(delegated, '/scheduled/reschedule', await compose(delegated, { parameters: { id: first!.id }, formInputs: { [`at_${first!.id}`]: { ms: Date.now() - 3_600_000 } } }));
    expect(res.statusCode).toBe(200);
    expect(notification(res.json<AddonResponse>())).toMatch(/in the past/);
    expect((await rows(delegated)).find((r) => r.id === first!.id)!.send_at).toBe(first!.send_at);
  });

  it('cancels an item: it leaves the list\'s actions and is never sent', async () => {
    const [first] = await live(delegated);
    const res = await post(delegated, '/scheduled/cancel', await compose(delegated, { parameters: { id: first!.id } }));
    const body = res.json<AddonResponse>();
    expect(notification(body)).toBe('Cancelled.');
    const card = shownCard(body);
    expect(actions(card).filter((a) => a.parameters.id === first!.id)).toEqual([]);
    expect((await rows(delegated)).find((r) => r.id === first!.id)!.status).toBe('cancelled');
    // A second cancel (a double click) is harmless: still cancelled, said so again.
    const again = await post(delegated, '/scheduled/cancel', await compose(delegated, { parameters: { id: first!.id } }));
    expect(notification(again.json<AddonResponse>())).toBe('Cancelled.');
    expect((await rows(delegated)).find((r) => r.id === first!.id)!.status).toBe('cancelled');
  });

  it('a rep cannot move or cancel someone else\'s item', async () => {
    const [other] = await live(delegated);
    const admin = delegated.tenant.admin.email;
    gmail.addUser(admin);
    const res = await post(delegated, '/scheduled/cancel', await compose(delegated, { parameters: { id: other!.id } }, admin));
    expect(notification(res.json<AddonResponse>())).toMatch(/not found/i);
    expect((await rows(delegated)).find((r) => r.id === other!.id)!.status).toBe('pending');
  });

  it('a compose window whose draft Gmail has not saved yet → "save the draft first", nothing queued', async () => {
    const before = (await rows(delegated)).length;
    const res = await post(delegated, '/schedule', await compose(delegated, { parameters: { at: ahead(30) }, gmail: { toRecipients: ['nobody-yet@unsaved.test'], accessToken: 'compose-token' } }));
    expect(res.statusCode).toBe(200);
    expect(notification(res.json<AddonResponse>())).toBe('Save the draft first (Gmail saves it a few seconds after you type), then try again.');
    expect((await rows(delegated)).length).toBe(before);
  });

  it('says so in Chinese for a rep whose Gmail is in Chinese', async () => {
    const res = await post(delegated, '/schedule', await compose(delegated, { locale: 'zh-CN', parameters: { at: ahead(30) }, gmail: { toRecipients: ['nobody-yet@unsaved.test'], accessToken: 'compose-token' } }));
    expect(notification(res.json<AddonResponse>())).toBe('请先保存草稿（输入后 Gmail 会在几秒内自动保存），然后重试。');
  });

  it('with a per-user grant, queues the draft of a rep who connected their Google account', async () => {
    const rep = perUser.tenant.rep.email;
    // The buyer named twice in the draft (To typed twice, another case) is still the same recipients.
    const draft = gmail.addDraft(rep, { to: [buyer, buyer.toUpperCase()], subject: 'Via my own grant' });
    const at = ahead(40);
    const res = await post(perUser, '/schedule', await compose(perUser, { parameters: { at } }));
    expect(notification(res.json<AddonResponse>())).toMatch(/^Scheduled for /);
    const queued = await live(perUser);
    expect(queued.map((r) => r.draft_id)).toEqual([draft.draftId]);
    expect(gmail.requests.filter((r) => r.path === '/token').some((r) => String(r.body).includes('grant_type=refresh_token'))).toBe(true);
  });

  it('with a per-user grant, a rep who has not connected gets the exact time for Gmail\'s own Schedule send', async () => {
    gmail.addUser(unconnected);
    gmail.addDraft(unconnected, { to: [buyer], subject: 'Not connected' });
    const at = '2030-03-04T08:00:00.000Z';
    const res = await post(perUser, '/schedule', await compose(perUser, { parameters: { at }, timeZone: 'America/New_York' }, unconnected));
    const text = cardTexts(shownCard(res.json<AddonResponse>())).join('\n');
    expect(text).toContain('Send ▸ Schedule send ▸ Pick date &amp; time and enter 2030-03-04 03:00 (your time zone America/New_York)');
    expect((await perUser.tenant.tdb.selectFrom('scheduled_sends').select('id').where('subject', '=', 'Not connected').execute())).toEqual([]);
  });

  it('without any credentials, the slot shows the exact time in the rep\'s own zone to pick in Gmail', async () => {
    const at = '2030-03-04T08:00:00.000Z';
    const res = await post(none, '/schedule', await compose(none, { parameters: { at }, timeZone: 'Asia/Shanghai' }));
    const text = cardTexts(shownCard(res.json<AddonResponse>())).join('\n');
    expect(text).toContain('enter 2030-03-04 16:00 (your time zone Asia/Shanghai)');
    // Without a Gmail time zone in the event, the rep's profile zone is used.
    await none.tenant.tdb.updateTable('users', { time_zone: 'Asia/Kolkata' }).where('id', '=', none.tenant.rep.id).execute();
    const event = await compose(none, { parameters: { at } });
    delete event.commonEventObject!.timeZone;
    const profile = cardTexts(shownCard((await post(none, '/schedule', event)).json<AddonResponse>())).join('\n');
    expect(profile).toContain('enter 2030-03-04 13:30 (your time zone Asia/Kolkata)');
    expect(await rows(none)).toEqual([]);
    // The list says scheduling is not set up, rather than an empty queue.
    const list = cardTexts(shownCard((await post(none, '/scheduled', await compose(none))).json<AddonResponse>())).join('\n');
    expect(list).toContain('Scheduled sending is not set up for your company');
  });
});
