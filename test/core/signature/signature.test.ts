import { describe, expect, it } from '@jest/globals';
import type { PackSignature } from '../../../src/core/pack/schema.js';
import {
  checkSignature,
  checkSignatureLimits,
  contentHash,
  findSignature,
  quoteStart,
  renderSignature,
  replaceSignature,
  verifySignature,
  type RepProfile,
} from '../../../src/core/signature/index.js';

const JANE: RepProfile = { name: 'Jane Li', email: 'jane@acme.example', title: 'Export Manager', phone: '+86 755 1234 5678', mobile: '+86 138 0013 8000' };
const NO_MOBILE: RepProfile = { ...JANE, mobile: null };

const STANDARD: PackSignature = {
  id: 'standard',
  body:
    '<table><tr><td><b>{{ rep.name }}</b> · {{ rep.title }}<br>ACME Export Co.<br>Tel: {{ rep.phone }}<br>Mobile: {{ rep.mobile }}<br>' +
    '<a href="mailto:{{ rep.email }}">{{ rep.email }}</a></td></tr></table>',
};
const sig = (body: string): PackSignature => ({ id: 'test', body });
/** The rendered signature without its marker: what the lines look like. */
const inner = (html: string) => findSignature(html).inner!.replace(/[\u200C\u200D]/g, '');
const markers = (html: string) => (html.slice(0, quoteStart(html)).match(/data-tradepane-signature=/g) ?? []).length;

