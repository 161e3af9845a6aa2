import { layoutDocument, type DocumentInput, type DocumentLanguage } from '../../src/core/documents/index.js';
import { renderDocumentPdf } from '../../src/server/documents/pdf.js';
import { median, type Row } from '../measure.js';

/**
 * A 50-line proforma invoice in each document language, drawn as the store's worker thread draws
 * it (layout, shaping, subset fonts, save): milliseconds per document (median, after a warm-up
 * that reads and parses the fonts once, as a long-running worker has) and bytes. Every document
 * has its own item texts, so shaping is not served from the previous document's cache.
 */

const ITEMS: Record<DocumentLanguage, string> = {
  en: 'Stainless steel ball valve, full bore, PN16, size',
  es: 'Válvula de bola de acero inoxidable, paso total, PN16, tamaño',
  de: 'Edelstahl-Kugelhahn, voller Durchgang, PN16, Größe',
  fr: 'Vanne à bille en inox, passage intégral, PN16, taille',
  zh: '不锈钢全通径球阀，PN16，规格',
  ar: 'صمام كروي من الفولاذ المقاوم للصدأ، تجويف كامل، مقاس',
};

function invoice(language: DocumentLanguage, run: number): DocumentInput {
  return {
    kind: 'proforma',
    language,
    number: `PI-2026-${String(run + 1).padStart(4, '0')}`,
    issueDate: '2026-12-02',
    reference: 'Q-2026-1123',
    seller: { name: 'Demo Export Co., Ltd.', address: 'No. 88 Harbour Road, Beilun District\nNingbo 315800, Zhejiang, China', phone: '+86 574 8888 0000', email: 'sales@demo-export.example', taxId: '91330206MA2DEMO01X' },
    buyer: { company: 'Alfanar Trading LLC', contact: 'Ahmed Al-Harbi', address: 'King Fahd Road, Riyadh 12211, Saudi Arabia' },
    lines: Array.from({ length: 50 }, (_, i) => ({ item: `${ITEMS[language]} DN${15 + i} #${run}-${i}`, quantity: 100 + i * 10, unitPrice: 12.5 + i * 0.37, currency: 'USD' })),
    incoterm: 'FOB',
    place: 'Ningbo',
    paymentTerms: 'tt-30-70',
    validUntil: '2027-01-01',
    leadTimeDays: 30,
    bankAccounts: [{ beneficiary: 'Demo Export Co., Ltd.', bankName: 'Bank of China, Ningbo Branch', bankAddress: '139 Yaohang Street, Ningbo', accountNumber: '358100001234', swift: 'BKCHCNBJ92A', currency: 'USD' }],
  };
}

export async function documentsSection(): Promise<Row[]> {
  const rows: Row[] = [];
  const createdAt = new Date('2026-12-02T08:00:00Z');
  for (const language of ['en', 'es', 'de', 'fr', 'zh', 'ar'] as DocumentLanguage[]) {
    const draw = (run: number) => renderDocumentPdf(layoutDocument(invoice(language, run)), { title: 'bench', createdAt });
    for (let i = 0; i < 3; i++) await draw(1000 + i);
    const times: number[] = [];
    let bytes = 0;
    const end = performance.now() + 3000;
    for (let run = 0; performance.now() < end || times.length < 5; run++) {
      const t0 = performance.now();
      const pdf = await draw(run);
      times.push(performance.now() - t0);
      bytes = pdf.byteLength;
    }
    rows.push({ section: 'documents', name: `PI, 50 lines, ${language}: per document`, value: median(times), unit: 'ms', higherIsBetter: false, note: `${times.length} documents` });
    rows.push({ section: 'documents', name: `PI, 50 lines, ${language}: size`, value: bytes / 1024, unit: 'KB', higherIsBetter: false, note: 'fonts embedded, subset' });
  }
  return rows;
}
