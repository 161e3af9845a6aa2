import Type from 'typebox';
import { closed, nullable } from './common.js';
import type { TimeCode } from '../core/clienttime/messages.js';
import type { IslamicFeast } from '../core/clienttime/islamic-holidays.js';
import { TASK_DUE_DAYS } from '../core/crm/task-due.js';

/**
 * Customers and contacts (`/customers`, `/contacts`), the built-in CRM log (`/log`), follow-up
 * tasks (`/tasks`) and a recipient's clock (`/client-time`).
 */

const HHMM = '^\\d{2}:\\d{2}$';

/** A customer's business-hours override (core/clienttime HoursOverride). */
export const Hours = Type.Object(
  {
    start: Type.Optional(Type.String({ pattern: HHMM })),
    end: Type.Optional(Type.String({ pattern: HHMM })),
    workWeek: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 })),
    closedDates: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 })),
  },
  closed,
);
export type Hours = Type.Static<typeof Hours>;

const CustomerFields = {
  domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 })),
  country: Type.Optional(nullable(Type.String({ maxLength: 2 }))),
  timeZone: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
  languages: Type.Optional(Type.Array(Type.String({ maxLength: 35 }), { maxItems: 20 })),
  hours: Type.Optional(nullable(Hours)),
};
export const CustomerCreate = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...CustomerFields }, closed);
export type CustomerCreate = Type.Static<typeof CustomerCreate>;
export const CustomerPatch = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...CustomerFields }, closed);
export type CustomerPatch = Type.Static<typeof CustomerPatch>;

export const CustomerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  country: nullable(Type.String()),
  timeZone: nullable(Type.String()),
  languages: Type.Array(Type.String()),
  hours: nullable(Hours),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type CustomerView = Type.Static<typeof CustomerView>;
export const CustomerList = Type.Object({ customers: Type.Array(CustomerView) });
export type CustomerList = Type.Static<typeof CustomerList>;
export const CustomerParams = Type.Object({ customerId: Type.String({ maxLength: 64 }) });

/** PUT /contacts: create or update by e-mail; only the fields given change, null clears. */
export const ContactUpsert = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    firstName: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    lastName: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    language: Type.Optional(nullable(Type.String({ maxLength: 35 }))),
    country: Type.Optional(nullable(Type.String({ maxLength: 2 }))),
    timeZone: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
    phone: Type.Optional(nullable(Type.String({ maxLength: 50 }))),
  },
  closed,
);
export type ContactUpsert = Type.Static<typeof ContactUpsert>;

export const ContactView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  customerId: nullable(Type.String()),
  firstName: nullable(Type.String()),
  lastName: nullable(Type.String()),
  language: nullable(Type.String()),
  country: nullable(Type.String()),
  timeZone: nullable(Type.String()),
  phone: nullable(Type.String()),
  lastUtcOffset: nullable(Type.String()),
  lastSeenAt: nullable(Type.String()),
});
export type ContactView = Type.Static<typeof ContactView>;
export const ContactLookupQuery = Type.Object({ email: Type.String({ maxLength: 254 }) }, closed);

/** A mail in the CRM log. */
export const Activity = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  threadId: nullable(Type.String()),
  direction: Type.Enum(['inbound', 'outbound']),
  occurredAt: Type.String(),
  utcOffset: nullable(Type.String()),
  from: Type.String(),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  snippet: Type.String(),
  customerId: nullable(Type.String()),
  contactId: nullable(Type.String()),
  loggedBy: Type.String(),
  loggedVia: Type.String(),
  loggedAt: Type.String(),
});
export type Activity = Type.Static<typeof Activity>;

export const LogRequest = Type.Object(
  {
    messageId: Type.String({ maxLength: 1000 }),
    threadId: Type.Optional(Type.String({ maxLength: 500 })),
    direction: Type.Enum(['inbound', 'outbound']),
    dateHeader: Type.Optional(Type.String({ maxLength: 100 })),
    sentAt: Type.Optional(Type.String({ format: 'date-time' })),
    from: Type.String({ maxLength: 400, description: 'an address, or `Name <address>` (the name is learned for the contact)' }),
    to: Type.Array(Type.String({ maxLength: 400 }), { minItems: 1, maxItems: 100 }),
    subject: Type.String({ maxLength: 998 }),
    snippet: Type.Optional(Type.String({ maxLength: 2000 })),
    via: Type.Enum(['outlook', 'gmail', 'api']),
  },
  closed,
);
export type LogRequest = Type.Static<typeof LogRequest>;
export const Logged = Type.Object({ status: Type.Literal('logged'), activity: Activity });
export const AlreadyLogged = Type.Object({ status: Type.Literal('already-logged'), activity: Activity });
export type LogResult = Type.Static<typeof Logged> | Type.Static<typeof AlreadyLogged>;
export const LogStatusQuery = Type.Object({ messageId: Type.String({ maxLength: 1000 }) }, closed);
export const LogStatus = Type.Object({ logged: Type.Boolean(), activity: nullable(Activity) });
export type LogStatus = Type.Static<typeof LogStatus>;

