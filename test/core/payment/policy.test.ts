import { describe, expect, it } from '@jest/globals';
import { formatIssue, parsePackSource } from '../../../src/core/pack/source.js';

const pack = (payments: string) => `pack: acme
title: ACME
groups: [sales]
defaultLanguage: en
signatures:
  - id: std
    body: <p>ACME</p>
policies:
  payments: ${payments}
`;

describe('the payments policy in a pack', () => {
  it.each(['warn', 'block', 'off'])('accepts %s', (value) => {
    const parsed = parsePackSource(pack(value), 'pack.yaml');
    expect(parsed.ok && parsed.pack.policies?.payments).toBe(value);
  });

  it('names a wrong value with its line and column', () => {
    const parsed = parsePackSource(pack('allow-all'), 'pack.yaml');
    expect(parsed.ok).toBe(false);
    const [issue] = parsed.issues.filter((i) => i.severity === 'error');
    expect(formatIssue(issue!, 'pack.yaml')).toBe('pack.yaml:9:13: error: policies.payments: must be one of warn | block | off; got the text "allow-all"');
  });
});
