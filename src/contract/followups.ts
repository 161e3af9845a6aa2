import Type from 'typebox';
import { closed, nullableString } from './common.js';

/** Follow-ups: "remind me if no reply" (`/api/v1/me/followups`). */

export const FOLLOW_UP_STATUSES = ['awaiting-send', 'waiting', 'due', 'replied', 'done', 'cancelled'] as const;
export const FOLLOW_UP_KINDS = ['inquiry', 'quote', 'sample', 'follow-up', 'shipping', 'payment', 'other'] as const;

const Hour = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: "HH:MM on the rep's clock" });
const Address = Type.String({ minLength: 3, maxLength: 320 });

export const FollowUpRuleInput = Type.Union([
  Type.Object({ kind: Type.Literal('business-days'), days: Type.Integer({ minimum: 1, maximum: 60 }), hour: Type.Optional(Hour) }, closed),
  Type.Object({ kind: Type.Literal('date'), date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), hour: Type.Optional(Hour) }, closed),
]);

export const CreateFollowUp = Type.Object(
  {
    rule: FollowUpRuleInput,
    subject: Type.String({ maxLength: 998 }),
    to: Type.Array(Address, { minItems: 1, maxItems: 100 }),
    cc: Type.Optional(Type.Array(Address, { maxItems: 100 })),
    /** Outlook's send event: the sent message's Internet Message-ID; the reminder starts at once. */
    messageId: Type.Optional(Type.String({ maxLength: 998 })),
    sentAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO-8601 instant of the send (with messageId)' })),
    /** Gmail compose: the draft and its thread; the reminder starts when the sync sees the mail leave. */
    draftId: Type.Optional(Type.String({ maxLength: 200 })),
    threadId: Type.Optional(Type.String({ maxLength: 200 })),
    templateKind: Type.Optional(Type.Enum(FOLLOW_UP_KINDS)),
    language: Type.Optional(Type.String({ maxLength: 35 })),
  },
  closed,
);

export const FollowUpView = Type.Object({
  id: Type.String(),
  status: Type.Enum(FOLLOW_UP_STATUSES),
  subject: Type.String(),
  recipients: Type.Array(Type.String()),
  messageId: nullableString,
  conversationId: nullableString,
  templateKind: nullableString,
  language: nullableString,
  rule: Type.Object({ kind: Type.String(), days: Type.Optional(Type.Integer()), date: Type.Optional(Type.String()), hour: Type.String() }),
  sentAt: nullableString,
  dueAt: nullableString,
  dueLocal: nullableString,
  repTimeZone: nullableString,
  buyerDeadline: nullableString,
  /** The buyer's return date an out-of-office gave, when it moved the reminder. */
  movedUntil: nullableString,
  snoozes: Type.Integer(),
  firedAt: nullableString,
  taskId: nullableString,
  repliedAt: nullableString,
  createdAt: Type.String(),
});

export const FollowUpList = Type.Object({ followUps: Type.Array(FollowUpView) });

export const SnoozeFollowUp = Type.Union([
  Type.Object({ until: Type.String({ maxLength: 40, description: 'ISO-8601 instant' }) }, closed),
  Type.Object({ businessDays: Type.Integer({ minimum: 1, maximum: 60 }) }, closed),
]);

export const FollowUpDefaultView = Type.Object({ days: Type.Union([Type.Integer(), Type.Null()]), hour: Type.String(), source: Type.String() });

export type FollowUpRuleInput = Type.Static<typeof FollowUpRuleInput>;
export type CreateFollowUp = Type.Static<typeof CreateFollowUp>;
export type FollowUpView = Type.Static<typeof FollowUpView>;
export type FollowUpList = Type.Static<typeof FollowUpList>;
export type SnoozeFollowUp = Type.Static<typeof SnoozeFollowUp>;
export type FollowUpDefaultView = Type.Static<typeof FollowUpDefaultView>;

/** The manager's view: per rep, open and overdue follow-ups and the median time to answer buyers. */
export const TeamFollowUpRow = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  /** Median minutes from a buyer's mail to the rep's answer in the window; null when nothing was answered. */
  medianReplyMinutes: Type.Union([Type.Number(), Type.Null()]),
  replies: Type.Integer(),
});
export const TeamFollowUps = Type.Object({ since: Type.String(), reps: Type.Array(TeamFollowUpRow) });
export type TeamFollowUpRow = Type.Static<typeof TeamFollowUpRow>;
export type TeamFollowUps = Type.Static<typeof TeamFollowUps>;

/** An inbound inquiry not answered within the company's business hours (the inquiry reply rule). */
export const UnansweredInquiry = Type.Object({
  messageId: nullableString,
  conversationId: Type.String(),
  rep: Type.String(),
  from: nullableString,
  subject: Type.String(),
  receivedAt: Type.String(),
  businessHoursWaiting: Type.Number(),
  escalated: Type.Boolean(),
});
export const UnansweredInquiries = Type.Object({ inquiries: Type.Array(UnansweredInquiry) });
export type UnansweredInquiry = Type.Static<typeof UnansweredInquiry>;
export type UnansweredInquiries = Type.Static<typeof UnansweredInquiries>;

export const FollowUpParams = Type.Object({ followUpId: Type.String({ maxLength: 64 }) }, closed);
export const FollowUpListQuery = Type.Object({ filter: Type.Optional(Type.Enum(['open', 'due', 'all'])) }, closed);
export type FollowUpListQuery = Type.Static<typeof FollowUpListQuery>;
export const FollowUpDefaultQuery = Type.Object({ kind: Type.Optional(Type.Enum(FOLLOW_UP_KINDS)) }, closed);
export const TeamFollowUpsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) }, closed);

/**
 * The one-click "follow up": a reply to the unanswered mail, written with the pack's follow-up
 * template in the buyer's language. Each face opens it its own way (Outlook's reply or new-message
 * form, a Gmail draft, a draft filed in the rep's mailbox from the digest's link).
 */
export const FollowUpDraft = Type.Object({
  followUpId: Type.String(),
  to: Type.Array(Type.String()),
  /** "Re: " and the unanswered mail's subject. */
  subject: Type.String(),
  html: Type.String(),
  text: Type.String(),
  language: Type.String(),
  /** Why this language, in English (the render's reason). */
  reason: Type.String(),
  /** The unanswered mail's Message-ID with angle brackets (In-Reply-To), when the store knows it. */
  inReplyTo: nullableString,
  conversationId: nullableString,
  template: Type.Object({ pack: Type.String(), id: Type.String() }),
});
export type FollowUpDraft = Type.Static<typeof FollowUpDraft>;

/** What the digest's "follow up" link did: the reply draft filed in the rep's own mailbox. */
export const FollowUpDraftFiled = Type.Object({
  mailbox: Type.String(),
  provider: Type.String(),
  /** Where the draft is: the IMAP folder, or "Drafts" (Graph, Gmail). */
  folder: Type.String(),
  /** A link that opens it where the provider gives one (Outlook on the web, Gmail). */
  webLink: nullableString,
  subject: Type.String(),
});
export type FollowUpDraftFiled = Type.Static<typeof FollowUpDraftFiled>;