export const Task = Type.Object({
  id: Type.String(),
  title: Type.String(),
  notes: Type.String(),
  status: Type.Enum(['open', 'done']),
  dueAt: nullable(Type.String()),
  dueLocal: nullable(Type.String()),
  dueTimeZone: nullable(Type.String()),
  assignee: Type.String(),
  customerId: nullable(Type.String()),
  contactId: nullable(Type.String()),
  activityId: nullable(Type.String()),
  createdAt: Type.String(),
  completedAt: nullable(Type.String()),
  dueReason: Type.Optional(Type.String({ description: 'which due rule applied (creating or rescheduling)' })),
  existing: Type.Optional(Type.Boolean({ description: 'true: the rep already had this open task for the mail; nothing new was made' })),
});
export type Task = Type.Static<typeof Task>;
export const TaskList = Type.Object({ tasks: Type.Array(Task) });
export type TaskList = Type.Static<typeof TaskList>;
export const Timeline = Type.Object({ mails: Type.Array(Activity), tasks: Type.Array(Task) });
export type Timeline = Type.Static<typeof Timeline>;

/** When a task is due: N of the client's business days at HH:MM their time, or an instant. */
export const Due = Type.Union([
  Type.Object({ rule: Type.Object({ businessDays: Type.Integer({ minimum: TASK_DUE_DAYS.min, maximum: TASK_DUE_DAYS.max }), at: Type.String({ pattern: HHMM }) }, closed) }, closed),
  Type.Object({ at: Type.String({ format: 'date-time' }) }, closed),
]);
export type Due = Type.Static<typeof Due>;
export const TaskCreate = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 300 })),
    notes: Type.Optional(Type.String({ maxLength: 4000 })),
    messageId: Type.Optional(Type.String({ maxLength: 1000 })),
    link: Type.Optional(Type.String({ maxLength: 2000 })),
    contact: Type.Optional(Type.String({ maxLength: 254 })),
    due: Type.Optional(Due),
  },
  closed,
);
export type TaskCreate = Type.Static<typeof TaskCreate>;
export const TaskListQuery = Type.Object({ status: Type.Optional(Type.Enum(['open', 'done'])), all: Type.Optional(Type.Boolean()) }, closed);
export const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 64 }) });
export const TaskReschedule = Type.Object({ due: Due }, closed);
export type TaskReschedule = Type.Static<typeof TaskReschedule>;

/** A client-time text as a code with parameters (core/clienttime/messages.ts), worded by each face; a closed-day status nests its day reason. */
const TimeParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));
const Code = Type.Unsafe<TimeCode>(Type.String({ description: 'a code of core/clienttime/messages.ts' }));
const TimeTextDay = Type.Object({ code: Code, params: TimeParams });
export const TimeText = Type.Object({ code: Code, params: TimeParams, reason: Type.Optional(TimeTextDay) });
export type TimeText = Type.Static<typeof TimeText>;
export const SlotAlternative = Type.Object({ label: Type.String(), labelText: TimeText, at: Type.String(), clientLocal: Type.String(), repLocal: Type.Optional(Type.String()) });
export type SlotAlternative = Type.Static<typeof SlotAlternative>;
/** A calendar caveat as a code with parameters (core/clienttime CalendarNotice): the faces word it. */
export const CalendarNotice = Type.Union([
  Type.Object({ code: Type.Literal('holiday-announced-locally'), date: Type.String(), holiday: Type.String(), feast: Type.Optional(Type.Unsafe<IslamicFeast>(Type.String())) }),
  Type.Object({ code: Type.Literal('china-arrangement-unpublished'), year: Type.Integer() }),
]);
export type CalendarNotice = Type.Static<typeof CalendarNotice>;

export const ClientTimeQuery = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    now: Type.Optional(Type.String({ format: 'date-time' })),
    country: Type.Optional(Type.String({ maxLength: 2 })),
    tz: Type.Optional(Type.String({ maxLength: 64 })),
    dateHeader: Type.Optional(Type.String({ maxLength: 100 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
  },
  closed,
);
export type ClientTimeQuery = Type.Static<typeof ClientTimeQuery>;
export const ClientTime = Type.Object({
  timeZone: nullable(Type.String()),
  confidence: Type.String(),
  reasons: Type.Array(Type.String()),
  /** the reasons as codes the face words in the rep's language */
  reasonTexts: Type.Array(TimeText),
  localTime: nullable(Type.String()),
  inBusinessHours: Type.Boolean(),
  status: Type.String(),
  statusText: TimeText,
  nextSlot: nullable(Type.String({ description: 'their next opening after now (their next business morning while they are open); null when the zone is unknown' })),
  alternatives: Type.Array(SlotAlternative),
  notices: Type.Array(CalendarNotice),
  known: Type.Object({ contact: Type.Boolean(), customer: nullable(Type.String()) }),
});
export type ClientTime = Type.Static<typeof ClientTime>;
