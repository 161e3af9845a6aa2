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

export const PAYMENT_ZH_CN: Record<PaymentKey, Message> = {
  'pay.account.unofficial': '银行信息 {account}（{kind}）不是公司的官方账户。',
  'pay.iban.invalid': '国际银行账号 {account} 的校验位不正确：可能是笔误，也可能被改动过。',
  'pay.domain.lookalike': '发件人域名 {domain} 在冒充 {known}（{how}）。',
  'pay.reply-to.other-domain': '回复将发往 {replyTo}，而不是发件人 {from}。',
  'pay.account.differs': '银行信息 {account} 与该公司以往使用的不同。',
  'pay.account.new': '银行信息 {account}：该公司尚无存档的银行账户。',
  'pay.account.change-wording': '邮件声称更改了银行账户（“{phrase}”）。',
  'pay.domain.first-contact': '这是来自 {domain} 的第一封邮件，却声称双方已有往来（“{phrase}”）。',
  'pay.how.confusable': '用形近字符替换了字母',
  'pay.how.mixed-script': '混入了其他文字的字母',
  'pay.how.punycode': '伪装成拉丁字母的国际化域名',
  'pay.how.tld': '名称相同，后缀不同',
  'pay.how.embedded': '把已知名称嵌入其他域名',
  'pay.how.edit-distance': '改动了一两个字符',
  'pay.kind.iban': '国际银行账号',
  'pay.kind.bic': '银行识别码',
  'pay.kind.account': '账号',
  'pay.title.suspicious': '可能是付款诈骗：切勿仅凭此邮件更改任何银行信息。',
  'pay.title.notice': '此邮件包含银行信息。',
  'pay.confirmByPhone': '请致电 {company} 存档号码 {phone} 核实。',
  'pay.confirmByPhoneNoNumber': '请用您已知的号码致电 {company} 核实，切勿使用此邮件中的号码。',
  'pay.someone': '该公司',
  'pay.blocked': '此邮件包含的银行信息不是公司的官方账户，公司政策禁止发送。请改为插入官方资料中的银行信息。',
  'pay.warned': '此邮件包含的银行信息不是公司的官方账户，发送前请核对。',
};

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
