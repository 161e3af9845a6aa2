import Type from 'typebox';
import { closed, nullableString } from './common.js';
import { REGION_CODES } from '../core/teaminbox/regions.js';

/** The team inbox (`/api/v1/team-inboxes`, `/team-conversations`; docs/team-inbox.md). */

export const TeamCalendar = Type.Object(
  {
    /** ISO 3166 alpha-2: the company's public holidays and work week; null for Mon–Fri without holidays. */
    country: Type.Union([Type.String({ pattern: '^[A-Za-z]{2}$' }), Type.Null()]),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
    end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  },
  closed,
);
export type TeamCalendar = Type.Static<typeof TeamCalendar>;

export const TeamInboxView = Type.Object({
  id: Type.String(),
  mailboxId: Type.String(),
  address: Type.String(),
  name: Type.String(),
  groups: Type.Array(Type.String()),
  manager: Type.Union([Type.Object({ id: Type.String(), email: Type.String(), name: Type.String() }), Type.Null()]),
  targetBusinessHours: Type.Integer(),
  calendar: TeamCalendar,
  /** The auto-acknowledgement's template (null: off) and the hand-off template (team mail, below). */
  acknowledgement: Type.Union([Type.Object({ pack: Type.String(), template: Type.String() }), Type.Null()]),
  handOff: Type.Union([Type.Object({ pack: Type.String(), template: Type.String() }), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type TeamInboxView = Type.Static<typeof TeamInboxView>;

export const TeamInboxInput = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Group slugs whose members work the inbox. */
    groups: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 50 }),
    /** The manager's e-mail (escalations, figures); null for none. */
    manager: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
    targetBusinessHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720 })),
    calendar: Type.Optional(TeamCalendar),
    /** Acknowledge each new inquiry with this pack template (null: off). */
    acknowledgement: Type.Optional(Type.Union([Type.Object({ pack: Type.String({ minLength: 1, maxLength: 100 }), template: Type.String({ minLength: 1, maxLength: 100 }) }, closed), Type.Null()])),
    /** The template a rep hands off with from `/inbox` (null: none). */
    handOff: Type.Optional(Type.Union([Type.Object({ pack: Type.String({ minLength: 1, maxLength: 100 }), template: Type.String({ minLength: 1, maxLength: 100 }) }, closed), Type.Null()])),
  },
  closed,
);
export type TeamInboxInput = Type.Static<typeof TeamInboxInput>;

export const TEAM_LISTS = ['unassigned', 'mine', 'overdue', 'waiting', 'open', 'closed'] as const;
export type TeamList = (typeof TEAM_LISTS)[number];

const Person = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() });

export const ClockView = Type.Object({
  phase: Type.Enum(['stopped', 'running', 'warning', 'breached']),
  startedAt: nullableString,
  dueAt: nullableString,
  businessMinutesLeft: Type.Union([Type.Integer(), Type.Null()]),
});
export type ClockView = Type.Static<typeof ClockView>;

export const TeamConversationSummary = Type.Object({
  id: Type.String(),
  teamInboxId: Type.String(),
  subject: Type.String(),
  buyer: nullableString,
  state: Type.Enum(['new', 'assigned', 'answered', 'waiting', 'closed']),
  assignee: Type.Union([Person, Type.Null()]),
  tags: Type.Array(Type.String()),
  lastMessageAt: Type.String(),
  lastWriter: Type.Union([Type.Literal('buyer'), Type.Literal('us'), Type.Null()]),
  firstResponseAt: nullableString,
  clock: ClockView,
});
export type TeamConversationSummary = Type.Static<typeof TeamConversationSummary>;

export const TeamNoteView = Type.Object({ id: Type.String(), author: Type.String(), body: Type.String(), mentions: Type.Array(Person), createdAt: Type.String() });
export type TeamNoteView = Type.Static<typeof TeamNoteView>;

export const PresenceView = Type.Object({ user: Person, activity: Type.Enum(['viewing', 'replying']), seenAt: Type.String() });
export type PresenceView = Type.Static<typeof PresenceView>;

export const TeamMessageView = Type.Object({
  id: Type.String(),
  direction: Type.String(),
  from: Type.Union([Type.Object({ address: Type.String(), name: Type.Optional(Type.String()) }), Type.Null()]),
  subject: Type.String(),
  receivedAt: Type.String(),
  autoVerdict: Type.String(),
  language: nullableString,
  /** The kept text body (plain text; the faces show it as text, never as HTML), else null. */
  body: nullableString,
  excerpt: Type.String(),
  attachments: Type.Array(Type.Object({ name: Type.String(), contentType: Type.String() })),
});
export type TeamMessageView = Type.Static<typeof TeamMessageView>;

