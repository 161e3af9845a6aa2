import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parsePackSource } from '../../../src/core/pack/source.js';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { htmlToText, renderTemplate, type RenderContext } from '../../../src/core/template/index.js';
import { compiledForm, prepareTemplate } from '../../../src/core/template/prepare.js';
import { plainTextOfParts, readPiece, simplePlainText, type TextPart } from '../../../src/core/template/plain-text.js';
import { trimLineEnds } from '../../../src/core/template/text.js';

/**
 * The compiled form of a template and the plain-text reader must say exactly what liquidjs's
 * interpreter and html-to-text say. Every case renders twice — `interpret: true` is the old path —
 * and compares the whole result: subject, HTML, text, and what is missing with its reasons.
 */

const parsed = parsePackSource(readFileSync(new URL('../../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8'));
if (!parsed.ok) throw new Error('the demo pack does not validate');
const demo = parsed.pack.templates ?? [];
const now = new Date('2026-03-15T10:00:00Z');

const FIELDS: PackTemplate['fields'] = [
  { name: 'product', type: 'text' },
  { name: 'qty', type: 'number' },
  { name: 'price', type: 'money', currency: 'USD' },
  { name: 'due', type: 'date' },
  { name: 'incoterm', type: 'choice', options: ['FOB', 'CIF', 'EXW'], default: 'FOB' },
  { name: 'site', type: 'url' },
  {
    name: 'lines',
    type: 'lines',
    columns: [
      { name: 'item', type: 'text' },
      { name: 'qty', type: 'number' },
      { name: 'unitPrice', type: 'money', currency: 'EUR' },
    ],
  },
] as PackTemplate['fields'];

function template(subject: string, body: string): PackTemplate {
  return { id: 't', kind: 'other', title: 'T', fields: FIELDS, variants: { en: { subject, body }, de: { subject, body } } } as PackTemplate;
}

const both = (t: PackTemplate, language: string, context: RenderContext) => ({
  compiled: renderTemplate(t, language, context, { now, timeZone: 'Asia/Shanghai' }),
  interpreted: renderTemplate(t, language, context, { now, timeZone: 'Asia/Shanghai', interpret: true }),
});

// ——— random templates over what packs write ———

const variable = fc.constantFrom(
  'product', 'qty', 'price', 'lines.first.item', 'contact.firstName', 'contact.lastName', 'customer.company', 'rep.name', 'rep.mobile', 'company.name',
  'product', 'qty', 'price', 'price.amount', 'price.currency', 'due', 'incoterm', 'site', 'today',
  'lines', 'lines.size', 'lines.first.item', 'lines.last.unitPrice', 'missing', 'contact', 'lines[0].qty',
);
const literal = fc.constantFrom("'x'", "'FOB'", '3', '2.5', '0', 'nil', 'true', 'false', 'empty', "''", "'Sir or Madam'");
const filter = fc.constantFrom(
  '', " | default: 'n/a'", ' | upcase', ' | downcase', ' | size', ' | times: 2', ' | plus: 1', " | money: 'USD'", ' | money', ' | date',
  " | date: '%Y-%m-%d'", " | date: 'short'", ' | incoterm', " | append: '!'", ' | truncate: 5', ' | first', " | join: ', '", ' | escape', ' | strip',
  " | replace: 'a', 'b'", ' | abs', ' | round: 1', " | split: ' '",
);
const operand = fc.oneof(variable, literal);
const condition = fc.oneof(
  operand,
  fc.tuple(operand, fc.constantFrom('==', '!=', '>', '<', '>=', '<=', 'contains'), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.tuple(operand, fc.constantFrom('and', 'or'), operand).map(([a, op, b]) => `${a} ${op} ${b}`),
);
const text = fc.constantFrom('Dear ', ', ', ' & co ', '<b>', '</b>', '<p>', '</p>', '<br>', '\n', ' ', 'A  b', '<a href="https://x.example/?a=', '">link</a>', '<td title="', '"></td>', '€ 5');

const tpl: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc.oneof(
    text,
    // Mostly with a default, so that most renders come out whole and their HTML and text are compared too.
    fc.tuple(operand, filter, fc.boolean(), fc.boolean()).map(([v, f, d1, d2]) => `{{ ${v}${f}${d1 || d2 ? " | default: '-'" : ''} }}`),
    // 'line' too: an assign inside a loop writes the bottom scope, which the loop's variable shadows.
    fc.tuple(fc.constantFrom('a', 'total', 'contact', 'line'), operand, filter).map(([name, v, f]) => `{% assign ${name} = ${v}${f} %}`),
    fc.constant('{% comment %}no{% endcomment %}'),
    fc.constantFrom('{{ forloop.index }}', "{{ forloop.index | default: '-' }}", "{{ forloop | default: '-' }}"),
    fc.constantFrom('{{ a }}', "{{ a | default: '-' }}"),
  );
  if (depth <= 1) return leaf;
  const inner = tpl(depth - 1);
  const seq = fc.array(inner, { maxLength: 3 }).map((xs) => xs.join(''));
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    fc.tuple(condition, seq, fc.option(fc.tuple(condition, seq)), fc.option(seq)).map(
      ([c, a, elsif, otherwise]) => `{% if ${c} %}${a}${elsif ? `{% elsif ${elsif[0]} %}${elsif[1]}` : ''}${otherwise !== null ? `{% else %}${otherwise}` : ''}{% endif %}`,
    ),
    fc.tuple(condition, seq, fc.option(seq)).map(([c, a, b]) => `{% unless ${c} %}${a}${b !== null ? `{% else %}${b}` : ''}{% endunless %}`),
    // Loop variables that shadow a global (contact) or forloop itself, nested in each other (the compiled loop reads them from slots).
    fc.tuple(fc.constantFrom('line', 'line', 'contact', 'forloop'), fc.constantFrom('lines', 'product', 'missing', '(1..3)', 'contact'), seq, fc.option(seq)).map(
      ([v, c, a, b]) => `{% for ${v} in ${c} %}{{ ${v}.item | default: '-' }}${a}{{ ${v}.unitPrice | money | default: '-' }}{{ ${v}.qty }}${b !== null ? `{% else %}${b}` : ''}{% endfor %}`,
    ),
    fc.tuple(operand, seq, seq).map(([v, a, b]) => `{% case ${v} %}{% when 'FOB', 3 %}${a}{% else %}${b}{% endcase %}`),
    fc.tuple(seq).map(([a]) => `{% capture a %}${a}{% endcapture %}{{ a }}`),
  );
});

