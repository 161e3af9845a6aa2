import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { contactView, createCustomer, findContact, getCustomer, listCustomers, updateCustomer, upsertContact } from '../services/customers.js';
import { clientTimeFor } from '../services/client-time.js';
import { completeTask, createTask, listTasks, logMail, logStatus, rescheduleTask, timeline } from '../services/crm.js';
import { notFound } from '../errors.js';
import { closed, errorResponses } from '../../contract/common.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Hours = Type.Object(
  {
    start: Type.Optional(Type.String({ pattern: '^\\d{2}:\\d{2}$' })),
    end: Type.Optional(Type.String({ pattern: '^\\d{2}:\\d{2}$' })),
    workWeek: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 })),
    closedDates: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 366 })),
  },
  closed,
);
const CustomerFields = {
  domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 })),
  country: Type.Optional(nullable(Type.String({ maxLength: 2 }))),
  timeZone: Type.Optional(nullable(Type.String({ maxLength: 64 }))),
  languages: Type.Optional(Type.Array(Type.String({ maxLength: 35 }), { maxItems: 20 })),
  hours: Type.Optional(nullable(Hours)),
};
const CustomerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  country: nullable(Type.String()),
  timeZone: nullable(Type.String()),
  languages: Type.Array(Type.String()),
  hours: nullable(Type.Object({}, { additionalProperties: true })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const ContactView = Type.Object({
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
/** A client-time text as a code with parameters (core/clienttime/messages.ts), worded by each face; a closed-day status nests its day reason. */
const TimeTextDay = Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])) });
const TimeText = Type.Object({ code: Type.String(), params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])), reason: Type.Optional(TimeTextDay) });
const Alternative = Type.Object({ label: Type.String(), labelText: TimeText, at: Type.String(), clientLocal: Type.String(), repLocal: Type.Optional(Type.String()) });
/** A calendar caveat as a code with parameters (core/clienttime CalendarNotice): the faces word it. */
const CalendarNotice = Type.Union([
  Type.Object({ code: Type.Literal('holiday-announced-locally'), date: Type.String(), holiday: Type.String(), feast: Type.Optional(Type.String()) }),
  Type.Object({ code: Type.Literal('china-arrangement-unpublished'), year: Type.Integer() }),
]);
const CustomerParams = Type.Object({ customerId: Type.String({ maxLength: 64 }) });
const Activity = Type.Object({
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
const Task = Type.Object({
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
  dueReason: Type.Optional(Type.String()),
  existing: Type.Optional(Type.Boolean({ description: 'true: the rep already had this open task for the mail; nothing new was made' })),
});
const Due = Type.Union([
  Type.Object({ rule: Type.Object({ businessDays: Type.Integer({ minimum: 0, maximum: 366 }), at: Type.String({ pattern: '^\\d{2}:\\d{2}$' }) }, closed) }, closed),
  Type.Object({ at: Type.String({ format: 'date-time' }) }, closed),
]);
const TaskParams = Type.Object({ taskId: Type.String({ maxLength: 64 }) });

export const crmRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/customers', { config: { access: 'crm:read' }, schema: { tags: ['customers'], summary: 'Customers (companies) of my tenant', response: { 200: Type.Object({ customers: Type.Array(CustomerView) }), ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { customers: await listCustomers(tdb) };
  });

  app.post(
    '/customers',
    {
      config: { access: 'crm:write' },
      schema: { tags: ['customers'], summary: 'Add a customer: its e-mail domains, country, time zone, languages and business-hours override', body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), ...CustomerFields }, closed), response: { 201: CustomerView, ...errorResponses } },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await createCustomer(tdb, principal, request.body));
    },
  );

  app.get('/customers/:customerId', { config: { access: 'crm:read' }, schema: { tags: ['customers'], summary: 'One customer', params: CustomerParams, response: { 200: CustomerView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getCustomer(tdb, request.params.customerId);
  });

  app.patch(
    '/customers/:customerId',
    {
      config: { access: 'crm:write' },
      schema: { tags: ['customers'], summary: 'Change a customer', params: CustomerParams, body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...CustomerFields }, closed), response: { 200: CustomerView, ...errorResponses } },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return updateCustomer(tdb, principal, request.params.customerId, request.body);
    },
  );

  app.put(
    '/contacts',
    {
      config: { access: 'crm:write' },
      schema: {
        tags: ['customers'],
        summary: 'Create or update the contact with this e-mail (only the fields given change)',
        body: Type.Object(
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
        ),
        response: { 200: ContactView, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return upsertContact(tdb, principal, request.body);
    },
  );

  app.get(
    '/contacts/lookup',
    { config: { access: 'crm:read' }, schema: { tags: ['customers'], summary: 'The contact with this e-mail', querystring: Type.Object({ email: Type.String({ maxLength: 254 }) }, closed), response: { 200: ContactView, ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      const contact = await findContact(tdb, request.query.email);
      if (!contact) throw notFound('contact');
      return contactView(contact);
    },
  );

  app.post(
    '/log',
    {
      config: { access: 'crm:write' },
      schema: {
        tags: ['crm'],
        summary: 'Log a mail to the built-in CRM, once per tenant: a second log (any face, any rep) answers already-logged with who and when',
        body: Type.Object(
          {
            messageId: Type.String({ maxLength: 1000 }),
            threadId: Type.Optional(Type.String({ maxLength: 500 })),
            direction: Type.Enum(['inbound', 'outbound']),
            dateHeader: Type.Optional(Type.String({ maxLength: 100 })),
            sentAt: Type.Optional(Type.String({ format: 'date-time' })),
            // an address, or `Name <address>` (the name is learned for the contact)
            from: Type.String({ maxLength: 400 }),
            to: Type.Array(Type.String({ maxLength: 400 }), { minItems: 1, maxItems: 100 }),
            subject: Type.String({ maxLength: 998 }),
            snippet: Type.Optional(Type.String({ maxLength: 2000 })),
            via: Type.Enum(['outlook', 'gmail', 'api']),
          },
          closed,
        ),
        response: { 200: Type.Object({ status: Type.Literal('already-logged'), activity: Activity }), 201: Type.Object({ status: Type.Literal('logged'), activity: Activity }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const result = await logMail(tdb, principal, request.body);
      return reply.status(result.status === 'logged' ? 201 : 200).send(result as never);
    },
  );

  app.get(
    '/log/status',
    { config: { access: 'crm:read' }, schema: { tags: ['crm'], summary: 'Is this mail logged? By whom, when', querystring: Type.Object({ messageId: Type.String({ maxLength: 1000 }) }, closed), response: { 200: Type.Object({ logged: Type.Boolean(), activity: nullable(Activity) }), ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      const activity = await logStatus(tdb, request.query.messageId);
      return { logged: activity !== null, activity };
    },
  );

  app.get(
    '/customers/:customerId/timeline',
    { config: { access: 'crm:read' }, schema: { tags: ['crm'], summary: "A customer's logged mails and tasks, newest first", params: CustomerParams, response: { 200: Type.Object({ mails: Type.Array(Activity), tasks: Type.Array(Task) }), ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return timeline(tdb, request.params.customerId);
    },
  );

  app.post(
    '/tasks',
    {
      config: { access: 'crm:write' },
      schema: {
        tags: ['crm'],
        summary: "Create a follow-up task, e.g. from a logged mail, due 'in N of the client's business days at HH:MM their time'; from a mail I already have an open task for, 200 with that task",
        body: Type.Object(
          {
            title: Type.Optional(Type.String({ maxLength: 300 })),
            notes: Type.Optional(Type.String({ maxLength: 4000 })),
            messageId: Type.Optional(Type.String({ maxLength: 1000 })),
            link: Type.Optional(Type.String({ maxLength: 2000 })),
            contact: Type.Optional(Type.String({ maxLength: 254 })),
            due: Type.Optional(Due),
          },
          closed,
        ),
        response: { 200: Task, 201: Task, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      // From a mail the rep already has an open task for: 200 with that task, nothing new.
      const task = await createTask(tdb, principal, request.body);
      return reply.status(task.existing ? 200 : 201).send(task);
    },
  );

  app.get(
    '/tasks',
    {
      config: { access: 'crm:read' },
      schema: { tags: ['crm'], summary: "My tasks (admins: everyone's with all=true), by due date", querystring: Type.Object({ status: Type.Optional(Type.Enum(['open', 'done'])), all: Type.Optional(Type.Boolean()) }, closed), response: { 200: Type.Object({ tasks: Type.Array(Task) }), ...errorResponses } },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { tasks: await listTasks(tdb, principal, { ...(request.query.status ? { status: request.query.status } : {}), everyone: request.query.all ?? false }) };
    },
  );

  app.post('/tasks/:taskId/complete', { config: { access: 'crm:write' }, schema: { tags: ['crm'], summary: 'Mark a task done', params: TaskParams, response: { 200: Task, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return completeTask(tdb, principal, request.params.taskId);
  });

  app.post(
    '/tasks/:taskId/reschedule',
    { config: { access: 'crm:write' }, schema: { tags: ['crm'], summary: 'Give a task a new due time (a rule in the client business days, or an instant)', params: TaskParams, body: Type.Object({ due: Due }, closed), response: { 200: Task, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return rescheduleTask(tdb, principal, request.params.taskId, request.body.due);
    },
  );

  app.get(
    '/client-time',
    {
      config: { access: 'crm:read' },
      schema: {
        tags: ['client time'],
        summary: "A recipient's time zone (with confidence and reasons), local time, open/closed, and the next good moment to send — from everything the tenant knows",
        querystring: Type.Object(
          {
            email: Type.String({ maxLength: 254 }),
            now: Type.Optional(Type.String({ format: 'date-time' })),
            country: Type.Optional(Type.String({ maxLength: 2 })),
            tz: Type.Optional(Type.String({ maxLength: 64 })),
            dateHeader: Type.Optional(Type.String({ maxLength: 100 })),
            phone: Type.Optional(Type.String({ maxLength: 50 })),
          },
          closed,
        ),
        response: {
          200: Type.Object({
            timeZone: nullable(Type.String()),
            confidence: Type.String(),
            reasons: Type.Array(Type.String()),
            reasonTexts: Type.Array(TimeText),
            localTime: nullable(Type.String()),
            inBusinessHours: Type.Boolean(),
            status: Type.String(),
            statusText: TimeText,
            nextSlot: nullable(Type.String()),
            alternatives: Type.Array(Alternative),
            notices: Type.Array(CalendarNotice),
            known: Type.Object({ contact: Type.Boolean(), customer: nullable(Type.String()) }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      const q = request.query;
      return clientTimeFor(tdb, principal.userId, {
        email: q.email,
        ...(q.now ? { now: new Date(q.now) } : {}),
        country: q.country,
        timeZone: q.tz,
        dateHeader: q.dateHeader,
        phone: q.phone,
      });
    },
  );
};
