import { COUNTRY_LANGUAGES, countryCode, matchLanguage } from '../template/variant.js';

/**
 * The language a mail to a buyer goes out in — one chain for every face:
 *
 *   the rep's explicit pick for this mail
 *   › the language the buyer wrote their own last message in (detected by the caller)
 *   › the contact's stored language › the customer's country
 *   › the country of the recipient's domain (.es → es, .com.br → pt; generic domains say nothing)
 *   › the pack's default language.
 *
 * The rep's UI language is not on the list: it is used only when the rep picks it. When the
 * first language the chain finds has no variant, the choice says so and falls back to the pack's
 * default (a buyer whose language is missing gets the default the company chose, not a guess from
 * further down). The reason is a code with parameters so every face can word it in its own UI
 * language; `describeLanguageChoice` words it in English (API responses, the CLI).
 */

export type LanguageSource = 'rep-pick' | 'buyer-wrote' | 'contact-language' | 'customer-country' | 'recipient-domain' | 'pack-default';

export interface LanguageReason {
  code: LanguageSource | 'no-variant';
  params: Record<string, string>;
}

export interface LanguageInputs {
  /** What the rep picked for this mail; blank or undefined for "Automatic (for the recipient)". */
  repPick?: string | null | undefined;
  /** The detected language of the buyer's own last message in the thread. */
  buyerWrote?: string | null | undefined;
  contactLanguage?: string | null | undefined;
  /** ISO code ('SA') or English name ('Saudi Arabia'). */
  customerCountry?: string | null | undefined;
  /** The recipient's address: its domain's country is the last hint. */
  recipient?: string | null | undefined;
  packDefault: string;
}

export interface LanguageChoice {
  /** The variant to render. */
  language: string;
  /** Where the language came from (the pack default when the wanted one has no variant). */
  source: LanguageSource;
  reason: LanguageReason;
}

/** Second-level labels under which a ccTLD still names its country (example.com.br, example.co.uk). */
const TWO_LETTER_GENERIC = new Set([
  // ccTLDs sold and used worldwide as generic names: they say nothing about where a buyer is.
  'io', 'co', 'me', 'tv', 'ai', 'fm', 'gg', 'ly', 'to', 'ws', 'cc', 'la', 'sh', 'ac', 'so', 'vc', 'nu', 'tk', 'ml', 'ga', 'cf', 'gq', 'eu',
]);

/** ccTLDs whose code is not the country's ISO 3166 code. */
const TLD_COUNTRY: Readonly<Record<string, string>> = { uk: 'GB', su: 'RU' };

/** The country a recipient's domain names: 'buyer@alfanar-trading.sa' → 'SA', 'x@empresa.com.br' → 'BR'; undefined for .com, .io … */
export function domainCountry(address: string | null | undefined): string | undefined {
  const domain = address?.trim().toLowerCase().split('@').pop()?.replace(/\.$/, '');
  if (!domain || !domain.includes('.')) return undefined;
  const tld = domain.split('.').pop()!;
  if (!/^[a-z]{2}$/.test(tld) || TWO_LETTER_GENERIC.has(tld)) return undefined;
  return TLD_COUNTRY[tld] ?? tld.toUpperCase();
}

/** The language for a country code, or undefined where the table has none. Taiwan, Hong Kong and Macao read traditional Chinese. */
function languageOfCountry(code: string): string | undefined {
  const language = COUNTRY_LANGUAGES[code];
  return language === 'zh' ? `zh-${code}` : language;
}

export function chooseLanguage(variants: readonly string[], inputs: LanguageInputs): LanguageChoice {
  const fallback = (): string => matchLanguage(inputs.packDefault, variants) ?? variants[0]!;
  const settle = (source: LanguageSource, wanted: string, params: Record<string, string>): LanguageChoice => {
    const match = matchLanguage(wanted, variants);
    if (match) return { language: match, source, reason: { code: source, params: { ...params, language: match } } };
    const language = fallback();
    return { language, source: 'pack-default', reason: { code: 'no-variant', params: { ...params, wanted, because: source, language } } };
  };

  const pick = inputs.repPick?.trim();
  if (pick) return settle('rep-pick', pick, {});
  const wrote = inputs.buyerWrote?.trim();
  if (wrote) return settle('buyer-wrote', wrote, { detected: wrote });
  const contact = inputs.contactLanguage?.trim();
  if (contact) return settle('contact-language', contact, { stored: contact });
  const country = inputs.customerCountry?.trim();
  const code = country ? countryCode(country) : undefined;
  const countryLanguage = code ? languageOfCountry(code) : undefined;
  if (code && countryLanguage) return settle('customer-country', countryLanguage, { country: code });
  const domainCode = domainCountry(inputs.recipient);
  const domainLanguage = domainCode ? languageOfCountry(domainCode) : undefined;
  if (domainCode && domainLanguage) {
    return settle('recipient-domain', domainLanguage, { domain: inputs.recipient!.trim().toLowerCase().split('@').pop()!, country: domainCode });
  }
  const language = fallback();
  return { language, source: 'pack-default', reason: { code: 'pack-default', params: { language } } };
}

/** The reason in English, for API responses and the CLI (faces word the code in their own catalogues). */
export function describeLanguageChoice(reason: LanguageReason): string {
  const p = reason.params;
  const base = (code: string, params: Record<string, string>): string => {
    switch (code) {
      case 'rep-pick':
        return `you picked ${params.language}`;
      case 'buyer-wrote':
        return `the buyer's last message is in ${params.detected}`;
      case 'contact-language':
        return `the contact's language is ${params.stored}`;
      case 'customer-country':
        return `the customer is in ${params.country}`;
      case 'recipient-domain':
        return `the recipient's domain ${params.domain} is in ${params.country}`;
      default:
        return `the pack's default language is ${params.language}`;
    }
  };
  if (reason.code === 'no-variant') return `${base(p.because!, { ...p, language: p.wanted! })}, but the template has no ${p.wanted} variant: the pack's default ${p.language}`;
  return base(reason.code, p);
}
