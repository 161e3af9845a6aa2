import { interpolate, type Message, type UiLanguage } from '../i18n/index.js';

/**
 * What client time tells a rep, as codes with parameters: the faces word them in the rep's UI
 * language, the CLI and the JSON's `status`/`reasons`/`label` fields in English. Parameters are
 * raw values (ISO country codes, ISO weekdays, 'YYYY-MM-DD' dates, IANA zones, the buyer's own
 * phone or domain), never words, so any language can say them.
 *
 * Parameter names with a meaning (see `timeParams`): `country`, `firstCountry` (ISO 3166 code →
 * region name), `countries` (codes joined by ','), `weekday` (1 = Monday … 7 = Sunday), `month`
 * (1–12), `holiday` (English name) with `holidayZh` (Chinese name, when date-holidays has one),
 * `by` (contact | customer), `source`, `firstSource` (rep | phone | domain).
 *
 * The words are one shared catalogue fragment that every face merges into its own catalogue
 * (and may override): core needs the English for the JSON contract, and two faces keeping two
 * copies of forty sentences is how faces drift apart.
 */
export interface TimeText {
  code: TimeCode;
  params: Record<string, string | number>;
  /** why a day is closed, inside a 'closed: …' status */
  reason?: TimeText;
}

export const CLIENT_TIME_EN = {
  'ct.status.open': 'open until {until}',
  'ct.status.closedDay': 'closed: {reason}',
  'ct.status.beforeHours': 'closed: before business hours (opens {opens})',
  'ct.status.afterHours': 'closed: after business hours (closed at {closed})',
  'ct.status.unknownZone': 'unknown time zone',

  'ct.day.closedForCustomer': '{date} is marked closed for this customer',
  'ct.day.makeUp': '{weekday} {date} is a make-up working day (调休) for the {holiday} in China',
  'ct.day.holiday': 'public holiday ({holiday})',
  'ct.day.holidayAnnounced': 'public holiday ({holiday}; date announced locally: may move by a day)',
  'ct.day.working': '{weekday} is a working day',
  'ct.day.workingIn': '{weekday} is a working day in {country}',
  'ct.day.notWorking': '{weekday} is not a working day',
  'ct.day.notWorkingIn': '{weekday} is not a working day in {country}',

  'ct.slot.today': 'their {time} today',
  'ct.slot.tomorrow': 'their {time} tomorrow',
  'ct.slot.onDay': 'their {time} on {weekday} {day} {month}',

  'ct.reason.countryByRep': 'country {country} ({code}) given by the rep',
  'ct.reason.phoneCountry': 'phone {phone} (+{callingCode}) → {country}',
  'ct.reason.phoneShared': 'phone {phone} has calling code +{callingCode}, shared by several countries: says nothing about which',
  'ct.reason.phoneUnreadable': 'phone {phone} has no readable international number (+country code): says nothing about the country',
  'ct.reason.domainCountry': 'e-mail domain {suffix} → {country}',
  'ct.reason.domainFreeMail': 'e-mail domain {domain} is a free-mail provider: says nothing about the country',
  'ct.reason.domainGeneric': 'e-mail domain {domain} ends in {suffix}, which is not a country: says nothing about where the buyer is',
  'ct.reason.emailUnreadable': 'e-mail {email} has no readable domain',
  'ct.reason.countriesDisagree': 'the evidence names {count} countries ({countries}); trusted in this order: the rep, the phone, the e-mail domain',
  'ct.reason.dateNoOffset': 'Date header {header} carries no UTC offset (-0000): says nothing about the zone',
  'ct.reason.storedZone': 'time zone {zone} set on the {by}',
  'ct.reason.zoneSpelling': '"{written}" is written {zone} in the IANA database',
  'ct.reason.offsetDiffers': 'note: Date header offset {offset} differs from {zone} ({zoneOffset} on {date})',
  'ct.reason.offsetMatches': 'Date header offset {offset} matches {zone} on {date}',
  'ct.reason.offsetMatchesSeveral': 'Date header offset {offset} matches {zones} in {country} on {date}; picked {zone}',
  'ct.reason.offsetFitsOther': 'the offset fits {country} (from {source}), not {firstCountry} (from {firstSource})',
  'ct.reason.offsetMatchesNone': 'Date header offset {offset} matches no time zone of {country} on {date} (sent while travelling, or by a server with its own clock?)',
  'ct.reason.offsetOnly': 'Date header offset {offset} matches only {zone} on {date}',
  'ct.reason.offsetAmbiguous': 'Date header offset {offset} fits {count} time zones on {date}: not enough to pick one without a country',
  'ct.reason.noEvidence': 'no evidence of where the buyer is: set a time zone or country on the contact',
  'ct.reason.noZoneKnown': 'no time zone of {country} is known to this system',
  'ct.reason.severalClocks': '{country} has {count} different clocks; assuming its main business zone {zone}',
  'ct.reason.oneClock': '{country} keeps one clock: {zone}',
  'ct.reason.noHolidayData': 'no public-holiday data for {country}: only its weekends are known',

  'ct.word.contact': 'contact',
  'ct.word.customer': 'customer',
  'ct.word.rep': "the rep's choice",
  'ct.word.phone': 'the phone number',
  'ct.word.domain': 'the e-mail domain',
  'ct.word.listSeparator': ', ',
} as const;

