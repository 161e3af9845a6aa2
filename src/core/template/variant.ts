
/**
 * Languages and variants: which variant serves a language tag, and the main business language of
 * a country. Which language a mail goes out in is src/core/compose/language.ts (`chooseLanguage`).
 */

/** Main business language by ISO 3166 country code. Countries with no clear single language are left out. */
export const COUNTRY_LANGUAGES: Readonly<Record<string, string>> = {
  // Arabic
  SA: 'ar', AE: 'ar', EG: 'ar', QA: 'ar', KW: 'ar', BH: 'ar', OM: 'ar', JO: 'ar', LB: 'ar', SY: 'ar', IQ: 'ar',
  YE: 'ar', LY: 'ar', TN: 'ar', DZ: 'ar', MA: 'ar', SD: 'ar', PS: 'ar', MR: 'ar',
  // Spanish
  ES: 'es', MX: 'es', AR: 'es', CO: 'es', CL: 'es', PE: 'es', VE: 'es', EC: 'es', GT: 'es', CU: 'es', BO: 'es',
  DO: 'es', HN: 'es', PY: 'es', SV: 'es', NI: 'es', CR: 'es', PA: 'es', UY: 'es', PR: 'es', GQ: 'es',
  // Chinese
  CN: 'zh', TW: 'zh', HK: 'zh', MO: 'zh', SG: 'zh',
  // German, French, Portuguese, Russian
  DE: 'de', AT: 'de', CH: 'de', LI: 'de',
  FR: 'fr', MC: 'fr', LU: 'fr', SN: 'fr', CI: 'fr', CM: 'fr', ML: 'fr', BF: 'fr', NE: 'fr', TD: 'fr', GA: 'fr',
  CG: 'fr', CD: 'fr', BJ: 'fr', TG: 'fr', GN: 'fr', MG: 'fr', HT: 'fr',
  BR: 'pt', PT: 'pt', AO: 'pt', MZ: 'pt', CV: 'pt', GW: 'pt', ST: 'pt', TL: 'pt',
  RU: 'ru', BY: 'ru', KZ: 'ru', KG: 'ru',
  // One country, one language
  JP: 'ja', KR: 'ko', IT: 'it', SM: 'it', TR: 'tr', NL: 'nl', PL: 'pl', VN: 'vi', TH: 'th', ID: 'id', MY: 'ms',
  IL: 'he', IR: 'fa', UA: 'uk', GR: 'el', CZ: 'cs', SK: 'sk', RO: 'ro', MD: 'ro', HU: 'hu', SE: 'sv', DK: 'da',
  FI: 'fi', NO: 'nb', BG: 'bg', RS: 'sr', HR: 'hr', SI: 'sl', BD: 'bn',
  // English as the language of business
  US: 'en', GB: 'en', IE: 'en', AU: 'en', NZ: 'en', CA: 'en', IN: 'en', PK: 'en', NG: 'en', KE: 'en', GH: 'en',
  ZA: 'en', PH: 'en',
};

/** Names people type for countries that are not their English short name. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  UAE: 'AE', KSA: 'SA', USA: 'US', 'UNITED STATES OF AMERICA': 'US', UK: 'GB', 'GREAT BRITAIN': 'GB', ENGLAND: 'GB',
  'SOUTH KOREA': 'KR', KOREA: 'KR', RUSSIA: 'RU', VIETNAM: 'VN', TURKEY: 'TR', TÜRKIYE: 'TR', HOLLAND: 'NL',
};

let regionNames: Intl.DisplayNames | undefined | null;
function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** 'BR', 'br', 'Brazil', 'UAE' → 'BR' / 'AE'; undefined when it names no country in the table. */
export function countryCode(country: string): string | undefined {
  const text = country.trim();
  if (/^[A-Za-z]{2}$/.test(text)) return text.toUpperCase();
  const upper = text.toUpperCase();
  if (COUNTRY_ALIASES[upper]) return COUNTRY_ALIASES[upper];
  return Object.keys(COUNTRY_LANGUAGES).find((code) => countryName(code).toUpperCase() === upper);
}

function subtags(tag: string): string[] {
  return tag.trim().replace(/_/g, '-').toLowerCase().split('-').filter(Boolean);
}

/** Chinese is written in two scripts; a region implies one. */
function chineseScript(parts: string[]): 'hant' | 'hans' {
  if (parts.includes('hant')) return 'hant';
  if (parts.includes('hans')) return 'hans';
  return parts.some((p) => p === 'tw' || p === 'hk' || p === 'mo') ? 'hant' : 'hans';
}

/**
 * The variant that serves a language tag: the same tag; else, for Chinese, a variant in the same
 * script; else the same base language, the plain one ("es") before regional ones ("es-419").
 * 'es-MX' → 'es'; 'zh-TW' → 'zh-Hant' if there is one, else 'zh'.
 */
export function matchLanguage(wanted: string, available: readonly string[]): string | undefined {
  const want = subtags(wanted);
  const base = want[0];
  if (!base) return undefined;
  const exact = available.find((a) => subtags(a).join('-') === want.join('-'));
  if (exact) return exact;
  const sameBase = available.filter((a) => subtags(a)[0] === base);
  if (sameBase.length === 0) return undefined;
  if (base === 'zh') {
    const script = chineseScript(want);
    const sameScript = sameBase.filter((a) => chineseScript(subtags(a)) === script);
    if (sameScript.length > 0) return sameScript.find((a) => subtags(a).length === 1) ?? sameScript[0];
  }
  const region = want[1];
  return sameBase.find((a) => subtags(a).length === 1) ?? sameBase.find((a) => region !== undefined && subtags(a).includes(region)) ?? sameBase[0];
}
