import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request as httpsRequest } from 'node:https';
import { createGraphMailbox, type GraphMailboxOptions } from '../../../src/server/mail/graph.js';
import { MailboxError, type MailboxAdapter, type SyncPage } from '../../../src/server/mail/types.js';
import { deltaQueryError, FakeGraph, type FakeGraphMessage } from '../../support/fake-graph.js';

const TENANT = 'contoso.onmicrosoft.com';
const SINCE = new Date('2026-11-01T00:00:00Z');

let graph: FakeGraph;
let n = 0;

beforeAll(async () => {
  graph = new FakeGraph();
  await graph.start();
});
afterAll(async () => {
  await graph.stop();
});

/** A fresh app and mailbox per test, so msal's shared token cache and the fake's state never leak between tests. */
function setup(appOptions: { roles?: string[]; policy?: string[]; secretExpired?: boolean } = {}, address = `sales${++n}@contoso.com`) {
  const clientId = `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`;
  graph.addApp({ tenant: TENANT, clientId, secret: 'right~secret', ...appOptions });
  graph.addMailbox(address);
  const options: GraphMailboxOptions = { address, tenantId: TENANT, clientId, clientSecret: 'right~secret', authorityHost: graph.url, graphBaseUrl: graph.url, ca: graph.ca };
  return { address, clientId, options, mailbox: createGraphMailbox(options) };
}

function received(overrides: Partial<FakeGraphMessage> = {}): Omit<FakeGraphMessage, 'id' | 'seq'> {
  return {
    folder: 'inbox',
    internetMessageId: `<m${++n}@buyer.example>`,
    internetMessageHeaders: [{ name: 'Date', value: 'Tue, 03 Nov 2026 09:15:00 +0800' }],
    conversationId: `conv-${n}`,
    from: { name: 'Li Wei', address: 'li.wei@buyer.example' },
    to: [{ address: 'sales@contoso.com' }],
    subject: `Inquiry ${n}`,
    receivedDateTime: '2026-11-03T01:15:02Z',
    sentDateTime: '2026-11-03T01:15:00Z',
    body: 'hello',
    ...overrides,
  };
}

async function errorOf(work: Promise<unknown>): Promise<MailboxError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof MailboxError) return error;
    throw error;
  }
  throw new Error('expected a MailboxError');
}

