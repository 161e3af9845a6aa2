import { mySignature } from '../server/services/signatures.js';
import { button, buttons, card, decorated, paragraph, plain, section, type Card, type Widget } from './cards.js';
import type { AddonContext } from './context.js';
import { connectButton, connectUrl } from './schedule.js';
import { followUpsDueSection, inquiriesWaitingSection } from './followups.js';

/** The homepage card: follow-ups due first, who the rep is to the store, their enforced signature, their scheduled sends. */
export async function homeCard(ctx: AddonContext): Promise<Card> {
  const t = ctx.t;
  const signature = await mySignature(ctx.tdb, ctx.principal.userId);
  const widgets: Widget[] = [paragraph(plain(t('homeIntro')))];
  widgets.push(signature ? decorated(t('homeSignature'), `${signature.pack} / ${signature.signature}`, signature.text.split('\n').slice(0, 3).join(' · ')) : decorated(t('homeSignature'), t('homeNoSignature')));
  const scheduled: Widget[] = [];
  // The store cannot send for this rep yet, but they may grant it: say how, beside the list.
  const connect = await connectUrl(ctx);
  if (connect) scheduled.push(paragraph(plain(t('schedulingConnect'))), buttons(connectButton(ctx, connect)));
  if (ctx.services.scheduling) {
    const items = (await ctx.services.scheduling.list(ctx)).filter((i) => i.status === 'pending' || i.status === 'failed');
    scheduled.push(paragraph(plain(items.length ? `${items.length} · ${items.map((i) => i.subject || '(no subject)').slice(0, 3).join(', ')}` : t('homeNothingScheduled'))));
    scheduled.push(buttons(button(t('scheduledList'), ctx.target('/scheduled'))));
  } else scheduled.push(paragraph(plain(t('schedulingOff'))));
  const inquiries = await inquiriesWaitingSection(ctx);
  return card(t('homeTitle'), [await followUpsDueSection(ctx), ...(inquiries ? [inquiries] : []), section(widgets), section(scheduled, t('homeScheduled'))], t('homeSubtitle', { email: ctx.principal.email }));
}
