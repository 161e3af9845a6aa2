import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { PackSignature } from '../../../src/core/pack/schema.js';
import { quoteStart, renderSignature, replaceSignature, verifySignature, type RepProfile } from '../../../src/core/signature/index.js';

const TEMPLATE: PackSignature = {
  id: 'standard',
  body:
    '<table><tr><td><b>{{ rep.name }}</b> · {{ rep.title }}<br>{{ rep.department }}<br>Tel: {{ rep.phone }}<br>Mobile: {{ rep.mobile }}<br>' +
    '<a href="mailto:{{ rep.email }}" title="{{ rep.name }}">{{ rep.email }}</a><br>WhatsApp: {{ rep.whatsapp }} · WeChat: {{ rep.wechat }}</td></tr></table>',
};

/** Text that tries to be markup, entities, Liquid, our private marks and marker characters. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('<', '>', '&', '"', "'", '<script>alert(1)</script>', '</td></tr></table>', '<img src=x onerror=alert(1)>', '{{ rep.name }}', '{% raw %}',
          '&lt;', '&#60;', '\u200C\u200D\u200C', '\u200D'.repeat(5), '\uE000', '\uE001', '\uE100', 'javascript:', ' ', '\n', '\u00A0'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
);
const optionalText = fc.option(hostileText, { nil: null });

const repArbitrary: fc.Arbitrary<RepProfile> = fc.record({
  name: hostileText,
  email: hostileText,
  title: optionalText,
  department: optionalText,
  phone: optionalText,
  mobile: optionalText,
  whatsapp: optionalText,
  wechat: optionalText,
});

/** Mirrors the renderer's rule for "empty": what is left after its own clean-up is blank. */
const isBlank = (v: string | null | undefined) => (v ?? '').replace(/[\uE000\uE001\uE100\uE101]/g, '').replace(/[\u200C\u200D]{8,}/g, '').trim() === '';
const neutral = (rep: RepProfile): RepProfile =>
  Object.fromEntries(Object.entries(rep).map(([k, v]) => [k, isBlank(v as string | null) ? null : 'x'])) as unknown as RepProfile;

/** The tags of an HTML string, values of attributes dropped: its shape. */
const shape = (html: string) => (html.match(/<[^>]*>/g) ?? []).map((tag) => tag.replace(/="[^"]*"/g, ''));

describe('properties', () => {
  it('rep values never produce markup: every < in the output is a tag the template wrote', () => {
    fc.assert(
      fc.property(repArbitrary, (rep) => {
        const out = renderSignature(TEMPLATE, rep);
        const tags = out.html.match(/<[^>]*>/g) ?? [];
        expect(out.html.split('<').length - 1).toBe(tags.length);
        for (const tag of tags) expect(tag).toMatch(/^<\/?(div|table|tr|td|b|br|a)(\s+[a-z-]+="[^"<>]*")*\s*\/?>$/);
        expect(shape(out.html)).toEqual(shape(renderSignature(TEMPLATE, neutral(rep)).html));
        expect(verifySignature(out.html, out).state).toBe('present');
      }),
      { numRuns: 300 },
    );
  });

  const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  const { node } = fc.letrec<{ node: string; element: string }>((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, text, fc.constantFrom('<br>', '&nbsp;', '<o:p></o:p>', '<p class=MsoNormal>&nbsp;</p>'), tie('element')),
    element: fc
      .record({
        tag: fc.constantFrom('div', 'p', 'span', 'b', 'blockquote', 'table'),
        attrs: fc.constantFrom('', ' class="MsoNormal"', ' style="color:red"', " dir='ltr'"),
        kids: fc.array(tie('node'), { maxLength: 3 }),
      })
      .map(({ tag, attrs, kids }) => (tag === 'table' ? `<table${attrs}><tr><td>${kids.join('')}</td></tr></table>` : `<${tag}${attrs}>${kids.join('')}</${tag}>`)),
  }));

  it('replaceSignature then verifySignature: present, exactly once, whatever the body held before', () => {
    const other = renderSignature(TEMPLATE, { name: 'Old Name', email: 'old@acme.example', title: 'Assistant' });
    const priors = [
      '',
      other.html,
      // Outlook on the web: only the id survives, prefixed.
      other.html.replace(/<div id="tradepane-signature"[^>]*>/, '<div id="x_tradepane-signature">'),
      // Gmail: no attributes at all, only the zero-width marker.
      '<div class="gmail_signature">' + other.html.replace(/<div id="tradepane-signature"[^>]*>/, '<div>') + '</div>',
      other.html + other.html,
    ];
    const quotes = ['', `<div id="appendonsend"></div><hr><div id="divRplyFwdMsg">From: x</div><div>${other.html}</div>`, `<div class="gmail_quote"><blockquote class="gmail_quote">${other.html}</blockquote></div>`];
    fc.assert(
      fc.property(fc.array(node, { maxLength: 6 }), fc.nat(), fc.constantFrom(...priors), fc.constantFrom(...quotes), repArbitrary, (nodes, at, prior, quote, rep) => {
        const parts = [...nodes];
        parts.splice(at % (parts.length + 1), 0, prior);
        const body = parts.join('') + quote;
        const sig = renderSignature(TEMPLATE, rep);
        const result = replaceSignature(body, sig.html);
        expect(verifySignature(result, sig).state).toBe('present');
        const cut = quoteStart(result);
        expect(result.slice(0, cut).split('data-tradepane-signature=').length - 1).toBe(1);
        expect(result.slice(cut)).toBe(quote);
        expect(replaceSignature(result, sig.html)).toBe(result);
      }),
      { numRuns: 300 },
    );
  });
});
