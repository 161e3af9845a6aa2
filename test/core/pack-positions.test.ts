import { describe, expect, it } from '@jest/globals';
import { parsePackSource } from '../../src/core/pack/source.js';
import { offsetInScalar, scalarSource } from '../../src/core/pack/scalar-position.js';

/** A pack whose template body starts at `bodyAt` (lines before it are the same each time). */
const head = `pack: demo
title: Demo
groups: ['*']
defaultLanguage: en
templates:
  - id: t
    kind: other
    title: T
    fields:
      - { name: product, type: text }
    variants:
      en:
`;

describe('template positions in the pack file (one coordinate system)', () => {
  it('maps a literal block body and a plain subject to file line and column, with no inner position left in the message', () => {
    const source = `${head}        subject: Hi {{ prodcut }}
        body: |
          <p>Hello {{ product }}</p>
          <p>{{ contact.fristName }}</p>
`;
    const { issues } = parsePackSource(source);
    // Line 13: 8 spaces + "subject: " = 17 characters, then "Hi {{ " = 6: prodcut starts at column 24.
    // Line 16: 10 spaces of block indentation + "<p>{{ " = 16: the variable starts at column 17.
    expect(issues).toEqual([
      { path: 'templates[0].variants.en.subject', message: 'unknown variable prodcut — did you mean product?', severity: 'error', line: 13, column: 24 },
      { path: 'templates[0].variants.en.body', message: 'unknown variable contact.fristName — did you mean contact.firstName?', severity: 'error', line: 16, column: 17 },
    ]);
    expect(issues.some((i) => /\(line \d/.test(i.message))).toBe(false);
  });

  it('counts JSON escapes: \\n ends a body line, \\" is one character', () => {
    const json = `{
  "pack": "demo", "title": "D", "groups": ["*"], "defaultLanguage": "en",
  "templates": [{ "id": "t", "kind": "other", "title": "T",
    "variants": { "en": { "subject": "Hi",
      "body": "<p>\\u00e9 \\"x\\"</p>\\n<p>{{ rep.phnoe }}</p>" } } }]
}`;
    // Line 5: 6 spaces + '"body": "' (9) = 15; '<p>\\u00e9 \\"x\\"</p>' is 3+6+1+2+1+2+4 = 19 → 34; '\\n' 2 → 36; '<p>{{ ' 6 → 42: column 43.
    expect(parsePackSource(json, 'demo.json').issues).toEqual([{ path: 'templates[0].variants.en.body', message: 'unknown variable rep.phnoe — did you mean rep.phone?', severity: 'error', line: 5, column: 43 }]);
  });

  it('follows folding in a folded block and a double-quoted YAML string', () => {
    const source = `${head}        subject: "Hi\\t{{ prodcut }}"
        body: >
          <p>a</p>
          <p>{{ rep.phnoe }}</p>
`;
    const { issues } = parsePackSource(source);
    // Subject: 17 + '"Hi\\t{{ ' (1+2+2+3 = 8) → column 26. Body: folding makes both file lines one value line
    // ("<p>a</p> <p>{{ rep.phnoe }}</p>"); the variable is back on file line 16 at column 11 + 6 = 17.
    expect(issues.filter((i) => i.severity === 'error').map((i) => [i.path, i.line, i.column])).toEqual([
      ['templates[0].variants.en.subject', 13, 26],
      ['templates[0].variants.en.body', 16, 17],
    ]);
  });

  it('rebuilds the value of each scalar form with the offset of each character', () => {
    expect(scalarSource("'it''s'", 'QUOTE_SINGLE')).toEqual({ text: "it's", offsets: [1, 2, 3, 5] });
    expect(scalarSource('|\n  a\n\n  b\n', 'BLOCK_LITERAL')?.text).toBe('a\n\nb');
    expect(scalarSource('>\n  a\n  b\n\n  c\n', 'BLOCK_FOLDED')?.text).toBe('a b\nc');
    expect(scalarSource('one\n  two', 'PLAIN')).toEqual({ text: 'one two', offsets: [0, 1, 2, 3, 6, 7, 8] });
  });

  it('refuses a mapping when the rebuilt value disagrees with the parsed one', () => {
    expect(offsetInScalar('"abc"', 'QUOTE_DOUBLE', 'abc', 1, 2)).toBe(2);
    expect(offsetInScalar('"abc"', 'QUOTE_DOUBLE', 'xbc', 1, 2)).toBeUndefined();
    expect(offsetInScalar('"abc"', 'QUOTE_DOUBLE', 'abc', 3, 1)).toBeUndefined();
  });
});

describe('every stage at once', () => {
  it('reports structure errors and the template content errors of the same pack together', () => {
    const source = `${head.replace('defaultLanguage: en\n', 'defaultLanguage: en\ncolour: red\n')}        subject: Hi {{ prodcut }}
        body: <p>{{ product }}</p>
`;
    const { ok, issues } = parsePackSource(source);
    expect(ok).toBe(false);
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['colour', 5, 1],
      ['templates[0].variants.en.subject', 14, 24],
    ]);
  });

  it('checks the content of a template with a wrong kind, and skips one whose variants are malformed', () => {
    const source = `pack: demo
title: Demo
groups: ['*']
defaultLanguage: en
templates:
  - id: broken
    kind: other
    title: B
    variants: { en: { subject: "{{ nope }}" } }
  - id: fine
    kind: nonsense
    title: F
    variants: { en: { subject: "{{ rep.nmae }}", body: x } }
`;
    const { issues } = parsePackSource(source);
    expect(issues.map((i) => i.path)).toEqual(['templates[0].variants.en.body', 'templates[1].kind', 'templates[1].variants.en.subject']);
    expect(issues[2]).toMatchObject({ line: 13, column: 36 });
  });
});
