import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parsePackSource } from '../../../src/core/pack/source.js';

const pack = (company: string) => `pack: docs
title: Docs
groups: [sales]
defaultLanguage: en
company:
${company}
templates:
  - id: hello
    kind: inquiry
    title: Hello
    variants:
      en: {subject: Hi, body: "<p>Hi</p>"}
`;

describe('the pack’s company block (letterhead of trade documents)', () => {
  it('accepts a letterhead', () => {
    const parsed = parsePackSource(pack('  name: Demo Export Co., Ltd.\n  phone: "+86 574 8888 0000"\n  taxId: 91330206MA2DEMO01X'));
    expect(parsed.ok).toBe(true);
  });

  it('names a misspelt key with its line and column, and refuses bank details in a pack', () => {
    const parsed = parsePackSource(pack('  name: Demo Export\n  phnoe: "+86"\n  iban: DE89370400440532013000'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.issues.map((i) => [i.path, i.line, i.column]);
    expect(paths).toContainEqual(['company.phnoe', 7, 3]);
    expect(paths).toContainEqual(['company.iban', 8, 3]);
  });

  it('the demo pack has one', () => {
    const parsed = parsePackSource(readFileSync(new URL('../../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8'), 'demo-pack.yaml');
    expect(parsed.ok && parsed.pack.company?.name).toBe('Demo Export Co., Ltd.');
  });
});
