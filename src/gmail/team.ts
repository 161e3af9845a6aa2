import { formatLocalIso } from '../core/clienttime/zones.js';
import { AppError } from '../server/errors.js';
import { addNote, assignConversation, changeState, claimConversation, inboxRow, lookupTeamConversation, membersOf, touchPresence } from '../server/services/team-inbox.js';
import { handOffPreview } from '../server/services/team-handoff.js';
import { audit } from '../server/services/audit.js';
import { textToHtml } from '../core/teaminbox/index.js';
import type { StateAction, TeamConversationView } from '../contract/team-inbox.js';
import { addressesOf } from '../server/google/gmail-api.js';
import { button, buttons, decorated, divider, dropdown, notify, openDraft, paragraph, plain, section, textInput, type AddonResponse, type Section, type Widget } from './cards.js';
import type { AddonContext, OpenMessage } from './context.js';
import { formString, parameter } from './event.js';
import { uiLanguageOfLang, type Translate } from './i18n.js';

/**
 * The team inbox on the Gmail message card (docs/team-inbox.md, "The faces"): when the open mail
 * belongs to a team conversation the rep works (the role mailbox's mail, delivered to the rep or
 * opened in the delegated info@ mailbox), found by its Message-ID, Gmail thread or subject and
 * sender: the state, who has it, "I'll take it", the response clock with the buyer's local time,
 * who else is on it, and the internal notes with a box to add one; assign to a colleague, close /
 * reopen / wait on the buyer, and the hand-off as a reply draft in the rep's own Gmail. The rules
 * are the store's (services/team-inbox.ts, team-handoff.ts); this only draws and asks.
 */

const NOTES_SHOWN = 10;

const hm = (minutes: number, t: Translate) => {
  const h = Math.floor(minutes / 60);
  return h ? t('teamHoursMinutes', { h, m: minutes % 60 }) : t('teamMinutes', { m: minutes });
};
/** "Mon 03 Dec 14:00" in a zone, from the instant (the card has no Intl for the rep's locale). */
const at = (iso: string, zone: string) => formatLocalIso(zone, Date.parse(iso)).slice(0, 16).replace('T', ' ');

/** A colleague the conversation can be given to (the inbox's members). */
export interface Member {
  id: string;
  name: string;
  email: string;
}

/** The state buttons a conversation offers: close while open, reopen once closed, "waiting on the buyer" after an answer. */
const STATE_ACTIONS: Record<TeamConversationView['state'], StateAction[]> = { new: ['close'], assigned: ['close'], answered: ['wait', 'close'], waiting: ['close'], closed: ['reopen'] };