const row = fc.record({
  item: fc.constantFrom('Panel <40W>', 'Tür & Tor', 'a\nb', 'x', ''),
  qty: fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.constant(7)),
  unitPrice: fc.double({ min: 0, max: 10_000, noNaN: true }).map((n) => Math.round(n * 100) / 100),
});
const fieldValues = fc.record(
  {
    product: fc.constantFrom('LED panel', '', 'A & B <c>', 'javascript:alert(1)', 'line\nbreak'),
    qty: fc.oneof(fc.integer({ min: -10, max: 10_000 }), fc.constant('12')),
    price: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant({ amount: 5, currency: 'CNY' })),
    due: fc.constantFrom('2026-04-01', '2026-12-31'),
    incoterm: fc.constantFrom('FOB', 'CIF', 'EXW'),
    site: fc.constantFrom('www.acme.example', 'https://acme.example/a?b=1&c=2'),
    lines: fc.array(row, { minLength: 1, maxLength: 4 }),
  },
  { requiredKeys: ['product', 'qty', 'price', 'lines'] },
);
const contextArb = fc.record({
  contact: fc.record({ firstName: fc.constantFrom('Anna', 'Ö"\'<', ''), lastName: fc.constantFrom('García', '') }),
  customer: fc.record({ company: fc.constantFrom('Luz y Cía', '') }, { requiredKeys: [] }),
  rep: fc.record({ name: fc.constantFrom('Li Wei'), mobile: fc.constantFrom('+86 138', '') }, { requiredKeys: [] }),
  fields: fieldValues,
});

