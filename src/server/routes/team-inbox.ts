import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { errorResponses, NoBody } from '../../contract/common.js';
import { MailboxParams } from '../../contract/mailboxes.js';
import { HandOffInput, HandOffPreview, HandOffResult, OwnershipQuery, OwnershipView } from '../../contract/team-inbox.js';
import { handOffPreview, ownedByOther, ownershipOf, sendHandOff } from '../services/team-handoff.js';
import type { AdapterFactory } from '../mail/sync.js';
import type { SecretBox } from '../secrets.js';
import { AppError } from '../errors.js';
import { renderInline, type Renderer } from '../render/render-task.js';
import { AssignInput, FiguresQuery, NoteInput, PresenceInput, PresenceList, StateInput, TeamConversationList, TeamConversationParams, TeamConversationSummary, TeamConversationView, TeamFiguresView, TeamInboxInput, TeamInboxList, TeamInboxParams, TeamInboxView, TeamListQuery, TeamNoteView, FiguresCsv, TeamItemKeys, TeamLookupView, TeamSendCheckView, TeamMemberList } from '../../contract/team-inbox.js';
import { figuresCsv } from '../services/team-figures-csv.js';
import { teamTemplateChoices } from '../services/team-mail.js';
import { TeamTemplateChoices } from '../../contract/team-inbox.js';
import { teamFigures, addNote, assignConversation, changeState, claimConversation, configureTeamInbox, listTeamConversations, listTeamInboxes, openTeamConversation, removeTeamInbox, touchPresence, lookupTeamConversation, teamSendCheck, inboxMembers } from '../services/team-inbox.js';

const tags = ['team inbox'];

/** The team inbox: admins mark mailboxes as team inboxes; members work the queue with their own sign-in. */
export interface TeamInboxRouteOptions {
  db: Kysely<Database>;
  now?: (() => Date) | undefined;
  /** The hand-off sends through a mailbox's adapter (without them it answers 503). */
  adapterFor?: AdapterFactory | undefined;
  box?: SecretBox | undefined;
  renderer?: Renderer | undefined;
}

