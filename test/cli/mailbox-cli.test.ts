import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { register } from '../../src/cli/commands/mailbox.js';
import { createProgram, withRun } from '../../src/cli/shared.js';
import { openStore, migrate } from '../../src/server/db/connect.js';
import { createTenant } from '../../src/server/services/tenants.js';
import { deliver, imapAvailable, imapHost, imapPort, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

/**
 * `tradepane mailbox …` in-process (main.ts wires `register` in; this builds the same root
 * program with the global options) against a SQLite file and the test Dovecot.
 */
// Backfill, resync and removal against a real IMAP server: a loaded 2-core CI machine took over a minute.
jest.setTimeout(180_000);
(imapAvailable() ? describe : describe.skip)('tradepane mailbox', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-mailbox-cli-'));
  const saved = { key: process.env.TRADEPANE_SECRET_KEY, password: process.env.MAILBOX_PASSWORD, db: process.env.DATABASE_URL };
  let progress = '';
  let out: string[] = [];

  let exitCode = 0;

  /** One command line on a fresh command tree, as runCli builds it, with the progress stream captured. */
  async function run(...args: string[]): Promise<string> {
    let text = '';
    progress = '';
    const stdout = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
    const stderr = new Writable({ write: (_chunk, _enc, done) => done() });
    const program = createProgram({ stdout, stderr });
    register(program, { progressStream: new Writable({ write: (chunk, _enc, done) => ((progress += String(chunk)), done()) }) });
    exitCode = await withRun(program, { env: process.env, stdout, stderr }, async () => {
      await program.parseAsync(['--data-dir', dataDir, ...args], { from: 'user' });
      return undefined;
    });
    return text.trimEnd();
  }

  beforeAll(async () => {
    process.env.TRADEPANE_SECRET_KEY = randomBytes(32).toString('base64');
    process.env.MAILBOX_PASSWORD = SANDBOX_PASSWORD;
    delete process.env.DATABASE_URL;
    const store = openStore({ dataDir });
    await migrate(store);
    await createTenant(store.db, { slug: 'cli-co', name: 'CLI Co' });
    await store.close();
  });
  afterAll(() => {
    for (const [name, value] of [['TRADEPANE_SECRET_KEY', saved.key], ['MAILBOX_PASSWORD', saved.password], ['DATABASE_URL', saved.db]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('adds, backfills with progress, lists, resyncs and removes a mailbox', async () => {
    const address = sandboxAddress('cli');
    const mails = Array.from({ length: 5 }, (_, i) => ({ id: `cli${i}-${address}`, from: 'kim@korea-pumps.example', to: [address], subject: `Pump ${i}`, date: new Date(Date.now() - (10 - i) * 3_600_000) }));
    await deliver(address, mails);
    process.env.MAIL_SYNC_PAGE_SIZE = '2';
    try {
      const added = await run('mailbox', 'add', 'cli-co', address, '--preset', 'custom', '--imap-host', imapHost(), '--imap-port', String(imapPort()), '--imap-security', 'none', '--smtp-host', '127.0.0.1', '--smtp-port', '2525', '--smtp-security', 'none', '--sync');
      expect(added).toContain(`added ${address} (imap)`);
      expect(added).toContain('test: connected; folders INBOX, Sent, Drafts');
      expect(added).toContain('sync: 5 messages stored (caught-up)');
      // Not a TTY: one line per page of two.
      expect(progress.trim().split('\n')).toEqual([`${address}: 2 stored, 3 to go`, `${address}: 4 stored, 1 to go`, `${address}: 5 stored, 0 to go — caught up`]);
    } finally {
      delete process.env.MAIL_SYNC_PAGE_SIZE;
    }
    expect(await run('mailbox', 'list', 'cli-co')).toMatch(new RegExp(`^${address.replace(/[.]/g, '\\.')}  imap  live  synced \\d+s ago, 5 stored$`));
    expect(await run('mailbox', 'test', 'cli-co', address)).toContain(`${address}: connected`);
    expect(await run('mailbox', 'resync', 'cli-co', address, '--now')).toContain('sync: 0 new messages stored (caught-up)');
    expect(await run('mailbox', 'remove', 'cli-co', address)).toBe(`removed ${address}: 5 messages and 5 conversations deleted`);
    expect(await run('mailbox', 'list', 'cli-co')).toBe('no mailboxes; add one with `tradepane mailbox add`');
  });

  it('refuses a missing password and says why a wrong one fails', async () => {
    delete process.env.MAILBOX_PASSWORD;
    await expect(run('mailbox', 'add', 'cli-co', sandboxAddress('nopw'), '--preset', 'zoho')).rejects.toThrow('no password: set $MAILBOX_PASSWORD or use --password-stdin');
    process.env.WRONG_PW = 'wrong';
    const address = sandboxAddress('wrong');
    const out = await run('mailbox', 'add', 'cli-co', address, '--password-env', 'WRONG_PW', '--imap-host', imapHost(), '--imap-port', String(imapPort()), '--imap-security', 'none', '--smtp-host', '127.0.0.1', '--smtp-port', '25', '--smtp-security', 'none');
    expect(out).toContain('test: FAILED — The mail server refused the credentials');
    expect(exitCode).toBe(1);
    delete process.env.WRONG_PW;
  });
});