describe('the compiled template', () => {
  it('compiles every template of the demo pack (the interpreter is the exception, not the rule)', () => {
    for (const t of demo) {
      for (const variant of Object.values(t.variants)) {
        for (const [kind, source] of [['text', variant.subject], ['html', variant.body]] as const) {
          const prepared = prepareTemplate(kind, source);
          if (!prepared.ok) throw new Error(prepared.error.message);
          expect({ template: t.id, kind, compiled: typeof compiledForm(prepared.prepared) }).toEqual({ template: t.id, kind, compiled: 'function' });
        }
      }
    }
  });

  it('renders the demo pack exactly as the interpreter does, in every language, with values and without', () => {
    for (const t of demo) {
      for (const language of Object.keys(t.variants)) {
        for (const fields of [{}, { product: 'LED <panel>', quoteNo: 'Q-1', place: 'Ningbo', lines: [{ item: 'A & B', qty: 3, unitPrice: 2.5 }], trackingUrl: 'https://dhl.example/?a=1&b=2', amount: 12.5, invoiceNo: 'I-1', dueDate: '2026-03-01', catalogUrl: 'www.acme.example' }]) {
          const { compiled, interpreted } = both(t, language, { contact: { firstName: 'Ana' }, customer: { company: 'Luz & Cía' }, rep: { name: 'Li' }, fields });
          expect(compiled).toEqual(interpreted);
        }
      }
    }
  });

  it('renders random templates and values exactly as the interpreter does', () => {
    fc.assert(
      fc.property(tpl(4), tpl(2), contextArb, fc.constantFrom('en', 'de'), (body, subject, context, language) => {
        const t = template(subject.replace(/<[^>]*>/g, ''), body);
        const { compiled, interpreted } = both(t, language, context as RenderContext);
        expect(compiled).toEqual(interpreted);
      }),
      { numRuns: 400, seed: 18 },
    );
  });

  // The compiled form's fast paths (render.ts's per-site output plan, compile.ts's direct reads and
  // arithmetic) beside their fall-backs: reads through Drops and missing keys, times/plus/minus on
  // what is not a number, size/first/last on strings, lists and objects, every escaping context.
  const fastRead = fc.constantFrom(
    'price.amount', 'price.currency', 'price.nothing', 'price.size', 'due.iso', 'due.nothing', 'today.iso', 'lines.first.unitPrice.amount',
    'lines.first.unitPrice.currency', 'lines.last.qty', 'lines.size', 'lines[1].item', 'product.size', 'product.first', 'contact.size', 'contact.nothing',
    'contact.firstName.size', 'customer.company.first', 'missing.deeper.still', 'rep', 'qty', 'product', 'price', 'due', 'site', 'line.qty', 'line.item', 'line.unitPrice.amount', 'line.nothing', 'forloop.index',
  );
  const arithmetic = fc.constantFrom(
    '', ' | times: 2', ' | times: 1.5', " | times: 'x'", ' | times: qty', ' | times: line.qty', ' | plus: price', ' | plus: 1', " | plus: '2'", ' | minus: product', ' | minus: 0.5', ' | times: nil',
    ' | plus: lines', ' | times: 2, 3', ' | size', ' | first', ' | last', " | money: 'EUR'", ' | money',
  );
  const place = fc.constantFrom(
    ['<p>', '</p>'], ['<a href="', '">x</a>'], ['<a href="https://acme.example/?q=', '">x</a>'], ['<a href=', '>x</a>'], ['<img alt=', '>'], ["<td title='", "'></td>"],
    ['<textarea>', '</textarea>'], ['<!-- ', ' -->'], ['<b>', '</b>'],
  );
  const fastOutput = fc.tuple(place, fastRead, arithmetic, fc.boolean()).map(([[open, close], v, f, d]) => `${open}{{ ${v}${f}${d ? " | default: '-'" : ''} }}${close}`);
  const fastAssign = fc.tuple(fastRead, arithmetic).map(([v, f]) => `{% assign total = total${f || ' | plus: 1'} %}{% assign a = ${v}${f} %}{{ a | default: '-' }}`);
  const fastBody = fc.array(fc.oneof(fastOutput, fastAssign), { minLength: 1, maxLength: 5 }).chain((items) =>
    fc.constantFrom(items.join(''), `{% for line in lines %}${items.join('')}{% endfor %}{{ total | default: '-' }}`, `{% assign total = 0 %}{% for line in lines %}${items.join('\n')}{% endfor %}{{ total }}`),
  );

  it('takes its fast paths and their fall-backs exactly as the interpreter does', () => {
    fc.assert(
      fc.property(fastBody, fc.tuple(fastRead, arithmetic), contextArb, fc.constantFrom('en', 'de'), (body, [v, f], context, language) => {
        const t = template(`Re: {{ ${v}${f} | default: '-' }}`, body);
        const { compiled, interpreted } = both(t, language, context as RenderContext);
        expect(compiled).toEqual(interpreted);
      }),
      { numRuns: 400, seed: 1812 },
    );
  });

  it('leaves what it does not compile to the interpreter, with the same result', () => {
    const body = '{% for x in (1..5) limit: 2 %}{{ x }}{% break %}{% endfor %}{% cycle "a", "b" %}{% increment n %}{% raw %}{{ no }}{% endraw %}{% tablerow r in lines %}{{ r.item }}{% endtablerow %}{% echo product %}';
    const t = template('S', body);
    const context: RenderContext = { fields: { product: 'P', lines: [{ item: 'i', qty: 1, unitPrice: 1 }] } };
    const prepared = prepareTemplate('html', body);
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(compiledForm(prepared.prepared)).toBeNull();
    const { compiled, interpreted } = both(t, 'en', context);
    expect(compiled).toEqual(interpreted);
    expect(compiled.ok).toBe(true);
  });
});

