import { describe, expect, it } from '@jest/globals';
import { editDistance, suggest } from '../../src/core/text/suggest.js';

describe('typo suggestions', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('kidn', 'kind')).toBe(1);
    expect(editDistance('qoute', 'quote')).toBe(1);
    expect(editDistance('fristName', 'firstName')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest known word, and nothing when nothing is close', () => {
    expect(suggest('kidn', ['id', 'kind', 'title'])).toBe('kind');
    expect(suggest('sales-ue', ['sales-eu', 'sales-me'])).toBe('sales-eu');
    expect(suggest('warehouse', ['id', 'kind', 'title'])).toBeUndefined();
  });
});