async function drain(mailbox: MailboxAdapter, cursor: string | null, pageSize = 2): Promise<{ pages: SyncPage[]; cursor: string }> {
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

describe('Graph mailbox: backfill and incremental sync over delta queries', () => {
  it('pages Inbox then Sent Items with nextLink, only since the backfill start, and catches up on the delta links', async () => {
    const { address, mailbox } = setup();
    graph.addMessage(address, received({ subject: 'too old', receivedDateTime: '2026-10-20T00:00:00Z' }));
    for (const day of ['02', '03', '04', '05']) graph.addMessage(address, received({ subject: `inbox ${day}`, receivedDateTime: `2026-11-${day}T08:00:00Z` }));
    for (const day of ['06', '07']) graph.addMessage(address, received({ folder: 'sentitems', subject: `sent ${day}`, from: { address }, receivedDateTime: `2026-11-${day}T08:00:00Z`, sentDateTime: `2026-11-${day}T07:59:58Z` }));
    const before = graph.requests.length;

    const { pages } = await drain(mailbox, null, 2);

    // Inbox: 4 in the window at 2 a page (nextLink, then deltaLink); Sent Items: 2 in one page.
    expect(pages.map((p) => [p.messages.map((m) => `${m.folder}:${m.subject}`), p.caughtUp])).toEqual([
      [['inbox:inbox 02', 'inbox:inbox 03'], false],
      [['inbox:inbox 04', 'inbox:inbox 05'], false],
      [['sent:sent 06', 'sent:sent 07'], true],
    ]);
    const calls = graph.requests.slice(before);
    // One token for the whole backfill; msal asked for no discovery or OpenID metadata.
    expect(calls.filter((r) => !r.path.startsWith('/v1.0/')).map((r) => `${r.method} ${r.path}`)).toEqual([`POST /${TENANT}/oauth2/v2.0/token`]);
    const deltas = calls.filter((r) => r.path.endsWith('/messages/delta'));
    expect(deltas.map((r) => r.path)).toEqual([
      `/v1.0/users/${encodeURIComponent(address)}/mailFolders/inbox/messages/delta`,
      `/v1.0/users/${encodeURIComponent(address)}/mailFolders/inbox/messages/delta`,
      `/v1.0/users/${encodeURIComponent(address)}/mailFolders/sentitems/messages/delta`,
    ]);
    expect(deltas[0]!.query).toMatchObject({ $filter: 'receivedDateTime ge 2026-11-01T00:00:00.000Z', changeType: 'created' });
    expect(deltas[0]!.query.$select!.split(',')).toEqual(expect.arrayContaining(['internetMessageId', 'internetMessageHeaders', 'conversationId', 'from', 'replyTo', 'toRecipients', 'ccRecipients', 'subject', 'receivedDateTime', 'sentDateTime', 'hasAttachments', 'body']));
    expect(Object.keys(deltas[1]!.query)).toEqual(['$skiptoken']);
    // Sent Items starts with the backfill's own window, not from the beginning of time.
    expect(deltas[2]!.query.$filter).toBe('receivedDateTime ge 2026-11-01T00:00:00.000Z');
    for (const d of deltas) expect(d.prefer).toBe('odata.maxpagesize=2, IdType="ImmutableId", outlook.body-content-type="text"');
    // The first request is one the real Graph accepts: the stand-in refuses what Graph refuses.
    expect(deltaQueryError(deltas[0]!.query)).toBeNull();
  });

  it('the stand-in refuses what Graph refuses on a message delta: unknown properties, $search/$orderby, other filters', () => {
    expect(deltaQueryError({ $select: 'subject,size' })).toEqual({ code: 'RequestBroker--ParseUri', message: "Could not find a property named 'size' on type 'microsoft.graph.message'." });
    expect(deltaQueryError({ $search: '"invoice"' })?.code).toBe('ErrorInvalidUrlQuery');
    expect(deltaQueryError({ $orderby: 'receivedDateTime desc' })?.code).toBe('ErrorInvalidUrlQuery');
    expect(deltaQueryError({ $filter: "subject eq 'x'" })?.code).toBe('ErrorInvalidUrlQueryFilter');
    expect(deltaQueryError({ changeType: 'moved' })?.code).toBe('ErrorInvalidUrlQuery');
    expect(deltaQueryError({ $select: 'internetMessageHeaders,body,uniqueBody', $filter: 'receivedDateTime gt 2026-11-01T00:00:00Z', changeType: 'created' })).toBeNull();
  });

  it('answers only what is new after the delta links, skips removed items, and is caught up with nothing new', async () => {
    const { address, mailbox } = setup();
    const gone = graph.addMessage(address, received({ subject: 'first', receivedDateTime: '2026-11-02T08:00:00Z' }));
    const backfill = await drain(mailbox, null, 10);
    expect(backfill.pages.flatMap((p) => p.messages.map((m) => m.subject))).toEqual(['first']);

    graph.addMessage(address, received({ subject: 'new reply', receivedDateTime: '2026-11-20T08:00:00Z' }));
    graph.addMessage(address, received({ folder: 'sentitems', subject: 'our answer', from: { address }, receivedDateTime: '2026-11-20T09:00:00Z' }));
    graph.removeMessage(address, gone);
    const inbox = await mailbox.nextPage(backfill.cursor, { pageSize: 10, since: SINCE });
    expect([inbox.messages.map((m) => m.subject), inbox.caughtUp]).toEqual([['new reply'], false]);
    const sent = await mailbox.nextPage(inbox.cursor, { pageSize: 10, since: SINCE });
    expect([sent.messages.map((m) => `${m.folder}:${m.subject}`), sent.caughtUp]).toEqual([['sent:our answer'], true]);
    expect(graph.requests.at(-1)!.query).toHaveProperty('$deltatoken');

    const quiet1 = await mailbox.nextPage(sent.cursor, { pageSize: 10, since: SINCE });
    const quiet2 = await mailbox.nextPage(quiet1.cursor, { pageSize: 10, since: SINCE });
    expect([quiet1.messages, quiet1.caughtUp, quiet2.messages, quiet2.caughtUp]).toEqual([[], false, [], true]);
  });

  it('maps a received message: Message-ID, References, the Date header with its offset, display names, attachments, auto-reply headers', async () => {
    const { address, mailbox } = setup();
    const headers = [
      { name: 'Date', value: 'Tue, 03 Nov 2026 09:15:00 +0800' },
      { name: 'In-Reply-To', value: '<q1@contoso.com>' },
      { name: 'References', value: '<q0@contoso.com>\r\n <q1@contoso.com>' },
      { name: 'Auto-Submitted', value: 'auto-replied' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      { name: 'Content-Type', value: 'multipart/mixed; boundary="b1"' },
    ];
    graph.addMessage(address, {
      folder: 'inbox',
      internetMessageId: '<CAB123@mail.buyer.example>',
      internetMessageHeaders: headers,
      conversationId: 'AAQkADconv1',
      from: { name: 'Li Wei', address: 'Li.Wei@Buyer.example' },
      replyTo: [{ name: 'Purchasing', address: 'purchasing@buyer.example' }],
      to: [{ name: 'Sales', address: address }],
      cc: [{ address: 'boss@buyer.example' }],
      subject: '自动回复: Re: Quotation',
      receivedDateTime: '2026-11-03T01:15:02Z',
      sentDateTime: '2026-11-03T01:15:00Z',
      body: 'I am out of office until Monday.\u0000',
      attachments: [
        { name: 'PO-7781.pdf', contentType: 'application/pdf', size: 48_000 },
        { name: 'logo.png', contentType: 'image/png', size: 3_000, isInline: true },
      ],
    });
    const page = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    // Header bytes: name + value + 4 for each of the six headers.
    const headerBytes = (4 + 31 + 4) + (11 + 16 + 4) + (10 + 35 + 4) + (14 + 12 + 4) + (24 + 3 + 4) + (12 + 30 + 4);
    expect(headerBytes).toBe(headers.reduce((s, h) => s + h.name.length + h.value.length + 4, 0));
    const body = 'I am out of office until Monday.';
    expect(page.messages).toEqual([
      {
        providerId: expect.any(String),
        folder: 'inbox',
        messageId: '<CAB123@mail.buyer.example>',
        inReplyTo: '<q1@contoso.com>',
        references: ['<q0@contoso.com>', '<q1@contoso.com>'],
        providerThreadId: 'AAQkADconv1',
        from: { name: 'Li Wei', address: 'li.wei@buyer.example' },
        replyTo: [{ name: 'Purchasing', address: 'purchasing@buyer.example' }],
        to: [{ name: 'Sales', address }],
        cc: [{ address: 'boss@buyer.example' }],
        dateHeader: 'Tue, 03 Nov 2026 09:15:00 +0800',
        receivedAt: '2026-11-03T01:15:02.000Z',
        subject: '自动回复: Re: Quotation',
        sizeBytes: headerBytes + 32 + 48_000,
        attachments: [{ name: 'PO-7781.pdf', contentType: 'application/pdf' }],
        autoHeaders: { autoSubmitted: 'auto-replied', xAutoResponseSuppress: 'All', contentType: 'multipart/mixed; boundary="b1"' },
        textBody: body,
      },
    ]);
    expect(body.length).toBe(32);
  });

  it('keeps at most 64 KiB of a text body, cut at a character boundary', async () => {
    const { address, mailbox } = setup();
    // 30,000 three-byte characters = 90,000 bytes; 64 KiB = 65,536 bytes = 21,845 whole characters + 1 byte.
    graph.addMessage(address, received({ body: '询'.repeat(30_000) }));
    const page = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    expect(page.messages[0]!.textBody).toBe('询'.repeat(21_845));
  });

  it('a sent message has no transport headers in Graph: no Date header, threads by conversationId, receivedAt is when it was sent', async () => {
    const { address, mailbox } = setup();
    graph.addMessage(address, received({ folder: 'sentitems', from: { name: 'Sales', address }, to: [{ name: 'Li Wei', address: 'li.wei@buyer.example' }], conversationId: 'AAQkADconv9', receivedDateTime: '2026-11-05T10:00:01Z', sentDateTime: '2026-11-05T10:00:00Z' }));
    const { pages } = await drain(mailbox, null, 10);
    const sent = pages.flatMap((p) => p.messages);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ folder: 'sent', dateHeader: null, inReplyTo: null, references: [], providerThreadId: 'AAQkADconv9', receivedAt: '2026-11-05T10:00:00.000Z', from: { name: 'Sales', address } });
  });

  it('syncs a shared mailbox by its own address with the app permission, and test() names its folders', async () => {
    const shared = `info${++n}@contoso.com`;
    const { mailbox } = setup({ policy: [shared] }, shared);
    graph.addMessage(shared, received({ subject: 'to info@' }));
    expect(await mailbox.test()).toEqual({ address: shared, folders: ['Inbox', 'Sent Items'] });
    const page = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    expect(page.messages.map((m) => m.subject)).toEqual(['to info@']);
    expect(graph.requests.at(-1)!.path).toBe(`/v1.0/users/${encodeURIComponent(shared)}/mailFolders/inbox/messages/delta`);
  });
});

