import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { errorResponses } from '../../contract/common.js';
import { CreateFollowUp, FollowUpDefaultQuery, FollowUpDraft, FollowUpDefaultView, FollowUpList, FollowUpListQuery, FollowUpParams, FollowUpView, SnoozeFollowUp, TeamFollowUps, TeamFollowUpsQuery, UnansweredInquiries } from '../../contract/followups.js';
import type { Renderer } from '../render/render-task.js';
import { followUpDraft } from '../services/followup-draft.js';
import { cancelFollowUp, completeFollowUp, createFollowUp, followUpDefaultFor, listFollowUps, snoozeFollowUp, teamFollowUps, unansweredInquiries } from '../services/followups.js';

const tags = ['follow-ups'];

/** "Remind me if no reply" (docs/followups.md): the rep's own reminders. */
export const followUpRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; renderer?: Renderer | undefined }> = async (app, { db, renderer }) => {
  app.post(
    '/me/followups',
    { config: { access: 'crm:write' }, schema: { tags, summary: 'Remind me if the buyer does not reply: from Outlook\'s send event (messageId + sentAt) or a Gmail draft (draftId, threadId)', body: CreateFollowUp, response: { 200: FollowUpView, 201: FollowUpView, ...errorResponses } } },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      const { followUp, created } = await createFollowUp(tdb, principal, request.body);
      return reply.code(created ? 201 : 200).send(followUp);
    },
  );

  app.get(
    '/me/followups',
    { config: { access: 'crm:read' }, schema: { tags, summary: 'My follow-ups: open (default: due first, then waiting, then not yet sent), due, or all', querystring: FollowUpListQuery, response: { 200: FollowUpList, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { followUps: await listFollowUps(tdb, principal, request.query.filter ?? 'open') };
    },
  );

  app.get(
    '/me/followups/default',
    { config: { access: 'crm:read' }, schema: { tags, summary: "The default \"remind me\" for a template kind from my packs (quote 3, sample 5 of the buyer's business days unless a pack says otherwise; null = off)", querystring: FollowUpDefaultQuery, response: { 200: FollowUpDefaultView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return followUpDefaultFor(tdb, principal.userId, request.query.kind);
    },
  );

  app.post(
    '/me/followups/:followUpId/snooze',
    { config: { access: 'crm:write' }, schema: { tags, summary: 'Later: until an instant, or N more of the buyer\'s business days', params: FollowUpParams, body: SnoozeFollowUp, response: { 200: FollowUpView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return snoozeFollowUp(tdb, principal, request.params.followUpId, request.body);
    },
  );

  app.post(
    '/me/followups/:followUpId/done',
    { config: { access: 'crm:write' }, schema: { tags, summary: 'Done: followed up (its task is done too)', params: FollowUpParams, response: { 200: FollowUpView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return completeFollowUp(tdb, principal, request.params.followUpId);
    },
  );

  app.delete(
    '/me/followups/:followUpId',
    { config: { access: 'crm:write' }, schema: { tags, summary: 'Off: no reminder for this mail', params: FollowUpParams, response: { 200: FollowUpView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return cancelFollowUp(tdb, principal, request.params.followUpId);
    },
  );

  app.get(
    '/followups/team',
    { config: { access: 'people:read' }, schema: { tags, summary: "The manager's view: per rep, open and overdue follow-ups and the median time to answer buyers (last `days` days, default 30)", querystring: TeamFollowUpsQuery, response: { 200: TeamFollowUps, ...errorResponses } } },
    async (request) => {
      const { tdb } = caller(request, db);
      return teamFollowUps(tdb, request.query.days ?? 30);
    },
  );

  app.get(
    '/me/inquiries/unanswered',
    { config: { access: 'crm:read' }, schema: { tags, summary: "My buyers' inquiries not answered within the company's business hours (24 by default; packs' policies.inquiries)", response: { 200: UnansweredInquiries, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { inquiries: await unansweredInquiries(tdb, principal, 'mine') };
    },
  );

  app.get(
    '/inquiries/unanswered',
    { config: { access: 'people:read' }, schema: { tags, summary: "The manager's list: every rep's inquiries past the second threshold (48 business hours by default)", response: { 200: UnansweredInquiries, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return { inquiries: await unansweredInquiries(tdb, principal, 'escalated') };
    },
  );

  app.get(
    '/me/followups/:followUpId/draft',
    { config: { access: 'crm:read' }, schema: { tags, summary: "One-click \"follow up\": the reply to the unanswered mail, written with the packs' follow-up template in the buyer's language (409 when no pack has one)", params: FollowUpParams, response: { 200: FollowUpDraft, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return followUpDraft(tdb, principal, request.params.followUpId, { renderer });
    },
  );
};
