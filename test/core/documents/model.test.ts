import { describe, expect, it } from '@jest/globals';
import { DOCUMENT_LABELS, DOCUMENT_LANGUAGES, documentLanguageOf, documentNumber, DocumentInputError, layoutDocument, MAX_DOCUMENT_LINES, type DocumentInput } from '../../../src/core/documents/index.js';

const input = (over: Partial<DocumentInput> = {}): DocumentInput => ({
  kind: 'proforma',
  language: 'en',
  number: 'PI-2026-0001',
  issueDate: '2026-12-02',
  seller: { name: 'Demo Export Co., Ltd.', address: 'No. 88 Harbour Road\nNingbo', phone: '+86 574 8888 0000' },
  buyer: { company: 'Alfanar Trading LLC' },
  lines: [
    { item: 'Ball valve DN15', quantity: 100, unitPrice: 12.345, currency: 'USD' },
    { item: 'Ball valve DN20', quantity: 101, unitPrice: 13.345, currency: 'USD' },
  ],
  incoterm: 'FOB',
  place: 'Ningbo',
  paymentTerms: 'tt-30-70',
  validUntil: '2027-01-01',
  leadTimeDays: 30,
  bankAccounts: [
    { beneficiary: 'Demo Export Co., Ltd.', bankName: 'Bank of China', swift: 'BKCHCNBJ92A', accountNumber: '3581 0000 1234', currency: 'USD' },
    { beneficiary: 'Demo Export Co., Ltd.', bankName: 'Deutsche Bank', iban: 'DE89370400440532013000', currency: 'EUR' },
  ],
  ...over,
});

describe('document layout', () => {
  it('numbers per kind and year', () => {
    expect(documentNumber('proforma', 2026, 1)).toBe('PI-2026-0001');
    expect(documentNumber('quotation', 2027, 12345)).toBe('Q-2027-12345');
  });

  it('prints lines rounded per line and a total that is their sum', () => {
    const layout = layoutDocument(input());
    // 100 × 12.345 = 1,234.50; 101 × 13.345 = 1,347.845 → 1,347.85; total 2,582.35.
    expect(layout.rows).toEqual([
      ['1', 'Ball valve DN15', '100', 'USD 12.345', 'USD 1,234.50'],
      ['2', 'Ball valve DN20', '101', 'USD 13.345', 'USD 1,347.85'],
    ]);
    expect(layout.total).toEqual({ label: 'Total', value: 'USD 2,582.35' });
    expect(layout.totalMinor).toBe('258235');
  });

  it('words delivery, payment, validity and the title in the buyer’s language', () => {
    const layout = layoutDocument(input({ language: 'de' }));
    expect(layout.title).toBe('Proforma-Rechnung');
    expect(layout.terms).toEqual([
      { label: 'Lieferbedingungen', value: 'FOB Ningbo (Frei an Bord, Incoterms® 2020)' },
      { label: 'Zahlungsbedingungen', value: '30 % Anzahlung per Überweisung (T/T) bei Auftrag, Restzahlung 70 % gegen Kopie des Konnossements' },
      { label: 'Lieferzeit', value: '30 Tage' },
    ]);
    expect(layout.meta).toContainEqual({ label: 'Gültig bis', value: '1. Januar 2027' });
    expect(layout.total.value).toBe('2.582,35 USD');
  });

  it('prints only the profile’s accounts in the document’s currency, with the advice to confirm by phone', () => {
    const layout = layoutDocument(input());
    expect(layout.bank.accounts).toEqual([
      [
        { label: 'Beneficiary', value: 'Demo Export Co., Ltd.' },
        { label: 'Bank', value: 'Bank of China' },
        { label: 'Account no.', value: '3581 0000 1234' },
        { label: 'SWIFT/BIC', value: 'BKCHCNBJ92A' },
        { label: 'Currency', value: 'USD' },
      ],
    ]);
    expect(layout.bank.note).toBe(DOCUMENT_LABELS.en.bankWarning);
    expect(layoutDocument(input({ bankAccounts: [] })).bank.note).toBe(DOCUMENT_LABELS.en.noBankAccount);
  });

  it('lays Arabic out right to left with Western digits', () => {
    const layout = layoutDocument(input({ language: 'ar' }));
    expect(layout.direction).toBe('rtl');
    expect(layout.title).toBe('فاتورة مبدئية');
    expect(layout.total.value).toBe('\u200F2,582.35 USD');
  });

  it('has every label in every language', () => {
    for (const language of DOCUMENT_LANGUAGES) {
      for (const [key, value] of Object.entries(DOCUMENT_LABELS[language])) {
        if (typeof value === 'string') expect([language, key, value.length > 0]).toEqual([language, key, true]);
      }
    }
    expect(documentLanguageOf('zh-CN')).toBe('zh');
    expect(documentLanguageOf('pt-BR')).toBeUndefined();
  });

  it('refuses what cannot be a document, naming every place', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ item: `Item ${i}`, quantity: 1, unitPrice: 1, currency: 'USD' }));
    expect(() => layoutDocument(input({ lines: many }))).toThrow(`lines: has 10000 rows; a document holds at most ${MAX_DOCUMENT_LINES}`);
    let error: DocumentInputError | undefined;
    try {
      layoutDocument(
        input({
          buyer: { company: 'ACME\u0000' },
          lines: [
            { item: 'วาล์ว', quantity: 1, unitPrice: 1, currency: 'USD' },
            { item: 'Valve', quantity: 0, unitPrice: 1, currency: 'EUR' },
          ],
        }),
      );
    } catch (e) {
      error = e as DocumentInputError;
    }
    expect(error?.problems.map((p) => p.path)).toEqual(['buyer.company', 'lines[0].item', 'lines[1].quantity', 'lines[1].unitPrice']);
    expect(error?.problems[3]?.message).toBe('is in EUR but the first line is in USD; one document has one currency');
  });
});
