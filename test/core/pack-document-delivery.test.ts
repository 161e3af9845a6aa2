import { describe, expect, it } from '@jest/globals';
import { formatIssue, parsePackSource } from '../../src/core/pack/source.js';

/** `policies.documentDelivery` (docs/packs.md): how Gmail's "Make PDF" gets the document to the buyer. */

const pack = (delivery: string) => `pack: acme
title: ACME
groups: [sales]
defaultLanguage: en
policies:
  documentDelivery: ${delivery}
`;

describe('policies.documentDelivery', () => {
  it('takes attach or link', () => {
    expect(parsePackSource(pack('attach')).ok).toBe(true);
    expect(parsePackSource(pack('link')).ok).toBe(true);
  });

  it('refuses anything else, naming the key, the choices and the line', () => {
    const parsed = parsePackSource(pack('email'), 'pack.yaml');
    expect(parsed.ok).toBe(false);
    const issue = parsed.issues.find((i) => i.severity === 'error');
    expect(issue).toMatchObject({ path: 'policies.documentDelivery', line: 6 });
    expect(formatIssue(issue!, 'pack.yaml')).toBe('pack.yaml:6:21: error: policies.documentDelivery: must be one of attach | link; got the text "email"');
  });
});