export const TeamConversationView = Type.Object({
    ...TeamConversationSummary.properties,
    inbox: Type.Object({ id: Type.String(), address: Type.String(), name: Type.String() }),
    messages: Type.Array(TeamMessageView),
    notes: Type.Array(TeamNoteView),
    presence: Type.Array(PresenceView),
    /** The buyer's clock: their zone as the client-time inference reads it, and the time there now. */
    buyerTime: Type.Union([Type.Object({ timeZone: Type.String(), country: nullableString, localTime: Type.String(), confidence: Type.String() }), Type.Null()]),
});
export type TeamConversationView = Type.Static<typeof TeamConversationView>;

export const TeamListQuery = Type.Object(
  {
    inbox: Type.Optional(Type.String({ maxLength: 64 })),
    list: Type.Optional(Type.Enum(TEAM_LISTS)),
    /** Rows per page (default 100). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** The previous page's `nextCursor`: the page after it, in the same list. */
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  closed,
);
export type TeamListQuery = Type.Static<typeof TeamListQuery>;

export const AssignInput = Type.Object({ assignee: Type.Union([Type.String({ maxLength: 254 }), Type.Null()]) }, closed);
export type AssignInput = Type.Static<typeof AssignInput>;
export const NoteInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, closed);
export type NoteInput = Type.Static<typeof NoteInput>;
export const PresenceInput = Type.Object({ activity: Type.Enum(['viewing', 'replying']) }, closed);
export type PresenceInput = Type.Static<typeof PresenceInput>;
export const StateAction = Type.Enum(['close', 'reopen', 'wait']);
export type StateAction = Type.Static<typeof StateAction>;

export const FiguresQuery = Type.Object(
  {
    since: Type.Optional(Type.String({ maxLength: 40 })),
    until: Type.Optional(Type.String({ maxLength: 40 })),
    /** For the CSV: the language of its labels and headings (default en). */
    lang: Type.Optional(Type.Enum(['en', 'zh-CN'])),
  },
  closed,
);
export type FiguresQuery = Type.Static<typeof FiguresQuery>;

const FirstResponses = Type.Object({
  answered: Type.Integer(),
  p50BusinessMinutes: Type.Union([Type.Integer(), Type.Null()]),
  p90BusinessMinutes: Type.Union([Type.Integer(), Type.Null()]),
  breaches: Type.Integer(),
});

/** The manager's view: first responses (business minutes) per rep in a period, and the queue now. */
export const TeamFiguresView = Type.Object({
  inboxId: Type.String(),
  since: Type.String(),
  until: Type.String(),
  reps: Type.Array(
    Type.Object({
      rep: Person,
      answered: Type.Integer(),
      p50BusinessMinutes: Type.Union([Type.Integer(), Type.Null()]),
      p90BusinessMinutes: Type.Union([Type.Integer(), Type.Null()]),
      breaches: Type.Integer(),
      openNow: Type.Integer(),
    }),
  ),
  /** The same first responses by the buyer's region (their country → core/teaminbox/regions.ts) and by ISO week of the inbox's calendar. */
  regions: Type.Array(Type.Object({ region: Type.Enum(REGION_CODES), ...FirstResponses.properties })),
  weeks: Type.Array(Type.Object({ week: Type.String(), monday: Type.String(), ...FirstResponses.properties })),
  unassignedNow: Type.Integer(),
  overdueNow: Type.Integer(),
});
export type TeamFiguresView = Type.Static<typeof TeamFiguresView>;
/** `GET …/figures.csv`: text/csv (UTF-8 with a byte-order mark). */
export const FiguresCsv = Type.String({ description: 'text/csv' });

export const TeamInboxParams = Type.Object({ inboxId: Type.String({ maxLength: 64 }) }, closed);
export const TeamConversationParams = Type.Object({ conversationId: Type.String({ maxLength: 64 }) }, closed);
export const TeamInboxList = Type.Object({ inboxes: Type.Array(TeamInboxView) });
export type TeamInboxList = Type.Static<typeof TeamInboxList>;

/** The templates a team inbox can acknowledge or hand off with (`GET /team-inboxes/templates`): every template of a published pack. */
export const TeamTemplateChoice = Type.Object({
  pack: Type.String(),
  template: Type.String(),
  kind: Type.String(),
  /** The template's title by language (a title written once is under the pack's default language). */
  title: Type.Record(Type.String(), Type.String()),
  /** The languages it has a variant in, the pack's default first. */
  languages: Type.Array(Type.String()),
});
export type TeamTemplateChoice = Type.Static<typeof TeamTemplateChoice>;
export const TeamTemplateChoices = Type.Object({ templates: Type.Array(TeamTemplateChoice) });
export type TeamTemplateChoices = Type.Static<typeof TeamTemplateChoices>;
/** One page of a list; `nextCursor` asks for the next one (null: this was the last). */
export const TeamConversationList = Type.Object({ conversations: Type.Array(TeamConversationSummary), nextCursor: nullableString });
export type TeamConversationList = Type.Static<typeof TeamConversationList>;
export const StateInput = Type.Object({ action: StateAction }, closed);
export type StateInput = Type.Static<typeof StateInput>;
export const PresenceList = Type.Object({ presence: Type.Array(PresenceView) });
export type PresenceList = Type.Static<typeof PresenceList>;

