import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Store } from '../../../src/server/db/connect.js';
import { GoogleCredentials } from '../../../src/server/google/credentials.js';
import { createGmailMailbox } from '../../../src/server/mail/gmail.js';
import { MailboxError, type MailboxAdapter, type SyncPage } from '../../../src/server/mail/types.js';
import { SecretBox } from '../../../src/server/secrets.js';
import { FakeGmail, type FakePart } from '../../support/fake-gmail.js';
import { seedTenant } from '../../support/fixtures.js';
import { storeKinds } from '../../support/stores.js';

const SERVICE_ACCOUNT = 'mail-sync@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const SINCE = new Date('2026-11-01T00:00:00Z');
/** 2026-11-01T00:00:00Z in seconds since the epoch (20,758 days × 86,400). */
const SINCE_SECONDS = 1_793_491_200;
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

async function errorOf(work: Promise<unknown>): Promise<MailboxError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof MailboxError) return error;
    throw error;
  }
  throw new Error('expected a MailboxError');
}

async function drain(mailbox: MailboxAdapter, cursor: string | null, pageSize: number): Promise<{ pages: SyncPage[]; cursor: string }> {
  const pages: SyncPage[] = [];
  let current = cursor;
  for (let i = 0; i < 50; i++) {
    const page = await mailbox.nextPage(current, { pageSize, since: SINCE });
    pages.push(page);
    current = page.cursor;
    if (page.caughtUp) return { pages, cursor: current };
  }
  throw new Error('never caught up');
}