export type TimeCode = keyof typeof CLIENT_TIME_EN;

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

const WEEKDAYS: Record<UiLanguage, readonly string[]> = {
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  'zh-CN': ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
};
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const regionNames = new Map<UiLanguage, { of(code: string): string | undefined } | null>();

/** 'Saudi Arabia' / '沙特阿拉伯' for 'SA' from Intl (no name table to ship); the code when Intl has none. */
export function regionName(code: string, language: UiLanguage): string {
  if (!regionNames.has(language)) {
    try {
      regionNames.set(language, new Intl.DisplayNames([language], { type: 'region' }));
    } catch {
      regionNames.set(language, null);
    }
  }
  try {
    return regionNames.get(language)?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A face's `t` over (at least) the client-time codes. */
export type TimeTranslate = (key: TimeCode, params?: Record<string, string | number>) => string;

/**
 * The parameters of a client-time text made readable in `language`: region, weekday, month and
 * holiday names, the words for sources; nested texts (a status's day reason) worded first.
 */
export function timeParams(text: TimeText, language: UiLanguage, t: TimeTranslate): Record<string, string | number> {
  const out: Record<string, string | number> = { ...text.params };
  const p = text.params;
  for (const key of ['country', 'firstCountry'] as const) if (typeof p[key] === 'string') out[key] = regionName(p[key] as string, language);
  if (typeof p.countries === 'string') out.countries = p.countries.split(',').map((c) => regionName(c, language)).join(t('ct.word.listSeparator'));
  if (typeof p.weekday === 'number') out.weekday = WEEKDAYS[language][p.weekday - 1] ?? String(p.weekday);
  if (typeof p.month === 'number' && language === 'en') out.month = MONTHS_EN[p.month - 1] ?? String(p.month);
  if (typeof p.holiday === 'string' && language === 'zh-CN' && typeof p.holidayZh === 'string') out.holiday = p.holidayZh;
  if (p.by === 'contact' || p.by === 'customer') out.by = t(`ct.word.${p.by}`);
  for (const key of ['source', 'firstSource'] as const) if (p[key] === 'rep' || p[key] === 'phone' || p[key] === 'domain') out[key] = t(`ct.word.${p[key]}`);
  return out;
}

/** A client-time text in `language`, with the face's `t` (a nested day reason worded first, as `{reason}`). */
export function wordTime(text: TimeText, language: UiLanguage, t: TimeTranslate): string {
  const params = timeParams(text, language, t);
  if (text.reason) params.reason = wordTime(text.reason, language, t);
  return t(text.code, params);
}

/** The English wording core puts in the JSON's `status`, `reasons` and `label` (and the CLI prints). */
export function english(text: TimeText): string {
  const t: TimeTranslate = (key, params) => interpolate(CLIENT_TIME_EN[key], params, 'en');
  return wordTime(text, 'en', t);
}

export function timeText(code: TimeCode, params: Record<string, string | number> = {}, reason?: TimeText): TimeText {
  return reason ? { code, params, reason } : { code, params };
}