// ---------------------------------------------------------------------------------------------
// Team mail: hand-off from a rep's own address, buyer ownership (docs/team-inbox.md, issue #15
// items 2 and 6). The auto-acknowledgement and the notices have no route: they are sent by a job.

/** Who owns the buyer's company, seen from the caller: the on-send check warns when it is another rep. */
export const OwnershipView = Type.Object({
  buyer: Type.String(),
  company: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  owner: Type.Union([Person, Type.Null()]),
  /** True when the company has an owner and it is not the caller: replying is answering another rep's buyer. */
  ownedByOther: Type.Boolean(),
});
export type OwnershipView = Type.Static<typeof OwnershipView>;
export const OwnershipQuery = Type.Object({ buyer: Type.String({ minLength: 3, maxLength: 254 }) }, closed);
export type OwnershipQuery = Type.Static<typeof OwnershipQuery>;

/** How a hand-off will go: through the rep's own connected mailbox, or as the role address when the rep has none. */
export const HandOffVia = Type.Enum(['own-mailbox', 'role-address']);
export type HandOffVia = Type.Static<typeof HandOffVia>;

/** The hand-off as it would be sent, for the rep to review and edit. */
export const HandOffPreview = Type.Object({
  from: Type.Object({ address: Type.String(), name: Type.String() }),
  via: HandOffVia,
  roleAddress: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  /** Plain text for the rep to edit (the mail's HTML is made from it when sent). */
  text: Type.String(),
  language: Type.String(),
  reason: Type.String(),
  /** The buyer's mail it answers (its Message-ID) and the thread's references, kept when sent. */
  inReplyTo: nullableString,
  references: Type.Array(Type.String()),
  ownership: OwnershipView,
});
export type HandOffPreview = Type.Static<typeof HandOffPreview>;

export const HandOffInput = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 998 }),
    text: Type.String({ minLength: 1, maxLength: 50_000 }),
    /** Send even though another rep owns the buyer's company (the page asks first); the company then moves to the sender. */
    takeOver: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type HandOffInput = Type.Static<typeof HandOffInput>;

export const HandOffResult = Type.Object({ messageId: Type.String(), from: Type.String(), via: HandOffVia, sentAt: Type.String(), owner: Person });
export type HandOffResult = Type.Static<typeof HandOffResult>;

// The mail-client faces (Outlook pane and on-send check, Gmail card): finding the team
// conversation of the item open there, and the collision check before a reply leaves.

/**
 * What a face knows about the open item. Tried in order: the Internet Message-ID, the provider's
 * thread (Outlook's conversationId = Graph's; a Gmail thread id of the synced mailbox), then the
 * subject with one of the buyer's addresses (the sender when reading, the recipients when replying).
 */
export const TeamItemKeys = Type.Object(
  {
    internetMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 998 })),
    threadId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    subject: Type.Optional(Type.String({ maxLength: 1000 })),
    addresses: Type.Optional(Type.Array(Type.String({ minLength: 3, maxLength: 254 }), { maxItems: 50 })),
  },
  closed,
);
export type TeamItemKeys = Type.Static<typeof TeamItemKeys>;

export const TEAM_MATCHES = ['message-id', 'thread', 'subject-and-address'] as const;

/** The conversation opened (audited), or null when the item is no team conversation the caller works. */
export const TeamLookupView = Type.Object({
  conversation: Type.Union([TeamConversationView, Type.Null()]),
  matchedBy: Type.Union([Type.Enum(TEAM_MATCHES), Type.Null()]),
});
export type TeamLookupView = Type.Static<typeof TeamLookupView>;

/** A colleague's answer the rep had not seen: sent by someone else, seen by the sync after the rep last opened the conversation. */
export const TeamCollision = Type.Object({
  conversationId: Type.String(),
  subject: Type.String(),
  by: Type.Object({ address: Type.String(), name: nullableString }),
  /** When the answer was sent, and when the sync saw it. */
  answeredAt: Type.String(),
  seenAt: Type.String(),
  /** When the rep last opened the conversation in a face (null: never; compared with the buyer's last mail instead). */
  openedAt: nullableString,
});
export type TeamCollision = Type.Static<typeof TeamCollision>;
export const TeamSendCheckView = Type.Object({
  collision: Type.Union([TeamCollision, Type.Null()]),
  /** The first recipient whose company another rep owns (buyer ownership), or null: Outlook's on-send check warns naming the owner. */
  ownership: Type.Union([OwnershipView, Type.Null()]),
});
export type TeamSendCheckView = Type.Static<typeof TeamSendCheckView>;

/** `GET /team-inboxes/{inboxId}/members`: who works the inbox (the faces' "assign to" picker), by e-mail. */
export const TeamMemberList = Type.Object({ members: Type.Array(Person) });
export type TeamMemberList = Type.Static<typeof TeamMemberList>;
