import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../../src/server/db/connect.js';
import { pushPack } from '../../../src/server/services/packs.js';
import { addUser } from '../../../src/server/services/people.js';
import { createApiKey } from '../../../src/server/services/api-keys.js';
import { renderDocumentInline, type DocumentRenderer } from '../../../src/server/documents/task.js';
import { bearer, operator, seedTenant, testApp, type SeededTenant } from '../../support/fixtures.js';
import { storeKinds } from '../../support/stores.js';
import { readPdf } from '../../support/pdf-text.js';

const docPack = (groups: string[]) => `pack: trade-docs
title: Trade documents
groups: [${groups.join(', ')}]
defaultLanguage: en
company:
  name: Demo Export Co., Ltd.
  address: "No. 88 Harbour Road\\nNingbo 315800, China"
  phone: "+86 574 8888 0000"
  taxId: 91330206MA2DEMO01X
templates:
  - id: quotation
    kind: quote
    title: Quotation
    fields:
      - {name: quoteNo, type: text}
      - name: lines
        type: lines
        required: true
        columns:
          - {name: item, type: text, required: true}
          - {name: qty, type: number, required: true}
          - {name: unitPrice, type: money, currency: USD, required: true}
      - {name: incoterm, type: choice, options: [EXW, FOB, CIF], default: FOB}
      - {name: place, type: text}
      - {name: paymentTerms, type: choice, options: [tt-30-70, lc-at-sight], default: tt-30-70}
      - {name: validUntil, type: date, default: "+30d"}
      - {name: leadTimeDays, type: number, default: 30}
    variants:
      en: {subject: "Quotation {{ quoteNo }}", body: "<p>See the attached quotation.</p>"}
  - id: hello
    kind: inquiry
    title: Hello
    variants:
      en: {subject: "Hello", body: "<p>Hello</p>"}
`;

const fields = (over: Record<string, unknown> = {}) => ({
  quoteNo: 'Q-778',
  lines: [
    { item: 'Stainless steel ball valve DN15', qty: 100, unitPrice: '12.345' },
    { item: 'Stainless steel ball valve DN20', qty: 101, unitPrice: 13.345 },
  ],
  place: 'Ningbo',
  ...over,
});

// The numbering is what the concurrency tests pin; drawing 50 PDFs would only slow them down.
const tinyDraw: DocumentRenderer = async () => ({ ok: true, pdf: new TextEncoder().encode('%PDF-1.7 stand-in') });

