import type { Config } from '../config.js';
import type { GoogleCredentials } from '../google/credentials.js';
import type { AdapterFactory, MailboxRow } from './sync.js';
import { ImapAdapter, imapSettingsFrom } from './imap.js';
import { createGraphMailbox } from './graph.js';
import { createGmailMailbox } from './gmail.js';
import { MailboxError, type MailboxAdapter } from './types.js';

/**
 * The adapter for a stored mailbox: one file per provider behind MailboxAdapter.
 *
 * Stored settings per provider (secrets are sealed apart):
 * - imap:  preset / custom endpoints (imap-presets.ts); secret `password`.
 * - graph: `tenantId` (the company's Entra tenant id) and `clientId` of the app registration an
 *          admin consented for Mail.Read/ReadWrite/Send (application); secret `clientSecret`.
 * - gmail: `userId` (optional): the store user whose own Google grant reads the mailbox; without
 *          it, the service account's domain-wide delegation acts as the address.
 */
export interface MailAdapterDeps {
  /** `ca`: an extra certificate authority to trust (tests: the Graph stand-in's self-signed one). */
  microsoftGraph: Config['microsoftGraph'] & { ca?: string | undefined };
  /** How the store acts for Google users (delegation or per-user grant); undefined when Google is not set up. */
  google: GoogleCredentials | undefined;
}

const text = (settings: Record<string, unknown>, name: string): string | undefined => {
  const value = settings[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

export function mailAdapterFactory(deps: MailAdapterDeps): AdapterFactory {
  return (mailbox: MailboxRow, secrets: Record<string, string>): MailboxAdapter => {
    const settings = JSON.parse(mailbox.settings) as Record<string, unknown>;
    switch (mailbox.provider) {
      case 'imap': {
        if (!secrets.password) throw new MailboxError('auth', 'no password is stored for this mailbox; add it again with its password or app password');
        return new ImapAdapter(mailbox.address, imapSettingsFrom(settings), secrets.password);
      }
      case 'graph': {
        const tenantId = text(settings, 'tenantId');
        const clientId = text(settings, 'clientId');
        if (!tenantId || !clientId) throw new MailboxError('auth', 'settings.tenantId and settings.clientId are needed: the Entra tenant id and the app registration an admin consented to (docs/mailboxes.md)');
        if (!secrets.clientSecret) throw new MailboxError('auth', 'no client secret is stored for this mailbox; add it again with secrets.clientSecret');
        return createGraphMailbox({ address: mailbox.address, tenantId, clientId, clientSecret: secrets.clientSecret, authorityHost: deps.microsoftGraph.authorityHost, graphBaseUrl: deps.microsoftGraph.graphBaseUrl, ca: deps.microsoftGraph.ca });
      }
      case 'gmail': {
        if (!deps.google) throw new MailboxError('auth', 'this store has no Google credentials: set GOOGLE_SERVICE_ACCOUNT_FILE (domain-wide delegation) or GOOGLE_OAUTH_CLIENT_ID/SECRET (per-user grants)');
        return createGmailMailbox({ credentials: deps.google, tenantId: mailbox.tenant_id, userId: text(settings, 'userId') ?? null, address: mailbox.address });
      }
      default:
        throw new MailboxError('protocol', `unknown mailbox provider "${String(mailbox.provider)}"`);
    }
  };
}
