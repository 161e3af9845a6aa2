import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parsePackSource } from '../../../src/core/pack/source.js';
import type { PackDocument, PackTemplate } from '../../../src/core/pack/schema.js';
import { checkTemplate, renderTemplate, type RenderContext, type RenderResult } from '../../../src/core/template/index.js';

const parsed = parsePackSource(readFileSync(new URL('../../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8'), 'demo-pack.yaml');
if (!parsed.ok) throw new Error(`demo pack invalid: ${JSON.stringify(parsed.issues)}`);
const pack: PackDocument = parsed.pack;
const templates = pack.templates ?? [];
const byId = (id: string): PackTemplate => {
  const t = templates.find((x) => x.id === id);
  if (!t) throw new Error(`no template ${id}`);
  return t;
};

const now = new Date('2025-03-15T10:00:00Z');
const base: RenderContext = {
  contact: { firstName: 'Ana', lastName: 'García', email: 'ana@luz.example' },
  customer: { company: 'Luz y Cía', country: 'ES' },
  rep: { name: 'Li Wei', email: 'rep@demo.tradepane.test' },
  company: { name: 'Ningbo Bright Lighting Co., Ltd.' },
};
const SAMPLE_FIELDS: Record<string, Record<string, unknown>> = {
  'inquiry-reply': { product: 'LED panel light', catalogUrl: 'https://demo.example/catalogue' },
  quotation: {
    product: 'LED panel light',
    quoteNo: 'Q-2025-014',
    place: 'Ningbo',
    lines: [
      { item: '600×600 panel, 40 W', qty: 1000, unitPrice: 7.85 },
      { item: '300×1200 panel, 36 W', qty: 500, unitPrice: 9.2 },
    ],
  },
  'sample-dispatch': { product: 'LED panel light', trackingNo: '1234567890', trackingUrl: 'https://www.dhl.com/track?id=1234567890', contents: '2 × panel\n1 × driver' },
  'follow-up': { about: 'samples', sentOn: '2025-03-01', reference: 'DHL 1234567890' },
  // The team inbox's own two (docs/team-inbox.md): the store fills these from the conversation and the clock.
  'team-acknowledgement': { replyBy: 'Tuesday 10:00', buyerTime: 'yes', inbox: 'info@demo.tradepane.test', subject: 'LED panels for Valencia' },
  'team-hand-off': { inbox: 'info@demo.tradepane.test', subject: 'LED panels for Valencia' },
  'shipping-notice': { orderNo: 'PO-7781', portOfLoading: 'Ningbo', portOfDischarge: 'Valencia', blNo: 'NGB123456', etd: '2025-03-20', eta: '2025-04-25' },
  'payment-reminder': { invoiceNo: 'INV-0931', amount: 12345.6, dueDate: '2025-03-10' },
};

function render(id: string, language: string, extra: Partial<RenderContext> = {}): RenderResult {
  return renderTemplate(byId(id), language, { ...base, fields: SAMPLE_FIELDS[id], ...extra }, { now, timeZone: 'Asia/Shanghai' });
}
function ok(result: RenderResult) {
  if (!result.ok) throw new Error(`expected a render, got missing: ${JSON.stringify(result.missing)}`);
  return result;
}

describe('the demo pack', () => {
  it('has every kind of template, each in en, es and zh, and the inquiry reply in ar', () => {
    // The team inbox's acknowledgement and hand-off have a kind of their own: the store sends them, no rep composes with them.
    expect(templates.map((t) => t.kind).sort()).toEqual(['follow-up', 'inquiry', 'payment', 'quote', 'sample', 'shipping', 'team', 'team']);
    for (const t of templates) expect(Object.keys(t.variants)).toEqual(expect.arrayContaining(['en', 'es', 'zh']));
    expect(Object.keys(byId('inquiry-reply').variants)).toContain('ar');
  });

  it('passes the template checks without a single issue', () => {
    templates.forEach((t, i) => expect(checkTemplate(t, i, pack)).toEqual([]));
  });

  const cases = templates.flatMap((t) => Object.keys(t.variants).map((lang) => [t.id, lang] as const));
  it.each(cases)('renders %s in %s with sample data', (id, lang) => {
    const result = ok(render(id, lang));
    expect(result.language).toBe(lang);
    expect(result.subject).not.toMatch(/\{\{|\{%|&amp;|&lt;|^\s|\s$/);
    expect(result.html).not.toMatch(/\{\{|\{%/);
    expect(result.text).not.toMatch(/<\/?(p|br|div|table|tr|td|th|ul|li|a|b)[\s>]/);
    expect(result.text.length).toBeGreaterThan(50);
  });

  it('writes the English inquiry reply with the contact’s name and the defaults', () => {
    const r = ok(render('inquiry-reply', 'en'));
    expect(r.subject).toBe('Re: your inquiry about LED panel light');
    expect(r.text).toMatch(/^Dear Ana,/);
    expect(r.text).toContain('Our minimum order quantity is 500 units, and the usual lead time is 30 days');
    expect(r.html).toContain('<a href="https://demo.example/catalogue">https://demo.example/catalogue</a>');
  });

  it('falls back to the greeting without a name, never "Dear ,"', () => {
    const r = ok(render('inquiry-reply', 'en', { contact: {} }));
    expect(r.text).toMatch(/^Dear Sir or Madam,/);
    const es = ok(render('inquiry-reply', 'es', { contact: { firstName: '  ' } }));
    expect(es.text).toMatch(/^Estimados señores:/);
    const zh = ok(render('inquiry-reply', 'zh', { contact: { firstName: null } }));
    expect(zh.text).toMatch(/^您好！/);
  });

  it('writes the Arabic inquiry reply right to left', () => {
    const r = ok(render('inquiry-reply', 'ar'));
    expect(r.subject).toBe('رد: استفساركم عن LED panel light');
    expect(r.html).toMatch(/^<div dir="rtl">/);
    expect(r.text).toContain('مرحبًا Ana،');
    expect(r.text).toContain('الحد الأدنى للطلب هو 500 وحدة');
  });

  it('totals the quotation lines in the reader’s number format', () => {
    const en = ok(render('quotation', 'en'));
    expect(en.text).toContain('$7,850.00');
    expect(en.text).toMatch(/Total\s+\$12,450\.00/);
    expect(en.text).toContain('Terms of delivery: FOB Ningbo (Free On Board, Incoterms® 2020)');
    expect(en.text).toContain('Payment: 30% T/T deposit with the order');
    expect(en.text).toContain('This quotation is valid until April 14, 2025.');
    const es = ok(render('quotation', 'es', { fields: { ...SAMPLE_FIELDS.quotation, paymentTerms: 'lc-at-sight' } }));
    expect(es.text).toMatch(/Total\s+12\.450,00\s*US\$/);
    expect(es.text).toContain('FOB Ningbo (Franco a bordo, Incoterms® 2020)');
    expect(es.text).toContain('Forma de pago: carta de crédito irrevocable a la vista');
    expect(es.text).toContain('válida hasta el 14 de abril de 2025');
    const zh = ok(render('quotation', 'zh'));
    expect(zh.subject).toBe('报价单 Q-2025-014：LED panel light');
    expect(zh.text).toMatch(/合计\s+US\$12,450\.00/);
    expect(zh.text).toContain('（船上交货，');
    expect(zh.text).toContain('报价有效期至：2025年4月14日');
  });

  it('lists the sample parcel with tracking link and keeps the lines of a textarea', () => {
    const r = ok(render('sample-dispatch', 'en'));
    expect(r.subject).toBe('Samples of LED panel light sent: DHL 1234567890');
    expect(r.html).toContain('<a href="https://www.dhl.com/track?id=1234567890">track the parcel</a>');
    expect(r.html).toContain('2 × panel<br>\n1 × driver');
    expect(r.text).toContain('Expected arrival: March 20, 2025');
    expect(ok(render('sample-dispatch', 'es')).text).toContain('Llegada prevista: 20 de marzo de 2025');
  });

  it('follows up in the words for what was sent', () => {
    expect(ok(render('follow-up', 'en')).text).toContain('follow up on the samples (DHL 1234567890) I sent you on March 1, 2025.');
    expect(ok(render('follow-up', 'es')).text).toContain('¿Ha tenido ocasión de probarlas?');
    expect(ok(render('follow-up', 'zh')).text).toContain('我于2025年3月1日给您寄送了样品');
    expect(ok(render('follow-up', 'en', { fields: { sentOn: '2025-03-01' } })).subject).toBe('Following up: quotation');
  });

  it('puts the dates of the shipping notice in subject and body', () => {
    const r = ok(render('shipping-notice', 'en'));
    expect(r.subject).toBe('Shipping notice: order PO-7781, ETA April 25, 2025');
    expect(r.text).not.toContain('Vessel');
    expect(ok(render('shipping-notice', 'zh')).subject).toBe('出货通知：订单 PO-7781，预计 2025年4月25日 到港');
  });

  it('says whether the payment is overdue', () => {
    expect(ok(render('payment-reminder', 'en')).text).toContain('the payment of $12,345.60 for invoice INV-0931 was due on March 10, 2025.');
    const later = ok(render('payment-reminder', 'en', { fields: { ...SAMPLE_FIELDS['payment-reminder'], dueDate: '2025-04-01' } }));
    expect(later.text).toContain('is due on April 1, 2025.');
    expect(ok(render('payment-reminder', 'zh')).text).toContain('US$12,345.60 已于 2025年3月10日 到期');
  });
});

describe('nothing blank goes out', () => {
  it('blocks a render whose required fields are empty, listing them with labels', () => {
    const r = renderTemplate(byId('quotation'), 'es', { ...base, fields: { product: '', place: 'Ningbo' } }, { now });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.language).toBe('es');
    expect(r.missing).toEqual(
      expect.arrayContaining([
        { name: 'product', label: 'Producto', where: 'subject', reason: 'is required' },
        { name: 'quoteNo', label: 'N.º de cotización', where: 'subject', reason: 'is required' },
        { name: 'lines', label: 'Artículos', where: 'body', reason: 'is required' },
      ]),
    );
    expect(r.missing.map((m) => m.name)).not.toContain('place');
  });

  const greeting: PackTemplate = {
    id: 'hi',
    kind: 'other',
    title: 'Hi',
    fields: [{ name: 'topic', type: 'text' }],
    variants: {
      en: { subject: 'About {{ topic }}', body: '<p>Hi {{ contact.firstName }},</p>' },
      de: { subject: 'Hallo', body: '<p>Hallo {{ contact.firstName | default: "zusammen" }},</p>' },
    },
  };

  it('lists a used contact value that is empty and has no default', () => {
    for (const firstName of [undefined, null, '', '   ']) {
      const r = renderTemplate(greeting, 'en', { contact: { firstName }, fields: { topic: 'LED' } });
      expect(r).toEqual({ ok: false, language: 'en', missing: [{ name: 'contact.firstName', where: 'body', reason: 'has no value' }] });
    }
  });

  it('renders with the default when the template gives one', () => {
    const r = renderTemplate(greeting, 'de', { contact: {} });
    expect(r.ok && r.html).toBe('<p>Hallo zusammen,</p>');
  });

  it('reports subject and body together, and never produces "Hi ,"', () => {
    const r = renderTemplate(greeting, 'en', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.missing).toEqual([
        { name: 'topic', where: 'subject', reason: 'has no value' },
        { name: 'contact.firstName', where: 'body', reason: 'has no value' },
      ]);
    }
    expect(JSON.stringify(r)).not.toContain('Hi ,');
  });

  it('names empty cells by list and column, with the row, and empty lists', () => {
    const t: PackTemplate = {
      id: 'l',
      kind: 'quote',
      title: 'L',
      fields: [{ name: 'lines', type: 'lines', label: { en: 'Items' }, columns: [{ name: 'item', type: 'text', label: { en: 'Item' } }, { name: 'qty', type: 'number' }] }],
      variants: { en: { subject: 'Q', body: '{% for line in lines %}<p>{{ line.item }} × {{ line.qty }}</p>{% endfor %}' } },
    };
    const cells = renderTemplate(t, 'en', { fields: { lines: [{ item: 'Panel', qty: 2 }, { qty: 3 }] } });
    expect(cells.ok ? [] : cells.missing).toEqual([{ name: 'lines.item', label: 'Items: Item', where: 'body', reason: 'has no value in row 2' }]);
    const none = renderTemplate(t, 'en', { fields: { lines: [] } });
    expect(none.ok ? [] : none.missing).toEqual([{ name: 'lines', label: 'Items', where: 'body', reason: 'has no rows' }]);
  });

  it('reports values of the wrong type as what to fix', () => {
    const r = render('payment-reminder', 'en', { fields: { ...SAMPLE_FIELDS['payment-reminder'], amount: 'lots', dueDate: 'soon' } });
    expect(r.ok ? [] : r.missing).toEqual([
      { name: 'amount', label: 'Amount due', where: 'body', reason: 'must be an amount of money; got "lots"' },
      { name: 'dueDate', label: 'Due date', where: 'body', reason: 'must be a date written YYYY-MM-DD; got "soon"' },
    ]);
  });

  it('does not count a value the template only tests in a condition', () => {
    const r = ok(render('shipping-notice', 'en', { fields: { ...SAMPLE_FIELDS['shipping-notice'], vessel: '' } }));
    expect(r.html).not.toContain('Vessel');
  });

  it('answers for a language the template does not have', () => {
    expect(renderTemplate(greeting, 'fr', {})).toEqual({
      ok: false,
      language: 'fr',
      missing: [{ name: 'language', where: 'body', reason: 'the template has no fr variant (has: en, de)' }],
    });
    expect(renderTemplate(greeting, 'de-CH', {}).language).toBe('de');
  });

  it('turns a template that fails while rendering into a reported problem, not an exception', () => {
    const t: PackTemplate = { id: 'x', kind: 'other', title: 'X', fields: [{ name: 'n', type: 'number' }], variants: { en: { subject: 'x', body: '{{ n | money }}' } } };
    const r = renderTemplate(t, 'en', { fields: { n: 5 } });
    expect(r.ok ? [] : r.missing).toEqual([{ name: '(template)', where: 'body', reason: expect.stringContaining("money: 5 has no currency; name one: | money: 'USD'") }]);
  });

  it('names only the missing lines when a quotation has none, not the total that then cannot be written', () => {
    const withoutLines = { ...SAMPLE_FIELDS.quotation, lines: [] };
    const r = render('quotation', 'en', { fields: withoutLines });
    expect(r.ok ? [] : r.missing.map((m) => m.name)).toEqual(['lines']);
  });

  it('stops a runaway loop within the render limits', () => {
    const t: PackTemplate = { id: 'x', kind: 'other', title: 'X', variants: { en: { subject: 'x', body: '{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}' } } };
    const started = Date.now();
    const r = renderTemplate(t, 'en', {});
    expect(r.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a render that takes too long', () => {
    const t: PackTemplate = { id: 'x', kind: 'other', title: 'X', variants: { en: { subject: 'x', body: '{% for i in (1..5000) %}{% for j in (1..5000) %}x{% endfor %}{% endfor %}' } } };
    const r = renderTemplate(t, 'en', {});
    expect(r.ok ? [] : r.missing).toEqual([{ name: '(template)', where: 'body', reason: expect.stringMatching(/limit exceeded/) }]);
  });
});

describe('output', () => {
  const t: PackTemplate = {
    id: 'o',
    kind: 'other',
    title: 'O',
    fields: [{ name: 'price', type: 'money', currency: 'USD' }],
    variants: {
      en: { subject: 'Offer for {{ customer.company }}', body: '<h1>Offer</h1><p>Price: <b>{{ price }}</b> ({{ price | money: "EUR" }})</p><ul><li>{{ customer.company }}</li></ul>' },
    },
  };

  it('keeps the subject plain text: no entities, one line', () => {
    const r = ok(renderTemplate(t, 'en', { customer: { company: 'Smith & Sons\n"Ltd"' }, fields: { price: 10 } }));
    expect(r.subject).toBe('Offer for Smith & Sons "Ltd"');
    expect(r.html).toContain('<li>Smith &amp; Sons<br>\n&quot;Ltd&quot;</li>');
  });

  it('gives a readable plain-text version of the html', () => {
    const r = ok(renderTemplate(t, 'en', { customer: { company: 'Smith & Sons' }, fields: { price: 1234.5 } }));
    expect(r.text).toBe('Offer\n\nPrice: $1,234.50 (€1,234.50)\n\n * Smith & Sons');
  });
});
