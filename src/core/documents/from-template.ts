import type { PackCompany, PackField, PackTemplate } from '../pack/schema.js';
import { DateValue, MoneyValue } from '../template/values.js';
import type { DocumentKind, DocumentLanguage } from './labels.js';
import type { DocumentBankAccount, DocumentBuyer, DocumentInput, DocumentLineInput } from './model.js';

/**
 * A quotation template's typed fields as a document's data, the one mapping the store and the CLI
 * use: the item lines are the template's `lines` field with a text (item), a number (quantity)
 * and a money (unit price) column; `incoterm`, `place` (or `namedPlace`), `paymentTerms`,
 * `validUntil`, `leadTimeDays` and `quoteNo` (or `reference`) are read by name.
 */

export interface ItemColumns {
  field: PackField;
  item: string;
  quantity: string;
  unitPrice: string;
}

/** The template's item lines, or undefined when it has none a document can print. */
export function itemColumnsOf(template: PackTemplate): ItemColumns | undefined {
  for (const field of template.fields ?? []) {
    if (field.type !== 'lines') continue;
    const columns = field.columns ?? [];
    const item = columns.find((c) => c.type === 'text');
    const quantity = columns.find((c) => c.type === 'number');
    const unitPrice = columns.find((c) => c.type === 'money');
    if (item && quantity && unitPrice) return { field, item: item.name, quantity: quantity.name, unitPrice: unitPrice.name };
  }
  return undefined;
}

export interface OfficialProfile {
  legalName?: string | null | undefined;
  address?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
  taxId?: string | null | undefined;
  bankAccounts: DocumentBankAccount[];
}

export interface FromTemplate {
  kind: DocumentKind;
  language: DocumentLanguage;
  number: string;
  issueDate: string;
  columns: ItemColumns;
  /** Checked field values (checkFieldValues). */
  values: Record<string, unknown>;
  company: PackCompany | undefined;
  profile: OfficialProfile;
  buyer: DocumentBuyer;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());

export function documentInputFromTemplate(from: FromTemplate): DocumentInput {
  const { values, columns, company, profile } = from;
  const rows = (values[columns.field.name] as Record<string, unknown>[] | undefined) ?? [];
  const lines: DocumentLineInput[] = rows.map((row) => {
    const price = row[columns.unitPrice] as MoneyValue | undefined;
    return { item: text(row[columns.item]) ?? '', quantity: Number(row[columns.quantity] ?? NaN), unitPrice: price?.amount ?? NaN, currency: price?.currency ?? '' };
  });
  return {
    kind: from.kind,
    language: from.language,
    number: from.number,
    issueDate: from.issueDate,
    reference: text(values.quoteNo ?? values.reference),
    // The pack's letterhead first (it may be a trading name), the official profile where it is silent.
    seller: {
      name: company?.name ?? profile.legalName ?? '',
      address: company?.address ?? profile.address,
      phone: company?.phone ?? profile.phone,
      email: company?.email ?? profile.email,
      website: company?.website ?? profile.website,
      taxId: company?.taxId ?? profile.taxId,
    },
    buyer: from.buyer,
    lines,
    incoterm: text(values.incoterm),
    place: text(values.place ?? values.namedPlace),
    paymentTerms: text(values.paymentTerms),
    validUntil: values.validUntil instanceof DateValue ? values.validUntil.iso : undefined,
    leadTimeDays: typeof values.leadTimeDays === 'number' ? values.leadTimeDays : undefined,
    // Only the official accounts; never a value typed into the template.
    bankAccounts: profile.bankAccounts.map((a) => ({ beneficiary: a.beneficiary, bankName: a.bankName, bankAddress: a.bankAddress, iban: a.iban, accountNumber: a.accountNumber, swift: a.swift, currency: a.currency })),
  };
}
