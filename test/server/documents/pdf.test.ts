import { describe, expect, it } from '@jest/globals';
import { layoutDocument, type DocumentInput, type DocumentLanguage } from '../../../src/core/documents/index.js';
import { DocumentFontError, renderDocumentPdf } from '../../../src/server/documents/pdf.js';
import { loadedFaces } from '../../../src/server/documents/fonts.js';
import { runDocumentTask } from '../../../src/server/documents/task.js';
import { readPdf } from '../../support/pdf-text.js';

const input = (language: DocumentLanguage, over: Partial<DocumentInput> = {}): DocumentInput => ({
  kind: 'proforma',
  language,
  number: 'PI-2026-0042',
  issueDate: '2026-12-02',
  reference: 'Q-778',
  seller: { name: 'Demo Export Co., Ltd.', address: 'No. 88 Harbour Road\nNingbo 315000, China', phone: '+86 574 8888 0000', email: 'sales@demo-export.example' },
  buyer: { company: 'Alfanar Trading LLC', contact: 'Ahmed Al-Harbi' },
  lines: [
    { item: 'Stainless steel ball valve DN15', quantity: 100, unitPrice: 12.345, currency: 'USD' },
    { item: 'Stainless steel ball valve DN20', quantity: 101, unitPrice: 13.345, currency: 'USD' },
  ],
  incoterm: 'FOB',
  place: 'Ningbo',
  paymentTerms: 'tt-30-70',
  validUntil: '2027-01-01',
  leadTimeDays: 30,
  bankAccounts: [{ beneficiary: 'Demo Export Co., Ltd.', bankName: 'Bank of China, Ningbo Branch', accountNumber: '3581 0000 1234', swift: 'BKCHCNBJ92A', currency: 'USD' }],
  ...over,
});

const createdAt = new Date('2026-12-02T08:00:00Z');
const draw = async (doc: DocumentInput) => renderDocumentPdf(layoutDocument(doc), { title: doc.number, createdAt });