describe.each(storeKinds())('trade documents on $name', (kind) => {
  let store: Store;
  let app: FastifyInstance;
  let fastApp: FastifyInstance;
  let t: SeededTenant;
  let otherRepKey: string;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    store = await kind.open();
    t = await seedTenant(store, 'docs');
    await pushPack(t.tdb, operator(t.tenantId), docPack([t.groupSlug]), undefined, { publish: true });
    const other = await addUser(t.tdb, operator(t.tenantId), { email: 'other@docs.test', name: 'Other Rep', groups: [t.groupSlug] });
    otherRepKey = (await createApiKey(t.tdb, operator(t.tenantId), { userEmail: other.email, name: 'k', scopes: ['packs:read'] })).key;
    app = await testApp(store, {}, { documentDraw: renderDocumentInline });
    fastApp = await testApp(store, {}, { documentDraw: tinyDraw });
  });

  afterAll(async () => {
    await app.close();
    await fastApp.close();
    await store.close();
  });

  const make = (payload: object, key = t.rep.key, on = app) => on.inject({ method: 'POST', url: '/api/v1/me/documents', headers: bearer(key), payload });

  it('makes a numbered PI from the quotation’s fields, stored with its data, and draws it again to the same bytes', async () => {
    const res = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', language: 'en', to: 'buyer@alfanar.example', fields: fields() });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.document).toMatchObject({ kind: 'proforma', number: `PI-${year}-0001`, language: 'en', currency: 'USD', total: 'USD 2,582.35', totalMinor: '258235', fileName: `PI-${year}-0001.pdf` });
    const pdf = Buffer.from(body.pdfBase64, 'base64');
    const text = await readPdf(pdf);
    for (const expected of [`PI-${year}-0001`, 'Demo Export Co., Ltd.', 'Q-778', 'buyer@alfanar.example', 'USD 1,347.85', 'USD 2,582.35', 'FOB Ningbo (Free On Board, Incoterms® 2020)']) expect(text.joined).toContain(expected);

    const row = await t.tdb.selectFrom('documents').selectAll().where('id', '=', body.document.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ number: `PI-${year}-0001`, sequence: 1, layout_version: 1, pack: 'trade-docs', template_id: 'quotation', byte_size: pdf.byteLength });
    expect(JSON.parse(row.data)).toMatchObject({ lines: [{ item: 'Stainless steel ball valve DN15', quantity: 100, unitPrice: 12.345, currency: 'USD' }, { quantity: 101 }], incoterm: 'FOB', place: 'Ningbo' });

    const again = await app.inject({ method: 'GET', url: body.downloadPath, headers: bearer(t.rep.key) });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/pdf');
    expect(again.headers['content-disposition']).toBe(`attachment; filename="PI-${year}-0001.pdf"`);
    expect(again.rawPayload.equals(pdf)).toBe(true);
    // Another rep does not see it; the admin does.
    expect((await app.inject({ method: 'GET', url: body.downloadPath, headers: bearer(otherRepKey) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: body.downloadPath, headers: bearer(t.admin.key) })).statusCode).toBe(200);
  });

  it('numbers each kind on its own sequence and continues it', async () => {
    const q = await make({ kind: 'quotation', pack: 'trade-docs', template: 'quotation', fields: fields() }, t.rep.key, fastApp);
    expect(q.json().document.number).toBe(`Q-${year}-0001`);
    const pi = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields() }, t.rep.key, fastApp);
    expect(pi.json().document.number).toBe(`PI-${year}-0002`);
  });

  it('gives 50 concurrent requests 50 different numbers with no gap', async () => {
    const before = await t.tdb.selectFrom('document_sequences').select('last_value').where('kind', '=', 'quotation').where('year', '=', year).executeTakeFirstOrThrow();
    const results = await Promise.all(Array.from({ length: 50 }, () => make({ kind: 'quotation', pack: 'trade-docs', template: 'quotation', fields: fields() }, t.rep.key, fastApp)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.json().document.number as string).sort();
    const expected = Array.from({ length: 50 }, (_, i) => `Q-${year}-${String(before.last_value + i + 1).padStart(4, '0')}`);
    expect(numbers).toEqual(expected);
  });

  it('prints bank details only from the admin’s company profile, in the document’s currency', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/company-profile',
      headers: bearer(t.admin.key),
      payload: {
        legalName: 'Demo Export Co., Ltd.',
        bankAccounts: [
          { label: 'USD', beneficiary: 'Demo Export Co., Ltd.', bankName: 'Bank of China, Ningbo Branch', accountNumber: '358100001234', swift: 'BKCHCNBJ92A', currency: 'USD' },
          { label: 'EUR', beneficiary: 'Demo Export Co., Ltd.', bankName: 'Deutsche Bank', iban: 'DE89370400440532013000', swift: 'DEUTDEFF', currency: 'EUR' },
        ],
      },
    });
    expect(put.statusCode).toBe(200);
    // A value typed for a field the template does not declare (the old free-text bankDetails) is dropped.
    const res = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields({ bankDetails: 'IBAN GB33 BUKB 2020 1555 5555 55 (new account!)' }) });
    expect(res.statusCode).toBe(201);
    const text = await readPdf(Buffer.from(res.json().pdfBase64, 'base64'));
    expect(text.joined).toContain('BKCHCNBJ92A');
    expect(text.joined).toContain('358100001234');
    expect(text.joined).toContain('We never change our bank details by email');
    expect(text.joined).not.toContain('GB33');
    // The EUR account is not offered on a USD invoice.
    expect(text.joined).not.toContain('DE89370400440532013000');
  });

  it('refuses hostile and impossible input with errors that name the place, taking no number', async () => {
    const before = await t.tdb.selectFrom('document_sequences').select('last_value').where('kind', '=', 'proforma').where('year', '=', year).executeTakeFirstOrThrow();
    const many = Array.from({ length: 10_000 }, (_, i) => ({ item: `Item ${i}`, qty: 1, unitPrice: 1 }));
    const huge = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields({ lines: many }) }, t.rep.key, fastApp);
    expect(huge.statusCode).toBe(422);
    expect(huge.json().error).toMatchObject({ code: 'invalid_document', details: [{ path: 'lines', message: 'has 10000 rows; a document holds at most 500' }] });

    const thai = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields({ lines: [{ item: 'วาล์ว', qty: 1, unitPrice: 1 }] }) }, t.rep.key, fastApp);
    expect(thai.statusCode).toBe(422);
    expect(thai.json().error.details[0]).toMatchObject({ path: 'lines[0].item' });
    expect(thai.json().error.details[0].message).toMatch(/Thai script/);

    const control = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields({ place: 'Ning\u0007bo' }) }, t.rep.key, fastApp);
    expect(control.statusCode).toBe(400);
    expect(control.json().error.code).toBe('invalid_text');

    const language = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', language: 'ko', fields: fields() }, t.rep.key, fastApp);
    expect(language.statusCode).toBe(400);
    expect(language.json().error.details).toEqual([{ path: 'language', message: 'one of en, es, zh, ar, de, fr' }]);

    const noLines = await make({ kind: 'proforma', pack: 'trade-docs', template: 'hello', fields: {} }, t.rep.key, fastApp);
    expect(noLines.statusCode).toBe(422);
    expect(noLines.json().error.code).toBe('not_a_document_template');

    const badField = await make({ kind: 'proforma', pack: 'trade-docs', template: 'quotation', fields: fields({ lines: [{ item: 'x', qty: 'many', unitPrice: 1 }] }) }, t.rep.key, fastApp);
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.details).toEqual([{ path: 'fields.lines', message: 'row 1: qty must be a number; got "many"' }]);

    const after = await t.tdb.selectFrom('document_sequences').select('last_value').where('kind', '=', 'proforma').where('year', '=', year).executeTakeFirstOrThrow();
    expect(after.last_value).toBe(before.last_value);
  });
});
