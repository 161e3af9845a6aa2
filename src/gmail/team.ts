import { formatLocalIso } from '../core/clienttime/zones.js';
import { AppError } from '../server/errors.js';
import { addNote, claimConversation, lookupTeamConversation } from '../server/services/team-inbox.js';
import type { TeamConversationView } from '../contract/team-inbox.js';
import { addressesOf } from '../server/google/gmail-api.js';
import { button, buttons, decorated, notify, paragraph, plain, section, textInput, type AddonResponse, type Section, type Widget } from './cards.js';
import type { AddonContext, OpenMessage } from './context.js';
import { formString, parameter } from './event.js';
import type { Translate } from './i18n.js';

/**
 * The team inbox on the Gmail message card (docs/team-inbox.md, "The faces"): when the open mail
 * belongs to a team conversation the rep works (the role mailbox's mail, delivered to the rep or
 * opened in the delegated info@ mailbox), found by its Message-ID, Gmail thread or subject and
 * sender: the state, who has it, "I'll take it", the response clock with the buyer's local time,
 * who else is on it, and the internal notes with a box to add one. The rules are the store's
 * (services/team-inbox.ts); this only draws.
 */

const NOTES_SHOWN = 10;

const hm = (minutes: number, t: Translate) => {
  const h = Math.floor(minutes / 60);
  return h ? t('teamHoursMinutes', { h, m: minutes % 60 }) : t('teamMinutes', { m: minutes });
};
/** "Mon 03 Dec 14:00" in a zone, from the instant (the card has no Intl for the rep's locale). */
const at = (iso: string, zone: string) => formatLocalIso(zone, Date.parse(iso)).slice(0, 16).replace('T', ' ');

export function teamWidgets(view: TeamConversationView, ctx: AddonContext): Widget[] {
  const t = ctx.t;
  const zone = ctx.timeZone;
  // decorated() neutralises its texts itself: raw strings go in; paragraphs get plain() text.
  const widgets: Widget[] = [];
  const tags = view.tags.length ? ` · ${view.tags.join(', ')}` : '';
  widgets.push(decorated(t('teamState'), `${t(`teamState.${view.state}`)}${tags}`, view.assignee ? t('teamAssignee', { name: view.assignee.name || view.assignee.email }) : t('teamUnassigned')));
  const left = view.clock.businessMinutesLeft;
  const clock =
    view.clock.phase === 'stopped' ? t('teamClockStopped') : left !== null && left < 0 ? `⚠ ${t('teamClockOverdue', { time: hm(-left, t) })}` : `${view.clock.phase === 'warning' ? '⚠ ' : ''}${t('teamClockLeft', { time: hm(left ?? 0, t) })}`;
  widgets.push(decorated(t('teamClock'), clock, view.clock.dueAt && view.clock.phase !== 'stopped' ? t('teamDue', { when: at(view.clock.dueAt, zone), zone }) : undefined));
  if (view.buyerTime) widgets.push(decorated(t('teamBuyerTime'), `${view.buyerTime.localTime.slice(11, 16)} (${view.buyerTime.timeZone})`));
  for (const p of view.presence) widgets.push(paragraph(`<font color="#8a5300">${plain(t(p.activity === 'replying' ? 'teamReplying' : 'teamViewing', { name: p.user.name || p.user.email }))}</font>`));
  if (view.state === 'new' && !view.assignee) widgets.push(buttons(button(t('teamClaim'), ctx.target('/message/team/claim', { conversation: view.id }))));
  widgets.push(paragraph(`<b>${plain(t('teamNotes'))}</b>`));
  if (!view.notes.length) widgets.push(paragraph(plain(t('teamNoNotes'))));
  for (const n of view.notes.slice(-NOTES_SHOWN)) widgets.push(decorated(`${n.author} · ${at(n.createdAt, zone)}`, n.body.slice(0, 1000)));
  widgets.push(textInput('teamNote', t('teamAddNote'), { hint: t('teamNoteHint'), multiline: true }), buttons(button(t('teamSaveNote'), ctx.target('/message/team/note', { conversation: view.id }))));
  return widgets;
}

/** The card's team section, or null for mail of no team conversation the rep works. */
export async function teamSection(ctx: AddonContext, message: OpenMessage): Promise<Section | null> {
  const found = await lookupTeamConversation(ctx.tdb, ctx.principal, {
    ...(message.internetMessageId ? { internetMessageId: message.internetMessageId.slice(0, 998) } : {}),
    ...(message.threadId ? { threadId: message.threadId.slice(0, 500) } : {}),
    ...(message.subject ? { subject: message.subject.slice(0, 1000) } : {}),
    addresses: addressesOf(message.from).slice(0, 1),
  }, ctx.now);
  if (!found.conversation) return null;
  return section(teamWidgets(found.conversation, ctx), ctx.t('teamTitle', { inbox: found.conversation.inbox.address }));
}

const conversationOf = (ctx: AddonContext) => {
  const id = parameter(ctx.event, 'conversation');
  if (!id || id.length > 64) throw new AppError(400, 'bad_request', 'parameters.conversation: missing', [{ path: 'parameters.conversation', message: 'missing' }]);
  return id;
};

/** "I'll take it" from the card; another rep first → their name in the notification. */
export async function claimFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  try {
    await claimConversation(ctx.tdb, ctx.principal, conversationOf(ctx), ctx.now);
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return notify(ctx.t('teamTaken', { message: error.message }));
    throw error;
  }
  const response = await redraw();
  return { ...response, renderActions: { ...response.renderActions, action: { ...response.renderActions?.action, notification: { text: ctx.t('teamClaimed') } } } };
}

/** An internal note from the card (never sent to the buyer). */
export async function noteFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  const body = (formString(ctx.event, 'teamNote') ?? '').trim();
  if (!body) return notify(ctx.t('teamNoteEmpty'));
  if (body.length > 10_000) return notify(ctx.t('teamNoteTooLong'));
  await addNote(ctx.tdb, ctx.principal, conversationOf(ctx), body, ctx.now);
  const response = await redraw();
  return { ...response, renderActions: { ...response.renderActions, action: { ...response.renderActions?.action, notification: { text: ctx.t('teamNoteSaved') } } } };
}
