import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { loadConfig } from '../../src/server/config.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import type { PageEvent } from '../../src/server/mail/sync.js';
import { startMailSync, type IdleEvent } from '../../src/server/jobs/mail-sync.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { operator, seedTenant, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

/**
 * IMAP IDLE against the real Dovecot: once a mailbox has caught up, the worker keeps an IDLE
 * connection on its INBOX; a delivered mail makes it due at once and the pass runs though the
 * poll interval (10 minutes here) is far away. Every wait is on an event the worker reports.
 */

jest.setTimeout(60_000);
// The tests' own Dovecot (.ci/dovecot.sh): doveadm can drop a user's connections, as a server restart would.
const DOVECOT_CONF = join(process.env.DOVECOT_DIR || '/tmp/tradepane-dovecot', 'dovecot.conf');
const kick = (user: string) => execFileSync('doveadm', ['-c', DOVECOT_CONF, 'kick', user], { stdio: 'pipe' });
const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });

(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('IMAP IDLE on $name', (kind) => {
  let store: Store;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `id${kind.name}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('new mail is synced within the poll interval through IDLE; a dropped connection is reopened; the connection is closed on stop', async () => {
    const address = sandboxAddress('idle');
    const mb = await addMailbox(t.tdb, operator(t.tenantId), box, { provider: 'imap', address, settings: dovecotSettings(), secrets: { password: SANDBOX_PASSWORD } }, { backfillDays: 30 });
    const mail = (id: string, minutesAgo: number) => ({ id: `${id}-${mb.id}@mail.test`, from: 'kim@korea-pumps.example', to: [address], subject: `Pump inquiry ${id}`, date: new Date(Date.now() - minutesAgo * 60_000) });
    await deliver(address, [mail('first', 60)]);

    const pages: PageEvent[] = [];
    const idle: IdleEvent[] = [];
    const errors: unknown[] = [];
    const waiters: Array<() => void> = [];
    const notify = () => waiters.splice(0).forEach((w) => w());
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    const storedFor = () => pages.filter((p) => p.mailboxId === mb.id).reduce((n, p) => n + p.stored, 0);
    const stop = startMailSync(store, {
      config: { ...loadConfig({}).mailSync, intervalMs: 600_000, idleMailboxes: 2 },
      instanceId: `idle-${kind.name}`,
      box,
      adapterFor: createAdapter,
      onError: (error) => {
        errors.push(error);
        notify();
      },
      onPage: (event) => {
        pages.push(event);
        notify();
      },
      onIdle: (event) => {
        if (event.mailboxId === mb.id) idle.push(event);
        notify();
      },
    });
    try {
      await until(() => storedFor() === 1 || errors.length > 0);
      await until(() => idle.some((e) => e.state === 'watching') || errors.length > 0);
      expect(errors).toEqual([]);
      const before = await store.db.selectFrom('mailboxes').select(['next_sync_at', 'status']).where('id', '=', mb.id).executeTakeFirstOrThrow();
      // Polling would come back in ten minutes.
      expect(before.status).toBe('live');
      expect(Date.parse(before.next_sync_at)).toBeGreaterThan(Date.now() + 500_000);

      await deliver(address, [mail('second', 0)]);
      await until(() => storedFor() === 2 || errors.length > 0);
      expect(errors).toEqual([]);
      expect(idle.map((e) => e.state)).toContain('new-mail');
      const keys = (await store.db.selectFrom('mail_messages').select('message_key').where('mailbox_id', '=', mb.id).execute()).map((r) => r.message_key).sort();
      expect(keys).toEqual([`first-${mb.id}@mail.test`, `second-${mb.id}@mail.test`]);

      // The server drops the connection: the watcher says so, reconnects after its backoff, and IDLE works again.
      expect(existsSync(DOVECOT_CONF)).toBe(true);
      kick(address);
      await until(() => idle.some((e) => e.state === 'failed'));
      await until(() => idle.filter((e) => e.state === 'watching').length === 2);
      await deliver(address, [mail('third', 0)]);
      await until(() => storedFor() === 3 || errors.length > 0);
      expect(errors).toEqual([]);
    } finally {
      await stop();
    }
    expect(idle.at(-1)?.state).toBe('closed');
    expect(await store.db.selectFrom('mailboxes').select('lease_owner').where('id', '=', mb.id).executeTakeFirstOrThrow()).toEqual({ lease_owner: null });
  });
});
