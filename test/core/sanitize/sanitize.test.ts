import { describe, expect, it } from '@jest/globals';
import { sanitizeAdminHtml, sanitizeRenderedHtml, type SanitizeProfile } from '../../../src/core/sanitize/index.js';
import { decodeEntities, parseHtml, walk } from '../../../src/core/signature/html.js';

/** Entries from the OWASP XSS filter evasion cheat sheet, and relatives. */
const XSS_PAYLOADS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://ok.example/a.png" onerror="alert(1)">',
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  '<IMG SRC=`javascript:alert("XSS")`>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="jav&#x0A;ascript:alert(1)">x</a>',
  '<a href="jav\tascript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="&#x20;javascript:alert(1)">x</a>',
  '<a href="\u0001javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.example/">x</a>',
  '<a href="https://ok.example" onclick="alert(1)">x</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">click</maction></math>',
  `<style>@import 'javascript:alert(1)';</style>`,
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<div style="background-image: url(&quot;javascript:alert(1)&quot;)">x</div>',
  '<div style="width: expression(alert(1))">x</div>',
  '<div style="width: ex/**/pression(alert(1))">x</div>',
  '<div style="width: \\65 xpression(alert(1))">x</div>',
  '<div style="behavior: url(xss.htc)">x</div>',
  '<div style="-moz-binding: url(https://x.example/xss.xml#xss)">x</div>',
  '<div style="background:url(data:image/svg+xml;base64,PHN2Zz4=)">x</div>',
  '<form action="https://evil.example/steal"><input name="password"><button>Go</button></form>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<body onload=alert(1)>',
  '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
  '<div onmouseover="alert(1)">x</div>',
  '<<script>alert(1);//<</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img """><script>alert(1)</script>">',
  '<a href="javascript:alert(1)"',
  '<img src=x onerror=alert(1)//',
  '<div><p>unclosed <b>tags <a href=javascript:alert(1)>x',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea><script>alert(1)</script></textarea>',
  '<video><source onerror="alert(1)"></video>',
  '<a href="https://ok.example">ok</a><img src="https://ok.example/a.png" style="x:expression(alert(1))">',
];

const FORBIDDEN = /<\s*\/?\s*(script|iframe|object|embed|svg|math|form|input|button|textarea|select|meta|link|base|style|frame|frameset|applet|xml|template|noscript|xmp|video|source)\b/i;
const ALLOWED_ATTRIBUTES = new Set([
  'align', 'valign', 'width', 'height', 'colspan', 'rowspan', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'color', 'alt', 'title', 'dir', 'lang', 'class',
  'href', 'name', 'target', 'src', 'face', 'size', 'start', 'type', 'style',
]);