export const teamInboxRoutes: FastifyPluginAsyncTypebox<TeamInboxRouteOptions> = async (app, { db, now = () => new Date(), adapterFor, box, renderer = renderInline }) => {
  app.put(
    '/mailboxes/:mailboxId/team-inbox',
    { config: { access: 'people:write' }, schema: { tags, summary: 'Run a connected mailbox as a team inbox: member groups, manager, first-response target in business hours, calendar', params: MailboxParams, body: TeamInboxInput, response: { 200: TeamInboxView, ...errorResponses } } },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return configureTeamInbox(tdb, principal, request.params.mailboxId, request.body, now());
    },
  );

  app.get('/team-inboxes/templates', { config: { access: 'people:write' }, schema: { tags, summary: 'The templates a team inbox can acknowledge or hand off with: every template of a published pack, with its title and languages (the console\'s pickers)', response: { 200: TeamTemplateChoices, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { templates: await teamTemplateChoices(tdb) };
  });

  app.get('/team-inboxes', { config: { access: 'crm:read' }, schema: { tags, summary: 'The team inboxes the caller works (all of them for an admin)', response: { 200: TeamInboxList, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return { inboxes: await listTeamInboxes(tdb, principal) };
  });

  app.delete('/team-inboxes/:inboxId', { config: { access: 'people:write' }, schema: { tags, summary: 'Stop running the mailbox as a team inbox (its conversations stay)', params: TeamInboxParams, response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    await removeTeamInbox(tdb, principal, request.params.inboxId);
    return sendNoBody(reply, 204);
  });

  app.get('/team-inboxes/:inboxId/figures', { config: { access: 'crm:read' }, schema: { tags, summary: 'For the manager: first-response p50/p90 per rep in business minutes, breaches, load and the queue now (default the last 28 days)', params: TeamInboxParams, querystring: FiguresQuery, response: { 200: TeamFiguresView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return teamFigures(tdb, principal, request.params.inboxId, request.query, now());
  });

  app.get('/team-inboxes/:inboxId/figures.csv', { config: { access: 'crm:read' }, schema: { tags, summary: 'The manager\'s figures as CSV: a row per rep, region and week (first responses, p50/p90 in business minutes, after target, open now); lang=en|zh-CN', params: TeamInboxParams, querystring: FiguresQuery, response: { 200: FiguresCsv, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    const figures = await teamFigures(tdb, principal, request.params.inboxId, request.query, now());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="team-inbox-${figures.since.slice(0, 10)}-${figures.until.slice(0, 10)}.csv"`)
      .send(figuresCsv(figures, request.query.lang));
  });

  app.get('/team-conversations', { config: { access: 'crm:read' }, schema: { tags, summary: 'A page of a list of the queue: unassigned, mine, overdue, waiting, open (default), closed; `nextCursor` asks for the next page', querystring: TeamListQuery, response: { 200: TeamConversationList, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return listTeamConversations(tdb, principal, request.query, now());
  });

  app.get('/team-conversations/:conversationId', { config: { access: 'crm:read' }, schema: { tags, summary: 'One conversation with its messages (kept bodies as text), notes, who else is on it, the clock and the buyer\'s time (audited)', params: TeamConversationParams, response: { 200: TeamConversationView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return openTeamConversation(tdb, principal, request.params.conversationId, now());
  });

  app.post('/team-conversations/:conversationId/claim', { config: { access: 'crm:write' }, schema: { tags, summary: '"I\'ll take it": 409 taken, naming who has it, when another rep was first', params: TeamConversationParams, response: { 200: TeamConversationSummary, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return claimConversation(tdb, principal, request.params.conversationId, now());
  });

  app.post('/team-conversations/:conversationId/assign', { config: { access: 'crm:write' }, schema: { tags, summary: 'Hand to a member (e-mail or id) or back to the queue (null)', params: TeamConversationParams, body: AssignInput, response: { 200: TeamConversationSummary, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return assignConversation(tdb, principal, request.params.conversationId, request.body.assignee, now());
  });

  app.post('/team-conversations/:conversationId/state', { config: { access: 'crm:write' }, schema: { tags, summary: 'close, reopen, or wait (on the buyer)', params: TeamConversationParams, body: StateInput, response: { 200: TeamConversationSummary, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return changeState(tdb, principal, request.params.conversationId, request.body.action, now());
  });

  app.post('/team-conversations/:conversationId/notes', { config: { access: 'crm:write' }, schema: { tags, summary: 'An internal note with @mentions (never sent to the buyer)', params: TeamConversationParams, body: NoteInput, response: { 201: TeamNoteView, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    return reply.status(201).send(await addNote(tdb, principal, request.params.conversationId, request.body.body, now()));
  });

  app.post('/team-conversations/:conversationId/presence', { config: { access: 'crm:read' }, schema: { tags, summary: 'I am viewing / replying (refresh every ~10 s); answers who else is, seen within 30 s', params: TeamConversationParams, body: PresenceInput, response: { 200: PresenceList, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return { presence: await touchPresence(tdb, principal, request.params.conversationId, request.body.activity, now()) };
  });

  // The hand-off (services/team-handoff.ts) and buyer ownership.
  app.get('/team-conversations/:conversationId/hand-off', { config: { access: 'crm:read' }, schema: { tags, summary: 'The hand-off as it would be sent: from which address and how, the text in the buyer\'s language, whose buyer it is', params: TeamConversationParams, response: { 200: HandOffPreview, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return handOffPreview(tdb, principal, request.params.conversationId, now(), renderer);
  });

  app.post('/team-conversations/:conversationId/hand-off', { config: { access: 'crm:write' }, schema: { tags, summary: 'Send the reviewed hand-off from the rep\'s own mailbox (or as the role address); 409 owned_by_other unless takeOver', params: TeamConversationParams, body: HandOffInput, response: { 200: HandOffResult, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    if (!adapterFor) throw new AppError(503, 'no_mail', 'this store cannot send mail');
    return sendHandOff(tdb, principal, request.params.conversationId, request.body, { adapterFor, box }, now());
  });

  app.get('/team-ownership', { config: { access: 'crm:read' }, schema: { tags, summary: 'Whose buyer this is: the owner of the buyer\'s company, and whether it is another rep (the on-send warning)', querystring: OwnershipQuery, response: { 200: OwnershipView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return ownershipOf(tdb, principal.userId, request.query.buyer);
  });

  app.post('/team-conversations/lookup', { config: { access: 'crm:read' }, schema: { tags, summary: 'The team conversation of the item a mail client has open (Message-ID, thread, or subject and the buyer\'s address), opened and audited; null when it is none the caller works', body: TeamItemKeys, response: { 200: TeamLookupView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return lookupTeamConversation(tdb, principal, request.body, now());
  });

  app.post('/team-conversations/send-check', { config: { access: 'crm:read' }, schema: { tags, summary: 'Before a mail leaves: a colleague\'s answer the sync saw after the caller last opened the conversation, and the first recipient who is another rep\'s buyer (Outlook\'s on-send check)', body: TeamItemKeys, response: { 200: TeamSendCheckView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    // One round trip for the on-send handler: the colleague's answer and whose buyer the recipients are.
    const { collision } = await teamSendCheck(tdb, principal, request.body);
    return { collision, ownership: await ownedByOther(tdb, principal.userId, request.body.addresses ?? []) };
  });

  app.get('/team-inboxes/:inboxId/members', { config: { access: 'crm:read' }, schema: { tags, summary: 'Who works the inbox (the faces\' "assign to" picker), by e-mail', params: TeamInboxParams, response: { 200: TeamMemberList, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return inboxMembers(tdb, principal, request.params.inboxId);
  });
};
