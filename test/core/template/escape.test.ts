import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PackTemplate } from '../../../src/core/pack/schema.js';
import { checkUrlValue, escapeHtml, renderTemplate, type RenderContext, type RenderResult } from '../../../src/core/template/index.js';
import { mayHaveUrlAttribute, scanHtmlContexts, type SourcePiece } from '../../../src/core/template/html-context.js';

const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"onload="x';
const JS_URL = 'javascript:alert(1)';

function template(body: string, subject = 'Hello', fields: PackTemplate['fields'] = [{ name: 'v', type: 'text' }]): PackTemplate {
  return { id: 't', kind: 'other', title: 'T', fields, variants: { en: { subject, body } } };
}
function renderBody(body: string, value: unknown, context: RenderContext = {}): RenderResult {
  return renderTemplate(template(body), 'en', { ...context, fields: { v: value } });
}
function html(result: RenderResult): string {
  if (!result.ok) throw new Error(`expected a render, got missing: ${JSON.stringify(result.missing)}`);
  return result.html;
}

describe('escaping values in every HTML context', () => {
  it('escapes text content', () => {
    expect(html(renderBody('<p>{{ v }}</p>', SCRIPT))).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes values from every group of the context, not only fields', () => {
    const body = '<p>{{ contact.firstName }} {{ customer.company }} {{ rep.name }} {{ company.name }} {{ client.localTime }} {{ v }}</p>';
    const hostile = { firstName: SCRIPT, company: SCRIPT, name: SCRIPT, localTime: SCRIPT };
    const out = html(renderBody(body, SCRIPT, { contact: hostile, customer: hostile, rep: hostile, company: hostile, client: hostile }));
    expect(out).not.toContain('<script');
    expect(out.match(/&lt;script&gt;/g)).toHaveLength(6);
  });

  it('keeps a value inside a double- or single-quoted attribute', () => {
    expect(html(renderBody('<img alt="{{ v }}">', BREAKOUT))).toBe('<img alt="&quot;onload=&quot;x">');
    expect(html(renderBody("<img alt='{{ v }}'>", "' onerror='alert(1)"))).toBe("<img alt='&#39; onerror=&#39;alert(1)'>");
  });

  it('encodes whitespace and = in an unquoted attribute so a value cannot add one', () => {
    expect(html(renderBody('<img alt={{ v }}>', 'x onerror=alert(1)'))).toBe('<img alt=x&#32;onerror&#61;alert(1)>');
  });

  it('blocks a value that would set the scheme of a link, and says why', () => {
    for (const hostile of [JS_URL, ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)']) {
      const r = renderTemplate(template('<a href="{{ company.website }}">site</a>'), 'en', { company: { website: hostile } });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.missing).toEqual([{ name: 'company.website', where: 'body', reason: expect.stringMatching(/^is not a safe link: "[a-z]+:" links are not allowed/) }]);
    }
  });

  it('lets safe links through, and makes a bare host name an https link', () => {
    const link = (website: string) => html(renderTemplate(template('<a href="{{ company.website }}">site</a>'), 'en', { company: { website } }));
    expect(link('https://luz.example/?a=1&b=2')).toBe('<a href="https://luz.example/?a=1&amp;b=2">site</a>');
    expect(link('www.luz.example')).toBe('<a href="https://www.luz.example">site</a>');
    expect(html(renderBody('<a href="mailto:{{ contact.email }}">mail</a>', 'x', { contact: { email: 'ana@luz.example' } }))).toBe('<a href="mailto:ana@luz.example">mail</a>');
  });

  it('treats a value after a fixed scheme as part of the link, escaped', () => {
    expect(html(renderBody('<a href="https://wa.me/{{ v }}">chat</a>', JS_URL))).toBe('<a href="https://wa.me/javascript:alert(1)">chat</a>');
  });

  it('refuses url fields that are not web addresses before rendering', () => {
    const t = template('<a href="{{ site }}">x</a>', 'x', [{ name: 'site', type: 'url' }]);
    const r = renderTemplate(t, 'en', { fields: { site: JS_URL } });
    expect(r.ok ? [] : r.missing).toEqual([{ name: 'site', where: 'body', reason: 'must be an http or https web address; got "javascript:alert(1)"' }]);
  });

  it('will not place a value in script, style, event handlers or tag names', () => {
    for (const body of ['<script>var x = "{{ v }}";</script>', '<style>p { color: {{ v }} }</style>', '<a onclick="go({{ v }})">x</a>', '<p style="color: {{ v }}">x</p>', '<{{ v }}>', '<p {{ v }}>x</p>']) {
      const r = renderBody(body, 'harmless');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.missing[0]).toEqual({ name: 'v', where: 'body', reason: expect.stringMatching(/^the template places it where it cannot be made safe/) });
    }
  });

  it('treats echo, liquid and cycle tags like outputs', () => {
    expect(html(renderBody('<p>{% echo v %}|{% liquid\necho v %}|{% cycle v, "b" %}</p>', SCRIPT))).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;|&lt;script&gt;alert(1)&lt;/script&gt;|&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    for (const body of ['<script>{% echo v %}</script>', '<script>{% liquid\necho v %}</script>', '<script>{% cycle v, "b" %}</script>', '<a href="{% echo v %}">x</a>']) {
      expect(renderBody(body, JS_URL).ok).toBe(false);
    }
  });

  it('escapes inside comments and textarea so they cannot be closed early', () => {
    expect(html(renderBody('<!-- {{ v }} -->', '--><script>'))).toBe('<!-- --&gt;&lt;script&gt; -->');
    expect(html(renderBody('<textarea>{{ v }}</textarea>', '</textarea><script>'))).toBe('<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>');
  });

  it('escapes filter results too (money, incoterm, upcase, append)', () => {
    const t = template('<p>{{ v | upcase }} {{ v | incoterm }} {{ "<b>" | append: v }} {{ p | money }}</p>', 'x', [
      { name: 'v', type: 'text' },
      { name: 'p', type: 'money', currency: 'USD' },
    ]);
    const out = html(renderTemplate(t, 'en', { fields: { v: '<i>fob</i>', p: 5 } }));
    expect(out).toBe('<p>&lt;I&gt;FOB&lt;/I&gt; &lt;i&gt;fob&lt;/i&gt; &lt;b&gt;&lt;i&gt;fob&lt;/i&gt; $5.00</p>');
  });

  it('never escapes twice: escape filters and captured blocks print once-escaped', () => {
    const body = '{% capture greeting %}<b>{{ v }}</b>{% endcapture %}<p>{{ v | escape }} {{ v | escape_once }} {{ greeting }}</p>';
    expect(html(renderBody(body, 'A&B <x>'))).toBe('<p>A&amp;B &lt;x&gt; A&amp;B &lt;x&gt; <b>A&amp;B &lt;x&gt;</b></p>');
  });

  it('keeps captured links escaped once, and checks their scheme', () => {
    const body = '{% capture link %}https://luz.example/?q={{ v }}&amp;x=1{% endcapture %}<a href="{{ link }}">go</a>';
    expect(html(renderBody(body, 'a&b'))).toBe('<a href="https://luz.example/?q=a&amp;b&amp;x=1">go</a>');
    const hostile = '{% capture link %}{{ v }}{% endcapture %}<a href="{{ link }}">go</a>';
    expect(renderBody(hostile, JS_URL).ok).toBe(false);
    expect(html(renderBody('{% capture t %}{{ v }}{% endcapture %}<img alt={{ t }}>', 'a b=c'))).toBe('<img alt=a&#32;b&#61;c>');
  });

  it('has no raw filter to print a value unescaped', () => {
    const r = renderBody('<p>{{ v | raw }}</p>', SCRIPT);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('<script');
  });

  it('cannot read other templates or files', () => {
    for (const body of ["{% include 'secrets' %}", "{% render '/etc/passwd' %}", "{% layout 'x' %}"]) {
      const r = renderBody(body, 'x');
      expect(r.ok ? [] : r.missing).toEqual([{ name: '(template)', where: 'body', reason: expect.stringMatching(/^the body has a Liquid error: tag "(include|render|layout)" not found/) }]);
    }
  });

  it('cannot reach JavaScript internals through values', () => {
    const body = "<p>[{{ v.constructor | default: '' }}][{{ v.length }}][{{ contact.__proto__ | default: '' }}][{{ contact.toString | default: '' }}]</p>";
    expect(html(renderBody(body, 'abc', { contact: { firstName: 'A' } }))).toBe('<p>[][3][][]</p>');
    const t = template('<p>{{ p.constructor }}{{ p.__proto__.constructor }}</p>', 'x', [{ name: 'p', type: 'money', currency: 'USD' }]);
    const r = renderTemplate(t, 'en', { fields: { p: 5 } });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.missing.map((m) => m.name)).toEqual(['(template)']);
  });

  it('judges a link put together from several values as a whole', () => {
    const body = '<a href="{{ contact.firstName }}{{ contact.lastName }}">x</a>';
    const r = renderTemplate(template(body), 'en', { contact: { firstName: 'java', lastName: 'script:alert(1)' } });
    expect(r.ok ? [] : r.missing).toEqual([{ name: 'contact.lastName', where: 'body', reason: expect.stringMatching(/^is not a safe link: "script:"/) }]);
    const branches = '<a href="{% if contact.title %}https://a.example{% else %}{{ company.website }}{% endif %}">x</a>';
    const b = renderTemplate(template(branches), 'en', { company: { website: JS_URL } });
    expect(b.ok ? [] : b.missing).toEqual([{ name: 'company.website', where: 'body', reason: expect.stringMatching(/^is not a safe link: "javascript:"/) }]);
    const blankFirst = renderTemplate(template('<a href="{{ contact.title | default: \'\' }}{{ company.website }}">x</a>'), 'en', { company: { website: JS_URL } });
    expect(blankFirst.ok).toBe(false);
  });

  it('refuses links the template itself writes with a script scheme, entities or not', () => {
    for (const href of ['javascript:void(0)', 'java&#115;cript:alert(1)', 'javascript&colon;alert(1)', ' &#x6A;avascript:alert(1)']) {
      const r = renderBody(`<a href="${href}">x</a>`, 'v');
      expect(r.ok ? [] : r.missing).toEqual([{ name: '(template)', where: 'body', reason: expect.stringMatching(/^a link would open "javascript:"/) }]);
    }
  });

  it('writes the subject as plain text, unescaped, on one line', () => {
    const r = renderTemplate(template('<p>x</p>', 'Re: {{ v }}'), 'en', { fields: { v: `${SCRIPT} & "quotes"\nnext` } });
    expect(r.ok && r.subject).toBe('Re: <script>alert(1)</script> & "quotes" next');
  });
});

