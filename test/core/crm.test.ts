import { describe, expect, it } from '@jest/globals';
import { messageIdKey } from '../../src/core/crm/index.js';

describe('the Message-ID as the CRM log keys it', () => {
  it('is the same with or without angle brackets and surrounding space, and keeps its case', () => {
    expect(messageIdKey('<CAF=Quote-1@mail.example>')).toBe('CAF=Quote-1@mail.example');
    expect(messageIdKey('  CAF=Quote-1@mail.example ')).toBe('CAF=Quote-1@mail.example');
  });

  it('refuses what is not a Message-ID', () => {
    for (const raw of ['', '<>', 'two words@x', 'a<b@c', 'x'.repeat(999)]) expect(messageIdKey(raw)).toBeNull();
  });
});
