import Type from 'typebox';
import { closed, nullableString } from './common.js';

/**
 * The company's official profile (`/api/v1/admin/company-profile`): its legal details and the
 * bank accounts buyers may pay into. Trade documents print these, payment templates insert them,
 * and the payment guard compares every account number in a mail with them, so a rep never types
 * bank details by hand.
 */

const optionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

export const BankAccount = Type.Object({
  id: Type.String(),
  label: Type.String(),
  beneficiary: Type.String(),
  bankName: Type.String(),
  bankAddress: nullableString,
  /** Electronic format (no spaces, upper case), checksum verified. */
  iban: nullableString,
  /** Digits and letters only, for countries without IBAN (CN, US, AE local …). */
  accountNumber: nullableString,
  swift: nullableString,
  /** ISO 4217, e.g. USD. */
  currency: nullableString,
});
export type BankAccount = Type.Static<typeof BankAccount>;

export const CompanyProfile = Type.Object({
  legalName: Type.String(),
  address: nullableString,
  phone: nullableString,
  email: nullableString,
  website: nullableString,
  taxId: nullableString,
  bankAccounts: Type.Array(BankAccount),
});
export type CompanyProfile = Type.Static<typeof CompanyProfile>;

export const CompanyProfileView = Type.Intersect([CompanyProfile, Type.Object({ updatedAt: nullableString, updatedBy: nullableString })]);
export type CompanyProfileView = Type.Static<typeof CompanyProfileView>;

/** One account as an admin writes it: an id keeps an account's identity across edits. */
export const BankAccountInput = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    label: Type.String({ minLength: 1, maxLength: 100 }),
    beneficiary: Type.String({ minLength: 1, maxLength: 200 }),
    bankName: Type.String({ minLength: 1, maxLength: 200 }),
    bankAddress: optionalText(500),
    iban: optionalText(64),
    accountNumber: optionalText(64),
    swift: optionalText(20),
    currency: optionalText(3),
  },
  closed,
);
export type BankAccountInput = Type.Static<typeof BankAccountInput>;

export const CompanyProfileInput = Type.Object(
  {
    legalName: Type.String({ minLength: 1, maxLength: 200 }),
    address: optionalText(500),
    phone: optionalText(50),
    email: optionalText(254),
    website: optionalText(200),
    taxId: optionalText(64),
    bankAccounts: Type.Array(BankAccountInput, { maxItems: 20 }),
  },
  closed,
);
export type CompanyProfileInput = Type.Static<typeof CompanyProfileInput>;