describe('escaping, property-based', () => {
  const hostile = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'binary-ascii' }),
    fc.constantFrom(SCRIPT, BREAKOUT, JS_URL, '<img src=x onerror=alert(1)>', '&lt;script&gt;', '<<>>', '\u0000<'),
  );

  const decode = (s: string) =>
    s
      .replace(/<br>\n/g, '\n')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');

  it('never lets a < from a field or contact value into the html, and decodes back to the value', () => {
    const t = template('{{ v }}|{{ contact.firstName }}');
    fc.assert(
      fc.property(hostile, hostile, (v, name) => {
        const r = renderTemplate(t, 'en', { fields: { v }, contact: { firstName: name } });
        if (!r.ok) {
          // Only blank values stop the render; they are listed, never printed.
          expect(v.trim() === '' || name.trim() === '').toBe(true);
          return;
        }
        // The only markup in the output is the <br> that stands for a line break in a value.
        const withoutBreaks = r.html.replace(/<br>\n/g, '');
        expect(withoutBreaks).not.toMatch(/[<>"']/);
        expect(withoutBreaks.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(decode(r.html)).toBe(`${v.replace(/\r\n?/g, '\n').trim()}|${name.trim().replace(/\r\n?/g, '\n')}`);
      }),
      { numRuns: 300 },
    );
  });

  it('never lets a value out of a quoted attribute', () => {
    const t = template('<p title="{{ v }}">x</p>');
    fc.assert(
      fc.property(hostile, (v) => {
        const r = renderTemplate(t, 'en', { fields: { v } });
        if (!r.ok) return;
        const inner = /^<p title="([^"]*)">x<\/p>$/.exec(r.html);
        expect(inner).not.toBeNull();
        expect(inner![1]).not.toMatch(/[<>'"]/);
      }),
      { numRuns: 300 },
    );
  });

  it('never produces a link with a script scheme from a value', () => {
    const t = template('<a href="{{ company.website }}">x</a>');
    const schemes = fc.tuple(fc.constantFrom('javascript', 'JAVASCRIPT', 'java\tscript', ' javascript', 'data', 'vbscript', 'https', 'mailto'), fc.string());
    fc.assert(
      fc.property(fc.oneof(hostile, schemes.map(([s, rest]) => `${s}:${rest}`)), (website) => {
        const r = renderTemplate(t, 'en', { company: { website } });
        if (!r.ok) return;
        const href = decode(/^<a href="([^"]*)">x<\/a>$/.exec(r.html)![1]!);
        // eslint-disable-next-line no-control-regex
        expect(href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')).not.toMatch(/^(javascript|data|vbscript):/i);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the subject back exactly, whitespace folded', () => {
    const t = template('<p>x</p>', '{{ v }}');
    fc.assert(
      fc.property(hostile, (v) => {
        const r = renderTemplate(t, 'en', { fields: { v } });
        if (r.ok) expect(r.subject).toBe(v.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 200 },
    );
  });
});

describe('url check', () => {
  it('allows web, mail and phone links only', () => {
    expect(checkUrlValue('https://a.example')).toEqual({ ok: true, url: 'https://a.example', prefixed: false });
    expect(checkUrlValue('tel:+86 574 8888 0000')).toEqual({ ok: true, url: 'tel:+86 574 8888 0000', prefixed: false });
    expect(checkUrlValue('luz.example/catalogue')).toEqual({ ok: true, url: 'https://luz.example/catalogue', prefixed: true });
    expect(checkUrlValue('luz.example/catalogue', { bareHost: false })).toEqual({ ok: true, url: 'luz.example/catalogue', prefixed: false });
    expect(checkUrlValue('#top')).toEqual({ ok: true, url: '#top', prefixed: false });
    expect(checkUrlValue('javascript:alert(1)').ok).toBe(false);
    expect(checkUrlValue('file:///etc/passwd').ok).toBe(false);
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('HTML context scanner', () => {
  /** Splits a template at `{{ }}` / `{% %}` the way liquidjs's tokenizer does, for scanning without parsing. */
  function pieces(source: string): SourcePiece[] {
    const out: SourcePiece[] = [];
    const re = /\{\{.*?\}\}|\{%\s*(\w+).*?%\}/gs;
    let last = 0;
    for (const m of source.matchAll(re)) {
      if (m.index > last) out.push({ kind: 'html', begin: last, end: m.index, text: source.slice(last, m.index) });
      out.push({ kind: m[0].startsWith('{{') ? 'output' : 'tag', begin: m.index, end: m.index + m[0].length, text: m[0], ...(m[1] ? { name: m[1] } : {}) });
      last = m.index + m[0].length;
    }
    if (last < source.length) out.push({ kind: 'html', begin: last, end: source.length, text: source.slice(last) });
    return out;
  }
  const contexts = (source: string) => [...scanHtmlContexts(pieces(source)).values()];

  it('follows text, attributes, quotes and raw-text elements', () => {
    expect(contexts('<p>{{ a }}</p><a href="{{ b }}" title=\'x {{ c }}\' data-x={{ d }}>{{ e }}</a><script>{{ f }}</script>{{ g }}')).toEqual([
      { kind: 'text' },
      { kind: 'attribute', name: 'href', quote: '"', start: 'yes' },
      { kind: 'attribute', name: 'title', quote: "'", start: 'maybe' },
      { kind: 'attribute', name: 'data-x', quote: '', start: 'yes' },
      { kind: 'text' },
      { kind: 'raw-text', element: 'script' },
      { kind: 'text' },
    ]);
  });

  it('sees through tags inside attribute values', () => {
    // A value after a branch may still start the link: the branch may print nothing.
    expect(contexts('<a href="{% if x %}{{ a }}{% else %}#{% endif %}">').map((c) => c.kind === 'attribute' && c.start)).toEqual(['yes', 'maybe', 'maybe', 'maybe']);
    expect(contexts('<a href="https://x/{{ a }}{{ b }}">').map((c) => c.kind === 'attribute' && c.start)).toEqual(['no', 'no']);
    expect(contexts('<a href="{{ a }}{{ b }}">').map((c) => c.kind === 'attribute' && c.start)).toEqual(['yes', 'maybe']);
  });

  it('knows comments, tag names and the end of script', () => {
    expect(contexts('<!-- {{ a }} --><{{ b }}><p {{ c }}><script>x</script>{{ d }}<title>{{ e }}</title>')).toEqual([
      { kind: 'comment' },
      { kind: 'tag' },
      { kind: 'tag' },
      { kind: 'text' },
      { kind: 'rcdata', element: 'title' },
    ]);
  });
});

describe('the hand-written scans say what the regular expressions they replace say', () => {
  const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  it('escapeHtml', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '"', "'", '\n', 'é', '&amp;', '報') });
    fc.assert(fc.property(text, (s) => expect(escapeHtml(s)).toBe(s.replace(/[&<>"']/g, (c) => ENTITIES[c]!))), { numRuns: 2000, seed: 18 });
  });
  it('mayHaveUrlAttribute, the link check\'s quick test', () => {
    const NAMES = /(?:href|src|action|formaction|background|poster|cite|longdesc|lowsrc|dynsrc|usemap|xlink:href|srcset|data|codebase|ping|manifest|icon|profile|archive|classid)\s*=/i;
    const html = fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\u00a0', '=', 'href', 'HRef', 'hre', 'f', 'src', 'xlink:', 'data', 'colspan', '"', '<a ', 'x', 'ſ', '\u212a') });
    fc.assert(fc.property(html, (s) => expect(mayHaveUrlAttribute(s)).toBe(NAMES.test(s))), { numRuns: 5000, seed: 18 });
    expect(mayHaveUrlAttribute('<td colspan="3">')).toBe(false);
    expect(mayHaveUrlAttribute('<a HREF \n = "x">')).toBe(true);
  });
});