// ——— plain text ———

const word = fc.constantFrom('Dear', 'Anna,', 'x', '&amp;', '&lt;b&gt;', '&quot;', '&#39;', '&#10;', '&nbsp;', '報價', 'مرحبا', 'Total', '$1,250.00', 'a-very-long-word-that-goes-on-and-on-beyond-sixty-characters-in-one-cell', 'undefined');
const space = fc.constantFrom(' ', '\n', '  ', '\t', '', '\u200b', ' \n ');
const phrase = fc.array(fc.tuple(word, space).map(([w, s]) => w + s), { maxLength: 5 }).map((xs) => xs.join(''));
const htmlArb: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc.oneof(phrase, fc.constantFrom('<br>', '<br/>', '<img src="https://x.example/a.png" alt="logo">', '<a href="https://x.example">x</a>', '<a href="mailto:a@b.example">a@b.example</a>', '<a href="#top">top</a>'));
  if (depth <= 1) return leaf;
  const inner = fc.array(htmlArb(depth - 1), { maxLength: 3 }).map((xs) => xs.join(''));
  const cell = fc.tuple(fc.constantFrom('td', 'th', 'td colspan="2"', 'td rowspan="2"'), inner).map(([tag, c]) => `<${tag}>${c}</${tag.split(' ')[0]}>`);
  const tr = fc.array(cell, { minLength: 1, maxLength: 3 }).map((cs) => `<tr>${cs.join('')}</tr>\n`);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    fc.tuple(fc.constantFrom('p', 'div', 'b', 'span', 'strong', 'h1', 'h4', 'a href="https://acme.example/q?a=1&amp;b=2"', 'em', 'li'), inner).map(([tag, c]) => `<${tag}>${c}</${tag.split(' ')[0]}>`),
    fc.array(inner, { maxLength: 3 }).map((items) => `<ul>\n${items.map((i) => `<li>${i}</li>\n`).join('')}</ul>`),
    fc.array(tr, { maxLength: 4 }).map((rows) => `<table>\n${rows.join('')}</table>`),
    fc.array(tr, { maxLength: 2 }).map((rows) => `<table><tbody>${rows.join('')}</tbody></table>`),
    // beyond the reader: html-to-text takes these
    fc.constantFrom('<ol><li>a</li></ol>', '<!-- c -->', '<p>a<div>b</div></p>', '<li>a<li>b', '&copy;', '<pre>a  b</pre>', '<P>x</P>', '<td>x</td>'),
  );
});

