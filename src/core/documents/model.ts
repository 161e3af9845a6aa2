import { describeIncoterm, isIncoterm } from '../template/incoterms.js';
import { formatDate } from '../template/format.js';
import { DOCUMENT_LABELS, documentLocale, PAYMENT_TERM_CODES, type DocumentKind, type DocumentLanguage } from './labels.js';
import { lineAmountMinor, majorOf } from './money.js';
import { fill, textProblem, type Direction, type TextProblem } from './text.js';

/**
 * A trade document (quotation, proforma invoice) as data, and the one rule that turns it into the
 * lines a page prints: labels in the buyer's language, money rounded per line and summed, dates
 * and numbers in the reader's locale. The PDF renderer only places what this returns.
 */

/** At most this many item lines: a real PI has dozens; thousands are a mistake or an attack. */
export const MAX_DOCUMENT_LINES = 500;
/** At most this many characters in any one printed value. */
export const MAX_DOCUMENT_TEXT = 500;

/** The seller's letterhead: from the pack's `company` block and the admin's company profile. */
export interface DocumentSeller {
  name: string;
  address?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  website?: string | null | undefined;
  taxId?: string | null | undefined;
}

export interface DocumentBuyer {
  company?: string | null | undefined;
  contact?: string | null | undefined;
  address?: string | null | undefined;
  email?: string | null | undefined;
}

/** One official account from the company profile (never typed by a rep). */
export interface DocumentBankAccount {
  beneficiary?: string | null | undefined;
  bankName?: string | null | undefined;
  bankAddress?: string | null | undefined;
  iban?: string | null | undefined;
  accountNumber?: string | null | undefined;
  swift?: string | null | undefined;
  currency?: string | null | undefined;
}

export interface DocumentLineInput {
  item: string;
  quantity: number;
  unitPrice: number;
  currency: string;
}

export interface DocumentInput {
  kind: DocumentKind;
  language: DocumentLanguage;
  /** PI-2026-0001: given by the store's sequence. */
  number: string;
  /** YYYY-MM-DD */
  issueDate: string;
  /** The rep's own reference (the quotation number typed in the template), if any. */
  reference?: string | undefined;
  seller: DocumentSeller;
  buyer: DocumentBuyer;
  lines: DocumentLineInput[];
  incoterm?: string | undefined;
  place?: string | undefined;
  paymentTerms?: string | undefined;
  validUntil?: string | undefined;
  leadTimeDays?: number | undefined;
  bankAccounts: DocumentBankAccount[];
}

export interface LayoutRow {
  label: string;
  value: string;
}

/** What the page prints, all text final. */
export interface DocumentLayout {
  direction: Direction;
  language: DocumentLanguage;
  title: string;
  seller: { name: string; lines: string[] };
  meta: LayoutRow[];
  buyer: { label: string; lines: string[] };
  columns: [string, string, string, string, string];
  rows: [string, string, string, string, string][];
  total: LayoutRow;
  currency: string;
  /** Amount in minor units, for tests and the stored record. */
  totalMinor: string;
  terms: LayoutRow[];
  bank: { label: string; accounts: LayoutRow[][]; note: string };
  /** "Page {page} of {pages}" to fill per page. */
  pageLabel: string;
}

