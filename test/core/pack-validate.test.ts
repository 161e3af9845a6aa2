import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parsePackSource, formatIssue } from '../../src/core/pack/source.js';
import { validatePack } from '../../src/core/pack/validate.js';

const demo = readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8');

function errorsOf(source: string, file = 'pack.yaml') {
  const parsed = parsePackSource(source, file);
  expect(parsed.ok).toBe(false);
  return parsed.issues.filter((i) => i.severity === 'error');
}

const base = `pack: acme
title: ACME
groups: [sales]
defaultLanguage: en
templates:
  - id: quote
    kind: quote
    title: {en: Quotation, zh: 报价单}
    fields:
      - {name: incoterm, type: choice, options: [EXW, FOB], default: FOB}
    variants:
      en: {subject: "Quote", body: "<p>Hi</p>"}
`;

describe('pack validation', () => {
  it('accepts the demo pack', () => {
    const parsed = parsePackSource(demo, 'demo-pack.yaml');
    expect(parsed.issues).toEqual([]);
    expect(parsed.ok).toBe(true);
  });

  it('accepts the base pack used below, so each broken variant fails for its one reason', () => {
    expect(parsePackSource(base).ok).toBe(true);
  });

  it('names a misspelt key, suggests the right one, and points at its line', () => {
    const issues = errorsOf(base.replace('    kind: quote', '    kidn: quote'));
    const issue = issues.find((i) => i.path === 'templates[0].kidn');
    expect(issues.find((i) => i.path === 'templates[0].kind')?.message).toBe('is required');
    expect(issue).toMatchObject({ path: 'templates[0].kidn', line: 7, column: 5 });
    expect(issue!.message).toContain('unknown field "kidn" — did you mean "kind"?');
  });

  it('lists the allowed values of an enum and suggests the closest', () => {
    const [issue] = errorsOf(base.replace('kind: quote', 'kind: qoute'));
    expect(issue).toMatchObject({ path: 'templates[0].kind', line: 7 });
    expect(issue!.message).toBe('must be one of inquiry | quote | sample | follow-up | shipping | payment | other | team; got the text "qoute" — did you mean "quote"?');
  });

  it('reports a missing required field at its parent', () => {
    const issues = errorsOf(base.replace('title: ACME\n', ''));
    expect(issues).toEqual([expect.objectContaining({ path: 'title', message: 'is required' })]);
  });

  it('explains a wrongly typed localized text in one line', () => {
    const [issue, ...rest] = errorsOf(base.replace('title: {en: Quotation, zh: 报价单}', 'title: 42'));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ path: 'templates[0].title', line: 8 });
    expect(issue!.message).toMatch(/must be a text, or a map from language code to text; got number 42/);
  });

  it('refuses a language key that is not a language code', () => {
    const [issue] = errorsOf(base.replace('{en: Quotation, zh: 报价单}', '{en: Quotation, Chinese: 报价单}'));
    expect(issue).toMatchObject({ path: 'templates[0].title.Chinese' });
    expect(issue!.message).toContain('is not a language code');
  });

  it('finds duplicate ids and tells where the first one is', () => {
    const doubled = base + `  - id: quote
    kind: other
    title: Again
    variants:
      en: {subject: "x", body: "y"}
`;
    const [issue] = errorsOf(doubled);
    expect(issue).toMatchObject({ path: 'templates[1].id', line: 13 });
    expect(issue!.message).toBe('duplicate template id "quote" (first used by templates[0])');
  });

  it('checks field rules the schema cannot express', () => {
    const issues = errorsOf(base.replace('options: [EXW, FOB], default: FOB', 'options: [EXW, FOB], default: CIF'));
    expect(issues[0]).toMatchObject({ path: 'templates[0].fields[0].default', message: 'default "CIF" is not one of the options EXW | FOB' });
    const noOptions = errorsOf(base.replace('type: choice, options: [EXW, FOB], default: FOB', 'type: choice'));
    expect(noOptions[0]).toMatchObject({ path: 'templates[0].fields[0].options', message: 'a choice field needs its options' });
  });

  it('requires a variant in the default language', () => {
    const [issue] = errorsOf(base.replace('defaultLanguage: en', 'defaultLanguage: es'));
    expect(issue).toMatchObject({ path: 'templates[0].variants' });
    expect(issue!.message).toContain('no variant in the pack\'s default language "es" (has: en)');
  });

  it('allows only one enforced signature', () => {
    const two = base + `signatures:
  - {id: a, enforce: true, body: "<p>A</p>"}
  - {id: b, enforce: true, body: "<p>B</p>"}
`;
    const [issue] = errorsOf(two);
    expect(issue).toMatchObject({ path: 'signatures[1].enforce', line: 15 });
  });

  it('reports YAML syntax errors with line and column', () => {
    const [issue] = errorsOf('pack: acme\ntitle: [unclosed\ngroups: [a]\n');
    expect(issue!.path).toBe('(document)');
    expect(issue!.message).toMatch(/^YAML syntax: /);
    expect(issue!.line).toBeGreaterThanOrEqual(2);
  });

  it('reads JSON packs and locates errors in them too', () => {
    const json = JSON.stringify({ pack: 'acme', title: 'ACME', groups: ['s'], defaultLanguage: 'en', policies: { signatureOnSend: 'maybe' } }, null, 2);
    const [issue] = errorsOf(json, 'pack.json');
    expect(issue).toMatchObject({ path: 'policies.signatureOnSend', line: 9 });
    expect(formatIssue(issue!, 'pack.json')).toBe('pack.json:9:24: error: policies.signatureOnSend: must be one of block | warn | off; got the text "maybe"');
  });

  it('rejects a document that is not a map at all', () => {
    const result = validatePack(['not', 'a', 'pack']);
    expect(result.ok).toBe(false);
    expect(result.issues[0]).toMatchObject({ path: '(document)', message: 'must be a map of keys to values; got a list' });
  });

  it('warns, without failing, about a pack with nothing in it', () => {
    const parsed = parsePackSource('pack: empty\ntitle: Empty\ngroups: ["*"]\ndefaultLanguage: en\n');
    expect(parsed.ok).toBe(true);
    expect(parsed.issues).toEqual([expect.objectContaining({ severity: 'warning', message: 'the pack has neither templates nor signatures' })]);
  });
});
