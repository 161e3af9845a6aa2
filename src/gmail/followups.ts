import { AppError } from '../server/errors.js';
import { completeFollowUp, createFollowUp, followUpDefaultFor, listFollowUps, snoozeFollowUp, unansweredInquiries } from '../server/services/followups.js';
import { followUpDraft } from '../server/services/followup-draft.js';
import { formatLocalIso } from '../core/clienttime/zones.js';
import { isTemplateKind } from '../core/followup/index.js';
import { button, buttons, decorated, dropdown, notify, openDraft, paragraph, plain, section, updateCard, type AddonResponse, type Section, type Widget } from './cards.js';
import type { AddonContext } from './context.js';
import { draftRecipients, formString, parameter } from './event.js';
import { homeCard } from './home.js';

/**
 * "Remind me if no reply" on the Gmail compose card, and "Follow-ups due" on the home card
 * (docs/followups.md). The compose trigger names only the draft's recipients, so the reminder
 * waits (awaiting-send) until the mailbox sync sees the rep's next mail to them leave.
 */

const DAY_CHOICES = [1, 2, 3, 5, 7, 10, 15];
const DUE_SHOWN = 10;
const SNOOZE_DAYS = 2;

const repClock = (ctx: AddonContext, iso: string) => formatLocalIso(ctx.timeZone, Date.parse(iso)).slice(0, 16).replace('T', ' ');

/** The compose card's section: N of the buyer's business days (default from the template kind's pack setting) or off. */
export async function followUpSection(ctx: AddonContext, kind?: string): Promise<Section> {
  const t = ctx.t;
  const recipients = draftRecipients(ctx.event);
  if (recipients.length === 0) return section([paragraph(plain(t('followUpNoRecipients')))], t('followUpTitle'));
  const known = kind && isTemplateKind(kind) ? kind : undefined;
  const fallback = await followUpDefaultFor(ctx.tdb, ctx.principal.userId, known);
  const days = fallback.days;
  const choices = [...new Set([...DAY_CHOICES, ...(days ? [days] : [])])].sort((a, b) => a - b);
  const widgets: Widget[] = [
    paragraph(plain(t('followUpHint'))),
    dropdown('followup_days', t('followUpChoice'), [{ text: t('followUpOff'), value: 'off', selected: days === null }, ...choices.map((n) => ({ text: t('followUpDays', { count: n }), value: String(n), selected: n === days }))]),
    buttons(button(t('followUpSet'), ctx.target('/followups/remind', { kind: known }))),
  ];
  return section(widgets, t('followUpTitle'));
}

/** The "Remind me" button: stores the reminder against the draft's recipients. */
export async function remindIfNoReply(ctx: AddonContext): Promise<AddonResponse> {
  const t = ctx.t;
  const recipients = draftRecipients(ctx.event);
  if (recipients.length === 0) return notify(t('followUpNoRecipients'));
  const choice = formString(ctx.event, 'followup_days') ?? 'off';
  if (choice === 'off') return notify(t('followUpTurnedOff'));
  const days = Number(choice);
  if (!Number.isInteger(days) || days < 1 || days > 60) return notify(t('error', { message: `followup_days: ${choice.slice(0, 20)}` }));
  const kind = parameter(ctx.event, 'kind');
  try {
    await createFollowUp(ctx.tdb, ctx.principal, { rule: { kind: 'business-days', days }, subject: '', to: recipients.slice(0, 100), ...(kind && isTemplateKind(kind) ? { templateKind: kind } : {}) }, ctx.now);
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return notify(t('error', { message: error.message }));
    throw error;
  }
  return notify(t('followUpSetDone', { when: t('followUpDays', { count: days }), to: recipients[0]! }));
}

