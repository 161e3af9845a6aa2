import { formatLocalIso } from '../core/clienttime/zones.js';
import { AppError } from '../server/errors.js';
import { button, buttons, card, datePicker, decorated, notify, paragraph, plain, pushCard, section, updateCard, type AddonResponse, type Button, type Card, type Widget } from './cards.js';
import type { AddonContext } from './context.js';
import { formInstant, parameter } from './event.js';
import type { StringKey, Translate } from './i18n.js';
import { paymentCard } from './payment.js';

/**
 * Scheduling from Gmail. Gmail's API has no scheduled send, so the store queues the draft
 * (services/scheduled-sends.ts) and its worker sends it at the time. Without offline Google
 * credentials the card still helps: it gives the exact time in the rep's own zone to type into
 * Gmail's own Schedule send — and, where the rep may grant the store access themselves, a
 * "Connect your Google account" button (routes/google-connect.ts).
 */

/** "2026-11-29 09:00" in the rep's zone: what Gmail's "Pick date & time" dialog wants. */
export const repClock = (ctx: AddonContext, instantMs: number) => formatLocalIso(ctx.timeZone, instantMs).slice(0, 16).replace('T', ' ');

function chosenInstant(ctx: AddonContext): number {
  const at = parameter(ctx.event, 'at');
  const ms = at ? Date.parse(at) : formInstant(ctx.event, 'sendAt');
  if (ms === undefined || Number.isNaN(ms)) throw new AppError(400, 'bad_request', 'at: the time to send is missing or not an ISO-8601 instant');
  return ms;
}

/**
 * Opens Google's consent page over Gmail (OVERLAY: the card waits) and reloads the card when the
 * rep closes it, so a rep who just connected sees scheduling available.
 */
export function connectButton(ctx: AddonContext, url: string): Button {
  return { text: plain(ctx.t('connectGoogle'), 80), onClick: { openLink: { url, openAs: 'OVERLAY', onClose: 'RELOAD' } } };
}

/** The consent URL when this rep can connect their Google account now; null otherwise. */
export async function connectUrl(ctx: AddonContext): Promise<string | null> {
  return ctx.services.googleConnect ? ctx.services.googleConnect.connectUrl(ctx) : null;
}

async function manualCard(ctx: AddonContext, ms: number): Promise<Card> {
  const vars = { time: repClock(ctx, ms), zone: ctx.timeZone };
  const url = await connectUrl(ctx);
  const widgets: Widget[] = [paragraph(plain(ctx.t(url ? 'scheduleManualConnect' : 'scheduleManual', vars)))];
  if (url) widgets.push(buttons(connectButton(ctx, url)));
  return card(ctx.t('schedule'), [section(widgets)]);
}

export async function scheduleDraft(ctx: AddonContext): Promise<AddonResponse> {
  const ms = chosenInstant(ctx);
  const port = ctx.services.scheduling;
  if (!port) return pushCard(await manualCard(ctx, ms));
  const result = await port.schedule(ctx, new Date(ms));
  if ('noAccess' in result) return pushCard(await manualCard(ctx, ms));
  if ('draftNotFound' in result) return notify(ctx.t('draftNotFound'));
  if ('paymentBlocked' in result) return { renderActions: { action: { navigations: [{ pushCard: paymentCard(ctx, result.paymentBlocked) }], notification: { text: ctx.t('payScheduleBlocked') } } } };
  const warned = result.payment ? ` ${ctx.t('pay.warned')}` : '';
  const scheduled = ctx.t('scheduled', { time: `${repClock(ctx, Date.parse(result.sendAt))} (${ctx.timeZone})` }) + warned;
  const list = await scheduledCard(ctx);
  return { renderActions: { action: { navigations: [{ pushCard: list }], notification: { text: scheduled } } } };
}

const STATUS_KEYS: Record<string, StringKey> = {
  pending: 'sendStatus.pending',
  sending: 'sendStatus.sending',
  sent: 'sendStatus.sent',
  failed: 'sendStatus.failed',
  cancelled: 'sendStatus.cancelled',
  gone: 'sendStatus.gone',
};
const statusWord = (t: Translate, status: string) => (STATUS_KEYS[status] ? t(STATUS_KEYS[status]) : status);

export async function scheduledCard(ctx: AddonContext): Promise<Card> {
  const t = ctx.t;
  const port = ctx.services.scheduling;
  if (!port) return card(t('scheduledList'), [section([paragraph(plain(t('schedulingOff')))])]);
  const items = await port.list(ctx);
  if (items.length === 0) return card(t('scheduledList'), [section([paragraph(plain(t('homeNothingScheduled')))])]);
  const sections = items.map((item) => {
    const widgets: Widget[] = [decorated(statusWord(t, item.status), item.subject || t('noSubject'), `${item.to.join(', ')} · ${repClock(ctx, Date.parse(item.sendAt))} (${ctx.timeZone})`)];
    if (item.reason) widgets.push(paragraph(plain(item.reason)));
    if (item.status === 'pending') {
      widgets.push(datePicker(`at_${item.id}`, t('newTime'), 'DATE_AND_TIME', Date.parse(item.sendAt), Math.round(offsetMinutes(ctx, Date.parse(item.sendAt)))));
      widgets.push(buttons(button(t('reschedule'), ctx.target('/scheduled/reschedule', { id: item.id })), button(t('cancel'), ctx.target('/scheduled/cancel', { id: item.id }))));
    }
    return section(widgets);
  });
  return card(t('scheduledList'), sections);
}

/** The rep zone's UTC offset at an instant, for the picker to show their wall clock. */
function offsetMinutes(ctx: AddonContext, ms: number): number {
  const local = formatLocalIso(ctx.timeZone, ms);
  const m = /([+-])(\d{2}):(\d{2})$/.exec(local);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function itemId(ctx: AddonContext): string {
  const id = parameter(ctx.event, 'id');
  if (!id) throw new AppError(400, 'bad_request', 'id: which scheduled send is missing');
  return id;
}

export async function rescheduleItem(ctx: AddonContext): Promise<AddonResponse> {
  const port = ctx.services.scheduling;
  if (!port) return notify(ctx.t('notConfiguredGmailApi'));
  const id = itemId(ctx);
  const ms = formInstant(ctx.event, `at_${id}`);
  if (ms === undefined) throw new AppError(400, 'bad_request', `at_${id}: pick the new time`);
  const moved = await port.reschedule(ctx, id, new Date(ms));
  return updateCard(await scheduledCard(ctx), ctx.t('rescheduled', { time: `${repClock(ctx, Date.parse(moved.sendAt))} (${ctx.timeZone})` }));
}

export async function cancelItem(ctx: AddonContext): Promise<AddonResponse> {
  const port = ctx.services.scheduling;
  if (!port) return notify(ctx.t('notConfiguredGmailApi'));
  await port.cancel(ctx, itemId(ctx));
  return updateCard(await scheduledCard(ctx), ctx.t('cancelled'));
}
