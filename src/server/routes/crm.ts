import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { contactView, createCustomer, findContact, getCustomer, listCustomers, updateCustomer, upsertContact } from '../services/customers.js';
import { clientTimeFor } from '../services/client-time.js';
import { completeTask, createTask, listTasks, logMail, logStatus, rescheduleTask, timeline } from '../services/crm.js';
import { notFound } from '../errors.js';
import { errorResponses } from '../../contract/common.js';
import {
  AlreadyLogged,
  ClientTime,
  ClientTimeQuery,
  ContactLookupQuery,
  ContactUpsert,
  ContactView,
  CustomerCreate,
  CustomerList,
  CustomerParams,
  CustomerPatch,
  CustomerView,
  Logged,
  LogRequest,
  LogStatus,
  LogStatusQuery,
  Task,
  TaskCreate,
  TaskList,
  TaskListQuery,
  TaskParams,
  TaskReschedule,
  Timeline,
} from '../../contract/crm.js';

export const crmRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/customers', { config: { access: 'crm:read' }, schema: { tags: ['customers'], summary: 'Customers (companies) of my tenant', response: { 200: CustomerList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { customers: await listCustomers(tdb) };
  });

  app.post(
    '/customers',
    {
      config: { access: 'crm:write' },
      schema: { tags: ['customers'], summary: 'Add a customer: its e-mail domains, country, time zone, languages and business-hours override', body: CustomerCreate, response: { 201: CustomerView, ...errorResponses } },
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
      schema: { tags: ['customers'], summary: 'Change a customer', params: CustomerParams, body: CustomerPatch, response: { 200: CustomerView, ...errorResponses } },
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
        body: ContactUpsert,
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
    { config: { access: 'crm:read' }, schema: { tags: ['customers'], summary: 'The contact with this e-mail', querystring: ContactLookupQuery, response: { 200: ContactView, ...errorResponses } } },
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
        body: LogRequest,
        response: { 200: AlreadyLogged, 201: Logged, ...errorResponses },
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
    { config: { access: 'crm:read' }, schema: { tags: ['crm'], summary: 'Is this mail logged? By whom, when', querystring: LogStatusQuery, response: { 200: LogStatus, ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      const activity = await logStatus(tdb, request.query.messageId);
      return { logged: activity !== null, activity };
    },
  );

  app.get(
    '/customers/:customerId/timeline',
    { config: { access: 'crm:read' }, schema: { tags: ['crm'], summary: "A customer's logged mails and tasks, newest first", params: CustomerParams, response: { 200: Timeline, ...errorResponses } } },
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
        body: TaskCreate,
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
      schema: { tags: ['crm'], summary: "My tasks (admins: everyone's with all=true), by due date", querystring: TaskListQuery, response: { 200: TaskList, ...errorResponses } },
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
    { config: { access: 'crm:write' }, schema: { tags: ['crm'], summary: 'Give a task a new due time (a rule in the client business days, or an instant)', params: TaskParams, body: TaskReschedule, response: { 200: Task, ...errorResponses } } },
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
        querystring: ClientTimeQuery,
        response: { 200: ClientTime, ...errorResponses },
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
