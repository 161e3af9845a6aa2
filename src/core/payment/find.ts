import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import { canonicalAccountNumber, canonicalBic } from './accounts.js';

/**
 * Finds the bank details a mail body carries: IBANs (grouped with spaces or not, any country),
 * SWIFT/BIC codes (named as such: an eight-letter word like CUSTOMER is a well-formed BIC too) and
 * account numbers written after a word that announces one, in the languages exporters write.
 */

export interface FoundIban {
  kind: 'iban';
  /** Electronic format. */
  value: string;
  /** False when it has an IBAN's shape and length for its country but the check digits fail. */
  valid: boolean;
}
export interface FoundBic {
  kind: 'bic';
  value: string;
}
export interface FoundAccountNumber {
  kind: 'account';
  value: string;
}
export type FoundBankDetail = FoundIban | FoundBic | FoundAccountNumber;

const SPECS = getCountrySpecifications();

/** Full-width and Arabic-Indic digits and letters read as ASCII; odd spaces as one space. */
export function normaliseForScan(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
}

// Two letters, two digits, then groups of letters and digits separated by at most one space or dash.
const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ -]?[A-Za-z0-9]){10,32}/g;
/** A BIC counts when it follows its name directly ("SWIFT/BIC code: DEUTDEFF", "BIC DEUTDEFF"). */
const BIC_KEYWORD = /(?:swift|bic|s\.w\.i\.f\.t\.?|银行代码|银行识别码|代码|código|رمز السويفت|سويفت)(?:[\s:：\-/#.()]|code|codigo|código|number|no|bic|swift|码)*$/i;
const BIC_CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Za-z0-9])/g;
/** Words that announce an account number (en, zh, es, pt, de, fr, ar, ru, tr). */
const ACCOUNT_KEYWORD =
  /(?:account|acct|a\/c|acc\.?\s*no|账号|帐号|账户|帐户|帳號|帳戶|卡号|cuenta|conta|konto|kontonummer|compte|حساب|رقم الحساب|сч[её]т|расч[её]тный счет|hesap|hesap no)/giu;
const ACCOUNT_NUMBER = /^[^0-9+\n]{0,30}?([0-9][0-9 -]{4,40}[0-9])/u;

/** Every bank detail in `text` (plain text; see htmlToText for HTML), each once, in order of appearance. */
export function findBankDetails(rawText: string): FoundBankDetail[] {
  const text = normaliseForScan(rawText);
  const found: FoundBankDetail[] = [];
  const seen = new Set<string>();
  const add = (d: FoundBankDetail) => {
    const key = `${d.kind}:${d.value}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push(d);
    }
  };
  const ibanSpans: [number, number][] = [];
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    const compact = m[0].replace(/[ -]/g, '').toUpperCase();
    const country = compact.slice(0, 2);
    const length = SPECS[country]?.chars;
    // The candidate may run into the next word ("…0130 00 BIC"): the country's length says where it ends.
    if (!length || compact.length < length) continue;
    const iban = compact.slice(0, length);
    add({ kind: 'iban', value: iban, valid: isValidIBAN(iban) });
    ibanSpans.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(BIC_CANDIDATE)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (!BIC_KEYWORD.test(before)) continue;
    const bic = canonicalBic(m[0]);
    if (bic) add({ kind: 'bic', value: bic });
  }
  for (const m of text.matchAll(ACCOUNT_KEYWORD)) {
    const start = m.index + m[0].length;
    const after = ACCOUNT_NUMBER.exec(text.slice(start, start + 80));
    if (!after) continue;
    const numberStart = start + after[0].length - after[1]!.length;
    if (ibanSpans.some(([s, e]) => numberStart >= s && numberStart < e)) continue;
    const value = canonicalAccountNumber(after[1]!);
    // Fewer than six digits is a reference or a quantity, not an account.
    if (value.length >= 6 && value.length <= 34) add({ kind: 'account', value });
  }
  return found;
}

/** How a finding names an account to a person: its first and last four characters. */
export function maskAccount(value: string): string {
  return value.length <= 8 ? value : `${value.slice(0, 4)}…${value.slice(-4)}`;
}
