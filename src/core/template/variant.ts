import type { PackTemplate } from '../pack/schema.js';

/**
 * Which language variant of a template to use for a mail. In order: the contact's own language,
 * the main language of the customer's country, the rep's pick, the pack's default — the first
 * that the template has. The reason is written for the rep, who may wonder why the quote came out
 * in Spanish.
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

export interface VariantPreferences {
  /** The contact's language, e.g. from their mail client or CRM record: 'es', 'es-MX'. */
  contactLanguage?: string | null;
  /** The customer's country: ISO code ('BR') or English name ('Brazil'). */
  customerCountry?: string | null;
  /** The language the rep picked in the task pane. */
  repPick?: string | null;
  packDefault: string;
}

export interface VariantChoice {
  language: string;
  reason: string;
}

export function chooseVariant(template: Pick<PackTemplate, 'variants'>, prefs: VariantPreferences): VariantChoice {
  const available = Object.keys(template.variants);
  const notes: string[] = [];
  const chosen = (language: string, why: string): VariantChoice => ({ language, reason: [...notes, why].join('; ') });

  const contact = prefs.contactLanguage?.trim();
  if (contact) {
    const match = matchLanguage(contact, available);
    if (match) return chosen(match, match === contact ? `contact's language ${contact}` : `contact's language ${contact} (${match} variant)`);
    notes.push(`contact's language ${contact}; no ${contact} variant`);
  }

  const country = prefs.customerCountry?.trim();
  if (country) {
    const code = countryCode(country);
    const language = code ? COUNTRY_LANGUAGES[code] : undefined;
    if (code && language) {
      const where = `customer in ${countryName(code)} speaks ${language}`;
      // Taiwan, Hong Kong and Macao read traditional characters: ask for zh-Hant and take zh if that is all there is.
      const match = matchLanguage(language === 'zh' ? `zh-${code}` : language, available);
      if (match) return chosen(match, match === language ? where : `${where} (${match} variant)`);
      notes.push(`${where}; no ${language} variant`);
    } else {
      notes.push(`no language on file for the customer's country ${country}`);
    }
  }

  const pick = prefs.repPick?.trim();
  if (pick) {
    const match = matchLanguage(pick, available);
    if (match) return chosen(match, match === pick ? `rep's pick ${pick}` : `rep's pick ${pick} (${match} variant)`);
    notes.push(`rep's pick ${pick}; no ${pick} variant`);
  }

  const fallback = matchLanguage(prefs.packDefault, available);
  if (fallback) return chosen(fallback, `pack default ${fallback}`);
  // Validation requires a default-language variant; a template without one still gets a mail.
  return chosen(available[0]!, `pack default ${prefs.packDefault} is missing; first variant ${available[0]}`);
}
