import { CLIENT_TIME_EN, CLIENT_TIME_ZH_CN, wordTime, type TimeText } from '../core/clienttime/messages.js';
import { translator as coreTranslator, uiLanguageOf, type Message, type Params, type UiLanguage } from '../core/i18n/index.js';

/**
 * Card strings in English and Simplified Chinese, chosen from the user's Gmail locale
 * (`commonEventObject.userLocale`, sent because the descriptor sets `useLocaleFromApp`) by
 * core/i18n's one rule. `{name}` placeholders are filled with already-neutralised text by the
 * caller, through core/i18n's helper.
 */

const en = {
  ...CLIENT_TIME_EN,
  appName: 'tradepane',
  homeTitle: 'tradepane',
  homeSubtitle: 'Templates, client time and CRM for {email}',
  homeIntro: 'Open a mail to see the sender’s local time and log it to your CRM. While writing, use the tradepane button in the compose window to insert a template and pick a good time to send.',
  homeScheduled: 'Scheduled sends',
  homeNothingScheduled: 'Nothing is scheduled.',
  homeSignature: 'Your company signature',
  homeNoSignature: 'No enforced signature is published to you.',
  composeTitle: 'Insert a template',
  search: 'Search templates',
  kind: 'Kind',
  anyKind: 'Any kind',
  language: 'Language',
  autoLanguage: 'Automatic (the client’s language)',
  find: 'Search',
  noTemplates: 'No template matches. Try fewer words, or another kind.',
  pick: 'Use',
  fields: 'Fill in',
  preview: 'Preview',
  insert: 'Insert into the mail',
  setSubject: 'Also set the subject (new mail)',
  subject: 'Subject',
  back: 'Back',
  missing: 'Cannot insert yet: {list}',
  templateBroken: 'the template itself (ask your admin to fix it)',
  inserted: 'Inserted “{title}”.',
  invalid: '{label}: {message}',
  lineItems: '{label} (one line per item: {columns}, separated by “|”)',
  clientTime: 'Client time',
  noRecipients: 'Add a recipient to see their local time.',
  localTime: 'Their local time',
  zoneUnknown: 'Their time zone is unknown',
  because: 'Because',
  sendAt: 'Send at their next good time',
  nextOpening: 'Their next business morning',
  openNow: 'They are open now: send as usual, or schedule for a later time below.',
  listSeparator: '; ',
  noSubject: '(no subject)',
  'sendStatus.pending': 'Scheduled',
  'sendStatus.sending': 'Sending',
  'sendStatus.sent': 'Sent',
  'sendStatus.failed': 'Failed',
  'sendStatus.cancelled': 'Cancelled',
  'sendStatus.gone': 'Draft gone',
  yourTime: 'your time {time}',
  schedule: 'Schedule',
  scheduleThis: 'Schedule for {label}',
  scheduled: 'Scheduled for {time} (your time).',
  scheduleManual: 'Scheduled sending is not set up for your company. In Gmail, use Send ▸ Schedule send ▸ Pick date & time and enter {time} (your time zone {zone}).',
  schedulingOff: 'Scheduled sending is not set up for your company: use Gmail’s own Schedule send at the time tradepane suggests.',
  connectGoogle: 'Connect your Google account',
  schedulingConnect: 'Connect your Google account once and tradepane sends your drafts at the time you pick. Until then, use Gmail’s own Schedule send at the time tradepane suggests.',
  scheduleManualConnect: 'To let tradepane send this draft at the time you pick, connect your Google account. Or, in Gmail, use Send ▸ Schedule send ▸ Pick date & time and enter {time} (your time zone {zone}).',
  draftNotFound: 'Save the draft first (Gmail saves it a few seconds after you type), then try again.',
  scheduledList: 'Scheduled',
  reschedule: 'Reschedule',
  cancel: 'Cancel',
  cancelled: 'Cancelled.',
  rescheduled: 'Rescheduled for {time} (your time).',
  newTime: 'New time',
  messageTitle: 'This mail',
  sender: 'Sender',
  senderTime: 'Sender’s local time',
  learnedFromDate: 'learned from the Date: header (UTC{offset})',
  logToCrm: 'Log to CRM',
  logged: 'Logged to the CRM.',
  alreadyLogged: 'Already in the CRM (logged by {who}).',
  turnIntoTask: 'Turn into task',
  taskDays: { one: 'in {count} business day (their {at})', other: 'in {count} business days (their {at})' },
  taskCreated: 'Task created, due {due}.',
  replyWithTemplate: 'Reply with a template',
  replyCreated: 'Reply draft created.',
  notConfiguredGmailApi: 'Gmail access is not configured on the store.',
  error: 'Something went wrong: {message}',
  pushed: 'Signature',
} as const;

export type StringKey = keyof typeof en;