export function teamWidgets(view: TeamConversationView, ctx: AddonContext, members: Member[] = []): Widget[] {
  const t = ctx.t;
  const zone = ctx.timeZone;
  // decorated() neutralises its texts itself: raw strings go in; paragraphs get plain() text.
  const widgets: Widget[] = [];
  const tags = view.tags.length ? ` · ${view.tags.join(', ')}` : '';
  widgets.push(decorated(t('teamState'), `${t(`teamState.${view.state}`)}${tags}`, view.assignee ? t('teamAssignee', { name: view.assignee.name || view.assignee.email }) : t('teamUnassigned')));
  const left = view.clock.businessMinutesLeft;
  const clock =
    view.clock.phase === 'stopped' ? t(view.state === 'closed' && !view.firstResponseAt ? 'teamClockClosed' : 'teamClockStopped') : left !== null && left < 0 ? `⚠ ${t('teamClockOverdue', { time: hm(-left, t) })}` : `${view.clock.phase === 'warning' ? '⚠ ' : ''}${t('teamClockLeft', { time: hm(left ?? 0, t) })}`;
  widgets.push(decorated(t('teamClock'), clock, view.clock.dueAt && view.clock.phase !== 'stopped' ? t('teamDue', { when: at(view.clock.dueAt, zone), zone }) : undefined));
  if (view.buyerTime) widgets.push(decorated(t('teamBuyerTime'), `${view.buyerTime.localTime.slice(11, 16)} (${view.buyerTime.timeZone})`));
  for (const p of view.presence) widgets.push(paragraph(`<font color="#8a5300">${plain(t(p.activity === 'replying' ? 'teamReplying' : 'teamViewing', { name: p.user.name || p.user.email }))}</font>`));
  const target = (path: string, extra: Record<string, string> = {}) => ctx.target(path, { conversation: view.id, ...extra });
  widgets.push(buttons(
    ...(view.state === 'new' && !view.assignee ? [button(t('teamClaim'), target('/message/team/claim'))] : []),
    ...(view.state !== 'closed' ? [button(t('teamHandOff'), target('/message/team/hand-off'))] : []),
    ...STATE_ACTIONS[view.state].map((action) => button(t(`teamAction.${action}`), target('/message/team/state', { action }))),
  ));
  if (view.state !== 'closed' && members.length) {
    // Back to the queue is the first choice; the current assignee is preselected.
    const items = [{ text: t('teamNobody'), value: '', selected: !view.assignee }, ...members.map((m) => ({ text: m.name ? `${m.name} (${m.email})` : m.email, value: m.email, selected: m.id === view.assignee?.id }))];
    widgets.push(dropdown('teamAssignee', t('teamAssignTo'), items), buttons(button(t('teamAssign'), target('/message/team/assign'))));
  }
  widgets.push(divider());
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
  const members = (await membersOf(ctx.tdb, await inboxRow(ctx.tdb, found.conversation.inbox.id))).map((m) => ({ id: m.id, name: m.name, email: m.email }));
  return section(teamWidgets(found.conversation, ctx, members), ctx.t('teamTitle', { inbox: found.conversation.inbox.address }));
}

const conversationOf = (ctx: AddonContext) => {
  const id = parameter(ctx.event, 'conversation');
  if (!id || id.length > 64) throw new AppError(400, 'bad_request', 'parameters.conversation: missing', [{ path: 'parameters.conversation', message: 'missing' }]);
  return id;
};

/** The redrawn card with a notification on top. */
const withNotice = (response: AddonResponse, text: string): AddonResponse => ({ ...response, renderActions: { ...response.renderActions, action: { ...response.renderActions?.action, notification: { text } } } });

/** "I'll take it" from the card; another rep first → their name in the notification. */
export async function claimFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  try {
    await claimConversation(ctx.tdb, ctx.principal, conversationOf(ctx), ctx.now);
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return notify(ctx.t('teamTaken', { message: error.message }));
    throw error;
  }
  return withNotice(await redraw(), ctx.t('teamClaimed'));
}

/** An internal note from the card (never sent to the buyer). */
export async function noteFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  const body = (formString(ctx.event, 'teamNote') ?? '').trim();
  if (!body) return notify(ctx.t('teamNoteEmpty'));
  if (body.length > 10_000) return notify(ctx.t('teamNoteTooLong'));
  await addNote(ctx.tdb, ctx.principal, conversationOf(ctx), body, ctx.now);
  return withNotice(await redraw(), ctx.t('teamNoteSaved'));
}

/** Gives the conversation to the colleague picked in the card, or back to the queue ("nobody"). */
export async function assignFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  const picked = (formString(ctx.event, 'teamAssignee') ?? '').trim();
  if (picked.length > 254) return notify(ctx.t('teamNotMember'));
  let assignee;
  try {
    assignee = (await assignConversation(ctx.tdb, ctx.principal, conversationOf(ctx), picked || null, ctx.now)).assignee;
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return notify(ctx.t('teamNotMember'));
    if (error instanceof AppError && error.status === 409) return notify(ctx.t('teamStateRefused'));
    throw error;
  }
  return withNotice(await redraw(), assignee ? ctx.t('teamAssigned', { name: assignee.name || assignee.email }) : ctx.t('teamReleased'));
}

