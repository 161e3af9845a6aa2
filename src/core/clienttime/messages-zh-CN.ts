import type { Message } from '../i18n/index.js';
import { CLIENT_TIME_EN, type TimeCode } from './messages.js';

/**
 * The client-time fragment in Simplified Chinese (./messages.ts has the English and the rules).
 * Its own module so that a face can leave it out of its first paint and load it only for a
 * Chinese UI (the task pane does: docs/performance.md, 'Size').
 */
export const CLIENT_TIME_ZH_CN: Record<TimeCode, Message> = {
  'ct.status.open': '营业中，至 {until}',
  'ct.status.closedDay': '休息：{reason}',
  'ct.status.beforeHours': '休息：尚未上班（{opens} 开始）',
  'ct.status.afterHours': '休息：已下班（{closed} 结束）',
  'ct.status.unknownZone': '时区未知',

  'ct.day.closedForCustomer': '{date} 被标记为该客户的休息日',
  'ct.day.makeUp': '{date}（{weekday}）是中国{holiday}的调休工作日',
  'ct.day.holiday': '公共假日（{holiday}）',
  'ct.day.holidayAnnounced': '公共假日（{holiday}；日期由当地宣布，可能前后相差一天）',
  'ct.day.working': '{weekday}是工作日',
  'ct.day.workingIn': '{weekday}是{country}的工作日',
  'ct.day.notWorking': '{weekday}不是工作日',
  'ct.day.notWorkingIn': '{weekday}不是{country}的工作日',

  'ct.slot.today': '对方今天 {time}',
  'ct.slot.tomorrow': '对方明天 {time}',
  'ct.slot.onDay': '对方 {month}月{day}日（{weekday}）{time}',

  'ct.reason.countryByRep': '业务员指定的国家：{country}（{code}）',
  'ct.reason.phoneCountry': '电话 {phone}（+{callingCode}）→ {country}',
  'ct.reason.phoneShared': '电话 {phone} 的国际区号 +{callingCode} 由多个国家共用：无法据此判断国家',
  'ct.reason.phoneUnreadable': '电话 {phone} 不是可识别的国际号码（缺少 +国家区号）：无法据此判断国家',
  'ct.reason.domainCountry': '邮箱域名 {suffix} → {country}',
  'ct.reason.domainFreeMail': '邮箱域名 {domain} 是免费邮箱：无法据此判断国家',
  'ct.reason.domainGeneric': '邮箱域名 {domain} 以 {suffix} 结尾，不是国家域名：无法据此判断买家所在地',
  'ct.reason.emailUnreadable': '邮箱 {email} 没有可识别的域名',
  'ct.reason.countriesDisagree': '线索指向 {count} 个国家（{countries}）；按以下顺序采信：业务员、电话、邮箱域名',
  'ct.reason.dateNoOffset': 'Date 邮件头 {header} 不含 UTC 偏移（-0000）：无法据此判断时区',
  'ct.reason.storedZone': '{by}上设置的时区：{zone}',
  'ct.reason.zoneSpelling': '“{written}”在 IANA 时区库中写作 {zone}',
  'ct.reason.offsetDiffers': '注意：Date 邮件头的偏移 {offset} 与 {zone} 不同（{date} 为 {zoneOffset}）',
  'ct.reason.offsetMatches': 'Date 邮件头的偏移 {offset} 与 {zone} 相符（{date}）',
  'ct.reason.offsetMatchesSeveral': 'Date 邮件头的偏移 {offset} 与{country}的 {zones} 相符（{date}）；选用 {zone}',
  'ct.reason.offsetFitsOther': '该偏移符合{country}（来自{source}），而非{firstCountry}（来自{firstSource}）',
  'ct.reason.offsetMatchesNone': 'Date 邮件头的偏移 {offset} 与{country}的任何时区都不符（{date}）（出差时发送，或服务器时钟不同？）',
  'ct.reason.offsetOnly': 'Date 邮件头的偏移 {offset} 仅与 {zone} 相符（{date}）',
  'ct.reason.offsetAmbiguous': 'Date 邮件头的偏移 {offset} 符合 {count} 个时区（{date}）：没有国家信息无法确定',
  'ct.reason.noEvidence': '没有买家所在地的线索：请在联系人上设置时区或国家',
  'ct.reason.noZoneKnown': '系统不知道{country}的任何时区',
  'ct.reason.severalClocks': '{country}有 {count} 个不同的时间；按其主要商务时区 {zone} 计算',
  'ct.reason.oneClock': '{country}只有一个时间：{zone}',
  'ct.reason.noHolidayData': '没有{country}的公共假日数据：只知道其周末',

  'ct.word.contact': '联系人',
  'ct.word.customer': '客户',
  'ct.word.rep': '业务员的指定',
  'ct.word.phone': '电话号码',
  'ct.word.domain': '邮箱域名',
  'ct.word.listSeparator': '、',
};

export const CLIENT_TIME_CATALOG: { en: Record<TimeCode, Message>; 'zh-CN': Record<TimeCode, Message> } = { en: CLIENT_TIME_EN, 'zh-CN': CLIENT_TIME_ZH_CN };
