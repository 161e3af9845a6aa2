import { randomBytes } from 'node:crypto';
import { ImapFlow } from 'imapflow';

/**
 * The real Dovecot the mailbox-sync tests use (.ci/dovecot.sh; found by global-setup.ts). Every
 * test takes a fresh address at sandbox.test — Dovecot gives each its own empty Maildir with INBOX
 * and Sent — so runs in parallel never see each other's mail.
 */
export const imapAvailable = (): boolean => process.env.TP_IMAP === 'available';
export const imapHost = (): string => process.env.TEST_IMAP_HOST || '127.0.0.1';
export const imapPort = (): number => Number(process.env.TEST_IMAP_PORT || 10143);
export const SANDBOX_PASSWORD = 'sandbox';

export function sandboxAddress(prefix = 'box'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}@sandbox.test`;
}

/** IMAP settings a mailbox needs to reach the test Dovecot (plaintext: loopback only). */
export const dovecotSettings = () => ({ preset: 'custom', imap: { host: imapHost(), port: imapPort(), security: 'none' }, smtp: { host: imapHost(), port: 2525, security: 'none' } });

/**
 * A shared mailbox read with a rep's own login (.ci/dovecot.sh: rep1/rep2@example.test are
 * Dovecot master users, password "tradepane"): the login is "<shared address>*<rep>".
 */
export const SHARED_READER = { login: 'rep1@example.test', password: 'tradepane' };
export const sharedMailboxSettings = (shared: string, rep = SHARED_READER.login) => ({ ...dovecotSettings(), username: `${shared}*${rep}` });

export async function imapClient(user: string): Promise<ImapFlow> {
  const client = new ImapFlow({ host: imapHost(), port: imapPort(), secure: false, auth: { user, pass: SANDBOX_PASSWORD }, logger: false, disableAutoIdle: true });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface TestMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  extraHeaders?: string[];
  body?: string;
}

export function rawMail(m: TestMail): string {
  const offset = '+0300';
  const local = new Date(m.date.getTime() + 3 * 3_600_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const dateHeader = `${days[local.getUTCDay()]}, ${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${offset}`;
  return [
    `From: ${m.from}`,
    `To: ${m.to.join(', ')}`,
    `Subject: ${m.subject}`,
    `Date: ${dateHeader}`,
    `Message-ID: <${m.id}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references?.length ? [`References: ${m.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...(m.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.body ?? `Hello,\r\nthis is ${m.subject}.\r\n`,
    '',
  ].join('\r\n');
}

/** Delivers mails into a folder of the sandbox mailbox with IMAP APPEND (internal date = the mail's date). */
export async function deliver(user: string, mails: TestMail[], folder = 'INBOX'): Promise<void> {
  const client = await imapClient(user);
  try {
    for (const m of mails) await client.append(folder, rawMail(m), [], m.date);
  } finally {
    await client.logout();
  }
}
