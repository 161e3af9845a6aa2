import type { Actor } from '../auth/principal.js';
import type { FollowUpRow } from '../db/tables.js';
import type { TenantDb } from '../db/tenant-db.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { Renderer } from '../render/render-task.js';
import { formatLocalIso } from '../../core/clienttime/zones.js';
import { followUpFields, followUpTemplateOf, replySubjectOf } from '../../core/followup/index.js';
import { matchLanguage } from '../../core/template/index.js';
import type { FollowUpDraft } from '../../contract/followups.js';
import { publishedPacks } from './packs.js';
import { renderForRep } from './render.js';

/**
 * The one-click "follow up" (docs/followups.md): a reply to the unanswered mail written with the
 * first `follow-up` template in the rep's packs, in the buyer's language. The language is the one
 * the rep chose for the unanswered mail when the template has it; otherwise the compose chain
 * (core/compose/language.ts) with the buyer's own last words in the conversation, their contact
 * and company records, and their address.
 */


export async function followUpRowOf(tdb: TenantDb, userId: string, id: string): Promise<FollowUpRow> {
  const row = await tdb.selectFrom('followups').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('follow-up');
  return row;
}

export async function followUpDraft(tdb: TenantDb, actor: Actor, id: string, options: { now?: Date; renderer?: Renderer } = {}): Promise<FollowUpDraft> {
  if (!actor.userId) throw badRequest('follow-ups belong to a user');
  return draftFor(tdb, await followUpRowOf(tdb, actor.userId, id), options);
}

export async function draftFor(tdb: TenantDb, row: FollowUpRow, options: { now?: Date; renderer?: Renderer } = {}): Promise<FollowUpDraft> {
  // Only a mail that has left can be followed up; once it has, any status may (done, replied, off: the rep decides).
  if (!row.sent_at) throw new AppError(409, 'not_sent', 'the mail this reminder is for has not been seen leaving yet, so there is nothing to reply to');
  const found = followUpTemplateOf(await publishedPacks(tdb, row.user_id));
  if (!found) throw new AppError(409, 'no_follow_up_template', 'none of your packs has a template of kind "follow-up"; ask your admin to add one (docs/followups.md)');
  const recipients = JSON.parse(row.recipients) as string[];
  const to = recipients[0];
  if (!to) throw new AppError(409, 'no_recipient', 'this follow-up has no recipient');

  const repZone = row.rep_time_zone ?? (await tdb.selectFrom('users').select('time_zone').where('id', '=', row.user_id).executeTakeFirst())?.time_zone ?? 'UTC';
  const sentOn = row.sent_at ? formatLocalIso(repZone, Date.parse(row.sent_at)).slice(0, 10) : null;
  // The buyer's own last person-written words in the conversation say which language they read.
  const buyerLast = row.conversation_id
    ? await tdb.selectFrom('mail_messages').select('excerpt').where('conversation_id', '=', row.conversation_id).where('direction', '=', 'inbound').where('auto_verdict', '=', 'none').orderBy('received_at', 'desc').limit(1).executeTakeFirst()
    : undefined;
  const picked = row.language ? matchLanguage(row.language, Object.keys(found.template.variants)) : undefined;

  const rendered = await renderForRep(
    tdb,
    row.user_id,
    {
      pack: found.pack,
      template: found.template.id,
      language: picked,
      inbound: buyerLast?.excerpt || undefined,
      to,
      fields: followUpFields(found.template, { sentOn, kind: row.template_kind, subject: row.subject }),
      now: options.now,
    },
    options.renderer,
  );
  return {
    followUpId: row.id,
    to: recipients,
    // A reply keeps the thread's subject; a reminder stored without one (Gmail compose) takes the template's.
    subject: row.subject.trim() ? replySubjectOf(row.subject) : rendered.subject,
    html: rendered.html,
    text: rendered.text,
    language: rendered.language,
    reason: rendered.reason,
    inReplyTo: row.message_key ? `<${row.message_key}>` : null,
    conversationId: row.conversation_id,
    template: { pack: found.pack, id: found.template.id },
  };
}
