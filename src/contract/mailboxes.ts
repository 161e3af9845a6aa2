import Type from 'typebox';
import { closed, nullable } from './common.js';

/** Connected mailboxes (`/mailboxes`): the store reads them to keep conversations (conversations.ts). */

export const MAIL_PROVIDERS = ['graph', 'gmail', 'imap'] as const;
export type MailProvider = (typeof MAIL_PROVIDERS)[number];
export const MAILBOX_STATUSES = ['new', 'backfilling', 'live', 'retrying', 'error'] as const;
export type MailboxStatus = (typeof MAILBOX_STATUSES)[number];

const Problem = nullable(Type.Object({ code: Type.String(), message: Type.String() }));

export const MailboxView = Type.Object({
  id: Type.String(),
  provider: Type.Enum([...MAIL_PROVIDERS]),
  address: Type.String(),
  displayName: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  secrets: Type.Array(Type.String(), { description: 'names of the stored secrets, never their values' }),
  status: Type.Enum([...MAILBOX_STATUSES]),
  paused: Type.Boolean(),
  lastError: Problem,
  lastSyncedAt: nullable(Type.String()),
  lagSeconds: nullable(Type.Integer({ description: 'seconds since the last completed pass; null before the first' })),
  backfill: Type.Object({ since: nullable(Type.String()), done: Type.Integer(), remaining: nullable(Type.Integer()) }),
  nextSyncAt: Type.String(),
  createdAt: Type.String(),
});
export type MailboxView = Type.Static<typeof MailboxView>;
export const MailboxList = Type.Object({ mailboxes: Type.Array(MailboxView) });
export type MailboxList = Type.Static<typeof MailboxList>;
export const MailboxParams = Type.Object({ mailboxId: Type.String({ maxLength: 64 }) });

export const MailboxCreate = Type.Object(
  {
    provider: Type.Enum([...MAIL_PROVIDERS]),
    address: Type.String({ maxLength: 254 }),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    secrets: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 8192 }), { maxProperties: 10 })),
    keepBodiesDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    backfillDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  },
  closed,
);
export type MailboxCreate = Type.Static<typeof MailboxCreate>;
export const MailboxTest = Type.Object({ ok: Type.Boolean(), folders: Type.Array(Type.String()), error: Problem });
export type MailboxTest = Type.Static<typeof MailboxTest>;
export const MailboxPause = Type.Object({ paused: Type.Boolean() }, closed);
export const MailboxSecretPut = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 8192, description: 'the new password or app password (IMAP) or client secret (Microsoft 365); written, never shown' }) }, closed);
export type MailboxSecretPut = Type.Static<typeof MailboxSecretPut>;
export const MailboxRemoved = Type.Object({ messages: Type.Integer(), conversations: Type.Integer() });
export type MailboxRemoved = Type.Static<typeof MailboxRemoved>;
