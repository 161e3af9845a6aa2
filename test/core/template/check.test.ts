import { describe, expect, it } from '@jest/globals';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { checkTemplate } from '../../../src/core/template/index.js';
import { issueText } from '../../../src/core/pack/validate.js';

const pack = { defaultLanguage: 'en' };
function template(variants: Record<string, { subject?: string; body: string }>, fields: PackTemplate['fields'] = [{ name: 'product', type: 'text' }]): PackTemplate {
  return {
    id: 't',
    kind: 'other',
    title: 'T',
    fields,
    variants: Object.fromEntries(Object.entries(variants).map(([l, v]) => [l, { subject: v.subject ?? 'Hello', body: v.body }])),
  };
}
const lines = (t: PackTemplate, index = 0) => checkTemplate(t, index, pack).map((i) => `${i.severity}: ${i.path}: ${issueText(i)}`);

describe('checkTemplate', () => {
  it('accepts a clean template', () => {
    expect(checkTemplate(template({ en: { body: '<p>{{ product }} for {{ contact.firstName | default: "you" }} on {{ today | date }}</p>' } }), 0, pack)).toEqual([]);
  });

  it('reports a syntax error with line and column inside the variant text', () => {
    const body = '<p>Dear {{ contact.firstName }},</p>\n<p>{{ product }}</p>\n<p>{% if product %}Thanks';
    expect(lines(template({ en: { body } }))).toEqual(['error: templates[0].variants.en.body: Liquid syntax error: tag {% if product %} not closed (line 3, column 4)']);
    expect(lines(template({ en: { body: '{{ product' } }))).toEqual(['error: templates[0].variants.en.body: Liquid syntax error: output "{{ product" not closed (line 1, column 1)']);
  });

  it('names unknown and misspelt variables, with suggestions and positions', () => {
    const t = template({ es: { body: '<p>Hola {{ contact.fristName }}</p>' }, en: { subject: 'About {{ prodcut }}', body: '{{ product }} {{ rep.phnoe }} {{ customer.zip }}' } }, [{ name: 'product', type: 'text' }]);
    expect(lines(t, 2)).toEqual([
      'error: templates[2].variants.es.body: unknown variable contact.fristName — did you mean contact.firstName? (line 1, column 12)',
      'error: templates[2].variants.en.subject: unknown variable prodcut — did you mean product? (line 1, column 10)',
      'error: templates[2].variants.en.body: unknown variable rep.phnoe — did you mean rep.phone? (line 1, column 18)',
      'error: templates[2].variants.en.body: unknown variable customer.zip; customer has company, country, city (line 1, column 34)',
      'warning: templates[2].variants.es: does not use field product, which the en variant uses',
    ]);
  });

  it('names fields used but not declared, and fields declared but never used', () => {
    const t = template({ en: { body: '<p>{{ product }} {{ incoterm }}</p>' } }, [
      { name: 'product', type: 'text' },
      { name: 'moq', type: 'number' },
    ]);
    expect(lines(t)).toEqual([
      'error: templates[0].variants.en.body: incoterm is used but is not a declared field (declared: product, moq) nor a built-in value (line 1, column 21)',
      'warning: templates[0].fields[1]: field moq is declared but no variant uses it',
    ]);
  });

  it('names unknown filters and the raw filter', () => {
    expect(lines(template({ en: { body: '{{ product | upcsae }} {{ product | raw }} {{ product | frobnicate }}' } }))).toEqual([
      'error: templates[0].variants.en.body: unknown filter upcsae — did you mean upcase? (line 1, column 14)',
      'error: templates[0].variants.en.body: the raw filter is not available: every value is HTML-escaped, so no value can add markup (line 1, column 37)',
      'error: templates[0].variants.en.body: unknown filter frobnicate (line 1, column 57)',
    ]);
  });

  it('explains tags a pack cannot use, and misspelt tags', () => {
    expect(lines(template({ en: { body: "{% include 'footer' %}" } }))).toEqual([
      'error: templates[0].variants.en.body: Liquid syntax error: {% include %} is not available: a pack template cannot read other templates (line 1, column 1)',
    ]);
    expect(lines(template({ en: { body: '{% iff product %}x{% endif %}' } }))[0]).toBe('error: templates[0].variants.en.body: Liquid syntax error: unknown tag iff — did you mean if? (line 1, column 1)');
  });

  it('checks money fields and the columns of lines', () => {
    const t = template({ en: { body: "{{ price.amout }} {{ product | money }} {{ price | money }} {% for line in lines %}{{ line.itme }} {{ line.qty | money: 'EUR' }}{% endfor %} {{ lines.first.prce }}" } }, [
      { name: 'product', type: 'text' },
      { name: 'price', type: 'money', currency: 'USD' },
      { name: 'lines', type: 'lines', columns: [{ name: 'item', type: 'text' }, { name: 'qty', type: 'number' }, { name: 'price', type: 'money', currency: 'USD' }] },
    ]);
    expect(lines(t)).toEqual([
      'error: templates[0].variants.en.body: unknown variable price.amout — did you mean price.amount? (line 1, column 4)',
      'error: templates[0].variants.en.body: unknown column line.itme — did you mean line.item? (line 1, column 87)',
      'error: templates[0].variants.en.body: unknown column lines.first.prce — did you mean lines.first.price? (line 1, column 145)',
      "error: templates[0].variants.en.body: money needs a currency here: product is not a money field; write | money: 'USD' (line 1, column 32)",
    ]);
  });

  it('refuses values where escaping cannot make them safe, and script links', () => {
    const body = '<a onclick="{{ product }}">x</a>\n<script>var p = "{{ product }}";</script>\n<a href={{ product }}>y</a>\n<a href="javascript:void(0)">z</a>';
    expect(lines(template({ en: { body } }))).toEqual([
      'error: templates[0].variants.en.body: a link with href="javascript:void(0)" would open "javascript:"; only http, https, mailto, tel links are allowed',
      'error: templates[0].variants.en.body: {{ product }}: a value cannot be placed in the event handler attribute onclick (line 1, column 13)',
      'error: templates[0].variants.en.body: {{ product }}: a value cannot be placed inside <script> (line 2, column 18)',
      'warning: templates[0].variants.en.body: {{ product }} is in the unquoted attribute href; put the attribute value in quotes (line 3, column 9)',
    ]);
  });

  it('refuses field names that hide built-in values', () => {
    const t = template({ en: { body: '{{ contact.firstName | default: "x" }}' } }, [{ name: 'contact', type: 'text' }, { name: 'today', type: 'date' }]);
    expect(lines(t).filter((l) => l.startsWith('error'))).toEqual([
      'error: templates[0].fields[0].name: "contact" is a built-in name; give the field another name',
      'error: templates[0].fields[1].name: "today" is a built-in name; give the field another name',
    ]);
  });

  it('says a group is not a value', () => {
    expect(lines(template({ en: { body: '{{ product }} {{ rep }}' } }))).toEqual([
      'error: templates[0].variants.en.body: rep is a group of values; use one of them: rep.name, rep.title, rep.email, rep.phone, rep.mobile, rep.department, rep.whatsapp, rep.wechat (line 1, column 18)',
    ]);
  });

  it('does not count fields of a variant that does not parse as unused', () => {
    expect(lines(template({ en: { body: '{{ product }}' }, es: { body: '{% if %}' } }))).toEqual([
      'error: templates[0].variants.es.body: Liquid syntax error: invalid value expression: "" (line 1, column 6)',
    ]);
  });

  it('accepts loops, assignments and captures without calling their names unknown', () => {
    const t = template(
      { en: { body: '{% assign n = 0 %}{% for line in lines %}{% assign n = n | plus: line.qty %}{{ forloop.index }}. {{ line.item }}{% endfor %}{% capture total %}{{ n }}{% endcapture %}{{ total }}' } },
      [{ name: 'lines', type: 'lines', columns: [{ name: 'item', type: 'text' }, { name: 'qty', type: 'number' }] }],
    );
    expect(checkTemplate(t, 0, pack)).toEqual([]);
  });
});
