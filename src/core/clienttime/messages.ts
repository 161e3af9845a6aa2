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
