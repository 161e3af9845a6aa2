import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Store } from '../../src/server/db/connect.js';
import { GoogleCredentials } from '../../src/server/google/credentials.js';
import { claimDueSends, sendDue, startSendWorker, type ItemOutcome, type SendWorkerOptions } from '../../src/server/jobs/send-worker.js';
import { cancelSend, getSend, scheduleSend } from '../../src/server/services/scheduled-sends.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { SecretBox } from '../../src/server/secrets.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

const SERVICE_ACCOUNT = 'sender@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe.each(storeKinds())('send worker on $name', (kind) => {
  const gmail = new FakeGmail();
  let store: Store;
  let t: SeededTenant;
  let credentials: GoogleCredentials;
  const box = new SecretBox(randomBytes(32));
  const rep = () => ({ ...operator(t.tenantId), userId: t.rep.id, role: 'rep' as const, label: t.rep.email });
  const worker = (extra: Partial<SendWorkerOptions> = {}): SendWorkerOptions => ({ instanceId: 'w1', credentials, rootUrl: gmail.rootUrl(), backoffBaseMs: 20, backoffCapMs: 200, ...extra });
  const past = () => new Date(Date.now() - 1000).toISOString();

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey);
    store = await kind.open();
    t = await seedTenant(store, `sw${kind.name}`);
    gmail.addUser(t.rep.email);
    credentials = new GoogleCredentials({ apiRootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl, serviceAccount: { clientEmail: SERVICE_ACCOUNT, privateKey: keys.privateKey } }, store.db, box);
  });
  afterAll(async () => {
    await store.close();
    await gmail.stop();
  });

  /** A draft in the fake mailbox and a scheduled send for it, due `atIso` (the past is allowed a minute). */
  async function scheduled(subject: string, atIso = past(), to = ['buyer@example.de']) {
    const draft = gmail.addDraft(t.rep.email, { to, subject });
    const { send } = await scheduleSend(t.tdb, rep(), { provider: 'gmail', draftId: draft.draftId, recipients: to, subject, sendAt: atIso });
    return { draft, send };
  }

  async function drain(options: Partial<SendWorkerOptions> = {}, rounds = 50) {
    for (let i = 0; i < rounds; i++) {
      await sendDue(store.db, store.dialect, worker(options));
      const live = await store.db.selectFrom('scheduled_sends').select('id').where('tenant_id', '=', t.tenantId).where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', new Date(Date.now() + 60_000).toISOString()).execute();
      if (live.length === 0) return;
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  it('sends a due draft once through drafts.send as the rep, and records Gmail\'s ids and the send.sent event', async () => {
    await createConnector(t.tdb, operator(t.tenantId), box, { kind: 'webhook', name: 'hook', settings: { url: 'https://crm.example.test/hook' }, secrets: { signingSecret: 'a-signing-secret-of-length' } });
    const { draft, send } = await scheduled('Quotation 1');
    const before = new Date(Date.now() + 3600_000).toISOString();
    const { send: later } = await scheduled('Not yet', before);
    await drain();
    expect(gmail.sendsOf(draft.draftId)).toBe(1);
    const view = await getSend(t.tdb, send.id);
    expect(view.status).toBe('sent');
    expect(view.messageId).toBe(draft.rfc822MessageId);
    expect(view.providerMessageId).toBe(gmail.sends.find((s) => s.draftId === draft.draftId)!.messageId);
    expect((await getSend(t.tdb, later.id)).status).toBe('pending');
    // The worker acted as the rep: the access token was granted for the rep's mailbox.
    expect(gmail.requests.filter((r) => r.path.endsWith('/drafts/send')).every((r) => r.user === t.rep.email)).toBe(true);
    const events = await t.tdb.selectFrom('outbox').select(['event_type', 'event']).execute();
    expect(events.map((e) => e.event_type).sort()).toEqual(['send.scheduled', 'send.scheduled', 'send.sent']);
    const sentEvent = JSON.parse(events.find((e) => e.event_type === 'send.sent')!.event) as { send: { id: string; user: string }; messageId: string };
    expect(sentEvent.send).toMatchObject({ id: send.id, user: t.rep.email });
    expect(sentEvent.messageId).toBe(draft.rfc822MessageId.replace(/^<|>$/g, ''));
    await cancelSend(t.tdb, rep(), later.id, { own: true });
  });

  it('never sends a draft deleted before its time, and says why', async () => {
    const { draft, send } = await scheduled('Deleted by hand');
    gmail.deleteDraft(t.rep.email, draft.draftId);
    await drain();
    const view = await getSend(t.tdb, send.id);
    expect(view.status).toBe('gone');
    expect(view.reason).toMatch(/sent or deleted by hand/);
    expect(gmail.sendsOf(draft.draftId)).toBe(0);
  });

  it('never sends a cancelled item', async () => {
    const { draft, send } = await scheduled('Cancelled');
    await cancelSend(t.tdb, rep(), send.id, { own: true });
    await drain();
    expect((await getSend(t.tdb, send.id)).status).toBe('cancelled');
    expect(gmail.sendsOf(draft.draftId)).toBe(0);
    expect(gmail.hasDraft(t.rep.email, draft.draftId)).toBe(true);
  });

  it('retries 429 (after Retry-After) and 500 with backoff, then sends once', async () => {
    const { draft, send } = await scheduled('Busy Gmail');
    gmail.failNext(1, 429, { path: /\/drafts\/send$/, retryAfter: '1' });
    gmail.failNext(1, 500, { path: /\/drafts\/r-/ });
    await sendDue(store.db, store.dialect, worker());
    let row = await t.tdb.selectFrom('scheduled_sends').selectAll().where('id', '=', send.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    await sendDue(store.db, store.dialect, worker());
    row = await t.tdb.selectFrom('scheduled_sends').selectAll().where('id', '=', send.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('sending'); // the 429 came on drafts.send
    expect(Date.parse(row.next_attempt_at) - Date.parse(row.updated_at)).toBeGreaterThanOrEqual(1000); // Retry-After honoured
    await store.db.updateTable('scheduled_sends').set({ next_attempt_at: past() }).where('id', '=', send.id).execute();
    await drain();
    expect((await getSend(t.tdb, send.id)).status).toBe('sent');
    expect(gmail.sendsOf(draft.draftId)).toBe(1);
  });

  it('gives up on a Gmail call well inside its lease (a third of it), so no other worker can take the item over mid-send', async () => {
    const { draft, send } = await scheduled('Hanging Gmail');
    gmail.failNext(1, 500, { path: /\/drafts\/send$/, hang: true });
    const outcomes: ItemOutcome[] = [];
    // With the 30 s default the pass would still be waiting when jest gives up on the test.
    await sendDue(store.db, store.dialect, worker({ leaseMs: 1_500, onOutcome: (o) => outcomes.push(o) }));
    expect(outcomes.find((o) => o.id === send.id)).toMatchObject({ result: 'retry' });
    const row = await t.tdb.selectFrom('scheduled_sends').selectAll().where('id', '=', send.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('sending');
    expect(row.lease_owner).toBeNull();
    await store.db.updateTable('scheduled_sends').set({ next_attempt_at: past() }).where('id', '=', send.id).execute();
    await drain({ leaseMs: 1_500 });
    expect((await getSend(t.tdb, send.id)).status).toBe('sent');
    expect(gmail.sendsOf(draft.draftId)).toBe(1);
  }, 15_000);

  it('a send whose answer was lost (500 after Gmail sent it) is found among sent mail, not sent again', async () => {
    const { draft, send } = await scheduled('Lost answer');
    gmail.failNext(1, 500, { path: /\/drafts\/send$/, afterCommit: true });
    await drain();
    expect(gmail.sendsOf(draft.draftId)).toBe(1);
    const view = await getSend(t.tdb, send.id);
    expect(view.status).toBe('sent');
    expect(view.providerMessageId).toBe(gmail.sends.find((s) => s.draftId === draft.draftId)!.messageId);
  });

  it('after a crash between Gmail\'s answer and the database write: sent found → sent; draft gone and nothing sent → gone; draft still there → sent once', async () => {
    const crashed = async (subject: string) => {
      const { draft, send } = await scheduled(subject);
      // What a worker that died right after recording the Message-ID leaves behind.
      await store.db.updateTable('scheduled_sends').set({ status: 'sending', rfc822_message_id: draft.rfc822MessageId, lease_owner: 'dead-worker', lease_until: new Date(Date.now() - 1).toISOString() }).where('id', '=', send.id).execute();
      return { draft, send };
    };
    const a = await crashed('Crash after send');
    const b = await crashed('Crash, then rep deleted it');
    const c = await crashed('Crash before send');
    // a: Gmail did send it before the crash (by the dead worker).
    const token = await credentials.forUser({ tenantId: t.tenantId, userId: t.rep.id, email: t.rep.email }, ['https://www.googleapis.com/auth/gmail.compose']);
    const { gmailClient, sendDraft } = await import('../../src/server/google/gmail-api.js');
    await sendDraft(gmailClient(token!.auth, { rootUrl: gmail.rootUrl() }), a.draft.draftId);
    gmail.deleteDraft(t.rep.email, b.draft.draftId);
    await drain();
    expect(gmail.sendsOf(a.draft.draftId)).toBe(1);
    expect((await getSend(t.tdb, a.send.id)).status).toBe('sent');
    expect(gmail.sendsOf(b.draft.draftId)).toBe(0);
    const bView = await getSend(t.tdb, b.send.id);
    expect(bView.status).toBe('gone');
    expect(bView.reason).toMatch(/sent or deleted by hand/);
    expect(gmail.sendsOf(c.draft.draftId)).toBe(1);
    expect((await getSend(t.tdb, c.send.id)).status).toBe('sent');
  });

  it('two workers racing over the same due items send each exactly once', async () => {
    gmail.sendLatencyMs = 30;
    const items = await Promise.all(Array.from({ length: 12 }, (_, i) => scheduled(`Race ${i}`)));
    await Promise.all([drain({ instanceId: 'wa', concurrency: 4, batch: 5 }), drain({ instanceId: 'wb', concurrency: 4, batch: 5 })]);
    gmail.sendLatencyMs = 0;
    for (const { draft, send } of items) {
      expect(gmail.sendsOf(draft.draftId)).toBe(1);
      expect((await getSend(t.tdb, send.id)).status).toBe('sent');
    }
  });

  it('keeps sending while one Gmail call hangs: the running worker claims more as slots free up instead of waiting for the slowest of a batch', async () => {
    const items = await Promise.all(Array.from({ length: 12 }, (_, i) => scheduled(`Pipeline ${i}`)));
    const ids = new Set(items.map((i) => i.send.id));
    gmail.failNext(1, 500, { path: /\/drafts\/send$/, hang: true });
    const outcomes: ItemOutcome[] = [];
    let othersSent: () => void = () => {};
    const allOthersSent = new Promise<void>((resolve) => (othersSent = resolve));
    // Four in flight, at most four per claim: a batch-at-a-time worker would wait here for the
    // hanging call (until its timeout, a third of the lease) before claiming the next four.
    const stop = startSendWorker(store.db, store.dialect, {
      ...worker({ instanceId: 'pipe', concurrency: 4, batch: 4, leaseMs: 15_000 }),
      intervalMs: 50,
      onOutcome: (o) => {
        outcomes.push(o);
        if (outcomes.filter((x) => ids.has(x.id)).length === items.length - 1) othersSent();
      },
    });
    await allOthersSent;
    await stop();
    // Every other item went out before the hanging call gave up.
    const ours = outcomes.filter((o) => ids.has(o.id));
    expect(ours.slice(0, items.length - 1)).toEqual(Array.from({ length: items.length - 1 }, () => expect.objectContaining({ result: 'sent' })));
    // The hanging send did go out at Gmail: reconciling finds it, and nothing is sent twice.
    await store.db.updateTable('scheduled_sends').set({ next_attempt_at: past(), lease_owner: null, lease_until: null }).where('tenant_id', '=', t.tenantId).where('status', 'in', ['pending', 'sending']).execute();
    await drain();
    for (const { draft, send } of items) {
      expect((await getSend(t.tdb, send.id)).status).toBe('sent');
      expect(gmail.sendsOf(draft.draftId)).toBe(1);
    }
  }, 30_000);

  it('invalid recipient (400) and revoked access (invalid_grant) fail for good with the reason; nothing is dropped', async () => {
    const bad = await scheduled('No valid recipient', past(), ['buyer@example.de']);
    gmail.failNext(1, 400, { path: /\/drafts\/send$/ });
    await drain();
    const badView = await getSend(t.tdb, bad.send.id);
    expect(badView.status).toBe('failed');
    expect(badView.reason).toMatch(/Gmail refused the draft.*Invalid To header/);

    const revoked = await scheduled('Access revoked');
    gmail.revokeUser(t.rep.email);
    await drain();
    const view = await getSend(t.tdb, revoked.send.id);
    expect(view.status).toBe('failed');
    expect(view.reason).toMatch(/Google refused access to rep@.*invalid_grant/);
    expect(gmail.sendsOf(revoked.draft.draftId)).toBe(0);
    const failedEvents = await t.tdb.selectFrom('outbox').select('event').where('event_type', '=', 'send.failed').execute();
    expect(failedEvents.map((e) => (JSON.parse(e.event) as { send: { id: string } }).send.id)).toEqual(expect.arrayContaining([bad.send.id, revoked.send.id]));
  });
});

describe.each(storeKinds())('claiming due sends on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `cs${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  // PostgreSQL may rescan an `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` sub-plan per row of a
  // small table, each rescan skipping the rows just locked: a claim of 2 took every due send.
  it('leases at most its batch, and exactly what it hands back', async () => {
    const rep = { ...operator(t.tenantId), userId: t.rep.id, role: 'rep' as const, label: t.rep.email };
    const sendAt = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 5; i++) await scheduleSend(t.tdb, rep, { provider: 'gmail', draftId: `draft-${i}`, recipients: ['buyer@example.de'], subject: `Claim ${i}`, sendAt });
    const claimed = await claimDueSends(store.db, store.dialect, 'w1', { now: new Date(), batch: 2, leaseMs: 60_000 });
    const leased = await store.db.selectFrom('scheduled_sends').select('id').where('lease_owner', '=', 'w1').execute();
    expect(claimed).toHaveLength(2);
    expect(leased.map((r) => r.id).sort()).toEqual(claimed.map((r) => r.id).sort());
  });
});