/** The home card's "Follow-ups due": the due ones with done / later, and how many still wait. */
export async function followUpsDueSection(ctx: AddonContext): Promise<Section> {
  const t = ctx.t;
  const open = await listFollowUps(ctx.tdb, ctx.principal, 'open');
  const due = open.filter((f) => f.status === 'due');
  const waiting = open.length - due.length;
  const widgets: Widget[] = [];
  if (due.length === 0) widgets.push(paragraph(plain(t('followUpsNoneDue', { count: waiting }))));
  for (const f of due.slice(0, DUE_SHOWN)) {
    const w = decorated(f.recipients.slice(0, 2).join(', '), f.subject || f.recipients[0] || '', t('followUpSince', { date: repClock(ctx, f.sentAt ?? f.createdAt) }));
    w.decoratedText!.button = button(t('followUpDone'), ctx.target('/followups/done', { id: f.id }));
    widgets.push(w, buttons(button(t('followUpNow'), ctx.target('/followups/draft', { id: f.id })), button(t('followUpSnooze'), ctx.target('/followups/snooze', { id: f.id }))));
  }
  return section(widgets, t('followUpsDue'));
}

export async function markFollowUpDone(ctx: AddonContext): Promise<AddonResponse> {
  await completeFollowUp(ctx.tdb, ctx.principal, parameter(ctx.event, 'id') ?? '', ctx.now);
  return updateCard(await homeCard(ctx), ctx.t('followUpMarkedDone'));
}

export async function snoozeFollowUpLater(ctx: AddonContext): Promise<AddonResponse> {
  const moved = await snoozeFollowUp(ctx.tdb, ctx.principal, parameter(ctx.event, 'id') ?? '', { businessDays: SNOOZE_DAYS }, ctx.now);
  return updateCard(await homeCard(ctx), ctx.t('followUpSnoozed', { time: `${repClock(ctx, moved.dueAt!)} (${ctx.timeZone})` }));
}

/** "Follow up": the reply with the pack's follow-up template in the buyer's language, as a draft in the thread, opened. */
export async function followUpNow(ctx: AddonContext): Promise<AddonResponse> {
  const t = ctx.t;
  const create = ctx.services.createFollowUpDraft;
  if (!create) return notify(t('notConfiguredGmailApi'));
  const id = parameter(ctx.event, 'id') ?? '';
  let draft;
  try {
    draft = await followUpDraft(ctx.tdb, ctx.principal, id, { now: ctx.now });
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return notify(t('error', { message: error.message }));
    throw error;
  }
  // Gmail threads the draft by the thread id: the one given at compose, else the sent copy's as the sync stored it.
  const row = await ctx.tdb.selectFrom('followups').select(['thread_id', 'message_key']).where('id', '=', id).executeTakeFirst();
  const sent = row?.message_key ? await ctx.tdb.selectFrom('mail_messages').select('provider_thread_id').where('message_key', '=', row.message_key).where('direction', '=', 'outbound').executeTakeFirst() : undefined;
  const made = await create(ctx, { to: draft.to, subject: draft.subject, html: draft.html, inReplyTo: draft.inReplyTo, threadId: sent?.provider_thread_id ?? row?.thread_id ?? null });
  if ('noAccess' in made) return notify(t('followUpNeedsGoogle'));
  return openDraft(made, t('followUpDraftMade', { to: draft.to[0] ?? '' }));
}

const INQUIRIES_SHOWN = 10;

/** The inquiry reply rule on the home card: my buyers' inquiries past the company's business hours; no section when none. */
export async function inquiriesWaitingSection(ctx: AddonContext): Promise<Section | null> {
  const t = ctx.t;
  const inquiries = await unansweredInquiries(ctx.tdb, ctx.principal, 'mine', ctx.now);
  if (inquiries.length === 0) return null;
  const widgets: Widget[] = inquiries
    .slice(0, INQUIRIES_SHOWN)
    .map((i) => decorated(i.from ?? '', i.subject || i.from || '', `${t('inquirySince', { date: repClock(ctx, i.receivedAt), hours: i.businessHoursWaiting })}${i.escalated ? ` · ${t('inquiryEscalated')}` : ''}`));
  if (inquiries.length > INQUIRIES_SHOWN) widgets.push(paragraph(plain(t('inquiriesMore', { count: inquiries.length - INQUIRIES_SHOWN }))));
  return section(widgets, t('inquiriesWaiting'));
}
