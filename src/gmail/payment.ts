import type { PaymentCheckResponse } from '../contract/payments.js';
import { wordFinding } from '../core/payment/messages.js';
import { checkDraftPayments } from '../server/services/payment-guard.js';
import { button, buttons, card, notify, paragraph, plain, pushCard, section, type AddonResponse, type Card, type Section } from './cards.js';
import type { AddonContext } from './context.js';

/**
 * The outbound payment guard in Gmail's compose card (docs/payments.md). A compose add-on cannot
 * read its draft (`draftAccess: METADATA` gives the recipients only), so the store reads the
 * saved draft with its offline access to the rep's Gmail — the same access scheduling uses — and
 * runs the one check Outlook's on-send hook runs (services/payment-guard.ts). Gmail has no on-send
 * event for add-ons, so "block" cannot stop the rep's own Send: the card says not to send, and a
 * send the store itself would make (scheduling) is refused.
 */

/** The compose card's section: what the check does and its button. */
export function paymentCheckSection(ctx: AddonContext): Section | undefined {
  if (!ctx.services.draftBody) return undefined;
  return section([paragraph(plain(ctx.t('payCheckHint'))), buttons(button(ctx.t('payCheck'), ctx.target('/compose/payment-check')))], ctx.t('payCheckTitle'));
}

/** The check's answer as a card, in the rep's language. */
export function paymentCard(ctx: AddonContext, check: PaymentCheckResponse): Card {
  const t = ctx.t;
  const widgets = [];
  if (check.action === 'allow') {
    widgets.push(paragraph(`<font color="#146c2e"><b>${plain(t('payCheckClean'))}</b></font>`));
  } else {
    widgets.push(paragraph(`<font color="#b10e1c"><b>${plain(t(check.action === 'block' ? 'pay.blocked' : 'pay.warned'))}</b></font>`));
    if (check.action === 'block') widgets.push(paragraph(`<b>${plain(t('payCheckGmailBlock'))}</b>`));
  }
  widgets.push(...check.findings.map((f) => paragraph(plain(wordFinding(f, t)))));
  if (check.official > 0) widgets.push(paragraph(plain(t('payCheckOfficial', { count: check.official }))));
  return card(t('payCheckTitle'), [section(widgets)]);
}

export async function checkComposePayments(ctx: AddonContext): Promise<AddonResponse> {
  const read = ctx.services.draftBody;
  const result = read ? await read(ctx) : { noAccess: true as const };
  // The home card and the scheduling card carry "Connect your Google account".
  if ('noAccess' in result) return notify(ctx.t('payCheckNoAccess'));
  if ('draftNotFound' in result) return notify(ctx.t('draftNotFound'));
  return pushCard(paymentCard(ctx, await checkDraftPayments(ctx.tdb, ctx.principal, result)));
}
