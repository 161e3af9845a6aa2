import type { Message, Params } from '../i18n/index.js';
import type { PaymentFindingCode } from './check.js';
import type { LookalikeHow } from './lookalike.js';

/**
 * The words for the payment guard's findings: one catalogue fragment (en, zh-CN) that every face
 * (Outlook on-send and read pane, Gmail cards, admin console) merges into its own catalogue, so the
 * reasons read the same everywhere. Parameters are data (domains, masked accounts, the mail's own
 * words); `how` and `kind` are codes worded here.
 */
export const PAYMENT_EN = {
  'pay.account.unofficial': 'Bank details {account} ({kind}) are not one of the company\'s official accounts.',
  'pay.iban.invalid': 'The IBAN {account} has wrong check digits: a typo, or a changed number.',
  'pay.domain.lookalike': 'The sender\'s domain {domain} imitates {known} ({how}).',
  'pay.reply-to.other-domain': 'Replies would go to {replyTo}, not to the sender {from}.',
  'pay.account.differs': 'Bank details {account} differ from the ones this company used before.',
  'pay.account.new': 'Bank details {account}: none are on file for this company yet.',
  'pay.account.change-wording': 'The mail announces a change of bank account ("{phrase}").',
  'pay.domain.first-contact': 'First mail ever from {domain}, yet it speaks of an existing relationship ("{phrase}").',
  'pay.how.confusable': 'letters swapped for look-alikes',
  'pay.how.mixed-script': 'letters from another alphabet',
  'pay.how.punycode': 'an international domain made to look Latin',
  'pay.how.tld': 'same name, another ending',
  'pay.how.embedded': 'the known name inside another domain',
  'pay.how.edit-distance': 'one or two characters changed',
  'pay.kind.iban': 'IBAN',
  'pay.kind.bic': 'SWIFT/BIC',
  'pay.kind.account': 'account number',
  'pay.title.suspicious': 'Possible payment fraud: do not change any bank details on the strength of this mail.',
  'pay.title.notice': 'This mail carries bank details.',
  'pay.confirmByPhone': 'Confirm by phone with {company} on the number on file: {phone}.',
  'pay.confirmByPhoneNoNumber': 'Confirm by phone with {company} on a number you already know, never one from this mail.',
  'pay.someone': 'the company',
  'pay.blocked': 'This message carries bank details that are not the company\'s official ones, and company policy blocks it. Insert the bank details from the official profile instead.',
  'pay.warned': 'This message carries bank details that are not the company\'s official ones. Check them before sending.',
} as const;

export type PaymentKey = keyof typeof PAYMENT_EN;

type Translate = (key: PaymentKey, params?: Params) => string;

/** One finding in words. */
export function wordFinding(finding: { code: PaymentFindingCode; params: Readonly<Record<string, string>> }, t: Translate): string {
  const params: Record<string, string> = { ...finding.params };
  if (finding.params.how) params.how = t(`pay.how.${finding.params.how as LookalikeHow}`);
  if (finding.params.kind) params.kind = t(`pay.kind.${finding.params.kind as 'iban' | 'bic' | 'account'}`);
  return t(`pay.${finding.code}`, params);
}

/** The "confirm by phone" line, with the number on file when there is one. */
export function wordConfirmByPhone(company: string | null, phone: string | null, t: Translate): string {
  const who = company ?? t('pay.someone');
  return phone ? t('pay.confirmByPhone', { company: who, phone }) : t('pay.confirmByPhoneNoNumber', { company: who });
}