/** Fails with the offending detail if anything in `html` could run code or load a non-https image. */
function assertInert(html: string): void {
  expect(html).not.toMatch(FORBIDDEN);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  for (const node of walk(parseHtml(html))) {
    if (node.kind !== 'element') continue;
    for (const [name, raw] of node.attrs) {
      expect({ name, ok: ALLOWED_ATTRIBUTES.has(name) }).toEqual({ name, ok: true });
      const value = decodeEntities(raw).replace(/[\u0000-\u0020\u007F-\u00A0]/g, '').toLowerCase();
      expect(value).not.toMatch(/javascript:|vbscript:|livescript:|expression\(|-moz-binding|behavior:/);
      if (name === 'href' || name === 'src') expect(value).not.toMatch(/^(data|javascript|vbscript):|^\/\//);
      if (name === 'src') expect(value).toMatch(/^https:\/\//);
    }
  }
}

describe('sanitizing against XSS payloads', () => {
  const profiles: SanitizeProfile[] = ['template', 'signature'];
  for (const payload of XSS_PAYLOADS) {
    it(`neutralises ${JSON.stringify(payload).slice(0, 90)}`, () => {
      for (const profile of profiles) {
        for (const sanitize of [sanitizeAdminHtml, sanitizeRenderedHtml]) {
          const result = sanitize(payload, profile);
          assertInert(result.html);
          // Sanitising what was sanitised changes nothing: nothing dangerous was left to find.
          expect(sanitize(result.html, profile).html).toBe(result.html);
          expect(result.removed.length).toBeGreaterThan(0);
        }
      }
    });
  }

  it('names what it removed, in words', () => {
    expect(sanitizeAdminHtml('<p>a</p><script>alert(1)</script>', 'template').removed).toEqual(['<script> element and its content']);
    expect(sanitizeAdminHtml('<a href="https://ok.example" onclick="x()">a</a>', 'template').removed).toEqual(['onclick attribute on <a> (event handler)']);
    expect(sanitizeAdminHtml('<a href="javascript:alert(1)">a</a>', 'template').removed).toEqual(['javascript: link on <a>']);
    expect(sanitizeAdminHtml('<a href="JaVa&#x09;ScRiPt:alert(1)">a</a>', 'template').removed).toEqual(['javascript: link on <a>']);
    expect(sanitizeAdminHtml('<img src="http://cdn.example/logo.png">', 'signature').removed).toEqual(['http: image (only https images are allowed)']);
    expect(sanitizeAdminHtml('<img src="cid:logo@01">', 'signature').removed[0]).toMatch(/^cid: image/);
    expect(sanitizeAdminHtml('<img src="data:image/png;base64,iVBORw0KGgo=">', 'signature').removed[0]).toMatch(/^data: image \(embedded images are refused/);
    expect(sanitizeAdminHtml('<svg onload="x()"><circle r="1"/></svg>', 'template').removed).toEqual(['<svg> element and its content']);
    expect(sanitizeAdminHtml('<form action="https://x.example"><b>t</b></form>', 'template').removed).toEqual(['<form> element and its content']);
    expect(sanitizeAdminHtml('<h5>t</h5>', 'template')).toEqual({ html: 't', removed: ['<h5> element (its content is kept)'], checkAtRender: [] });
    expect(sanitizeAdminHtml('<td onclick="a()">1</td><td onclick="b()">2</td>', 'template').removed).toEqual(['onclick attribute on <td> (event handler) (2×)']);
    expect(sanitizeAdminHtml('<a href="www.example.com">w</a>', 'template').removed).toEqual(['relative link on <a> (links need http:, https:, mailto: or tel:)']);
  });

  it('removes the image but still reports its event handler', () => {
    const result = sanitizeAdminHtml('<img src=x onerror=alert(1)>', 'template');
    expect(result.html).toBe('');
    expect(result.removed).toEqual(['image with a relative address (only https images are allowed)', 'onerror attribute on <img> (event handler)']);
  });
});

describe('what e-mail layout keeps', () => {
  const layout =
    '<table width="600" border="0" cellpadding="4" cellspacing="0" bgcolor="#ffffff" align="center"><tbody><tr>' +
    '<td valign="top" colspan="2" class="brand"><font face="Arial" size="2" color="#333333"><b>Acme</b> <i>Export</i></font></td>' +
    '</tr></tbody></table><p dir="ltr" lang="en">Hi<br />there</p><hr /><ul><li>a</li></ul><ol start="3"><li>b</li></ol>' +
    '<center><h2 title="t">Offer</h2></center><blockquote>q</blockquote>' +
    '<a href="https://acme.example/" target="_blank">web</a> <a href="mailto:sales@acme.example">mail</a> <a href="tel:+8675588888888">call</a>' +
    '<img src="https://cdn.acme.example/logo.png" alt="Acme" width="120" height="40" />';

  it('keeps tables, fonts and presentational attributes untouched', () => {
    expect(sanitizeAdminHtml(layout, 'signature')).toEqual({ html: layout, removed: [], checkAtRender: [] });
    expect(sanitizeAdminHtml(layout, 'template')).toEqual({ html: layout, removed: [], checkAtRender: [] });
  });

  it('keeps safe inline CSS in templates and drops only the dangerous declarations', () => {
    const result = sanitizeAdminHtml('<td style="color: #333; font-family: \'Segoe UI\', Arial; width: expression(alert(1)); background: url(https://cdn.example/bg.png)">x</td>', 'template');
    expect(result.html).toBe('<td style="color: #333; font-family: \'Segoe UI\', Arial; background: url(https://cdn.example/bg.png)">x</td>');
    expect(result.removed).toEqual(['dangerous CSS "width: expression(alert(1))" in style on <td>']);
    expect(sanitizeAdminHtml('<p style="background:url(http://x.example/a.png)">x</p>', 'template').removed).toEqual([
      'CSS "background:url(http://x.example/a.png)" (only https URLs may be loaded from CSS) in style on <p>',
    ]);
  });

  it('removes inline styles from signatures and says why', () => {
    const result = sanitizeAdminHtml('<td style="color:red" bgcolor="#eeeeee">x</td>', 'signature');
    expect(result.html).toBe('<td bgcolor="#eeeeee">x</td>');
    expect(result.removed).toEqual(['style attribute on <td> (Outlook signatures cannot use inline styles; use bgcolor, width, align or <font>)']);
  });

  it('refuses classes that would fake the signature marker', () => {
    const result = sanitizeAdminHtml('<div class="box tradepane-signature x_tradepane-signature">x</div><div id="tradepane-signature">y</div>', 'signature');
    expect(result.html).toBe('<div class="box">x</div><div>y</div>');
    expect(result.removed).toEqual(['reserved class "tradepane-…" on <div>', 'id attribute on <div>']);
    expect(sanitizeAdminHtml(`<p>a${'\u200C\u200D'.repeat(20)}b</p>`, 'signature')).toEqual({ html: '<p>ab</p>', removed: ['hidden run of zero-width characters'], checkAtRender: [] });
  });
});

describe('Liquid survives sanitising', () => {
  it('keeps outputs, tags, filters and quotes exactly as written, in text and attributes', () => {
    const source =
      '<table>{% for line in lines %}<tr><td align="right">{{ line.qty | default: "n/a" }}</td></tr>{% endfor %}</table>' +
      `<p>{% if rep.mobile and rep.mobile != "" %}Mobile: {{ rep.mobile }}{% endif %}</p>` +
      `<a href="mailto:{{ rep.email }}" title='{{ rep.name | append: " <sales>" }}'>{{ rep.email }}</a>` +
      '<img src="https://cdn.example/{{ company.logo | url_encode }}.png" alt="{{ company.name }}">' +
      '<p>{%- comment -%} a & b < c {%- endcomment -%}</p>';
    const result = sanitizeAdminHtml(source, 'signature');
    expect(result.removed).toEqual([]);
    for (const liquid of source.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)!) expect(result.html).toContain(liquid);
    expect(result.html).toContain('<a href="mailto:{{ rep.email }}" title="{{ rep.name | append: " <sales>" }}">');
    expect(result.html).toContain('<img src="https://cdn.example/{{ company.logo | url_encode }}.png" alt="{{ company.name }}" />');
    // Idempotent, so a pack re-saved after sanitising does not drift.
    expect(sanitizeAdminHtml(result.html, 'signature').html).toBe(result.html);
  });

  it('allows Liquid-valued links and images but flags them for the render-time check', () => {
    const result = sanitizeAdminHtml('<a href="{{ company.website }}">web</a><img src="{{ company.logoUrl }}" alt="logo">', 'signature');
    expect(result.html).toBe('<a href="{{ company.website }}">web</a><img src="{{ company.logoUrl }}" alt="logo" />');
    expect(result.removed).toEqual([]);
    expect(result.checkAtRender).toEqual([
      'href "{{ company.website }}" on <a> comes from Liquid; it is checked after rendering',
      'src "{{ company.logoUrl }}" on <img> comes from Liquid; it is checked after rendering',
    ]);
  });

  it('still refuses a dangerous scheme written around Liquid', () => {
    const result = sanitizeAdminHtml('<a href="javascript:{{ x }}">a</a><a href=" JAVASCRIPT:{{ y }}">b</a>', 'template');
    expect(result.html).toBe('<a>a</a><a>b</a>');
    expect(result.removed).toEqual(['javascript: link on <a> (2×)']);
  });

  it('reports Liquid lost with what contained it', () => {
    const result = sanitizeAdminHtml('<td {% if x %}bgcolor="red"{% endif %}>a</td><script>{{ secret }}</script>', 'template');
    expect(result.html).not.toContain('{%');
    expect(result.removed).toEqual([
      'Liquid in the attribute list of <td> ({% if x %}bgcolor); Liquid can only go inside attribute values',
      'Liquid in the attribute list of <td> ({% endif %}); Liquid can only go inside attribute values',
      '<script> element and its content',
      'Liquid "{{ secret }}" (it was inside something removed, or in a tag\'s attribute list)',
    ]);
  });

  it('after rendering, a Liquid value that became javascript: is neutralised', () => {
    // What `<a href="{{ company.website }}">` renders to when the value is hostile.
    const rendered = '<a href="javascript:alert(document.cookie)">Website</a><img src="http://tracker.example/p.gif" alt="x"><p>{{ not liquid any more }}</p>';
    const result = sanitizeRenderedHtml(rendered, 'signature');
    expect(result.html).toBe('<a>Website</a><p>{{ not liquid any more }}</p>');
    expect(result.removed).toEqual(['javascript: link on <a>', 'http: image (only https images are allowed)']);
    expect(result.checkAtRender).toEqual([]);
  });
});
