import { describe, expect, it } from '@jest/globals';
import { sanitizeAdminHtml, sanitizeRenderedHtml } from '../../../src/core/sanitize/index.js';
import { sanitizePack } from '../../../src/core/pack/sanitized.js';
import type { PackDocument } from '../../../src/core/pack/schema.js';
import { parsePackSource } from '../../../src/core/pack/source.js';

describe('mail HTML cannot lay itself over the mail client', () => {
  it('drops position fixed, absolute and sticky, also disguised, and keeps the rest of the style', () => {
    for (const [style, what] of [
      ['position:fixed;top:0;left:0;width:100%;height:100%;color:red', 'position:fixed'],
      ['POSITION: Absolute; color:red', 'position:absolute'],
      ['position:sticky !important;color:red', 'position:sticky'],
      ['posit\\69 on:fixed;color:red', 'position:fixed'],
      ['position:/**/fixed;color:red', 'position:fixed'],
    ] as const) {
      const out = sanitizeRenderedHtml(`<div style="${style}">Sign in again</div>`, 'template');
      expect(out.html).not.toMatch(/position/i);
      expect(out.html).toMatch(/color:\s?red/);
      expect(out.removed.join('\n')).toContain(`${what} could lay the message over the mail client's page`);
    }
  });

  it('drops a huge z-index and keeps small ones and relative positioning', () => {
    const out = sanitizeAdminHtml('<div style="z-index:2147483647;color:blue">a</div><div style="position:relative;z-index:2">b</div><div style="z-index:auto">c</div>', 'template');
    expect(out.html).toBe('<div style="color:blue">a</div><div style="position:relative; z-index:2">b</div><div style="z-index:auto">c</div>');
    expect(out.removed).toEqual([`CSS "z-index:2147483647" (z-index:2147483647 could lay the message over the mail client's page) in style on <div>`]);
  });
});

const packWith = (body: string): PackDocument => ({
  pack: 'acme',
  title: 'ACME',
  groups: ['*'],
  defaultLanguage: 'en',
  templates: [{ id: 'quote', kind: 'quote', title: 'Quote', variants: { en: { subject: 'Quote', body } } }],
} as PackDocument);

describe('a pack whose templates no longer parse once sanitised', () => {
  it('is an error at the body, with the Liquid position in the sanitised body', () => {
    // The sanitiser removes <script> with its content: the {% endif %} goes with it.
    const { removed } = sanitizePack(packWith('<p>{% if contact.firstName %}Dear {{ contact.firstName }}</p><script>{% endif %}</script>'));
    const errors = removed.filter((i) => i.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('templates[0].variants.en.body');
    expect(errors[0]!.message).toBe(
      'cannot render once unsafe HTML is removed: Liquid syntax error at line 1, column 4: tag {% if contact.firstName %} not closed, in the sanitised body ' +
        '(removed: <script> element and its content; Liquid "{% endif %}" (it was inside something removed, or in a tag\'s attribute list)); move the Liquid tags out of what is removed',
    );
  });

  it('is fine when what was removed held no Liquid', () => {
    const { removed } = sanitizePack(packWith('<p>{% if contact.firstName %}Dear {{ contact.firstName }}{% endif %}</p><script>x()</script>'));
    expect(removed.map((i) => i.severity)).toEqual(['warning']);
  });
});

describe('a draft with errors of several stages', () => {
  it('reports the schema errors and the sanitiser errors at once, each at its line', () => {
    const source = [
      'pack: acme',
      'title: ACME',
      'groups: ["*"]',
      'defaultLanguage: en',
      'templates:',
      '  - id: quote',
      '    kind: quotation-typo',
      '    title: Quote',
      '    variants:',
      '      en:',
      '        subject: Quote',
      '        body: "<p>{% if contact.firstName %}Dear</p><script>{% endif %}</script>"',
      '',
    ].join('\n');
    const parsed = parsePackSource(source, 'acme.yaml');
    expect(parsed.ok).toBe(false);
    const errors = parsed.issues.filter((i) => i.severity === 'error');
    // The schema stage (kind) and the sanitiser stage (the cut if) together, not one after the other.
    expect(errors.map((i) => [i.path, i.line])).toEqual([
      ['templates[0].kind', 7],
      ['templates[0].variants.en.body', 12],
    ]);
    expect(errors[1]!.message).toMatch(/^cannot render once unsafe HTML is removed/);
  });
});