describe('the plain-text reader', () => {
  it('reads random HTML exactly as html-to-text does, or leaves it to html-to-text', () => {
    fc.assert(
      fc.property(htmlArb(4), (html) => {
        expect(htmlToText(html)).toEqual(htmlToText(html, { full: true }));
      }),
      { numRuns: 1000, seed: 18 },
    );
  });

  it('reads the HTML of the demo pack itself (html-to-text is the exception)', () => {
    for (const t of demo) {
      const r = renderTemplate(t, 'en', { contact: { firstName: 'Ana' }, customer: { company: 'Luz & Cía' }, rep: { name: 'Li', email: 'li@ningbo-lights.example' }, company: { name: 'Ningbo Lights' }, fields: { replyBy: 'Monday 09:00', inbox: 'info@ningbo-lights.example', subject: 'LED panels', product: 'LED', quoteNo: 'Q-1', place: 'Ningbo', lines: [{ item: 'A', qty: 1, unitPrice: 2 }], trackingNo: '1', trackingUrl: 'https://dhl.example/?a=1&b=2', contents: 'a\nb', about: 'samples', sentOn: '2026-03-01', reference: 'r', orderNo: 'o', portOfLoading: 'a', portOfDischarge: 'b', blNo: 'c', etd: '2026-03-01', eta: '2026-03-02', invoiceNo: 'I', amount: 2, dueDate: '2026-03-01' } }, { now });
      if (!r.ok) throw new Error(`${t.id}: ${JSON.stringify(r.missing)}`);
      expect({ id: t.id, read: simplePlainText(r.html) !== undefined }).toEqual({ id: t.id, read: true });
    }
  });

  it('lays out one-text cells at and around their 60-character width as html-to-text does', () => {
    for (let n = 55; n <= 66; n++) {
      const words = ['ab cd ' + 'x'.repeat(n - 6), 'ab  cd ' + 'x'.repeat(n - 7), ' ' + 'y'.repeat(n) + ' ', 'a\tb\n c' + 'z'.repeat(n - 5), '\u200b' + 'w'.repeat(n)];
      for (const text of words) {
        const html = `<table><tr><td>${text}</td><td></td><td> </td><td colspan="2">q</td></tr><tr><th>${text} ${text}</th><td><b>${text}</b></td></tr></table><a href="https://x.example"><table><tr><td>${text}</td></tr></table></a>`;
        expect(htmlToText(html)).toEqual(htmlToText(html, { full: true }));
        expect(simplePlainText(html)).toBeDefined();
      }
    }
  });

  it('leaves what htmlparser2 would repair or decode differently to html-to-text', () => {
    for (const html of ['<p>a<div>b</div></p>', '<ul><li>a<li>b</ul>', '<p>a &copy b</p>', '<p>a<!-- x -->b</p>', '<p title=a"b>x</p>', '<p>x', '</p>', '<p/>x', '<ol><li>a</li></ol>', '<p>&#0;</p>', '<p>&#x80;</p>']) {
      expect({ html, read: simplePlainText(html) }).toEqual({ html, read: undefined });
    }
  });
});

// ——— the plain text from the compiled pass: static HTML read once, values added per render ———