export class DocumentInputError extends Error {
  constructor(readonly problems: TextProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
}

const blank = (v: string | null | undefined): v is null | undefined | '' => v === undefined || v === null || v.trim() === '';

function checkTexts(input: DocumentInput): TextProblem[] {
  const problems: TextProblem[] = [];
  const check = (value: string | null | undefined, path: string, multiline = false) => {
    if (blank(value)) return;
    if (value.length > MAX_DOCUMENT_TEXT) {
      problems.push({ path, message: `is ${value.length} characters long; a document value holds at most ${MAX_DOCUMENT_TEXT}` });
      return;
    }
    const problem = textProblem(value, path, { multiline });
    if (problem) problems.push(problem);
  };
  for (const [key, value] of Object.entries(input.seller)) check(value, `seller.${key}`, key === 'address');
  for (const [key, value] of Object.entries(input.buyer)) check(value, `buyer.${key}`, key === 'address');
  check(input.reference, 'reference');
  check(input.place, 'place');
  check(input.paymentTerms, 'paymentTerms');
  input.bankAccounts.forEach((account, i) => {
    for (const [key, value] of Object.entries(account)) check(value, `bankAccounts[${i}].${key}`, key === 'bankAddress');
  });
  if (input.lines.length > MAX_DOCUMENT_LINES) {
    problems.push({ path: 'lines', message: `has ${input.lines.length} rows; a document holds at most ${MAX_DOCUMENT_LINES}` });
    return problems;
  }
  if (input.lines.length === 0) problems.push({ path: 'lines', message: 'is empty; a document needs at least one item line' });
  const currency = input.lines[0]?.currency;
  input.lines.forEach((line, i) => {
    const at = `lines[${i}]`;
    if (blank(line.item)) problems.push({ path: `${at}.item`, message: 'is required' });
    else check(line.item, `${at}.item`);
    if (!Number.isFinite(line.quantity) || line.quantity <= 0) problems.push({ path: `${at}.quantity`, message: `must be a number above 0; got ${line.quantity}` });
    if (!Number.isFinite(line.unitPrice) || line.unitPrice < 0) problems.push({ path: `${at}.unitPrice`, message: `must be an amount of 0 or more; got ${line.unitPrice}` });
    if (line.currency !== currency) {
      problems.push({ path: `${at}.unitPrice`, message: `is in ${line.currency} but the first line is in ${currency}; one document has one currency` });
    }
  });
  return problems;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
/**
 * An amount as a trade document prints it: the ISO code, not a symbol ("USD 1,234.50", never a "$"
 * that could be any dollar), in the reader's locale; `exact` keeps a unit price's own decimals.
 */
export function documentMoney(amount: number, currency: string, locale: string, exact = false): string {
  const key = `${locale}|${currency}|${exact}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', ...(exact ? { maximumFractionDigits: 6 } : {}) });
    moneyFormats.set(key, format);
  }
  return format.format(amount).replace(/\u00a0|\u202f/g, ' ');
}

const present = (values: (string | null | undefined)[]) => values.filter((v): v is string => !blank(v)).map((v) => v.trim());

/** The page's text for a document, or DocumentInputError naming every problem. */
export function layoutDocument(input: DocumentInput): DocumentLayout {
  const problems = checkTexts(input);
  if (problems.length > 0) throw new DocumentInputError(problems);
  const language = input.language;
  const t = DOCUMENT_LABELS[language];
  const locale = documentLocale(language);
  const currency = input.lines[0]!.currency;
  const quantity = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });

  let totalMinor = 0n;
  const rows = input.lines.map((line, i): [string, string, string, string, string] => {
    const amount = lineAmountMinor(line.quantity, line.unitPrice, currency);
    totalMinor += amount;
    // Unit prices keep their own decimals (0.125 USD a piece is common); amounts are rounded to cents.
    return [String(i + 1), line.item.trim(), quantity.format(line.quantity), documentMoney(line.unitPrice, currency, locale, true), documentMoney(majorOf(amount, currency), currency, locale)];
  });

  const meta: LayoutRow[] = [
    { label: t.number, value: input.number },
    { label: t.date, value: formatDate(input.issueDate, locale) ?? input.issueDate },
  ];
  if (!blank(input.reference)) meta.push({ label: t.reference, value: input.reference.trim() });
  if (!blank(input.validUntil)) meta.push({ label: t.validUntil, value: formatDate(input.validUntil, locale) ?? input.validUntil });

  const terms: LayoutRow[] = [];
  if (!blank(input.incoterm)) {
    const code = input.incoterm.trim().toUpperCase();
    const place = blank(input.place) ? '' : ` ${input.place.trim()}`;
    const named = isIncoterm(code) ? ` (${describeIncoterm(code, language)}, Incoterms® 2020)` : '';
    terms.push({ label: t.delivery, value: `${code}${place}${named}` });
  }
  if (!blank(input.paymentTerms)) {
    const code = input.paymentTerms.trim();
    const worded = (PAYMENT_TERM_CODES as readonly string[]).includes(code) ? t.paymentTerms[code as (typeof PAYMENT_TERM_CODES)[number]] : code;
    terms.push({ label: t.payment, value: worded });
  }
  if (input.leadTimeDays !== undefined && Number.isFinite(input.leadTimeDays)) {
    terms.push({ label: t.leadTime, value: fill(t.leadTimeDays, { days: quantity.format(input.leadTimeDays) }) });
  }

  // Only the accounts in the document's currency: a buyer paying USD must not see a EUR account to choose from.
  const accounts = input.bankAccounts.filter((a) => blank(a.currency) || a.currency!.trim().toUpperCase() === currency);
  const bankRows = accounts.map((a) =>
    [
      { label: t.beneficiary, value: a.beneficiary },
      { label: t.bank, value: a.bankName },
      { label: t.bankAddress, value: a.bankAddress },
      { label: t.iban, value: a.iban },
      { label: t.accountNumber, value: a.accountNumber },
      { label: t.swift, value: a.swift },
      { label: t.currency, value: a.currency },
    ]
      .filter((r): r is LayoutRow => !blank(r.value))
      .map((r) => ({ label: r.label, value: r.value.trim() })),
  );

  const seller = input.seller;
  return {
    direction: language === 'ar' ? 'rtl' : 'ltr',
    language,
    title: input.kind === 'proforma' ? t.proforma : t.quotation,
    seller: {
      name: seller.name.trim(),
      lines: present([
        ...(seller.address ?? '').split('\n'),
        present([seller.phone]).map((p) => `${t.phone}: ${p}`)[0],
        present([seller.email, seller.website]).join(' · ') || undefined,
        present([seller.taxId]).map((p) => `${t.taxId}: ${p}`)[0],
      ]),
    },
    meta,
    buyer: { label: t.buyer, lines: present([input.buyer.company, input.buyer.contact, ...(input.buyer.address ?? '').split('\n'), input.buyer.email]) },
    columns: [t.lineNo, t.item, t.quantity, t.unitPrice, t.amount],
    rows,
    total: { label: t.total, value: documentMoney(majorOf(totalMinor, currency), currency, locale) },
    currency,
    totalMinor: totalMinor.toString(),
    terms,
    bank: { label: t.bankDetails, accounts: bankRows, note: bankRows.length > 0 ? t.bankWarning : t.noBankAccount },
    pageLabel: t.page,
  };
}