describe.each(storeKinds())('Gmail mailbox on $name', (kind) => {
  const gmail = new FakeGmail();
  let store: Store;
  let delegation: GoogleCredentials;
  let grants: GoogleCredentials;
  const box = new SecretBox(randomBytes(32));
  let n = 0;

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, publicKeyPem);
    store = await kind.open();
    delegation = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: privateKeyPem } }, store.db, box);
    grants = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, oauthClient: { clientId: gmail.oauthClient.id, clientSecret: gmail.oauthClient.secret } }, store.db, box);
  });
  afterAll(async () => {
    await gmail.stop();
    await store.close();
  });

  /** A fresh delegated mailbox, so history and tokens never leak between tests. */
  function delegated(): { address: string; mailbox: MailboxAdapter } {
    const address = `rep${++n}@acme.test`;
    gmail.addUser(address);
    return { address, mailbox: createGmailMailbox({ credentials: delegation, tenantId: 'tenant-1', userId: null, address }) };
  }

  const inbound = (subject: string, at: string, extra: { labelIds?: string[]; messageId?: string } = {}) => ({
    labelIds: extra.labelIds ?? ['INBOX', 'UNREAD'],
    internalDate: Date.parse(at),
    headers: [
      { name: 'From', value: 'Li Wei <li.wei@buyer.example>' },
      { name: 'To', value: 'rep@acme.test' },
      { name: 'Subject', value: subject },
      { name: 'Date', value: 'Mon, 2 Nov 2026 16:05:09 +0100' },
      { name: 'Message-ID', value: extra.messageId ?? `<${subject.replace(/\W/g, '')}.${++n}@buyer.example>` },
    ],
    payload: { mimeType: 'text/plain', body: { size: 5, data: b64url('hello') } } as FakePart,
  });

  it('backfills with messages.list after the start, pages, then follows history from the id noted first', async () => {
    const { address, mailbox } = delegated();
    gmail.deliver(address, inbound('too old', '2026-10-30T10:00:00Z'));
    gmail.deliver(address, inbound('one', '2026-11-02T10:00:00Z'));
    gmail.deliver(address, inbound('two', '2026-11-03T10:00:00Z'));
    gmail.deliver(address, { ...inbound('our reply', '2026-11-04T10:00:00Z'), labelIds: ['SENT'] });
    gmail.deliver(address, inbound('three', '2026-11-05T10:00:00Z', { labelIds: ['CATEGORY_UPDATES'] }));
    gmail.addDraft(address, { to: ['li.wei@buyer.example'], subject: 'a draft' });
    const before = gmail.requests.length;

    const { pages } = await drain(mailbox, null, 2);

    // Newest first, two a page; then one history page with nothing new.
    expect(pages.map((p) => [p.messages.map((m) => `${m.folder}:${m.subject}`), p.caughtUp])).toEqual([
      [['inbox:three', 'sent:our reply'], false],
      [['inbox:two', 'inbox:one'], false],
      [[], true],
    ]);
    const api = gmail.requests.slice(before).filter((r) => r.path !== '/token');
    expect(api[0]!.path).toBe('/gmail/v1/users/me/profile');
    const lists = api.filter((r) => r.path === '/gmail/v1/users/me/messages');
    expect(lists.map((r) => [r.query.q, r.query.maxResults, r.query.pageToken ?? null])).toEqual([
      [`after:${SINCE_SECONDS} -in:drafts -in:chats`, '2', null],
      [`after:${SINCE_SECONDS} -in:drafts -in:chats`, '2', expect.any(String)],
    ]);
    expect(api.filter((r) => /\/messages\/[^/]+$/.test(r.path)).every((r) => r.query.format === 'full')).toBe(true);
    const history = api.filter((r) => r.path === '/gmail/v1/users/me/history');
    expect(history).toHaveLength(1);
    // The start is the history id getProfile answered before the first list: the fifth delivery's (1000 + 5 × 7).
    expect(history[0]!.query).toMatchObject({ startHistoryId: '1035', historyTypes: 'messageAdded', maxResults: '2' });
    expect(history.every((r) => r.user === address)).toBe(true);
  });

  it('incremental: only what was added, history pages, drafts / spam / deleted left out; caught up when nothing is new', async () => {
    const { address, mailbox } = delegated();
    const { cursor } = await drain(mailbox, null, 10);
    gmail.deliver(address, inbound('new 1', '2026-11-20T10:00:00Z'));
    gmail.deliver(address, inbound('junk', '2026-11-20T10:01:00Z', { labelIds: ['SPAM'] }));
    const gone = gmail.deliver(address, inbound('deleted soon', '2026-11-20T10:02:00Z'));
    gmail.deleteMessage(address, gone.id);
    gmail.deliver(address, { ...inbound('sent 1', '2026-11-20T10:03:00Z'), labelIds: ['SENT'] });
    gmail.deliver(address, inbound('new 2', '2026-11-20T10:04:00Z'));

    // Five history records at two a page: three pages.
    const first = await mailbox.nextPage(cursor, { pageSize: 2, since: SINCE });
    const second = await mailbox.nextPage(first.cursor, { pageSize: 2, since: SINCE });
    const third = await mailbox.nextPage(second.cursor, { pageSize: 2, since: SINCE });
    expect([first, second, third].map((p) => [p.messages.map((m) => `${m.folder}:${m.subject}`), p.caughtUp])).toEqual([
      [['inbox:new 1'], false],
      [['sent:sent 1'], false],
      [['inbox:new 2'], true],
    ]);
    const quiet = await mailbox.nextPage(third.cursor, { pageSize: 2, since: SINCE });
    expect([quiet.messages, quiet.caughtUp]).toEqual([[], true]);
    gmail.deliver(address, inbound('new 3', '2026-11-21T10:00:00Z'));
    expect((await mailbox.nextPage(quiet.cursor, { pageSize: 2, since: SINCE })).messages.map((m) => m.subject)).toEqual(['new 3']);
  });

  it('maps a mail: Message-ID, References, the Date header with its offset, display names, attachments, auto-reply headers, text body', async () => {
    const { address, mailbox } = delegated();
    const plain = 'Sehr geehrte Damen und Herren,\r\nanbei unser Angebot.\r\n';
    gmail.deliver(address, {
      labelIds: ['INBOX'],
      internalDate: Date.parse('2026-11-02T15:05:10Z'),
      sizeEstimate: 48_211,
      threadId: '18c2f0a1b2c3d4e5',
      headers: [
        { name: 'From', value: '"Müller, Hans" <Hans.Mueller@Buyer-Example.de>' },
        { name: 'Reply-To', value: 'einkauf@buyer-example.de' },
        { name: 'To', value: 'rep@acme.test, "Li Wei" <li@acme.test>' },
        { name: 'Cc', value: 'Chef (Boss) <chef@buyer-example.de>' },
        { name: 'Subject', value: '=?UTF-8?B?5Zue5aSNOiDmiqXku7c=?=' },
        { name: 'Date', value: 'Mon, 2 Nov 2026 16:05:09 +0100' },
        { name: 'Message-ID', value: '<AM0PR01.4711@buyer-example.de>' },
        { name: 'In-Reply-To', value: '<q2@acme.test>' },
        { name: 'References', value: '<q1@acme.test> <q2@acme.test>' },
        { name: 'Auto-Submitted', value: 'auto-replied' },
        { name: 'X-Autoreply', value: 'yes' },
        { name: 'Precedence', value: 'auto_reply' },
      ],
      payload: {
        mimeType: 'multipart/mixed',
        parts: [
          { mimeType: 'multipart/alternative', parts: [
            { mimeType: 'text/plain', body: { size: 54, data: b64url(plain) } },
            { mimeType: 'text/html', body: { size: 80, data: b64url('<p>Sehr geehrte Damen und Herren,</p>') } },
          ] },
          { mimeType: 'application/pdf', filename: 'Angebot.pdf', headers: [{ name: 'Content-Disposition', value: 'attachment; filename="Angebot.pdf"' }], body: { size: 40_000, attachmentId: 'ANGe1' } },
          { mimeType: 'image/png', filename: 'logo.png', headers: [{ name: 'Content-Disposition', value: 'inline; filename="logo.png"' }, { name: 'Content-ID', value: '<logo@buyer>' }], body: { size: 3_000, attachmentId: 'ANGe2' } },
        ],
      },
    });
    const page = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    expect(page.messages).toEqual([
      {
        providerId: expect.any(String),
        folder: 'inbox',
        messageId: '<AM0PR01.4711@buyer-example.de>',
        inReplyTo: '<q2@acme.test>',
        references: ['<q1@acme.test>', '<q2@acme.test>'],
        providerThreadId: '18c2f0a1b2c3d4e5',
        from: { address: 'hans.mueller@buyer-example.de', name: 'Müller, Hans' },
        replyTo: [{ address: 'einkauf@buyer-example.de' }],
        to: [{ address: 'rep@acme.test' }, { address: 'li@acme.test', name: 'Li Wei' }],
        cc: [{ address: 'chef@buyer-example.de', name: 'Chef (Boss)' }],
        dateHeader: 'Mon, 2 Nov 2026 16:05:09 +0100',
        receivedAt: '2026-11-02T15:05:10.000Z',
        subject: '回复: 报价',
        sizeBytes: 48_211,
        attachments: [{ name: 'Angebot.pdf', contentType: 'application/pdf' }],
        autoHeaders: { autoSubmitted: 'auto-replied', xAutoreply: 'yes', precedence: 'auto_reply', contentType: 'multipart/mixed' },
        textBody: plain,
      },
    ]);
  });

  it('an HTML-only mail gives its text; bodies "headers" asks for metadata only', async () => {
    const { address, mailbox } = delegated();
    gmail.deliver(address, { ...inbound('html', '2026-11-02T10:00:00Z'), payload: { mimeType: 'text/html', body: { size: 60, data: b64url('<p>Hello <b>Li</b>,</p><p>Price: 5 USD<img src="cid:x"></p>') } } });
    const page = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    expect(page.messages[0]!.textBody).toBe('Hello Li,\n\nPrice: 5 USD');
    const headersOnly = createGmailMailbox({ credentials: delegation, tenantId: 'tenant-1', userId: null, address, bodies: 'headers' });
    const before = gmail.requests.length;
    const light = await headersOnly.nextPage(null, { pageSize: 10, since: SINCE });
    expect(light.messages[0]).toMatchObject({ subject: 'html', textBody: null, attachments: [] });
    expect(gmail.requests.slice(before).find((r) => /\/messages\/[^/]+$/.test(r.path))!.query.format).toBe('metadata');
  });

  it('a history start Gmail no longer keeps (404) is cursor-expired, and so is a cursor that is not ours', async () => {
    const { address, mailbox } = delegated();
    const { cursor } = await drain(mailbox, null, 10);
    gmail.deliver(address, inbound('after', '2026-11-22T00:00:00Z'));
    gmail.expireHistory(address);
    const expired = await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }));
    expect([expired.code, expired.message]).toEqual(['cursor-expired', expect.stringContaining('no longer keeps history from')]);
    expect((await errorOf(mailbox.nextPage('graph1:xyz', { pageSize: 10, since: SINCE }))).code).toBe('cursor-expired');
    // The engine's full resync from null finds the mail again.
    expect((await drain(mailbox, null, 10)).pages.flatMap((p) => p.messages.map((m) => m.subject))).toEqual(['after']);
  });

  it('gets a page\'s messages fifty to a batch request, paired by Content-ID; a message gone meanwhile is left out, a throttled one throttles the page', async () => {
    const { address, mailbox } = delegated();
    for (let i = 0; i < 120; i++) gmail.deliver(address, inbound(`rfq ${i}`, new Date(Date.parse('2026-11-02T00:00:00Z') + i * 60_000).toISOString()));
    const before = gmail.requests.length;
    const page = await mailbox.nextPage(null, { pageSize: 120, since: SINCE });
    // Newest first, every one of them once (the stand-in answers a batch's parts in reverse order).
    expect(page.messages.map((m) => m.subject)).toEqual(Array.from({ length: 120 }, (_, i) => `rfq ${119 - i}`));
    const calls = gmail.requests.slice(before);
    expect(calls.filter((r) => r.path === '/batch/gmail/v1')).toHaveLength(3);
    const gets = calls.filter((r) => /\/messages\/[^/]+$/.test(r.path));
    expect([gets.length, new Set(gets.map((r) => r.path)).size, gets.every((r) => r.user === address && r.query.format === 'full')]).toEqual([120, 120, true]);

    // One call of a batch answered 404 (deleted since the list): the rest of the page is kept.
    gmail.failNext(1, 404, { path: /\/messages\/[^/]+$/ });
    expect((await mailbox.nextPage(null, { pageSize: 120, since: SINCE })).messages).toHaveLength(119);
    // One call throttled: the page fails as throttled with that call's Retry-After, and is read again later.
    gmail.failNext(1, 429, { path: /\/messages\/[^/]+$/, retryAfter: '7' });
    const limited = await errorOf(mailbox.nextPage(null, { pageSize: 120, since: SINCE }));
    expect([limited.code, limited.retryAfterMs]).toEqual(['throttled', 7_000]);
    gmail.failNext(1, 401, { path: /\/messages\/[^/]+$/ });
    expect((await errorOf(mailbox.nextPage(null, { pageSize: 120, since: SINCE }))).code).toBe('auth');
    expect((await mailbox.nextPage(null, { pageSize: 120, since: SINCE })).messages).toHaveLength(120);
  });

  it('429 and a usage-limit 403 are throttled with Google\'s Retry-After; the same cursor works afterwards', async () => {
    const { address, mailbox } = delegated();
    const { cursor } = await drain(mailbox, null, 10);
    gmail.deliver(address, inbound('late', '2026-11-22T00:00:00Z'));
    gmail.failNext(1, 429, { path: /\/history$/, retryAfter: '12' });
    const limited = await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }));
    expect([limited.code, limited.retryAfterMs]).toEqual(['throttled', 12_000]);
    gmail.failNext(1, 403, { path: /\/history$/, reason: 'rateLimitExceeded', retryAfter: '4' });
    const usage = await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }));
    expect([usage.code, usage.retryAfterMs]).toEqual(['throttled', 4_000]);
    gmail.failNext(1, 429, { path: /\/history$/ });
    expect((await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }))).retryAfterMs).toBe(30_000);
    gmail.failNext(1, 500, { path: /\/history$/ });
    expect((await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }))).code).toBe('unreachable');
    expect((await mailbox.nextPage(cursor, { pageSize: 10, since: SINCE })).messages.map((m) => m.subject)).toEqual(['late']);
  });

  it('delegation refused for the user, or no way to act at all, is auth in words', async () => {
    const stranger = createGmailMailbox({ credentials: delegation, tenantId: 'tenant-1', userId: null, address: 'not-in-domain@acme.test' });
    const refused = await errorOf(stranger.test());
    expect(refused.code).toBe('auth');
    expect(refused.message).toContain('Domain-wide delegation');
    expect(refused.message).toContain('https://www.googleapis.com/auth/gmail.readonly');
    const nobody = createGmailMailbox({ credentials: grants, tenantId: 'tenant-1', userId: null, address: 'info@acme.test' });
    expect((await errorOf(nobody.nextPage(null, { pageSize: 10, since: SINCE }))).message).toBe('the store cannot act for info@acme.test: a mailbox no tradepane user owns needs domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE, authorised for https://www.googleapis.com/auth/gmail.readonly)');
  });

  it('through a rep\'s own grant: syncs; a grant without gmail.readonly or a revoked one is auth, asking the rep to connect again', async () => {
    const seeded = await seedTenant(store, `gmb${++n}`);
    const rep = seeded.rep;
    gmail.addUser(rep.email);
    const grant = async (scopes?: string[]) => {
      await store.db.deleteFrom('google_grants').where('user_id', '=', rep.id).execute();
      await store.db.insertInto('google_grants').values({ tenant_id: seeded.tenantId, user_id: rep.id, refresh_token: box.seal({ refreshToken: gmail.issueRefreshToken(rep.email, scopes) }), scopes: '[]', granted_at: new Date().toISOString(), revoked_reason: null }).execute();
      grants.forgetTokens();
    };
    const mailbox = () => createGmailMailbox({ credentials: grants, tenantId: seeded.tenantId, userId: rep.id, address: rep.email });

    const none = await errorOf(mailbox().test());
    expect(none.message).toContain('has not connected their Google account');

    await grant();
    gmail.deliver(rep.email, inbound('to the rep', '2026-11-02T10:00:00Z'));
    expect(await mailbox().test()).toEqual({ address: rep.email.toLowerCase(), folders: ['INBOX', 'SENT'] });
    expect((await mailbox().nextPage(null, { pageSize: 10, since: SINCE })).messages.map((m) => m.subject)).toEqual(['to the rep']);

    await grant(['https://www.googleapis.com/auth/gmail.compose']);
    const narrow = await errorOf(mailbox().nextPage(null, { pageSize: 10, since: SINCE }));
    expect([narrow.code, narrow.message]).toEqual(['auth', expect.stringContaining('insufficient authentication scopes')]);
    expect(narrow.message).toContain('must connect their Google account to tradepane again');

    await grant();
    gmail.revokeUser(rep.email);
    const revoked = await errorOf(mailbox().test());
    expect([revoked.code, revoked.message]).toEqual(['auth', expect.stringContaining('invalid_grant')]);
  });

  it('an answer goes in the thread of the mail it answers; Gmail keeps it there only with In-Reply-To and the same subject', async () => {
    const { address, mailbox } = delegated();
    const asked = gmail.deliver(address, { labelIds: ['INBOX'], internalDate: Date.parse('2026-11-03T01:00:00Z'), headers: [{ name: 'From', value: 'li.wei@buyer.example' }, { name: 'To', value: address }, { name: 'Subject', value: '询价：LED 面板' }, { name: 'Message-ID', value: '<rfq-9@buyer.example>' }] });
    const answering = { providerId: asked.id, threadId: asked.threadId };
    await mailbox.send!({ to: [{ address: 'li.wei@buyer.example' }], subject: 'Re: 询价：LED 面板', html: '<p>收到</p>', inReplyTo: '<rfq-9@buyer.example>', references: ['<rfq-9@buyer.example>'], answering });
    // The same thread asked for, but another subject: Gmail starts a thread of its own.
    await mailbox.send!({ to: [{ address: 'li.wei@buyer.example' }], subject: 'Price list', html: '<p>attached</p>', inReplyTo: '<rfq-9@buyer.example>', answering });
    // Not an answer: no thread asked for.
    await mailbox.send!({ to: [{ address: 'li.wei@buyer.example' }], subject: 'Re: 询价：LED 面板', html: '<p>x</p>', answering });
    const sends = gmail.requests.filter((r) => r.user === address && r.path === '/gmail/v1/users/me/messages/send').map((r) => (r.body as { threadId?: string }).threadId ?? null);
    expect(sends).toEqual([asked.threadId, asked.threadId, null]);
    expect(gmail.sentMessages(address).map((m) => m.threadId === asked.threadId)).toEqual([true, false, false]);
  });

  it('sends as the mailbox with the Message-ID and In-Reply-To given; the sent copy comes back from history as sent', async () => {
    const { address, mailbox } = delegated();
    const { cursor } = await drain(mailbox, null, 10);
    const { messageId } = await mailbox.send!({ to: [{ address: 'li.wei@buyer.example', name: 'Li Wei' }], subject: 'Re: Quotation', html: '<p>Thank you</p>', inReplyTo: '<q9@buyer.example>', references: ['<q8@buyer.example>', '<q9@buyer.example>'], messageId: '<tp.42@acme.test>' });
    expect(messageId).toBe('<tp.42@acme.test>');
    const raw = Buffer.from((gmail.requests.find((r) => r.user === address && r.path === '/gmail/v1/users/me/messages/send')!.body as { raw: string }).raw, 'base64url').toString('utf8');
    expect(raw).toContain('Message-ID: <tp.42@acme.test>\r\n');
    expect(raw).toContain('\r\nIn-Reply-To: <q9@buyer.example>\r\nReferences: <q8@buyer.example> <q9@buyer.example>\r\n');
    const page = await mailbox.nextPage(cursor, { pageSize: 10, since: SINCE });
    expect(page.messages.map((m) => [m.folder, m.messageId, m.inReplyTo, m.references])).toEqual([['sent', '<tp.42@acme.test>', '<q9@buyer.example>', ['<q8@buyer.example>', '<q9@buyer.example>']]]);
  });
});