describe('the plain text from the compiled pass', () => {
  /** Every place where a tag of this (test-made) HTML starts and ends: a cut strictly inside one splits the tag. */
  const insideTag = (html: string, at: number) => [...html.matchAll(/<[^>]*>/g)].some((m) => at > m.index && at < m.index + m[0].length);

  it('reads HTML cut into static pieces and values exactly as it reads it whole', () => {
    let whole = 0;
    fc.assert(
      fc.property(htmlArb(4), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), (html, cuts, statics) => {
        const at = [...new Set(cuts.map((c) => c % (html.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => html.slice(from, at[i] ?? html.length));
        const parts: TextPart[] = [];
        let readable = true;
        pieces.forEach((piece, i) => {
          if (!statics[i]) return void parts.push(piece);
          const read = readPiece(piece);
          if (read) parts.push(read);
          else readable = false;
        });
        const alone = simplePlainText(html);
        const cutsOutsideTags = at.every((cut) => !insideTag(html, cut));
        // A static piece that cannot be read alone turns the pieces off for its template: only a cut inside a tag (or HTML beyond the reader) does that.
        if (!readable) {
          expect(cutsOutsideTags && alone !== undefined).toBe(false);
          return;
        }
        const fromParts = plainTextOfParts(parts);
        if (cutsOutsideTags) {
          expect(fromParts).toEqual(alone);
          if (alone !== undefined && at.length > 0) whole++;
        } else if (fromParts !== undefined) expect(fromParts).toEqual(alone); // a value cutting a tag may only give up
      }),
      { numRuns: 1000, seed: 1818 },
    );
    expect(whole).toBeGreaterThan(100); // the property compared texts read in pieces, not only give-ups
  });

  // The shapes a template can take around the pieces, each compiled and interpreted with values that
  // bring entities, line breaks, spaces, CJK and RTL text; the text must come out the same.
  const SHAPES: [string, string, boolean][] = [
    ['values in text', '<p>Dear {{ contact.firstName | default: "Sir" }},</p><p>{{ product }}</p>', true],
    ['whitespace around values', '<p> {{ product }} </p>\n<p>{{product}}\n\n  {{ qty }}</p><div>  {{ customer.company | default: "-" }}</div>', true],
    ['a value in an attribute (pieces off: the static HTML ends inside a tag)', '<p><a href="{{ site }}">{{ product }}</a></p><p title="{{ product }}">x</p>', false],
    ['a value as the whole unquoted attribute', '<p><img alt={{ qty }}>{{ product }}</p>', false],
    ['a branch that opens a tag another branch closes', '{% if qty > 5 %}<b>{% endif %}{{ product }}{% if qty > 5 %}</b>{% endif %} after', true],
    ['branches that open different blocks', '{% if qty > 5 %}<p>{% else %}<div>{% endif %}{{ product }}{% if qty > 5 %}</p>{% else %}</div>{% endif %}', true],
    ['a branch that leaves a tag open (beyond the reader: html-to-text)', '<p>{% if qty > 5 %}<b>{% endif %}{{ product }}</p>', true],
    ['a table of values', '<table>\n<tr><th>品名</th><th>Amount</th></tr>\n{% for line in lines %}<tr><td>{{ line.item }}</td><td>{{ line.qty }}</td><td>{{ line.unitPrice }}</td></tr>\n{% endfor %}<tr><td colspan="2"><b>合计</b></td><td>{{ price }}</td></tr></table>', true],
    ['a list', '<ul>\n{% for line in lines %}<li>{{ line.item }}: {{ line.unitPrice }}</li>\n{% endfor %}</ul>', true],
    ['static text ending in "&" before a value', '<p>R&{{ product }} &amp; {{ qty }}&</p>', true],
    ['captured HTML printed', '{% capture a %}<b>{{ product }}</b> & <i>{{ qty }}</i>{% endcapture %}<p>{{ a }}</p>{{ a }}', true],
    ['a link with a fixed address', '<p><a href="https://acme.example/">{{ product }}</a> <a href="mailto:a@acme.example">mail</a></p>', true],
    ['RTL and CJK around values', '<p>مرحبا {{ contact.firstName | default: "-" }}، شكرا</p><p>感谢您对我司{{ product }}的关注。</p>', true],
    ['headings and breaks', '<h1>{{ product }}</h1><h4>{{ qty }}</h4>a<br>{{ product }}<br/>b', true],
  ];
  const values = fc.record({
    contact: fc.record({ firstName: fc.constantFrom('Anna', 'أحمد', '李伟', ' Ö"\'<  ', '') }),
    customer: fc.record({ company: fc.constantFrom('Luz & Cía', '深圳 灯具', '') }),
    fields: fc.record({
      product: fc.constantFrom('LED panel', 'A &amp; B <c>', '報價單 <x>', 'مرحبا بكم', '  spaced   out  ', 'line\nbreak\r\nagain', "O'Neil & \"Co\"", '&#39;', 'x'.repeat(70)),
      qty: fc.constantFrom(3, 12, 1500),
      price: fc.constantFrom(1234.5, 0.005),
      site: fc.constantFrom('https://acme.example/?a=1&b=2', 'www.acme.example'),
      lines: fc.array(row, { minLength: 1, maxLength: 4 }),
    }),
  });

  it.each(SHAPES)('gives the same text as the interpreter and html-to-text: %s', (_name, body, pieces) => {
    const prepared = prepareTemplate('html', body);
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(compiledForm(prepared.prepared)?.pieces).toBe(pieces);
    fc.assert(
      fc.property(values, fc.constantFrom('en', 'de'), (context, language) => {
        const { compiled, interpreted } = both(template('S', body), language, context as RenderContext);
        expect(compiled).toEqual(interpreted);
      }),
      { numRuns: 60, seed: 18 },
    );
  });

  it('reads the demo pack\'s bodies in pieces (none prints a value inside a tag)', () => {
    for (const t of demo) {
      for (const [language, variant] of Object.entries(t.variants)) {
        const prepared = prepareTemplate('html', variant.body);
        if (!prepared.ok) throw new Error(prepared.error.message);
        expect({ id: t.id, language, pieces: compiledForm(prepared.prepared)?.pieces }).toEqual({ id: t.id, language, pieces: !/=\s*["']?\{\{/.test(variant.body) });
      }
    }
  });
});

describe('the text\'s line ends', () => {
  it('lose their spaces and tabs exactly as the regular expression did', () => {
    const text = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u2028', '\u2029', '\u00a0', 'a', '報') });
    fc.assert(fc.property(text, (s) => expect(trimLineEnds(s)).toBe(s.replace(/[ \t]+$/gm, ''))), { numRuns: 2000, seed: 18 });
  });
});
