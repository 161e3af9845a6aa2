import { CLIENT_TIME_EN, wordTime, type TimeText } from '../../core/clienttime/messages.js';
import { CLIENT_TIME_ZH_CN } from '../../core/clienttime/messages-zh-CN.js';
import { translator, uiLanguageOf, type Message, type Translate, type UiLanguage } from '../../core/i18n/index.js';
import { PAYMENT_EN } from '../../core/payment/messages.js';
import { PAYMENT_ZH_CN } from '../../core/payment/messages-zh-CN.js';

/**
 * What the Smart Alerts dialog and the notifications say, in Office's display language through
 * core/i18n's one rule (the same as the task pane's: every Chinese tag gets Simplified Chinese).
 * Outlook shows at most 500 characters and 20 for a button label. Client-time statuses are codes
 * worded from core's shared client-time fragment.
 */
const en = {
  ...CLIENT_TIME_EN,
  ...PAYMENT_EN,
  missing: 'Your company signature is missing from this message. Choose "Add signature" to put it back, then send again.',
  altered: 'Your company signature was changed in this message. Choose "Add signature" to restore it, then send again.',
  reinsert: 'Add signature',
  signatureUnavailable: 'The company signature could not be loaded; check your connection.',
  outsideHours: 'It is {local} for {who} ({status}). Their next business morning is {next}. Send anyway, or schedule it for their business hours.',
  outsideHoursNoSlot: 'It is {local} for {who} ({status}). Send anyway, or schedule it for their business hours.',
  schedule: 'Schedule for 09:00',
  scheduled: "Scheduled: this message will be delivered at {when} (recipient's time).",
  cannotSchedule: 'This Outlook cannot schedule sending. Use Outlook\'s "Delay delivery" instead.',
  teamCollision: '{who} already answered this conversation ({when}), after you opened it. Read their answer before you send yours, or send anyway.',
  teamOwned: '{company} ({buyer}) is {owner}\'s buyer. Agree with {owner} before you write to them, or send anyway.',
} as const;

type Key = keyof typeof en;

const zhCN: Record<Key, Message> = {
  ...CLIENT_TIME_ZH_CN,
  ...PAYMENT_ZH_CN,
  missing: '此邮件缺少公司签名。请点击“添加签名”恢复签名后再发送。',
  altered: '此邮件中的公司签名已被修改。请点击“添加签名”恢复签名后再发送。',
  reinsert: '添加签名',
  signatureUnavailable: '无法加载公司签名，请检查网络连接。',
  outsideHours: '{who} 当地时间为 {local}（{status}）。对方下一个工作日上午为 {next}。仍要发送，或安排在对方工作时间发送。',
  outsideHoursNoSlot: '{who} 当地时间为 {local}（{status}）。仍要发送，或安排在对方工作时间发送。',
  schedule: '定时到对方 09:00',
  scheduled: '已定时：此邮件将于 {when}（收件人当地时间）送达。',
  cannotSchedule: '此版本的 Outlook 无法定时发送，请使用 Outlook 的“延迟传递”。',
  teamCollision: '{who} 已在您打开此会话后回复了客户（{when}）。请先阅读其回复再发送，或仍要发送。',
  teamOwned: '{company}（{buyer}）是 {owner} 的客户。请先与 {owner} 商定再联系对方，或仍要发送。',
};

export interface Messages {
  language: UiLanguage;
  t: Translate<Key>;
  /** a client-time status or reason in this language */
  time(text: TimeText): string;
}

export function messagesFor(displayLanguage: string | null | undefined): Messages {
  const language = uiLanguageOf(displayLanguage);
  const t = translator<Key>({ en, 'zh-CN': zhCN }, language);
  return { language, t, time: (text) => wordTime(text, language, t) };
}

/** Outlook's limits for the Smart Alerts dialog. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** "Sun 09:00" in the recipient's zone; the ISO string when Intl cannot format it. */
export function formatInZone(iso: string, timeZone: string | null, language: string): string {
  try {
    const options: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false };
    if (timeZone) options.timeZone = timeZone;
    return new Date(iso).toLocaleString(language, options);
  } catch {
    return iso;
  }
}