describe('Graph mailbox: what goes wrong', () => {
  it('an expired delta link (410) is cursor-expired, and so is a cursor that is not ours', async () => {
    const { address, mailbox } = setup();
    graph.addMessage(address, received());
    const { cursor } = await drain(mailbox, null, 10);
    graph.expireSyncState();
    const error = await errorOf(mailbox.nextPage(cursor, { pageSize: 10, since: SINCE }));
    expect([error.code, error.message]).toEqual(['cursor-expired', expect.stringContaining('HTTP 410 SyncStateNotFound')]);
    expect((await errorOf(mailbox.nextPage('12345', { pageSize: 10, since: SINCE }))).code).toBe('cursor-expired');
    const foreign = 'graph1:' + Buffer.from(JSON.stringify({ v: 1, inbox: { link: 'https://evil.example/v1.0/x', atDelta: true }, sent: null, next: 'sent', since: SINCE.toISOString() })).toString('base64url');
    expect((await errorOf(mailbox.nextPage(foreign, { pageSize: 10, since: SINCE }))).message).toMatch(/another Graph/);
    // After the reset the engine starts again from null, and that works.
    expect((await mailbox.nextPage(null, { pageSize: 10, since: SINCE })).messages).toHaveLength(1);
  });

  it('429 and 503 with Retry-After are throttled with the wait (seconds or an HTTP date); the cursor still works afterwards', async () => {
    const now = Date.parse('2026-12-02T18:00:00Z');
    const { address, options } = setup();
    const mailbox = createGraphMailbox({ ...options, now: () => now });
    graph.addMessage(address, received({ subject: 'one' }));
    graph.failNext(429, { path: /messages\/delta$/, retryAfter: '7' });
    const seconds = await errorOf(mailbox.nextPage(null, { pageSize: 10, since: SINCE }));
    expect([seconds.code, seconds.retryAfterMs]).toEqual(['throttled', 7_000]);
    graph.failNext(429, { path: /messages\/delta$/, retryAfter: 'Wed, 02 Dec 2026 18:00:45 GMT' });
    expect((await errorOf(mailbox.nextPage(null, { pageSize: 10, since: SINCE }))).retryAfterMs).toBe(45_000);
    graph.failNext(503, { path: /messages\/delta$/, retryAfter: '3' });
    const unavailable = await errorOf(mailbox.nextPage(null, { pageSize: 10, since: SINCE }));
    expect([unavailable.code, unavailable.retryAfterMs]).toEqual(['throttled', 3_000]);
    graph.failNext(503, { path: /messages\/delta$/ });
    expect((await errorOf(mailbox.nextPage(null, { pageSize: 10, since: SINCE }))).code).toBe('unreachable');

    const first = await mailbox.nextPage(null, { pageSize: 10, since: SINCE });
    graph.addMessage(address, received({ subject: 'two', receivedDateTime: '2026-11-09T00:00:00Z' }));
    const sent = await mailbox.nextPage(first.cursor, { pageSize: 10, since: SINCE });
    graph.failNext(429, { path: /messages\/delta$/, retryAfter: '1' });
    expect((await errorOf(mailbox.nextPage(sent.cursor, { pageSize: 10, since: SINCE }))).code).toBe('throttled');
    // The same cursor, asked again after the wait, gives what was new: nothing lost.
    expect((await mailbox.nextPage(sent.cursor, { pageSize: 10, since: SINCE })).messages.map((m) => m.subject)).toEqual(['two']);
  });

  it('wrong credentials are auth errors an admin can act on', async () => {
    const { options } = setup();
    const wrongSecret = await errorOf(createGraphMailbox({ ...options, clientSecret: 'secret-id-not-value' }).nextPage(null, { pageSize: 10, since: SINCE }));
    expect([wrongSecret.code, wrongSecret.message]).toEqual(['auth', expect.stringContaining('AADSTS7000215')]);
    expect(wrongSecret.message).toContain("secret's value (not its id)");
    const wrongApp = await errorOf(createGraphMailbox({ ...options, clientId: '11111111-2222-3333-4444-555555555555' }).test());
    expect([wrongApp.code, wrongApp.message]).toEqual(['auth', `tenant ${TENANT} has no application 11111111-2222-3333-4444-555555555555 (AADSTS700016): check the application (client) id, and that an admin of this tenant consented to it`]);
    const wrongTenant = await errorOf(createGraphMailbox({ ...options, tenantId: 'fabrikam.example' }).test());
    expect([wrongTenant.code, wrongTenant.message]).toEqual(['auth', expect.stringContaining('Microsoft knows no tenant "fabrikam.example" (AADSTS90002)')]);
    const expired = setup({ secretExpired: true });
    expect((await errorOf(expired.mailbox.test())).message).toContain('has expired (AADSTS7000222)');
  });

  it('a missing application permission or an access policy that leaves the mailbox out is auth, in words; an unknown mailbox is not-found', async () => {
    const noPermission = setup({ roles: [] });
    const denied = await errorOf(noPermission.mailbox.nextPage(null, { pageSize: 10, since: SINCE }));
    expect(denied.code).toBe('auth');
    expect(denied.message).toContain('application permission Mail.Read');
    const outside = setup({ policy: ['someone-else@contoso.com'] });
    const policy = await errorOf(outside.mailbox.test());
    expect([policy.code, policy.message]).toEqual(['auth', expect.stringContaining(`add ${outside.address} to the policy's group`)]);
    const { options } = setup();
    const missing = await errorOf(createGraphMailbox({ ...options, address: 'nobody@contoso.com' }).test());
    expect([missing.code, missing.message]).toEqual(['not-found', expect.stringContaining('there is no mailbox nobody@contoso.com in this tenant')]);
  });

  it('a token Graph refuses (401) is auth, and the next call signs in again instead of offering it twice', async () => {
    const { address, mailbox } = setup();
    graph.addMessage(address, received({ subject: 'after the new token' }));
    await mailbox.test();
    graph.revokeTokens();
    const refused = await errorOf(mailbox.test());
    expect([refused.code, refused.message]).toEqual(['auth', expect.stringContaining('HTTP 401 InvalidAuthenticationToken')]);
    const tokensBefore = graph.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length;
    expect((await mailbox.nextPage(null, { pageSize: 10, since: SINCE })).messages.map((m) => m.subject)).toEqual(['after the new token']);
    expect(graph.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token')).length).toBe(tokensBefore + 1);
  });

  it('an unreachable Graph is unreachable, not auth', async () => {
    const { options } = setup();
    const closed = createGraphMailbox({ ...options, authorityHost: 'https://127.0.0.1:1', timeoutMs: 2_000 });
    expect((await errorOf(closed.test())).code).toBe('unreachable');
  });
});

describe('Graph mailbox: sending', () => {
  it('creates the mail and sends it, answers the Message-ID Exchange gave it, and the sent copy syncs with that id', async () => {
    const { address, mailbox } = setup({ roles: ['Mail.ReadWrite', 'Mail.Send'] });
    const { messageId } = await mailbox.send!({ to: [{ address: 'li.wei@buyer.example', name: 'Li Wei' }], subject: 'Quotation 42', html: '<p>Dear Li Wei</p>' });
    expect(messageId).toMatch(/^<DB9PR0.+@DB9PR04MB\.eurprd04\.prod\.outlook\.com>$/);
    const create = graph.requests.find((r) => r.method === 'POST' && r.path.endsWith('/messages'))!;
    expect(JSON.parse(create.body)).toEqual({ subject: 'Quotation 42', body: { contentType: 'HTML', content: '<p>Dear Li Wei</p>' }, toRecipients: [{ emailAddress: { address: 'li.wei@buyer.example', name: 'Li Wei' } }], ccRecipients: [] });
    const { pages } = await drain(mailbox, null, 10);
    expect(pages.flatMap((p) => p.messages).map((m) => [m.folder, m.messageId, m.subject])).toEqual([['sent', messageId, 'Quotation 42']]);
  });

  it('answers a mail it holds with createReply (by the stored id, else found by Message-ID): Exchange threads it and writes In-Reply-To/References', async () => {
    const { address, mailbox } = setup({ roles: ['Mail.ReadWrite', 'Mail.Send'] });
    const inquiry = received({ internetMessageId: '<rfq-7@buyer.example>', internetMessageHeaders: [{ name: 'References', value: '<earlier@buyer.example>' }], conversationId: 'conv-rfq-7', to: [{ address }] });
    const graphId = graph.addMessage(address, inquiry);
    const answer = { to: [{ address: 'li.wei@buyer.example' }], subject: 'Re: RFQ 7', html: '<p>Received</p>', inReplyTo: '<rfq-7@buyer.example>', references: ['<earlier@buyer.example>', '<rfq-7@buyer.example>'], autoSubmitted: true };
    const first = await mailbox.send!({ ...answer, answering: { providerId: graphId, threadId: 'conv-rfq-7' } });
    // A stored id that no longer answers (the mail was deleted and delivered again): looked up by its Message-ID.
    const second = await mailbox.send!({ ...answer, answering: { providerId: 'AAMkADgone=', threadId: null } });
    const sent = graph.messagesOf(address).filter((m) => m.folder === 'sentitems');
    expect(sent.map((m) => m.internetMessageId)).toEqual([first.messageId, second.messageId]);
    for (const m of sent) {
      expect(m).toMatchObject({ conversationId: 'conv-rfq-7', inReplyTo: '<rfq-7@buyer.example>', references: ['<earlier@buyer.example>', '<rfq-7@buyer.example>'], subject: 'Re: RFQ 7', body: '<p>Received</p>', to: [{ address: 'li.wei@buyer.example' }] });
      // Graph lets a client set only x- headers: Auto-Submitted cannot go, X-Auto-Response-Suppress does.
      expect(m.customHeaders).toEqual([{ name: 'X-Auto-Response-Suppress', value: 'All' }]);
    }
    const calls = graph.requests.filter((r) => r.path.startsWith(`/v1.0/users/${encodeURIComponent(address)}/messages`)).map((r) => `${r.method} ${r.path.replace(/^.*\/messages/, '').replace(/^\/[^/]+/, '/{id}')}${r.query.$filter ? ` ${r.query.$filter}` : ''}`);
    expect(calls).toEqual(['POST /{id}/createReply', 'POST /{id}/send', 'POST /{id}/createReply', "GET  internetMessageId eq '<rfq-7@buyer.example>'", 'POST /{id}/createReply', 'POST /{id}/send']);
  });

  it('answers a mail it does not hold (a rep\'s own mailbox) with a MIME draft carrying In-Reply-To and References', async () => {
    const { address, mailbox } = setup({ roles: ['Mail.ReadWrite', 'Mail.Send'] });
    const { messageId } = await mailbox.send!({ from: { address, name: 'Linda Chen' }, to: [{ address: 'li.wei@buyer.example' }], subject: 'Re: RFQ 8', html: '<p>I look after you</p>', text: 'I look after you', inReplyTo: '<rfq-8@buyer.example>', references: ['<rfq-8@buyer.example>'] });
    const create = graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages')).at(-1)!;
    const mime = Buffer.from(create.body, 'base64').toString('utf8');
    expect(mime).toContain('In-Reply-To: <rfq-8@buyer.example>');
    expect(mime).toContain('References: <rfq-8@buyer.example>');
    const [sent] = graph.messagesOf(address).filter((m) => m.folder === 'sentitems');
    expect(sent).toMatchObject({ internetMessageId: messageId, inReplyTo: '<rfq-8@buyer.example>', references: ['<rfq-8@buyer.example>'], subject: 'Re: RFQ 8', from: { address, name: 'Linda Chen' } });
  });

  it('the stand-in refuses what Graph refuses: a header not named x- on a JSON message, a comment beside a body', async () => {
    const { address, clientId } = setup({ roles: ['Mail.ReadWrite', 'Mail.Send'] });
    const call = (path: string, body: string, headers: Record<string, string>) =>
      new Promise<{ status: number; json: { error?: { code?: string }; access_token?: string } }>((resolve, reject) => {
        const req = httpsRequest(`${graph.url}${path}`, { method: 'POST', ca: graph.ca, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const token = (await call(`/${TENANT}/oauth2/v2.0/token`, new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'right~secret', scope: `${graph.url}/.default` }).toString(), { 'content-type': 'application/x-www-form-urlencoded' })).json.access_token!;
    const json = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const id = graph.addMessage(address, received({ to: [{ address }] }));
    const base = `/v1.0/users/${encodeURIComponent(address)}/messages`;
    const header = await call(base, JSON.stringify({ subject: 's', toRecipients: [], internetMessageHeaders: [{ name: 'In-Reply-To', value: '<x@buyer.example>' }] }), json);
    expect([header.status, header.json.error?.code]).toEqual([400, 'InvalidInternetMessageHeader']);
    const both = await call(`${base}/${encodeURIComponent(id)}/createReply`, JSON.stringify({ comment: 'hi', message: { body: { contentType: 'HTML', content: 'x' } } }), json);
    expect(both.status).toBe(400);
  });

  it('without Mail.Send the send is refused as auth', async () => {
    const { mailbox } = setup({ roles: ['Mail.ReadWrite'] });
    const error = await errorOf(mailbox.send!({ to: [{ address: 'li.wei@buyer.example' }], subject: 's', html: 'h' }));
    expect(error.code).toBe('auth');
  });
});
