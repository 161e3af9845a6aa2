import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { migrate, openStore, type Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { createConnector } from '../../src/server/services/connectors.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { runSyncPass } from '../../src/server/mail/sync.js';
import { loadConfig } from '../../src/server/config.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

/**
 * Two real worker processes over one database and one Dovecot mailbox; the first is killed with
 * SIGKILL in the middle of the backfill, or of an incremental pass over a live mailbox. The second
 * takes over once the lease expires: every message stored once (and its conversation event
 * queued once), the cursor exactly at the data.
 */

jest.setTimeout(300_000);
const CHILD = resolve('test/support/mail-sync-child.mjs');

(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('mail sync processes killed mid-pass on $name', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-mailsync-'));
  const key = randomBytes(32);
  let store: Store;
  let t: SeededTenant;
  let databaseEnv: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (kind.name === 'postgres') {
      store = await kind.open();
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${store.schema}`);
      databaseEnv = { DATABASE_URL: url.toString() };
    } else {
      store = openStore({ dataDir: dir });
      await migrate(store);
      databaseEnv = { TRADEPANE_DATA_DIR: dir, DATABASE_URL: '' };
    }
    t = await seedTenant(store, `mp${kind.name}`);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A worker process; `lines` collects its JSON lines as they come. */
  function worker(instance: string, mailboxId: string, extra: Record<string, string> = {}) {
    const child = spawn(process.execPath, [CHILD], { env: { ...process.env, ...databaseEnv, TRADEPANE_SECRET_KEY: key.toString('base64'), INSTANCE_ID: instance, MAILBOX_ID: mailboxId, PAGE_SIZE: '4', LEASE_MS: '3000', ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    const waiters: Array<() => void> = [];
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
        buffer = buffer.slice(nl + 1);
        waiters.splice(0).forEach((w) => w());
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
    const untilLines = async (n: number) => {
      while (lines.length < n) await new Promise<void>((res) => waiters.push(res));
    };
    return { child, lines, exited, untilLines, stderr: () => stderr };
  }

  it('every message once and the cursor at the data after a SIGKILL mid-backfill', async () => {
    const address = sandboxAddress('kill');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), new SecretBox(key), { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    const mails = Array.from({ length: 40 }, (_, i) => ({ id: `k${i}-${mb.id}@mail.test`, from: `buyer${i % 7}@company${i % 5}.example`, to: [address], subject: `Inquiry ${i}`, date: new Date(Date.now() - (100 - i) * 3_600_000) }));
    await deliver(address, mails);

    const a = worker('A', mb.id, { PAGE_PAUSE_MS: '150' });
    // B starts once A holds the lease (A has stored its first page): started together, B could
    // take the lease first and store the whole mailbox, leaving A nothing to be killed in.
    await a.untilLines(1);
    const b = worker('B', mb.id);
    // Kill A once it has stored two pages; B waits for the lease to expire meanwhile.
    await a.untilLines(2);
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    // A really died mid-backfill: it had stored some of the mail, not all of it.
    const byA = a.lines.reduce((n, l) => n + Number(l.stored ?? 0), 0);
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(mails.length);
    const bEnd = await b.exited;
    expect({ code: bEnd.code, stderr: b.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(b.lines.at(-1)).toEqual({ instance: 'B', finished: true });

    const rows = await store.db.selectFrom('mail_messages').select(['message_key', 'provider_id']).where('mailbox_id', '=', mb.id).execute();
    expect(rows.map((r) => r.message_key).sort()).toEqual(mails.map((m) => m.id).sort());
    const row = await store.db.selectFrom('mailboxes').selectAll().where('id', '=', mb.id).executeTakeFirstOrThrow();
    const cursor = JSON.parse(row.cursor!) as { folders: { inbox: { lastUid: number } } };
    expect(cursor.folders.inbox.lastUid).toBe(Math.max(...rows.map((r) => Number(r.provider_id.split(':').pop()))));
    expect(row).toMatchObject({ status: 'live', backfill_done: 40, lease_owner: null });
  });

  it('every message once, each event once and the cursor at the data after a SIGKILL mid-incremental pass', async () => {
    const address = sandboxAddress('killinc');
    const box = new SecretBox(key);
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    const mail = (i: number, hoursAgo: number) => ({ id: `ki${i}-${mb.id}@mail.test`, from: `buyer${i % 7}@company${i % 5}.example`, to: [address], subject: `Inquiry ${i}`, date: new Date(Date.now() - hoursAgo * 3_600_000) });
    const old = Array.from({ length: 6 }, (_, i) => mail(i, 100 - i));
    await deliver(address, old);
    // The backfill, done in this process: the mailbox is live with a cursor before the workers start.
    const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
    const [backfill] = await runSyncPass(store.db, store.dialect, { instanceId: 'T', adapterFor: createAdapter, box, pageSize: 50, backfillDays: 30, intervalMs: 60_000, leaseMs: 3000, threadWindowDays: 30, backoffCapMs: 500, mailboxId: mb.id, ignoreSchedule: true });
    expect(backfill).toMatchObject({ outcome: 'caught-up', stored: 6 });
    expect(await store.db.selectFrom('mailboxes').select(['status']).where('id', '=', mb.id).executeTakeFirstOrThrow()).toEqual({ status: 'live' });
    // Live mail raises conversation events, written in the message's transaction.
    await createConnector(t.tdb, operator(t.tenantId), box, { kind: 'webhook', name: `hook-${mb.id}`, settings: { url: 'https://hooks.example.test/c' }, secrets: { signingSecret: 'a-signing-secret-of-length' }, events: ['conversation.started', 'conversation.message'] });

    const fresh = Array.from({ length: 40 }, (_, i) => mail(100 + i, 40 - i * 0.5));
    await deliver(address, fresh);
    const a = worker('A', mb.id, { PAGE_PAUSE_MS: '150' });
    // B starts once A holds the lease (A has stored its first page), then waits for it to expire.
    await a.untilLines(1);
    const b = worker('B', mb.id);
    await a.untilLines(2);
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    // A really died mid-pass: it had stored some of the new mail, not all of it.
    const byA = a.lines.reduce((n, l) => n + Number(l.stored ?? 0), 0);
    expect(byA).toBeGreaterThan(0);
    expect(byA).toBeLessThan(40);
    const bEnd = await b.exited;
    expect({ code: bEnd.code, stderr: b.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(b.lines.at(-1)).toEqual({ instance: 'B', finished: true });

    const rows = await store.db.selectFrom('mail_messages').select(['id', 'message_key', 'provider_id']).where('mailbox_id', '=', mb.id).execute();
    expect(rows.map((r) => r.message_key).sort()).toEqual([...old, ...fresh].map((m) => m.id).sort());
    const row = await store.db.selectFrom('mailboxes').selectAll().where('id', '=', mb.id).executeTakeFirstOrThrow();
    const cursor = JSON.parse(row.cursor!) as { folders: { inbox: { lastUid: number } } };
    expect(cursor.folders.inbox.lastUid).toBe(Math.max(...rows.map((r) => Number(r.provider_id.split(':').pop()))));
    expect(row).toMatchObject({ status: 'live', lease_owner: null });
    // One event per new message, none for the backfill.
    const events = await store.db.selectFrom('outbox').select('event').where('tenant_id', '=', t.tenantId).where('event_type', 'like', 'conversation.%').execute();
    const eventMessages = events.map((e) => (JSON.parse(e.event) as { message: { messageId: string } }).message.messageId).filter((id) => id.endsWith(`-${mb.id}@mail.test`));
    expect(eventMessages.sort()).toEqual(fresh.map((m) => m.id).sort());
  });
});
