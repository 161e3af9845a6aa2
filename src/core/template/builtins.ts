/** Built-in template values, on their own so the console's editor can offer them without loading the template engine. */

/** The values every template can use besides its fields, by group. */
export const BUILTIN_VARIABLES = {
  contact: ['firstName', 'lastName', 'email', 'title'],
  customer: ['company', 'country', 'city'],
  rep: ['name', 'title', 'email', 'phone', 'mobile', 'department', 'whatsapp', 'wechat'],
  // bank*, iban, swift, accountNumber: the first official account of the company profile, never typed by a rep.
  company: ['name', 'website', 'address', 'phone', 'legalName', 'bankBeneficiary', 'bankName', 'bankAddress', 'iban', 'swift', 'accountNumber', 'bankCurrency'],
  client: ['localTime', 'timeZone'],
} as const satisfies Record<string, readonly string[]>;

export type BuiltinGroup = keyof typeof BUILTIN_VARIABLES;
export const BUILTIN_VALUES = ['today'] as const;
