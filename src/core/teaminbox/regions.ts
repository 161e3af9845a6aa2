/**
 * The buyer's country → sales region, for the manager's figures (docs/team-inbox.md). The regions
 * follow the UN M49 sub-regions, merged and split the way export sales teams divide the world:
 * the Gulf (GCC) apart from the rest of the Middle East, the EU/EFTA/UK apart from the rest of
 * Europe, Mexico with Latin America. A country in no list, or an unknown one, is `other`/`unknown`.
 */

export const REGIONS = {
  gulf: 'SA AE QA KW BH OM',
  'middle-east': 'YE IQ IR JO LB SY IL PS TR CY GE AM AZ',
  'north-africa': 'EG LY TN DZ MA SD EH',
  'sub-saharan-africa':
    'NG GH KE ET TZ UG ZA AO MZ ZM ZW BW NA LS SZ MW MG MU SC KM CM CD CG GA GQ CF TD NE ML BF SN GM GN GW SL LR CI TG BJ MR CV ST RW BI SO DJ ER SS RE YT SH',
  'south-asia': 'IN PK BD LK NP BT MV AF',
  'south-east-asia': 'ID MY SG TH VN PH MM KH LA BN TL',
  'east-asia': 'CN HK MO TW JP KR KP MN',
  'central-asia': 'KZ UZ TM KG TJ',
  europe: 'AT BE BG HR CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE GB IS NO CH LI MC SM VA AD GI FO GL IM JE GG AX',
  'eastern-europe': 'RU UA BY MD RS BA ME MK AL XK',
  'north-america': 'US CA BM PM',
  'latin-america':
    'MX GT BZ SV HN NI CR PA CU DO HT JM TT BS BB LC VC GD AG DM KN PR AW CW SX BQ KY TC VG VI AI MS GP MQ BL MF CO VE EC PE BO CL AR UY PY BR GY SR GF FK',
  oceania: 'AU NZ PG FJ SB VU NC PF WS TO KI TV NR FM MH PW GU MP AS CK NU TK WF NF',
} as const;

export type RegionCode = keyof typeof REGIONS | 'other' | 'unknown';

export const REGION_CODES: readonly RegionCode[] = [...(Object.keys(REGIONS) as Array<keyof typeof REGIONS>), 'other', 'unknown'];

const BY_COUNTRY = new Map<string, RegionCode>(Object.entries(REGIONS).flatMap(([region, list]) => list.split(' ').map((c) => [c, region as RegionCode] as const)));

/** The region of an ISO 3166 alpha-2 country (any case); `unknown` when the country is not known. */
export function regionOf(country: string | null | undefined): RegionCode {
  if (!country) return 'unknown';
  return BY_COUNTRY.get(country.toUpperCase()) ?? 'other';
}

/** Region names in the languages the faces ship (data like country names, shared by the console and the CSV). */
export const REGION_NAMES: Readonly<Record<RegionCode, { en: string; 'zh-CN': string }>> = {
  gulf: { en: 'Gulf (GCC)', 'zh-CN': '海湾地区' },
  'middle-east': { en: 'Middle East', 'zh-CN': '中东' },
  'north-africa': { en: 'North Africa', 'zh-CN': '北非' },
  'sub-saharan-africa': { en: 'Sub-Saharan Africa', 'zh-CN': '撒哈拉以南非洲' },
  'south-asia': { en: 'South Asia', 'zh-CN': '南亚' },
  'south-east-asia': { en: 'South-East Asia', 'zh-CN': '东南亚' },
  'east-asia': { en: 'East Asia', 'zh-CN': '东亚' },
  'central-asia': { en: 'Central Asia', 'zh-CN': '中亚' },
  europe: { en: 'Europe (EU, EFTA, UK)', 'zh-CN': '欧洲（欧盟、欧自联、英国）' },
  'eastern-europe': { en: 'Eastern Europe and the Balkans', 'zh-CN': '东欧及巴尔干' },
  'north-america': { en: 'North America', 'zh-CN': '北美' },
  'latin-america': { en: 'Latin America and the Caribbean', 'zh-CN': '拉丁美洲及加勒比' },
  oceania: { en: 'Oceania', 'zh-CN': '大洋洲' },
  other: { en: 'Other countries', 'zh-CN': '其他国家' },
  unknown: { en: 'Country unknown', 'zh-CN': '国家未知' },
};
