import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { SecretBox } from '../../src/server/secrets.js';
import { ImapAdapter, imapSettingsFrom, imapError } from '../../src/server/mail/imap.js';
import { claimMailbox, runSyncPass } from '../../src/server/mail/sync.js';
import { mailAdapterFactory } from '../../src/server/mail/adapters.js';
import { loadConfig } from '../../src/server/config.js';

/** The adapters as the store builds them, with no Google set up (these tests use IMAP). */
const createAdapter = mailAdapterFactory({ microsoftGraph: loadConfig({}).microsoftGraph, google: undefined });
import { MailboxError } from '../../src/server/mail/types.js';
import { bearer, seedTenant, testApp, type SeededTenant } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { deliver, dovecotSettings, imapAvailable, imapClient, imapHost, imapPort, sandboxAddress, SANDBOX_PASSWORD } from '../support/dovecot.js';

describe('IMAP settings', () => {
  it('fills a preset\'s endpoints and keeps what the admin overrides', () => {
    expect(imapSettingsFrom({ preset: 'tencent' })).toEqual({ preset: 'tencent', imap: { host: 'imap.exmail.qq.com', port: 993, security: 'tls' }, smtp: { host: 'smtp.exmail.qq.com', port: 465, security: 'tls' } });
    expect(imapSettingsFrom({ preset: 'alibaba' }).imap.host).toBe('imap.qiye.aliyun.com');
    expect(imapSettingsFrom({ preset: 'netease' }).smtp).toEqual({ host: 'smtp.qiye.163.com', port: 465, security: 'tls' });
    expect(imapSettingsFrom({ preset: 'zoho' }).imap.host).toBe('imap.zoho.com');
    expect(imapSettingsFrom({ preset: 'outlook', username: 'shared@contoso.example' })).toMatchObject({ smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' }, username: 'shared@contoso.example' });
  });

  it('refuses unknown presets, missing hosts and plaintext to anything but this machine, naming the field', () => {
    expect(() => imapSettingsFrom({ preset: 'yahoo' })).toThrow(/^settings\.preset: one of tencent, alibaba, netease, zoho, outlook, custom$/);
    expect(() => imapSettingsFrom({ preset: 'custom', imap: { port: 993 } })).toThrow(/^settings\.imap\.host:/);
    expect(() => imapSettingsFrom({ preset: 'custom', imap: { host: 'mail.example.com', port: 143, security: 'none' }, smtp: { host: 'mail.example.com', port: 25 } })).toThrow(/^settings\.imap\.security: "none" \(no TLS\) is allowed only for a server on this machine/);
    expect(() => imapSettingsFrom({ preset: 'custom', imap: { host: 'mail.example.com', port: 70000 } })).toThrow(/^settings\.imap\.port:/);
    expect(imapSettingsFrom({ preset: 'custom', imap: { host: '127.0.0.1', port: 10143, security: 'none' }, smtp: { host: 'localhost', port: 2525, security: 'none' } }).imap.security).toBe('none');
  });

  it('maps IMAP and socket failures to the engine\'s codes', () => {
    expect(imapError({ authenticationFailed: true, message: 'no' }).code).toBe('auth');
    expect(imapError({ code: 'ECONNREFUSED', message: 'refused' }).code).toBe('unreachable');
    expect(imapError({ code: 'ETHROTTLE', throttleReset: 5000, message: 'slow down' })).toMatchObject({ code: 'throttled', retryAfterMs: 5000 });
    expect(imapError({ serverResponseCode: 'NONEXISTENT', message: 'x' }).code).toBe('not-found');
    expect(imapError(new Error('odd')).code).toBe('protocol');
    expect(imapError(new MailboxError('cursor-expired', 'x')).code).toBe('cursor-expired');
  });
});

(imapAvailable() ? describe.each(storeKinds()) : describe.skip.each(storeKinds()))('mailbox routes and IMAP adapter against Dovecot on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let t: SeededTenant;
  const box = new SecretBox(randomBytes(32));

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, `mb${kind.name}`);
    app = await testApp(store, {}, { secretBox: box });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const add = (address: string, password = SANDBOX_PASSWORD, settings: object = dovecotSettings()) =>
    app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: bearer(t.admin.key), payload: { provider: 'imap', address, settings, secrets: { password }, backfillDays: 7 } });

  it('connects, tests, lists, pauses, resyncs and removes a mailbox; reps may not; the password is sealed', async () => {
    const address = sandboxAddress('api');
    const created = await add(address);
    expect(created.statusCode).toBe(201);
    const mb = created.json();
    expect(mb).toMatchObject({ provider: 'imap', address, status: 'new', paused: false, secrets: ['password'], lastError: null, settings: { preset: 'custom', imap: { host: imapHost(), port: imapPort(), security: 'none' } } });
    expect(created.body).not.toContain(`"${SANDBOX_PASSWORD}"`);
    const row = await store.db.selectFrom('mailboxes').select('secrets').where('id', '=', mb.id).executeTakeFirstOrThrow();
    expect(row.secrets).toMatch(/^v1\./);
    expect(box.open(row.secrets!)).toEqual({ password: SANDBOX_PASSWORD });

    expect((await add(address)).statusCode).toBe(409);
    expect((await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: bearer(t.rep.key) })).statusCode).toBe(403);
    const bad = await add(sandboxAddress('bad'), SANDBOX_PASSWORD, { preset: 'custom', imap: { host: 'mail.example.com', port: 143, security: 'none' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('settings.imap.security');

    const tested = await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${mb.id}/test`, headers: bearer(t.admin.key) });
    expect(tested.json()).toEqual({ ok: true, folders: expect.arrayContaining(['INBOX', 'Sent']), error: null });

    const wrong = (await add(sandboxAddress('wrongpw'), 'not-the-password')).json();
    const refused = (await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${wrong.id}/test`, headers: bearer(t.admin.key) })).json();
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth', message: expect.stringContaining('refused the credentials') } });
    // The failure is the mailbox's last error, in words, until a test succeeds.
    const lastError = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${id}`, headers: bearer(t.admin.key) })).json().lastError;
    expect(await lastError(wrong.id)).toEqual({ code: 'auth', message: refused.error.message });
    // The password is put right in place, and Test clears the error.
    const replaced = await app.inject({ method: 'PUT', url: `/api/v1/mailboxes/${wrong.id}/secret`, headers: bearer(t.admin.key), payload: { secret: SANDBOX_PASSWORD } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.body).not.toContain(`"${SANDBOX_PASSWORD}"`);
    expect((await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${wrong.id}/test`, headers: bearer(t.admin.key) })).json()).toMatchObject({ ok: true, error: null });
    expect(await lastError(wrong.id)).toBeNull();
    const nowhere = (await add(sandboxAddress('nowhere'), SANDBOX_PASSWORD, { preset: 'custom', imap: { host: '127.0.0.1', port: 1, security: 'none' }, smtp: { host: '127.0.0.1', port: 1, security: 'none' } })).json();
    const unreachable = (await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${nowhere.id}/test`, headers: bearer(t.admin.key) })).json();
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(await lastError(nowhere.id)).toMatchObject({ code: 'unreachable', message: expect.stringContaining('could not be reached') });

    // A sync pass stores the mail; the list shows the progress and the lag.
    await deliver(address, [{ id: `m1-${mb.id}@mail.test`, from: 'kim@korea-pumps.example', to: [address], subject: 'Pump inquiry', date: new Date(Date.now() - 30 * 3_600_000) }]);
    const syncOptions = { instanceId: 'api', adapterFor: createAdapter, box, pageSize: 10, backfillDays: 7, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 1000, mailboxId: mb.id, ignoreSchedule: true };
    expect((await runSyncPass(store.db, store.dialect, syncOptions))[0]).toMatchObject({ outcome: 'caught-up', stored: 1 });
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: bearer(t.admin.key) })).json().mailboxes.find((m: { id: string }) => m.id === mb.id);
    expect(listed).toMatchObject({ status: 'live', backfill: { done: 1, remaining: 0 }, lagSeconds: expect.any(Number) });

    // Conversations: the rep reads them; a day-old inquiry is unanswered since yesterday.
    const since = new Date(Date.now() - 24 * 3_600_000).toISOString();
    const unanswered = await app.inject({ method: 'GET', url: `/api/v1/conversations?unansweredSince=${encodeURIComponent(since)}&mailbox=${mb.id}`, headers: bearer(t.rep.key) });
    expect(unanswered.statusCode).toBe(200);
    expect(unanswered.json().conversations.map((c: { subject: string }) => c.subject)).toEqual(['Pump inquiry']);
    const conversationId = unanswered.json().conversations[0].id;
    const one = (await app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}`, headers: bearer(t.rep.key) })).json();
    expect(one.messages).toEqual([expect.objectContaining({ from: { address: 'kim@korea-pumps.example' }, direction: 'inbound', autoVerdict: 'none', subject: 'Pump inquiry' })]);
    const notADate = await app.inject({ method: 'GET', url: '/api/v1/conversations?unansweredSince=yesterday', headers: bearer(t.rep.key) });
    expect(notADate.statusCode).toBe(400);
    expect(notADate.json().error.details[0].path).toBe('unansweredSince');

    const paused = await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${mb.id}/pause`, headers: bearer(t.admin.key), payload: { paused: true } });
    expect(paused.json().paused).toBe(true);
    expect(await claimMailbox(store.db, store.dialect, 'x', { now: new Date(), leaseMs: 1000, mailboxId: mb.id, ignoreSchedule: true })).toBeUndefined();
    await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${mb.id}/pause`, headers: bearer(t.admin.key), payload: { paused: false } });

    const resync = (await app.inject({ method: 'POST', url: `/api/v1/mailboxes/${mb.id}/resync`, headers: bearer(t.admin.key) })).json();
    expect(resync).toMatchObject({ status: 'backfilling', backfill: { done: 0, remaining: null } });
    expect((await runSyncPass(store.db, store.dialect, syncOptions))[0]).toMatchObject({ outcome: 'caught-up', stored: 0 });

    const removed = await app.inject({ method: 'DELETE', url: `/api/v1/mailboxes/${mb.id}`, headers: bearer(t.admin.key) });
    expect(removed.json()).toEqual({ messages: 1, conversations: 1 });
    expect((await app.inject({ method: 'GET', url: `/api/v1/conversations/${conversationId}`, headers: bearer(t.rep.key) })).statusCode).toBe(404);
  });

  it('replaces a refused password in place: what was stored stays, the stopped sync runs again; names what is wrong', async () => {
    const address = sandboxAddress('pwchange');
    const mb = (await add(address, 'old-password')).json();
    const syncOptions = { instanceId: 'pw', adapterFor: createAdapter, box, pageSize: 10, backfillDays: 7, intervalMs: 60_000, leaseMs: 60_000, threadWindowDays: 30, backoffCapMs: 3_600_000, mailboxId: mb.id };
    expect((await runSyncPass(store.db, store.dialect, { ...syncOptions, ignoreSchedule: true }))[0]).toMatchObject({ outcome: 'error', error: { code: 'auth' } });
    const stopped = await store.db.selectFrom('mailboxes').select(['status', 'next_sync_at']).where('id', '=', mb.id).executeTakeFirstOrThrow();
    expect(stopped.status).toBe('error');
    expect(Date.parse(stopped.next_sync_at)).toBeGreaterThan(Date.now() + 30 * 60_000);

    const put = (payload: object, key = t.admin.key, id = mb.id) => app.inject({ method: 'PUT', url: `/api/v1/mailboxes/${id}/secret`, headers: bearer(key), payload });
    expect((await put({ secret: SANDBOX_PASSWORD }, t.rep.key)).statusCode).toBe(403);
    const blank = await put({ secret: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details[0].path).toBe('secret');
    expect((await put({ password: SANDBOX_PASSWORD })).statusCode).toBe(400);
    const done = await put({ secret: SANDBOX_PASSWORD });
    expect(done.json()).toMatchObject({ id: mb.id, status: 'retrying', lastError: null, secrets: ['password'] });
    const row = await store.db.selectFrom('mailboxes').select(['secrets', 'next_sync_at']).where('id', '=', mb.id).executeTakeFirstOrThrow();
    expect(box.open(row.secrets!)).toEqual({ password: SANDBOX_PASSWORD });
    expect(Date.parse(row.next_sync_at)).toBeLessThanOrEqual(Date.now());
    // Due now, without forcing the schedule: the sync reads the mailbox with the new password.
    await deliver(address, [{ id: `pw1-${mb.id}@mail.test`, from: 'ana@andes-foods.example', to: [address], subject: 'Cotización', date: new Date(Date.now() - 3_600_000) }]);
    expect((await runSyncPass(store.db, store.dialect, syncOptions))[0]).toMatchObject({ outcome: 'caught-up', stored: 1 });
    const actions = ((await app.inject({ method: 'GET', url: '/api/v1/audit?limit=50', headers: bearer(t.admin.key) })).json().entries as { action: string; details: object }[]).filter((e) => e.action === 'mailbox.secret_replaced');
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(actions)).not.toContain(`"${SANDBOX_PASSWORD}"`);
  });

  it('sends through SMTP with the given Message-ID and files the copy in the Sent folder; a wrong password is an auth error', async () => {
    const received: Array<{ from: string; to: string[]; raw: string; user: string }> = [];
    const smtp = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.password !== SANDBOX_PASSWORD) return callback(new Error('bad password'));
        callback(null, { user: auth.username });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: (session.envelope.mailFrom as { address: string }).address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: String(session.user) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const address = sandboxAddress('smtp');
      const settings = imapSettingsFrom({ ...dovecotSettings(), smtp: { host: '127.0.0.1', port, security: 'none' } });
      const adapter = new ImapAdapter(address, settings, SANDBOX_PASSWORD);
      const { messageId } = await adapter.send({ to: [{ address: 'ali@gulf-trading.example', name: 'Ali' }], cc: [{ address: 'omar@gulf-trading.example' }], subject: 'Quotation Q-1', html: '<p>Our offer</p>', text: 'Our offer', messageId: '<q-1@sandbox.test>', inReplyTo: '<ask@gulf-trading.example>' });
      await adapter.close();
      expect(messageId).toBe('<q-1@sandbox.test>');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ from: address, to: ['ali@gulf-trading.example', 'omar@gulf-trading.example'], user: address });
      const parsed = await simpleParser(received[0]!.raw);
      expect({ messageId: parsed.messageId, inReplyTo: parsed.inReplyTo, subject: parsed.subject, text: parsed.text?.trim() }).toEqual({ messageId: '<q-1@sandbox.test>', inReplyTo: '<ask@gulf-trading.example>', subject: 'Quotation Q-1', text: 'Our offer' });

      const client = await imapClient(address);
      const status = await client.status('Sent', { messages: true });
      await client.logout();
      expect(status && status.messages).toBe(1);

      const wrong = new ImapAdapter(address, settings, 'wrong');
      await expect(wrong.send({ to: [{ address: 'x@y.example' }], subject: 's', html: 'h' })).rejects.toMatchObject({ code: 'auth' });
      await wrong.close();
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
