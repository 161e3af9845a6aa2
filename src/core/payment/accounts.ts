import { electronicFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';

/**
 * Bank identifiers in one canonical form, so an account written "DE89 3704 0044 0532 0130 00" in
 * a mail and "de89370400440532013000" in the profile compare equal.
 */

/** Electronic IBAN (upper case, no separators) when the checksum holds; null otherwise. */
export function canonicalIban(text: string): string | null {
  const electronic = electronicFormatIBAN(text.replace(/[\s\-.\u00a0\u2000-\u200b\u3000]/g, ''));
  return electronic && isValidIBAN(electronic) ? electronic : null;
}

/** Upper-case BIC (8 or 11 characters) when well formed; null otherwise. */
export function canonicalBic(text: string): string | null {
  const bic = text.replace(/[\s\u00a0]/g, '').toUpperCase();
  return isValidBIC(bic) ? bic : null;
}

/** An account number's letters and digits only, upper case ("0123-4567 89" → "0123456789"). */
export function canonicalAccountNumber(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

/** The account numbers an IBAN carries besides itself: its BBAN, so "account 0532013000" matches DE89…0532013000. */
export function ibanTail(iban: string): string {
  return iban.slice(4);
}

/** What the guard compares against: the company's (or a partner's) known accounts, canonical. */
export interface KnownAccounts {
  ibans: ReadonlySet<string>;
  accountNumbers: ReadonlySet<string>;
  bics: ReadonlySet<string>;
}

export function knownAccounts(accounts: readonly { iban: string | null; accountNumber: string | null; swift: string | null }[]): KnownAccounts {
  const ibans = new Set<string>();
  const accountNumbers = new Set<string>();
  const bics = new Set<string>();
  for (const a of accounts) {
    const iban = a.iban ? canonicalIban(a.iban) : null;
    if (iban) {
      ibans.add(iban);
      accountNumbers.add(ibanTail(iban));
    }
    if (a.accountNumber) accountNumbers.add(canonicalAccountNumber(a.accountNumber));
    const bic = a.swift ? canonicalBic(a.swift) : null;
    if (bic) {
      bics.add(bic);
      // A BIC8 and its BIC11 "XXX" head office branch name the same bank.
      bics.add(bic.length === 8 ? `${bic}XXX` : bic.endsWith('XXX') ? bic.slice(0, 8) : bic);
    }
  }
  return { ibans, accountNumbers, bics };
}
