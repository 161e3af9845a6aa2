import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { addUser } from '../../src/server/services/people.js';
import { scheduleSend } from '../../src/server/services/scheduled-sends.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';

/**
 * The exactly-once promise across real processes: `tradepane worker` processes over one database,
 * one of them killed with SIGKILL in the middle of a batch (right after Gmail sent a draft and
 * before the worker could write it down), a Gmail failing calls with 500/429 along the way.
 */

// Generous ceilings: on a loaded 2-core CI machine two workers, a 15 s lease take-over and
// exponential backoff after the chaos failures took over a minute (34 s when idle).
jest.setTimeout(Number(process.env.TP_T ?? 300_000));
const SERVICE_ACCOUNT = 'sender@tradepane-test.iam.gserviceaccount.com';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const BIN = resolve('bin/tradepane.js');

describe.each(storeKinds())('send worker processes on $name', (kind) => {
  const gmail = new FakeGmail();
  const dir = mkdtempSync(join(tmpdir(), 'tp-send-'));
  const keyFile = join(dir, 'sa.json');
  let store: Store;
  let databaseEnv: Record<string, string>;
  const children: ChildProcess[] = [];
  const endpoints: { close: () => Promise<void> }[] = [];

  beforeAll(async () => {
    await gmail.start();
    gmail.addServiceAccount(SERVICE_ACCOUNT, keys.publicKey);
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: SERVICE_ACCOUNT, private_key: keys.privateKey }));
    if (kind.name === 'postgres') {
      store = await kind.open();
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${store.schema}`);
      databaseEnv = { DATABASE_URL: url.toString() };
    } else {
      store = openStore({ dataDir: dir });
      await migrate(store);
      databaseEnv = { TRADEPANE_DATA_DIR: dir };
    }
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.close();
    await gmail.stop();
    for (const endpoint of endpoints) await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A `tradepane worker` process with its own port on the fake Gmail, so the fake can tell the
   * processes apart. The lease is short (15 s, the shortest allowed; a Gmail call then times out
   * after 5 s, far above a fake Gmail call even on a busy machine) so that items a SIGKILLed
   * worker held are taken over within the test; production keeps 120 s.
   */
  async function worker(tag: string): Promise<ChildProcess> {
    const endpoint = await gmail.listenFor(tag);
    endpoints.push(endpoint);
    const env = { ...process.env, ...databaseEnv, NODE_ENV: 'test', INSTANCE_ID: tag, GOOGLE_SERVICE_ACCOUNT_FILE: keyFile, GOOGLE_API_ROOT_URL: endpoint.rootUrl, GOOGLE_TOKEN_URL: endpoint.tokenUrl, SEND_LEASE_SECONDS: '15', SEND_WORKER_CONCURRENCY: '4' };
    const child = spawn(process.execPath, [BIN, 'worker', '--quiet', '--interval-ms', '100'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (process.env.TP_DEBUG_WORKERS) { child.stdout!.pipe(process.stderr); child.stderr!.pipe(process.stderr); }
    child.stdout!.resume();
    child.stderr!.resume();
    children.push(child);
    return child;
  }

  /** Resolves once the worker says it runs (its first pass is under way), rejects if it dies first. */
  function running(child: ChildProcess): Promise<void> {
    return new Promise((resolveRunning, reject) => {
      let said = '';
      const onData = (chunk: Buffer) => {
        said += chunk.toString('utf8');
        if (/send worker \S+ running on/.test(said)) {
          child.stderr!.off('data', onData);
          child.off('exit', onExit);
          resolveRunning();
        }
      };
      const onExit = (code: number | null) => reject(new Error(`worker exited (${code}) before running: ${said}`));
      child.stderr!.on('data', onData);
      child.once('exit', onExit);
    });
  }

  async function settled(tenantId: string, deadlineMs: number): Promise<void> {
    const end = Date.now() + deadlineMs;
    while (Date.now() < end) {
      const live = await store.db.selectFrom('scheduled_sends').select('id').where('tenant_id', '=', tenantId).where('status', 'in', ['pending', 'sending']).execute();
      if (live.length === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('scheduled sends did not settle in time');
  }

  async function seed(t: SeededTenant, count: number, sendAt = new Date(Date.now() - 500)) {
    const second = await addUser(t.tdb, operator(t.tenantId), { email: `rep2@${t.slug}.test`, name: 'Second rep' });
    const revoked = await addUser(t.tdb, operator(t.tenantId), { email: `gone@${t.slug}.test`, name: 'Revoked rep' });
    const reps = [t.rep, second, revoked];
    for (const r of reps) gmail.addUser(r.email);
    const items: { draftId: string; sendId: string; owner: string }[] = [];
    const due = sendAt.toISOString();
    for (let i = 0; i < count; i++) {
      const rep = reps[i % 2]!; // the revoked rep gets one item of their own below
      const draft = gmail.addDraft(rep.email, { to: [`buyer${i}@example.de`], subject: `Offer ${i}` });
      const { send } = await scheduleSend(t.tdb, { ...operator(t.tenantId), userId: rep.id, role: 'rep', label: rep.email }, { provider: 'gmail', draftId: draft.draftId, recipients: [`buyer${i}@example.de`], subject: `Offer ${i}`, sendAt: due });
      items.push({ draftId: draft.draftId, sendId: send.id, owner: rep.email });
    }
    const deleted = gmail.addDraft(t.rep.email, { to: ['late@example.de'], subject: 'Deleted by hand' });
    const deletedSend = (await scheduleSend(t.tdb, { ...operator(t.tenantId), userId: t.rep.id, role: 'rep', label: t.rep.email }, { provider: 'gmail', draftId: deleted.draftId, recipients: ['late@example.de'], subject: 'Deleted by hand', sendAt: due })).send;
    gmail.deleteDraft(t.rep.email, deleted.draftId);
    const revokedDraft = gmail.addDraft(revoked.email, { to: ['x@example.de'], subject: 'Revoked' });
    const revokedSend = (await scheduleSend(t.tdb, { ...operator(t.tenantId), userId: revoked.id, role: 'rep', label: revoked.email }, { provider: 'gmail', draftId: revokedDraft.draftId, recipients: ['x@example.de'], subject: 'Revoked', sendAt: due })).send;
    gmail.revokeUser(revoked.email);
    return { items, deletedSendId: deletedSend.id, revokedSendId: revokedSend.id, revokedDraftId: revokedDraft.draftId };
  }

  async function expectExactlyOnce(t: SeededTenant, seeded: Awaited<ReturnType<typeof seed>>) {
    const rows = await store.db.selectFrom('scheduled_sends').selectAll().where('tenant_id', '=', t.tenantId).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const item of seeded.items) {
      expect({ draft: item.draftId, sends: gmail.sendsOf(item.draftId), status: byId.get(item.sendId)?.status }).toEqual({ draft: item.draftId, sends: 1, status: 'sent' });
      const sent = gmail.sends.find((s) => s.draftId === item.draftId)!;
      expect(byId.get(item.sendId)!.provider_message_id).toBe(sent.messageId);
    }
    expect(byId.get(seeded.deletedSendId)).toMatchObject({ status: 'gone' });
    expect(byId.get(seeded.deletedSendId)!.reason).toMatch(/sent or deleted by hand/);
    expect(byId.get(seeded.revokedSendId)).toMatchObject({ status: 'failed' });
    expect(byId.get(seeded.revokedSendId)!.reason).toMatch(/Google refused access .*revoked/);
    expect(gmail.sendsOf(seeded.revokedDraftId)).toBe(0);
    // One send.sent event per item, in the outbox with the state change (no webhook configured: none owed).
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(seeded.items.length);
  }

  if (kind.name === 'postgres') {
    it('two workers, one SIGKILLed mid-batch right after Gmail sent a draft, Gmail failing 500/429: every item sent exactly once, failures explained', async () => {
      const t = await seedTenant(store, 'procpg');
      // Queued for later, so that both processes are up when the items fall due and both get work.
      const seeded = await seed(t, 80, new Date(Date.now() + 3_600_000));
      gmail.chaos(0.12, [500, 429, 503]);
      gmail.sendLatencyMs = 15;
      // Whichever worker has done five sends first (one pass may claim every due item, so it can
      // be either): its next send goes through at Gmail and the worker dies before it hears back.
      const workers = new Map<string, ChildProcess>();
      let victimTag = '';
      const killed = new Promise<void>((resolveKilled) => {
        gmail.failNext(1, 500, { method: 'POST', path: /\/drafts\/send$/, afterSends: 5, hang: true, onUse: (tag) => { victimTag = tag ?? ''; workers.get(victimTag)!.kill('SIGKILL'); resolveKilled(); } });
      });
      workers.set('w1', await worker('w1'));
      workers.set('w2', await worker('w2'));
      await Promise.all([...workers.values()].map(running));
      const now = new Date().toISOString();
      await store.db.updateTable('scheduled_sends').set({ send_at: now, next_attempt_at: now }).where('tenant_id', '=', t.tenantId).execute();
      await killed;
      const victim = workers.get(victimTag)!;
      const survivorTag = victimTag === 'w1' ? 'w2' : 'w1';
      const survivor = workers.get(survivorTag)!;
      await new Promise((r) => victim.once('exit', r));
      const killedDraft = gmail.sends.filter((s) => s.tag === victimTag).at(-1)!.draftId;
      await settled(t.tenantId, 180_000);
      gmail.chaos(0);
      expect(victim.signalCode).toBe('SIGKILL');
      expect(survivor.exitCode).toBeNull(); // still running
      await expectExactlyOnce(t, seeded);
      expect(gmail.sendsOf(killedDraft)).toBe(1);
      // The chaos really happened, and both processes did real work.
      expect(gmail.sends.some((s) => s.tag === survivorTag)).toBe(true);
      survivor.kill('SIGTERM');
      await new Promise((r) => survivor.once('exit', r));
      expect(survivor.exitCode).toBe(0);
    });
  } else {
    it('one worker killed with SIGKILL right after Gmail sent a draft, then restarted, Gmail failing 500/429: every item sent exactly once', async () => {
      const t = await seedTenant(store, 'procsq');
      const seeded = await seed(t, 40);
      gmail.chaos(0.12, [500, 429, 503]);
      gmail.sendLatencyMs = 10;
      let first: ChildProcess | undefined;
      const killed = new Promise<void>((resolveKilled) => {
        gmail.failNext(1, 500, { tag: 's1', method: 'POST', path: /\/drafts\/send$/, afterSends: 5, hang: true, onUse: () => { first!.kill('SIGKILL'); resolveKilled(); } });
      });
      first = await worker('s1');
      await killed;
      await new Promise((r) => first!.once('exit', r));
      const killedDraft = gmail.sends.filter((s) => s.tag === 's1').at(-1)!.draftId;
      const stuck = await store.db.selectFrom('scheduled_sends').select(['status']).where('draft_id', '=', killedDraft).executeTakeFirstOrThrow();
      expect(stuck.status).toBe('sending'); // sent at Gmail, not written down
      const second = await worker('s2');
      await settled(t.tenantId, 180_000);
      gmail.chaos(0);
      await expectExactlyOnce(t, seeded);
      expect(gmail.sendsOf(killedDraft)).toBe(1);
      // Nothing is due any more and SQLite holds no socket: the worker must still be waiting for work.
      expect(second.exitCode).toBeNull();
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
      expect(second.exitCode).toBe(0);
    });
  }
});
