import type { Message } from '../i18n/index.js';
import type { PaymentKey } from './messages.js';

/**
 * The payment guard's words in Simplified Chinese (./messages.ts has the English): its own module
 * so that a face can load it only for a Chinese UI (docs/performance.md, 'Size').
 */
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