/** Close, reopen, or "waiting on the buyer" from the card (the store's state machine decides). */
export async function stateFromCard(ctx: AddonContext, redraw: () => Promise<AddonResponse>): Promise<AddonResponse> {
  const action = parameter(ctx.event, 'action');
  if (action !== 'close' && action !== 'reopen' && action !== 'wait') throw new AppError(400, 'bad_request', 'parameters.action: close, reopen or wait', [{ path: 'parameters.action', message: 'close, reopen or wait' }]);
  try {
    await changeState(ctx.tdb, ctx.principal, conversationOf(ctx), action, ctx.now);
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return notify(ctx.t('teamStateRefused'));
    throw error;
  }
  return withNotice(await redraw(), ctx.t(`teamDone.${action}`));
}

/**
 * The hand-off from the card: the store's hand-off (the template of the inbox in the buyer's
 * language, the thread's In-Reply-To/References, whose buyer it is — what /inbox shows) becomes a
 * reply draft in the rep's **own** Gmail, opened for them to read, edit and send from their own
 * address. Gmail threads it: in the open message's thread when that thread is the rep's, else
 * (the mail opened from a mailbox that is not the rep's: Gmail answers 404 for the thread) as a
 * new draft that still carries In-Reply-To and References. Another rep's buyer → not drafted,
 * the owner named (taking a buyer over is agreed in /inbox). Audited; the rep shows as replying.
 */
export async function handOffFromCard(ctx: AddonContext, read: () => Promise<OpenMessage>): Promise<AddonResponse> {
  const create = ctx.services.createReplyDraft;
  if (!create) return notify(ctx.t('notConfiguredGmailApi'));
  const id = conversationOf(ctx);
  let preview;
  try {
    preview = await handOffPreview(ctx.tdb, ctx.principal, id, ctx.now);
  } catch (error) {
    if (error instanceof AppError && error.code === 'no_hand_off_template') return notify(ctx.t('teamNoHandOffTemplate'));
    throw error;
  }
  const { ownership } = preview;
  if (ownership.ownedByOther && ownership.owner) return notify(ctx.t('teamOwnedByOther', { owner: ownership.owner.name || ownership.owner.email, email: ownership.owner.email, company: ownership.company?.name ?? preview.to }));
  // A second click opens the draft the first one made, while it is still a draft: one hand-off, not one per click.
  const earlier = await earlierHandOffDraft(ctx, id);
  if (earlier) {
    await touchPresence(ctx.tdb, ctx.principal, id, 'replying', ctx.now);
    return openDraft(earlier, ctx.t('teamHandOffReopened'));
  }
  const message = await read();
  const reply = { to: preview.to, subject: preview.subject, html: textToHtml(preview.text), inReplyTo: preview.inReplyTo ?? message.internetMessageId, references: preview.references.join(' ') || message.internetMessageId, threadId: message.threadId };
  let draft;
  try {
    draft = await create(ctx.event, reply);
  } catch (error) {
    if (!(error instanceof AppError && error.status === 404 && reply.threadId)) throw error;
    draft = await create(ctx.event, { ...reply, threadId: '' });
  }
  await touchPresence(ctx.tdb, ctx.principal, id, 'replying', ctx.now);
  await audit(ctx.tdb, ctx.principal, 'team-conversation.hand-off-draft', { type: 'conversation', id }, { to: preview.to, language: preview.language, draftId: draft.draftId });
  return openDraft(draft, ctx.t('teamHandOffDrafted', { language: new Intl.DisplayNames([uiLanguageOfLang(ctx.lang)], { type: 'language' }).of(preview.language) ?? preview.language }));
}

/** The hand-off draft this rep made last for the conversation (its audit entry), if Gmail still has it as a draft. */
async function earlierHandOffDraft(ctx: AddonContext, conversationId: string): Promise<{ draftId: string; threadId: string } | null> {
  const find = ctx.services.findDraft;
  if (!find) return null;
  const last = await ctx.tdb
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'team-conversation.hand-off-draft')
    .where('target_id', '=', conversationId)
    .where('actor_id', '=', ctx.principal.userId)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const draftId = last ? (JSON.parse(last.details) as { draftId?: unknown }).draftId : undefined;
  return typeof draftId === 'string' && draftId ? find(ctx.event, draftId) : null;
}
