import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Lexer } from 'yaml';
import { PACK_LIMITS, parsePackSource } from '../../src/core/pack/source.js';

/** Counts the tokens yaml's lexer hands out: the parser reads every token through Lexer.prototype.lex. */
let tokens = 0;
const originalLex = Lexer.prototype.lex;
beforeEach(() => {
  tokens = 0;
  Lexer.prototype.lex = function* (this: Lexer, source: string, incomplete?: boolean) {
    for (const token of originalLex.call(this, source, incomplete)) {
      tokens += 1;
      yield token;
    }
  };
});
afterEach(() => {
  Lexer.prototype.lex = originalLex;
});

const keyMap = (count: number) => Array.from({ length: count }, (_, i) => `k${i}: 1`).join('\n');

const pack = (extra: string) => `pack: acme
title: ACME
groups: [sales]
defaultLanguage: en
templates:
  - id: quote
    kind: quote
    title: Quotation
    variants:
      en: {subject: "Quote", body: "<p>Hi</p>"}
${extra}`;

describe('pack parsing is bounded', () => {
  it('refuses a 60,000-key map by its node count after reading a bounded part of it', () => {
    // 60,000 short keys stay under the length limit, so the node limit is what must stop it.
    const huge = Array.from({ length: 60_000 }, (_, i) => `${i.toString(36)}: 1`).join('\n');
    expect(huge.length).toBeLessThan(PACK_LIMITS.sourceChars);
    const parsed = parsePackSource(huge, 'pack.yaml');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'nodes', max: 20_000 });
    expect(parsed.issues[0]!.message).toBe('the pack has more than the limit of 20000 nodes (keys, values and list items, aliases expanded)');
    // Each `key: 1` line counts 3 (key, ':', value), so the 20,001st comes at the value of line 6667.
    expect(parsed.issues[0]!.line).toBe(6667);
    const readHuge = tokens;
    tokens = 0;
    parsePackSource(Array.from({ length: 30_000 }, (_, i) => `${i.toString(36)}: 1`).join('\n'), 'pack.yaml');
    // The work does not grow with the input past the limit: the same number of tokens for 30,000 and 60,000 keys.
    expect(readHuge).toBe(tokens);
    // The lexer gives 7 tokens a line (plain-scalar marker, key, ':', space, marker, value, newline)
    // plus one document marker; the scan stops at the 5th token of line 6667: 1 + 7 × 6666 + 5.
    expect(readHuge).toBe(1 + 7 * 6666 + 5);
  });

  it('refuses a source longer than the limit before reading it', () => {
    const parsed = parsePackSource(`pack: x\nnote: "${'x'.repeat(PACK_LIMITS.sourceChars)}"`, 'pack.yaml');
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'sourceChars', max: 512 * 1024 });
    expect(tokens).toBe(0);
  });

  it('refuses deep flow nesting (300,000 "[") as over the depth limit, not a crash', () => {
    const parsed = parsePackSource('['.repeat(300_000), 'pack.json');
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'depth', max: 32 });
    expect(parsed.issues[0]).toMatchObject({ line: 1, column: 33 });
  });

  it('refuses deep block nesting at the node that crosses the limit', () => {
    const deep = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1';
    const parsed = parsePackSource(deep, 'pack.yaml');
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'depth', max: 32 });
    // Depth 1 is the top map (line 1); depth 33, the first over the limit, is the map opened on line 32.
    expect(parsed.issues[0]!.line).toBe(33);
  });

  it('still reports a duplicate key at the second occurrence', () => {
    const parsed = parsePackSource(`${keyMap(3)}\nk1: 2`, 'pack.yaml');
    expect(parsed.ok).toBe(false);
    expect(parsed.issues).toEqual([{ path: '(document)', message: 'YAML syntax: Map keys must be unique', severity: 'error', line: 4, column: 1 }]);
  });

  it('accepts a pack that reuses one anchor 1,000 times', () => {
    const fields = `fields:\n      - &f {name: f0, type: text}\n` + Array.from({ length: 1000 }, () => '      - *f').join('\n');
    const source = pack('').replace('    variants:', `    ${fields}\n    variants:`);
    const parsed = parsePackSource(source, 'pack.yaml');
    // Parses (no limit); the repeated field names are the validator's business, with their place.
    expect(parsed.ok ? undefined : parsed.limit).toBeUndefined();
    expect(parsed.issues.some((i) => i.message.startsWith('YAML syntax'))).toBe(false);
  });

  it('refuses aliases that expand past the node limit (a "billion laughs")', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i += 1) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const parsed = parsePackSource(laughs.join('\n'), 'pack.yaml');
    // 51 aliases in the text; 10 + 100 + … + 100,000 values once expanded.
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'nodes', max: 20_000 });
  });

  it('refuses more alias uses than the limit, naming it', () => {
    const parsed = parsePackSource(`a: &a 1\nb: [${Array(5001).fill('*a').join(', ')}]`, 'pack.yaml');
    expect(parsed.ok ? undefined : parsed.limit).toEqual({ limit: 'aliases', max: 5_000 });
    expect(parsed.issues[0]!.message).toBe('the pack uses aliases (*name) more than the limit of 5000 times');
  });
});