describe('rendering', () => {
  it('renders the pack signature with the rep details, marked and hashed', () => {
    const out = renderSignature(STANDARD, JANE);
    expect(out.id).toBe('standard');
    expect(out.hash).toMatch(/^[0-9a-f]{8}$/);
    expect(out.html).toMatch(/^<div id="tradepane-signature" class="tradepane-signature" data-tradepane-signature="standard" data-tradepane-hash="[0-9a-f]{8}">/);
    expect(inner(out.html)).toBe(
      '<table><tr><td><b>Jane Li</b> · Export Manager<br />ACME Export Co.<br />Tel: +86 755 1234 5678<br />Mobile: +86 138 0013 8000<br />' +
        '<a href="mailto:jane&#64;acme.example">jane&#64;acme.example</a></td></tr></table>'.replace(/&#64;/g, '@'),
    );
    expect(out.text).toBe('Jane Li · Export Manager\nACME Export Co.\nTel: +86 755 1234 5678\nMobile: +86 138 0013 8000\njane@acme.example');
    expect(contentHash(out.html)).toBe(out.hash);
  });

  it('escapes hostile rep values, whatever the template does with them', () => {
    const hostile: RepProfile = { ...JANE, name: '<script>alert(1)</script>', title: '"><img src=x onerror=alert(1)>' };
    for (const body of ['<p>{{ rep.name }} {{ rep.title }}</p>', '<p>{{ rep.name | raw }} {{ rep.title | raw }}</p>', '<p title="{{ rep.title }}">{{ rep.name | escape }}</p>']) {
      const out = renderSignature(sig(body), hostile);
      expect(out.html).not.toMatch(/<script|<img|onerror="/i);
      expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(out.text).toContain('<script>alert(1)</script>');
    }
  });

  it('neutralises a company value that renders a link as javascript:', () => {
    const out = renderSignature(sig('<p><a href="{{ company.website }}">Website</a></p>'), JANE, { website: 'javascript:alert(1)' });
    expect(out.html).not.toMatch(/javascript:/i);
    expect(out.removed).toEqual(['javascript: link on <a>']);
  });

  it('shows link targets in the plain-text version', () => {
    const out = renderSignature(sig('<p>{{ rep.name }}<br><a href="https://acme.example/">Website</a> · <a href="mailto:{{ rep.email }}">{{ rep.email }}</a></p>'), JANE);
    expect(out.text).toBe('Jane Li\nWebsite <https://acme.example/> · jane@acme.example');
  });

  it('treats an empty value as absent, so {% if %} is false for it', () => {
    const out = renderSignature(sig('<p>{{ rep.email }}{% if rep.mobile %} · {{ rep.mobile }}{% endif %}</p>'), { ...JANE, mobile: '  ' });
    expect(out.text).toBe('jane@acme.example');
  });

  it('gives the same hash for the same signature and rep, and a different one when a detail changes', () => {
    expect(renderSignature(STANDARD, JANE)).toEqual(renderSignature(STANDARD, { ...JANE }));
    expect(renderSignature(STANDARD, JANE).hash).not.toBe(renderSignature(STANDARD, { ...JANE, title: 'Sales Director' }).hash);
    expect(renderSignature(STANDARD, JANE).hash).not.toBe(renderSignature(STANDARD, NO_MOBILE).hash);
  });
});

describe('lines whose values are empty disappear', () => {
  const render = (body: string, rep: RepProfile = NO_MOBILE) => inner(renderSignature(sig(body), rep).html);

  it('a <br>-separated line, with one of its breaks', () => {
    expect(render('{{ rep.name }}<br>Mobile: {{ rep.mobile }}<br>{{ rep.email }}')).toBe('Jane Li<br />jane@acme.example');
    expect(render('{{ rep.name }}<br>{{ rep.email }}<br>Mobile: {{ rep.mobile }}')).toBe('Jane Li<br />jane@acme.example');
    expect(render('Mobile: {{ rep.mobile }}<br>{{ rep.name }}')).toBe('Jane Li');
    expect(render('{{ rep.name }}<br><b>Mobile:</b> {{ rep.mobile }}<br>{{ rep.email }}')).toBe('Jane Li<br />jane@acme.example');
  });

  it('several empty lines in a row, without leaving a double break', () => {
    const rep: RepProfile = { name: 'Jane Li', email: 'jane@acme.example' };
    expect(render('{{ rep.name }}<br>T: {{ rep.phone }}<br>M: {{ rep.mobile }}<br>W: {{ rep.wechat }}<br>{{ rep.email }}', rep)).toBe('Jane Li<br />jane@acme.example');
    expect(render('{{ rep.name }}<br>T: {{ rep.phone }}<br>M: {{ rep.mobile }}', rep)).toBe('Jane Li');
  });

  it('a <p> line and a <div> line', () => {
    expect(render('<p>{{ rep.name }}</p><p>Mobile: {{ rep.mobile }}</p><p>{{ rep.email }}</p>')).toBe('<p>Jane Li</p><p>jane@acme.example</p>');
    expect(render('<div>{{ rep.name }}</div>\n<div><span>Mobile:</span> {{ rep.mobile }}</div>\n<div>{{ rep.email }}</div>')).toBe('<div>Jane Li</div>\n\n<div>jane@acme.example</div>');
  });

  it('a table row, label cell and all', () => {
    expect(render('<table><tr><td>Name:</td><td>{{ rep.name }}</td></tr><tr><td>Mobile:</td><td>{{ rep.mobile }}</td></tr></table>')).toBe(
      '<table><tr><td>Name:</td><td>Jane Li</td></tr></table>',
    );
    // Its only row gone, the table goes too.
    expect(render('<p>{{ rep.name }}</p><table><tbody><tr><td>Mobile: {{ rep.mobile }}</td></tr></tbody></table>')).toBe('<p>Jane Li</p>');
  });

  it('a list item', () => {
    expect(render('<ul><li>{{ rep.name }}</li><li>Mobile: {{ rep.mobile }}</li></ul>')).toBe('<ul><li>Jane Li</li></ul>');
  });

  it('a line whose empty value is in an attribute', () => {
    expect(render('{{ rep.name }}<br><a href="https://wa.me/{{ rep.whatsapp }}">WhatsApp</a><br>{{ rep.email }}')).toBe('Jane Li<br />jane@acme.example');
  });

  it('leaves lines with values, and admin conditionals, alone', () => {
    expect(render('{{ rep.name }}<br>Mobile: {{ rep.mobile }}', JANE)).toBe('Jane Li<br />Mobile: +86 138 0013 8000');
    expect(render('<p>{{ rep.email }}{% if rep.mobile %} · {{ rep.mobile }}{% endif %}</p>')).toBe('<p>jane@acme.example</p>');
  });
});

describe('finding, replacing and verifying the signature in a message', () => {
  const current = renderSignature(STANDARD, JANE);
  const expected = { id: current.id, hash: current.hash };
  const draft = '<div>Dear Ahmed,</div><div>please find our offer attached.</div><div>Best regards</div>';

  it('appends when absent, and is then present', () => {
    expect(verifySignature(draft, expected).state).toBe('missing');
    const body = replaceSignature(draft, current.html);
    expect(body).toBe(draft + current.html);
    expect(verifySignature(body, expected)).toEqual({ state: 'present', why: 'unchanged', reason: 'signature present and unchanged' });
    const found = findSignature(body);
    expect(found).toMatchObject({ found: true, id: 'standard', hash: current.hash, start: draft.length, end: body.length, via: 'attributes' });
  });

  it('replaces in place and never stacks a second copy', () => {
    const once = replaceSignature(draft, current.html);
    const twice = replaceSignature(once, current.html);
    expect(twice).toBe(once);
    expect(markers(twice)).toBe(1);
    const updated = renderSignature(STANDARD, { ...JANE, title: 'Sales Director' });
    const third = replaceSignature(twice + '<div>P.S. samples ship Monday</div>', updated.html);
    expect(markers(third)).toBe(1);
    expect(third).toBe(draft + updated.html + '<div>P.S. samples ship Monday</div>');
    expect(verifySignature(third, updated).state).toBe('present');
    // A client that stacked two copies is cleaned up to one.
    expect(markers(replaceSignature(draft + current.html + current.html, updated.html))).toBe(1);
  });

  it('goes above the quoted history and leaves the signature in the quote alone', () => {
    const oldMail = renderSignature(STANDARD, { ...JANE, title: 'Sales Assistant' });
    for (const quote of [
      `<div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><b>From:</b> Ahmed</div><div>${oldMail.html}</div>`,
      `<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">On Mon, Ahmed wrote:</div><blockquote class="gmail_quote">${oldMail.html}</blockquote></div>`,
    ]) {
      const body = draft + quote;
      expect(verifySignature(body, expected).state).toBe('missing');
      const replaced = replaceSignature(body, current.html);
      expect(replaced).toBe(draft + current.html + quote);
      expect(verifySignature(replaced, expected).state).toBe('present');
      expect(replaceSignature(replaced, current.html)).toBe(replaced);
    }
  });

  it('reports altered when a line was deleted or the name edited', () => {
    const body = replaceSignature(draft, current.html);
    const withoutPhone = body.replace('Tel: +86 755 1234 5678<br />', '');
    expect(withoutPhone).not.toBe(body);
    expect(verifySignature(withoutPhone, expected)).toEqual({ state: 'altered', why: 'edited', reason: 'the signature was edited in the message (its text no longer matches)' });
    expect(verifySignature(body.replace('Jane Li', 'Jane L.'), expected).state).toBe('altered');
    // An older rendering (the rep changed their title since) is altered too, and says so.
    const older = replaceSignature(draft, renderSignature(STANDARD, { ...JANE, title: 'Sales Assistant' }).html);
    expect(verifySignature(older, expected)).toMatchObject({ state: 'altered', why: 'olderVersion', reason: expect.stringMatching(/older version/) });
    expect(verifySignature(body.replace('data-tradepane-signature="standard"', 'data-tradepane-signature="other"'), expected).state).toBe('altered');
  });

  it('is still present after the reformatting Outlook and Gmail do', () => {
    const body = replaceSignature(draft, current.html);
    const reformatted = body
      .replace('<div id="tradepane-signature" class="tradepane-signature" data-tradepane-signature="standard" data-tradepane-hash="' + current.hash + '">',
        `<div data-tradepane-hash='${current.hash}' class=tradepane-signature\n   data-tradepane-signature='standard' id=tradepane-signature>`)
      .replace('<table>', '\n  <table border=0 cellspacing=0 cellpadding=0 class=MsoNormalTable>\n    <tbody>')
      .replace('<td>', '<td style="padding:0cm">\n      ')
      .replace('</td></tr></table>', '<o:p></o:p></td></tr></tbody></table>\n')
      .replace(' · ', '&nbsp;&middot;&nbsp;')
      .replace('ACME Export Co.<br />', '<span lang="EN-US">ACME&nbsp;Export Co.</span><o:p></o:p></p><p class=MsoNormal>')
      .replace(/<br \/>/g, '<br>\n');
    expect(reformatted).not.toBe(body);
    expect(verifySignature(reformatted, expected)).toEqual({ state: 'present', why: 'unchanged', reason: 'signature present and unchanged' });
  });

  it('finds it when the client kept only the id (Outlook on the web drops class and data-*)', () => {
    const body = replaceSignature(draft, current.html).replace(/<div id="tradepane-signature"[^>]*>/, '<div id="x_tradepane-signature">');
    expect(findSignature(body)).toMatchObject({ found: true, hash: current.hash, via: 'attributes' });
    expect(verifySignature(body, expected).state).toBe('present');
  });

  it('finds it by the zero-width marker when every attribute is gone (Gmail)', () => {
    const stripped = replaceSignature(draft, current.html).replace(/<div id="tradepane-signature"[^>]*>/, '<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div>');
    const body = stripped + '</div>';
    expect(findSignature(body)).toMatchObject({ found: true, hash: current.hash, via: 'zero-width' });
    expect(verifySignature(body, expected).state).toBe('present');
    // Replacing keeps Gmail's own wrapper and leaves exactly one signature.
    const updated = renderSignature(STANDARD, { ...JANE, title: 'Sales Director' });
    const replaced = replaceSignature(body, updated.html);
    expect(replaced).toBe(draft + '<div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature">' + updated.html + '</div>');
    expect(verifySignature(replaced, updated).state).toBe('present');
    // The joiners written as entities count too.
    const entities = body.replace(/\u200C/g, '&zwnj;').replace(/\u200D/g, '&#8205;');
    expect(verifySignature(entities, expected).state).toBe('present');
  });

  it('works in a whole HTML document and above classic Outlook\'s quoted reply', () => {
    const doc = '<html><head><style>p{margin:0}</style></head><body><p class=MsoNormal>Hi<o:p></o:p></p></body></html>';
    const withSignature = replaceSignature(doc, current.html);
    expect(withSignature).toBe(doc.replace('</body>', current.html + '</body>'));
    expect(verifySignature(withSignature, expected).state).toBe('present');
    const quote = "<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>From:</b> Ahmed</p></div></div>";
    expect(replaceSignature(draft + quote, current.html)).toBe(draft + current.html + quote);
  });

  it('is missing when only the text is left, without any mark', () => {
    const body = replaceSignature(draft, current.html).replace(/<div id="tradepane-signature"[^>]*>/, '<div>').replace(/[\u200C\u200D]/g, '');
    expect(verifySignature(body, expected).state).toBe('missing');
  });
});

describe('the hash', () => {
  it('is FNV-1a over UTF-8 of the visible lines', async () => {
    const { fnv1a32 } = await import('../../../src/core/signature/hash.js');
    expect(fnv1a32('')).toBe('811c9dc5');
    expect(fnv1a32('a')).toBe('e40c292c');
    expect(fnv1a32('foobar')).toBe('bf9cf968');
    expect(fnv1a32('é')).toBe(fnv1a32('\u00e9'));
    expect(contentHash('<p>Jane&nbsp;Li</p>\n<p>  Export   Manager<o:p></o:p></p>')).toBe(contentHash('Jane Li<br>Export Manager'));
    expect(contentHash('Jane Li<br>Export Manager')).toBe(fnv1a32('Jane Li\nExport Manager'));
  });
});

describe('platform limits', () => {
  it('fails Outlook above 30,000 characters and Gmail above 10,000', () => {
    const long = `<div>${'x'.repeat(31_000)}</div>`;
    expect(checkSignatureLimits(long).outlook).toEqual(['is 31,011 characters; Outlook accepts at most 30,000']);
    expect(checkSignatureLimits(long).gmail).toEqual(['is 31,011 characters; Gmail accepts at most 10,000']);
    const medium = `<div>${'x'.repeat(12_000)}</div>`;
    expect(checkSignatureLimits(medium).outlook).toEqual([]);
    expect(checkSignatureLimits(medium).gmail).toHaveLength(1);
    expect(checkSignatureLimits(renderSignature(STANDARD, JANE).html)).toEqual({ outlook: [], gmail: [] });
  });

  it('reports inline styles, SVG and images that are not hosted on https', () => {
    const html = '<p style="color:red">a</p><td style="x">b</td><svg></svg><img src="cid:logo"><img src="http://x.example/a.png"><img src="data:image/png;base64,AA">';
    const { outlook, gmail } = checkSignatureLimits(html);
    expect(outlook).toEqual([
      'has 2 inline style attributes; Outlook signatures must not use style=""',
      'contains SVG, which Outlook does not allow in signatures',
      'cid: image (attachment images are not supported; host it on https)',
      'http: image (only https images are allowed)',
      'data: image (embedded images are not supported; host it on https)',
    ]);
    expect(gmail).toContain('contains SVG, which Gmail removes');
    expect(gmail).not.toContain('has 2 inline style attributes; Outlook signatures must not use style=""');
  });
});

describe('checking a pack signature', () => {
  it('passes the demo signature', () => {
    const demo = sig('<table><tr><td><b>{{ rep.name }}</b>{% if rep.title %} · {{ rep.title }}{% endif %}<br>Demo Export Co.<br>{{ rep.email }}{% if rep.mobile %} · {{ rep.mobile }}{% endif %}</td></tr></table>');
    expect(checkSignature(demo, 0)).toEqual([]);
  });

  it('reports Liquid syntax errors with line and column', () => {
    expect(checkSignature(sig('<p>{{ rep.name }}</p>\n<p>{% if rep.mobile %}{{ rep.mobile }}</p>'), 2)).toEqual([
      { path: 'signatures[2].body', message: 'Liquid syntax error: tag {% if rep.mobile %} not closed', severity: 'error', inner: { line: 2, column: 4 } },
    ]);
    expect(checkSignature(sig('<p>{{ rep.name | upcas }}</p>'), 0)[0]?.message).toBe('Liquid syntax error: undefined filter: upcas — did you mean "upcase"?');
    expect(checkSignature(sig('{% iff rep.mobile %}x{% endif %}'), 0)[0]?.message).toBe('Liquid syntax error: tag "iff" not found — did you mean "if"?');
  });

  it('reports unknown variables with a suggestion', () => {
    const issues = checkSignature(sig('<p>{{ rep.name }}</p>\n<p>{{ rep.mobil }} {{ contact.firstName }} {{ company.webiste }}</p>'), 1);
    expect(issues).toEqual([
      { path: 'signatures[1].body', message: 'unknown variable "rep.mobil" — did you mean "rep.mobile"?; rep has: name, email, title, department, phone, mobile, whatsapp, wechat', severity: 'error', inner: { line: 2, column: 7 } },
      { path: 'signatures[1].body', message: 'unknown variable "contact.firstName"; signatures can use rep.* and company.*', severity: 'error', inner: { line: 2, column: 23 } },
      {
        path: 'signatures[1].body',
        message: 'unknown variable "company.webiste" — did you mean "company.website"?; company has: name, legalName, website, address, phone, fax, email, logoUrl, tagline, linkedin',
        severity: 'warning',
        inner: { line: 2, column: 47 },
      },
    ]);
  });

  it('warns about what sanitising would remove', () => {
    const issues = checkSignature(sig('<p style="color:red" onclick="x()">{{ rep.name }}</p><script>alert(1)</script><img src="http://x.example/logo.png">'), 0);
    expect(issues.map((i) => [i.severity, i.message])).toEqual([
      ['warning', 'would be removed when sanitising: style attribute on <p> (Outlook signatures cannot use inline styles; use bgcolor, width, align or <font>)'],
      ['warning', 'would be removed when sanitising: onclick attribute on <p> (event handler)'],
      ['warning', 'would be removed when sanitising: <script> element and its content'],
      ['warning', 'would be removed when sanitising: http: image (only https images are allowed)'],
    ]);
  });

  it('names the limit a long signature breaks', () => {
    const issues = checkSignature(sig(`<p>{{ rep.name }}</p><p>${'Disclaimer. '.repeat(2_600)}</p>`), 0);
    expect(issues.map((i) => i.severity)).toEqual(['error', 'error']);
    expect(issues[0]!.message).toMatch(/^rendered for a rep with long details, the signature is 31,\d{3} characters; Outlook accepts at most 30,000 \(Outlook limit\)$/);
    expect(issues[1]!.message).toMatch(/Gmail accepts at most 10,000 \(Gmail limit\)$/);
  });
});

describe('signature lines that share values', () => {
  it('are reported: losing the name or e-mail with an optional value is an error, other losses a warning', async () => {
    const { checkSignature } = await import('../../../src/core/signature/index.js');
    const coupled = checkSignature({ id: 's', body: '<p><b>{{ rep.name }}</b> · {{ rep.title }}<br>Mobile: {{ rep.mobile }} · WeChat: {{ rep.wechat }}</p>' }, 0);
    expect(coupled).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', message: expect.stringContaining('a rep without a title would also lose rep.name') }),
        expect.objectContaining({ severity: 'warning', message: expect.stringContaining('a rep without a mobile would also lose rep.wechat') }),
      ]),
    );
    const guarded = checkSignature({ id: 's', body: '<p><b>{{ rep.name }}</b>{% if rep.title %} · {{ rep.title }}{% endif %}<br>{{ rep.email }}</p>' }, 0);
    expect(guarded.filter((i) => i.message.includes('would also lose'))).toEqual([]);
  });
});