const zh: Record<StringKey, Message> = {
  ...CLIENT_TIME_ZH_CN,
  appName: 'tradepane',
  homeTitle: 'tradepane',
  homeSubtitle: '{email} 的模板、客户时间和 CRM',
  homeIntro: '打开一封邮件，即可查看发件人的当地时间并记录到 CRM。撰写邮件时，点击撰写窗口中的 tradepane 按钮插入模板，并选择合适的发送时间。',
  homeScheduled: '定时发送',
  homeNothingScheduled: '没有定时发送的邮件。',
  homeSignature: '公司签名',
  homeNoSignature: '没有向您发布强制签名。',
  composeTitle: '插入模板',
  search: '搜索模板',
  kind: '类型',
  anyKind: '全部类型',
  language: '语言',
  autoLanguage: '自动（客户的语言）',
  find: '搜索',
  noTemplates: '没有匹配的模板。请减少关键词或换一种类型。',
  pick: '使用',
  fields: '填写',
  preview: '预览',
  insert: '插入邮件',
  setSubject: '同时设置主题（新邮件）',
  subject: '主题',
  back: '返回',
  missing: '暂时无法插入：{list}',
  templateBroken: '模板本身（请管理员修复）',
  inserted: '已插入“{title}”。',
  invalid: '{label}：{message}',
  lineItems: '{label}（每行一项：{columns}，用“|”分隔）',
  clientTime: '客户时间',
  noRecipients: '添加收件人后可查看其当地时间。',
  localTime: '对方当地时间',
  zoneUnknown: '对方时区未知',
  because: '依据',
  sendAt: '在对方下一个合适时间发送',
  nextOpening: '对方下一个工作日上午',
  openNow: '对方现在正在上班：可直接发送，或在下方选择稍后的时间定时发送。',
  listSeparator: '；',
  noSubject: '（无主题）',
  'sendStatus.pending': '已定时',
  'sendStatus.sending': '正在发送',
  'sendStatus.sent': '已发送',
  'sendStatus.failed': '发送失败',
  'sendStatus.cancelled': '已取消',
  'sendStatus.gone': '草稿已不存在',
  yourTime: '您的时间 {time}',
  schedule: '定时发送',
  scheduleThis: '定时于 {label}',
  scheduled: '已定时于 {time}（您的时间）。',
  scheduleManual: '贵公司尚未设置定时发送。请在 Gmail 中使用 发送 ▸ 定时发送 ▸ 选择日期和时间，并输入 {time}（您的时区 {zone}）。',
  schedulingOff: '贵公司尚未设置定时发送：请在 tradepane 建议的时间使用 Gmail 自带的定时发送。',
  connectGoogle: '连接您的 Google 账号',
  schedulingConnect: '连接一次您的 Google 账号后，tradepane 即可在您选定的时间发送草稿。在此之前，请在 tradepane 建议的时间使用 Gmail 自带的定时发送。',
  scheduleManualConnect: '连接您的 Google 账号后，tradepane 即可在您选定的时间发送此草稿。或者在 Gmail 中使用 发送 ▸ 定时发送 ▸ 选择日期和时间，并输入 {time}（您的时区 {zone}）。',
  draftNotFound: '请先保存草稿（输入后 Gmail 会在几秒内自动保存），然后重试。',
  scheduledList: '已定时',
  reschedule: '改期',
  cancel: '取消',
  cancelled: '已取消。',
  rescheduled: '已改期至 {time}（您的时间）。',
  newTime: '新时间',
  messageTitle: '此邮件',
  sender: '发件人',
  senderTime: '发件人当地时间',
  learnedFromDate: '根据 Date: 邮件头得知（UTC{offset}）',
  logToCrm: '记录到 CRM',
  logged: '已记录到 CRM。',
  alreadyLogged: '已在 CRM 中（由 {who} 记录）。',
  turnIntoTask: '转为任务',
  taskDays: '{count} 个工作日（对方时间 {at}）',
  taskCreated: '任务已创建，截止 {due}。',
  replyWithTemplate: '用模板回复',
  replyCreated: '回复草稿已创建。',
  notConfiguredGmailApi: '存储服务器未配置 Gmail 访问。',
  error: '出错了：{message}',
  pushed: '签名',
};

/** The card's UI language; 'zh' is zh-CN (kept short: it also names the pack variant the picker shows first). */
export type Lang = 'en' | 'zh';

export function langOf(userLocale: string | undefined): Lang {
  return uiLanguageOf(userLocale) === 'zh-CN' ? 'zh' : 'en';
}

export const uiLanguageOfLang = (lang: Lang): UiLanguage => (lang === 'zh' ? 'zh-CN' : 'en');

export type Translate = (key: StringKey, vars?: Params) => string;

export function translator(lang: Lang): Translate {
  return coreTranslator<StringKey>({ en, 'zh-CN': zh }, uiLanguageOfLang(lang));
}

/** A client-time text (status, reason, slot label) in the card's language, from this catalogue. */
export function wordTimeIn(lang: Lang, t: Translate): (text: TimeText) => string {
  return (text) => wordTime(text, uiLanguageOfLang(lang), t);
}