describe('the document PDF, read back with pdfjs', () => {
  it('an English PI carries its number, lines, total, terms and the official account, with only the Latin faces read', async () => {
    const pdf = await draw(input('en'));
    const text = await readPdf(pdf);
    expect(text.pages).toBe(1);
    const page = text.items[0]!;
    // Amounts worked out by hand: 100 × 12.345 = 1,234.50; 101 × 13.345 = 1,347.845 → 1,347.85; sum 2,582.35.
    for (const expected of ['Proforma invoice', 'PI-2026-0042', 'December 2, 2026', 'Q-778', 'Alfanar Trading LLC', 'Stainless steel ball valve DN15', 'USD 1,234.50', 'USD 1,347.85', 'USD 2,582.35']) {
      expect(page).toContain(expected);
    }
    expect(page).toContain('FOB Ningbo (Free On Board, Incoterms® 2020)');
    expect(page).toContain('30% T/T deposit with the order, balance of 70% against copy of the B/L');
    expect(page).toContain('BKCHCNBJ92A');
    expect(page).toContain('Page 1 of 1');
    // Subset: Noto Sans is 629 KB; the whole document stays far below it.
    expect(pdf.byteLength).toBeLessThan(60_000);
    // The 10 MB Chinese face is not read for a Latin document.
    expect(loadedFaces()).not.toContain('cjk');
  });

  it('draws the same bytes twice', async () => {
    const a = await draw(input('en'));
    const b = await draw(input('en'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('an Arabic PI reads back in logical order, shaped glyphs mapping to their letters', async () => {
    const text = await readPdf(await draw(input('ar', { buyer: { company: 'شركة الفنار للتجارة' }, lines: [{ item: 'صمام كروي مقاس 2 بوصة', quantity: 10, unitPrice: 5, currency: 'USD' }] })));
    const page = text.items[0]!;
    // Letters whose shapes share one glyph in the font (ب ت ث ن ي, ف ق) each come back as themselves.
    for (const expected of ['فاتورة مبدئية', 'رقم', 'التاريخ', 'المشتري', 'شركة الفنار للتجارة', 'الإجمالي', 'شروط الدفع', 'البيانات المصرفية']) expect(page).toContain(expected);
    expect(text.joined).toContain('صمام كروي مقاس');
    expect(page).toContain('PI-2026-0042');
    // Read right to left: "صمام كروي مقاس", then "2", then "بوصة" — so on the page each is left of the one before.
    const at = (str: string) => text.placed[0]!.find((item) => item.str === str)!;
    const words = at('صمام كروي مقاس');
    const sameLine = (str: string) => text.placed[0]!.find((item) => item.str === str && item.y === words.y)!;
    const [size, unit] = [sameLine('2'), sameLine('بوصة')];
    expect(words.x).toBeGreaterThan(size.x);
    expect(size.x).toBeGreaterThan(unit.x);
    // The total, 10 × 5 = 50.00: right to left "50.00 USD", so drawn "USD 50.00", left of its label.
    const total = text.placed[0]!.filter((item) => item.str === 'USD 50.00').at(-1)!;
    expect(total.x).toBeLessThan(at('الإجمالي').x);
    expect(total.y).toBe(at('الإجمالي').y);
  });

  it('every language prints its own title and the total', async () => {
    const titles: Record<DocumentLanguage, string> = { en: 'Proforma invoice', es: 'Factura proforma', zh: '形式发票', ar: 'فاتورة مبدئية', de: 'Proforma-Rechnung', fr: 'Facture proforma' };
    // As drawn left to right: the Arabic total reads "2,582.35 USD" right to left.
    const totals: Record<DocumentLanguage, string> = { en: 'USD 2,582.35', es: '2582,35 USD', zh: 'USD 2,582.35', ar: 'USD 2,582.35', de: '2.582,35 USD', fr: '2 582,35 USD' };
    for (const language of Object.keys(titles) as DocumentLanguage[]) {
      const text = await readPdf(await draw(input(language)));
      expect([language, text.joined.includes(titles[language])]).toEqual([language, true]);
      expect([language, text.joined.replace(/\u202f|\u00a0/g, ' ').includes(totals[language])]).toEqual([language, true]);
    }
  });

  it('a Chinese PI embeds the Chinese face, subset', async () => {
    const pdf = await draw(input('zh', { lines: [{ item: '不锈钢球阀 DN15', quantity: 3, unitPrice: 7.5, currency: 'USD' }] }));
    const text = await readPdf(pdf);
    expect(text.joined).toContain('不锈钢球阀');
    expect(text.joined).toContain('USD 22.50');
    // The face is 10 MB; its subset with a few dozen characters is small.
    expect(pdf.byteLength).toBeLessThan(120_000);
  });

  it('50 lines run onto a second page with the column heads again, and every page is numbered', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({ item: `Valve type ${i + 1}`, quantity: 1, unitPrice: 1, currency: 'USD' }));
    const text = await readPdf(await draw(input('en', { lines })));
    expect(text.pages).toBe(2);
    expect(text.items[1]).toContain('Description');
    expect(text.items[1]).toContain('Valve type 50');
    expect(text.items[1]).toContain('Page 2 of 2');
    expect(text.joined).toContain('USD 50.00');
  });

  it('refuses text no font draws, and bad input, with clear errors', async () => {
    await expect(draw(input('en', { buyer: { company: 'Shop 🛒' } }))).rejects.toThrow(DocumentFontError);
    await expect(draw(input('en', { buyer: { company: 'Shop 🛒' } }))).rejects.toThrow('no document font can draw U+1F6D2 "🛒" in "Shop 🛒"');
    const result = await runDocumentTask({ input: input('en', { lines: [{ item: 'x\u0001', quantity: 1, unitPrice: 1, currency: 'USD' }] }), title: 't', createdAt: createdAt.toISOString() });
    expect(result).toEqual({ ok: false, code: 'invalid_document', message: 'lines[0].item: contains the control character U+0001 at position 2; remove it', details: [{ path: 'lines[0].item', message: 'contains the control character U+0001 at position 2; remove it' }] });
  });
});
