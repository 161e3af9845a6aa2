import Type from 'typebox';
import { closed, nullable } from './common.js';

/** Scheduled sends (`/me/scheduled-sends`, `/admin/scheduled-sends`) and Google connect (`/me/google/connect`). */

export const SEND_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled', 'gone'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];
export const MAX_RECIPIENTS = 100;
export const SUBJECT_MAX = 998;

export const ScheduledSendView = Type.Object({
  id: Type.String(),
  provider: Type.Enum(['gmail', 'outlook']),
  draftId: Type.String(),
  threadId: nullable(Type.String()),
  recipients: Type.Array(Type.String()),
  subject: Type.String(),
  sendAt: Type.String(),
  status: Type.Enum([...SEND_STATUSES]),
  reason: nullable(Type.String({ description: 'why it failed, is gone or was cancelled — or, while pending, why the last attempt did not go through' })),
  attempts: Type.Integer(),
  nextAttemptAt: nullable(Type.String()),
  sentAt: nullable(Type.String()),
  messageId: nullable(Type.String({ description: 'RFC 822 Message-ID of the sent mail, when known' })),
  providerMessageId: nullable(Type.String()),
  user: Type.String({ description: 'the rep whose mailbox sends it' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ScheduledSendView = Type.Static<typeof ScheduledSendView>;
export const SendParams = Type.Object({ sendId: Type.String({ maxLength: 64 }) });
const Instant = Type.String({ maxLength: 40, description: 'ISO-8601 instant with its offset, e.g. 2026-03-02T09:00:00+04:00' });
const Status = Type.Optional(Type.Enum([...SEND_STATUSES]));
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 }));

export const SendCapability = Type.Object({ available: Type.Boolean(), via: nullable(Type.Enum(['service-account', 'user-grant'])), canConnect: Type.Boolean() });
export type SendCapability = Type.Static<typeof SendCapability>;
export const MySendsQuery = Type.Object({ status: Status, limit: Limit }, closed);
export const SendList = Type.Object({ sends: Type.Array(ScheduledSendView) });
export type SendList = Type.Static<typeof SendList>;
export const ScheduleSendRequest = Type.Object(
  {
    provider: Type.Enum(['gmail']),
    draftId: Type.String({ minLength: 1, maxLength: 256 }),
    threadId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    recipients: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: MAX_RECIPIENTS }),
    subject: Type.String({ maxLength: SUBJECT_MAX }),
    sendAt: Instant,
  },
  closed,
);
export type ScheduleSendRequest = Type.Static<typeof ScheduleSendRequest>;
/** created: a new item; rescheduled: the draft was already queued, its time moved. */
export const ScheduleResult = Type.Object({ outcome: Type.Enum(['created', 'rescheduled']), send: ScheduledSendView });
export type ScheduleResult = Type.Static<typeof ScheduleResult>;
export const SendReschedule = Type.Object({ sendAt: Instant }, closed);
export const TeamSendsQuery = Type.Object({ status: Status, user: Type.Optional(Type.String({ maxLength: 320 })), from: Type.Optional(Instant), to: Type.Optional(Instant), limit: Limit }, closed);
export const TeamSendList = Type.Object({ sends: Type.Array(ScheduledSendView), counts: Type.Record(Type.String(), Type.Integer()) });
export type TeamSendList = Type.Static<typeof TeamSendList>;
export const SendRetry = Type.Optional(Type.Object({ sendAt: Type.Optional(Instant) }, closed));

export const GoogleConsentLink = Type.Object({ url: Type.String(), expiresAt: Type.String() });
export type GoogleConsentLink = Type.Static<typeof GoogleConsentLink>;
export const GoogleDisconnected = Type.Object({ removed: Type.Boolean(), revokedAtGoogle: Type.Boolean() });
export type GoogleDisconnected = Type.Static<typeof GoogleDisconnected>;
