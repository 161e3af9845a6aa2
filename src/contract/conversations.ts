import Type from 'typebox';
import { closed, nullable } from './common.js';

/** Conversations synced from the connected mailboxes (`/conversations`). */

export const ConversationView = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  participants: Type.Array(Type.String()),
  customerId: nullable(Type.String()),
  customerIds: Type.Array(Type.String()),
  firstMessageAt: Type.String(),
  lastMessageAt: Type.String(),
  lastInboundAt: nullable(Type.String()),
  lastOutboundAt: nullable(Type.String()),
  lastWriter: Type.Union([Type.Literal('buyer'), Type.Literal('us'), Type.Null()]),
  messageCount: Type.Integer(),
  inboundCount: Type.Integer(),
  outboundCount: Type.Integer(),
  mailboxIds: Type.Array(Type.String()),
});
export type ConversationView = Type.Static<typeof ConversationView>;
export const ConversationList = Type.Object({ conversations: Type.Array(ConversationView) });
export type ConversationList = Type.Static<typeof ConversationList>;

const Address = Type.Object({ address: Type.String(), name: Type.Optional(Type.String()) });
export const MessageView = Type.Object({
  id: Type.String(),
  mailboxId: Type.String(),
  folder: Type.String(),
  messageId: nullable(Type.String()),
  from: nullable(Address),
  to: Type.Array(Address),
  cc: Type.Array(Address),
  subject: Type.String(),
  receivedAt: Type.String(),
  utcOffsetMinutes: nullable(Type.Integer()),
  direction: Type.String(),
  autoVerdict: Type.String(),
  language: nullable(Type.String()),
  excerpt: Type.String(),
  sizeBytes: Type.Integer(),
  attachments: Type.Array(Type.Object({ name: Type.String(), contentType: Type.String() })),
});
export type MessageView = Type.Static<typeof MessageView>;
export const ConversationDetail = Type.Intersect([ConversationView, Type.Object({ messages: Type.Array(MessageView) })]);
export type ConversationDetail = Type.Static<typeof ConversationDetail>;
export const ConversationParams = Type.Object({ conversationId: Type.String({ maxLength: 64 }) });

export const ConversationQuery = Type.Object(
  {
    mailbox: Type.Optional(Type.String({ maxLength: 64 })),
    customer: Type.Optional(Type.String({ maxLength: 64 })),
    direction: Type.Optional(Type.Enum(['inbound', 'outbound'])),
    unansweredSince: Type.Optional(Type.String({ maxLength: 40 })),
    unansweredForHours: Type.Optional(Type.Number({ minimum: 0, maximum: 8760 })),
    before: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  closed,
);
export type ConversationQuery = Type.Static<typeof ConversationQuery>;
