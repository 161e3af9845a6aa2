import { interpolate, type UiLanguage } from '../i18n/index.js';
import { escapeHtml } from '../template/escape.js';

/**
 * What the team inbox tells people by mail (docs/team-inbox.md), pure:
 * - `replyPromise`: the clock's deadline in the buyer's own terms for the auto-acknowledgement
 *   ("Tuesday 8 December, 10:00" in their zone and language), with `buyerTime` saying whether the
 *   zone is really theirs (else the inbox's zone is named, so "your time" is never a guess);
 * - `noticeMail`: the warning at 75 %, the escalation at breach and a routing rule's `notify`, in
 *   the recipient's UI language (en, zh-CN).
 */

/** An Intl locale for a template variant's language (`zh` → `zh-CN`; Arabic keeps its own digits). */
function localeOf(language: string): string {
  if (language === 'zh') return 'zh-CN';
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([language]).length ? language : 'en';
  } catch {
    return 'en';
  }
}

export interface ReplyPromise {
  /** Weekday, date and time of the deadline, in the zone below and the buyer's language. */
  replyBy: string;
  /** The zone it is shown in. */
  timeZone: string;
  /** True when that zone is the buyer's own (the template may say "your time"). */
  buyerTime: boolean;
}

/**
 * The deadline (`dueAt`, an instant) as the buyer reads it: in their zone when the client-time
 * inference found one, else in the inbox's zone with the zone's name printed beside it.
 */
export function replyPromise(dueAt: string, language: string, buyerZone: string | null, inboxZone: string): ReplyPromise {
  const timeZone = buyerZone ?? inboxZone;
  const format = new Intl.DateTimeFormat(localeOf(language), {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(buyerZone ? {} : { timeZoneName: 'long' as const }),
  });
  return { replyBy: format.format(new Date(dueAt)), timeZone, buyerTime: buyerZone !== null };
}

export type NoticeKind = 'warning' | 'breach' | 'notify';

export interface NoticeFacts {
  inbox: string;
  subject: string;
  buyer: string;
  assignee: string | null;
  /** The deadline as the recipient reads it (their zone); see `formatForRecipient`. */
  due: string;
  link: string | null;
  rule?: string | undefined;
}

const TEXTS = {
  en: {
    warningSubject: 'Reply due soon: {subject}',
    warningBody: 'The buyer {buyer} wrote to {inbox} and is still waiting for a first answer. It is due {due}; 75 % of the response time has passed.',
    breachSubject: 'Response time missed: {subject}',
    breachBody: 'The buyer {buyer} wrote to {inbox}; the first answer was due {due} and has not been sent. Assigned to: {assignee}.',
    notifySubject: 'New inquiry to {inbox}: {subject}',
    notifyBody: 'The routing rule "{rule}" asked to tell you about this inquiry from {buyer}. Assigned to: {assignee}. First answer due {due}.',
    nobody: 'nobody yet',
    open: 'Open it in the team inbox: {link}',
    footer: 'Sent by tradepane for the team inbox {inbox}.',
  },
  'zh-CN': {
    warningSubject: '即将到期，请尽快回复：{subject}',
    warningBody: '买方 {buyer} 写信到 {inbox}，仍在等待首次回复。回复截止时间为 {due}，响应时间已过去 75%。',
    breachSubject: '已超过响应时限：{subject}',
    breachBody: '买方 {buyer} 写信到 {inbox}，首次回复应于 {due} 前发出，但至今未回复。负责人：{assignee}。',
    notifySubject: '{inbox} 收到新询盘：{subject}',
    notifyBody: '路由规则“{rule}”要求通知您这封来自 {buyer} 的询盘。负责人：{assignee}。首次回复截止：{due}。',
    nobody: '尚未分配',
    open: '在团队收件箱中打开：{link}',
    footer: '由 tradepane 代团队收件箱 {inbox} 发送。',
  },
} as const satisfies Record<UiLanguage, Record<string, string>>;

/** The deadline in the recipient's zone and UI language ("Tue, 8 Dec, 10:00 (Asia/Shanghai)"). */
export function formatForRecipient(instant: string, language: UiLanguage, timeZone: string): string {
  const text = new Intl.DateTimeFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
  return `${text} (${timeZone})`;
}

/** A notice mail in the recipient's language: subject, HTML and text. */
export function noticeMail(kind: NoticeKind, language: UiLanguage, facts: NoticeFacts): { subject: string; html: string; text: string } {
  const words = TEXTS[language];
  const params = { ...facts, assignee: facts.assignee ?? words.nobody, rule: facts.rule ?? '', link: facts.link ?? '' };
  const fill = (m: string) => interpolate(m, params, language);
  const subject = fill(kind === 'warning' ? words.warningSubject : kind === 'breach' ? words.breachSubject : words.notifySubject);
  const body = fill(kind === 'warning' ? words.warningBody : kind === 'breach' ? words.breachBody : words.notifyBody);
  const lines = [body, ...(facts.link ? [fill(words.open)] : []), '', fill(words.footer)];
  const html = `<p>${escapeHtml(body)}</p>${facts.link ? `<p><a href="${escapeHtml(facts.link)}">${escapeHtml(fill(words.open))}</a></p>` : ''}<p style="color:#666">${escapeHtml(fill(words.footer))}</p>`;
  return { subject, html, text: lines.join('\n') };
}

/** Plain text typed by a rep (the hand-off after review) as the HTML body of a mail: paragraphs and line breaks, escaped. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** Senders that never read an answer (no-reply robots, notification senders). */
const ROBOT_SENDERS = /^(no-?reply|do-?not-?reply|donotreply|noreply-[^@]*|notifications?|bounces?|mailer-daemon|postmaster)@/i;

export interface AcknowledgementCase {
  /** The sync's verdict on the mail: only 'none' (a person wrote) is acknowledged. */
  autoVerdict: string;
  /** False while a mailbox's backfill runs (last month's mail is not acknowledged today). */
  live: boolean;
  /** The mail opened a new conversation in the queue (a later mail in the thread is not acknowledged). */
  entering: boolean;
  sender: string | null;
  /** The inbox has an acknowledgement template. */
  enabled: boolean;
}

/**
 * Why a mail gets no acknowledgement, or null when it gets one. Never on automatic mail
 * (out-of-office, bounces, read receipts, lists — RFC 3834's loop rule), on backfilled mail, on
 * later mail of a conversation (at most once per conversation; the store's unique claim enforces
 * it across instances), or to a robot sender.
 */
export function acknowledgementSkip(c: AcknowledgementCase): 'off' | 'automatic' | 'backfill' | 'not-first' | 'no-sender' | 'robot-sender' | null {
  if (!c.enabled) return 'off';
  if (c.autoVerdict !== 'none') return 'automatic';
  if (!c.live) return 'backfill';
  if (!c.entering) return 'not-first';
  if (!c.sender) return 'no-sender';
  if (ROBOT_SENDERS.test(c.sender)) return 'robot-sender';
  return null;
}
