import { describe, expect, it } from '@jest/globals';
import { followUpDefault } from '../../../src/core/followup/index.js';
import { validatePack } from '../../../src/core/pack/validate.js';

const pack = (slug: string, followUps: object | undefined) => ({ pack: slug, document: { policies: followUps ? { followUps } : {} } });

describe('follow-up defaults per template kind', () => {
  it('has quotations wait 3 business days and sample notices 5 out of the box; others are off', () => {
    expect(followUpDefault('quote', [])).toEqual({ days: 3, hour: '09:00', source: 'built-in' });
    expect(followUpDefault('sample', [])).toMatchObject({ days: 5 });
    expect(followUpDefault('shipping', [])).toMatchObject({ days: null });
    expect(followUpDefault(null, [])).toMatchObject({ days: null });
  });

  it('lets the first pack that says so decide, 0 turning it off', () => {
    const packs = [pack('a', { hour: '08:30' }), pack('b', { days: { quote: 2, sample: 0 } }), pack('c', { days: { quote: 7 }, hour: '10:00' })];
    expect(followUpDefault('quote', packs)).toEqual({ days: 2, hour: '08:30', source: 'b' });
    expect(followUpDefault('sample', packs)).toEqual({ days: null, hour: '08:30', source: 'b' });
  });

  it('is validated like every pack setting, with the path of the mistake', () => {
    const base = { pack: 'p', title: 'P', groups: ['sales'], defaultLanguage: 'en', signatures: [{ id: 's', body: '<p>x</p>' }] };
    expect(validatePack({ ...base, policies: { followUps: { days: { quote: 3 }, hour: '09:00' } } }).ok).toBe(true);
    const tooLong = validatePack({ ...base, policies: { followUps: { days: { quote: 90 } } } });
    expect(tooLong.ok).toBe(false);
    expect(tooLong.issues.map((i) => i.path)).toContain('policies.followUps.days.quote');
    const typo = validatePack({ ...base, policies: { followUps: { days: { quotation: 3 } } } });
    expect(typo.ok).toBe(false);
    expect(JSON.stringify(typo.issues)).toContain('quotation');
  });
});
