import type { MailboxRow } from './sync.js';
import { ImapAdapter, imapSettingsFrom } from './imap.js';
import { MailboxError, type MailboxAdapter } from './types.js';

/**
 * The adapter for a stored mailbox: one file per provider behind MailboxAdapter. Graph and Gmail
 * plug in here beside IMAP.
 */
export function createAdapter(mailbox: MailboxRow, secrets: Record<string, string>): MailboxAdapter {
  const settings = JSON.parse(mailbox.settings) as Record<string, unknown>;
  switch (mailbox.provider) {
    case 'imap': {
      if (!secrets.password) throw new MailboxError('auth', 'no password is stored for this mailbox; add it again with its password or app password');
      return new ImapAdapter(mailbox.address, imapSettingsFrom(settings), secrets.password);
    }
    default:
      throw new MailboxError('protocol', `the ${mailbox.provider} adapter is not part of this build yet`);
  }
}
