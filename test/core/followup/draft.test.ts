import { describe, expect, it } from '@jest/globals';
import { followUpFields, followUpTemplateOf, replySubjectOf } from '../../../src/core/followup/index.js';
import type { PackTemplate } from '../../../src/core/pack/schema.js';

const template = (id: string, kind: PackTemplate['kind'], fields: PackTemplate['fields'] = []): PackTemplate => ({ id, kind, title: id, fields, variants: { en: { subject: 's', body: 'b' } } });

describe('the one-click follow up’s template and fields', () => {
  it('takes the first follow-up template in the packs’ order, or none', () => {
    const packs = [
      { pack: 'a', document: { templates: [template('quote', 'quote')] } },
      { pack: 'b', document: { templates: [template('nudge', 'follow-up'), template('nudge-2', 'follow-up')] } },
      { pack: 'c', document: { templates: [template('later', 'follow-up')] } },
    ];
    expect(followUpTemplateOf(packs)).toMatchObject({ pack: 'b', template: { id: 'nudge' } });
    expect(followUpTemplateOf([packs[0]!, { pack: 'd', document: {} }])).toBeNull();
  });

  it('fills only the fields the template declares, with values of the right kind', () => {
    const t = template('nudge', 'follow-up', [
      { name: 'about', type: 'choice', options: ['quotation', 'samples', 'catalogue'] },
      { name: 'sentOn', type: 'date', required: true },
      { name: 'originalSubject', type: 'text' },
      { name: 'reference', type: 'text' },
    ]);
    expect(followUpFields(t, { sentOn: '2026-05-21', kind: 'quote', subject: 'Quotation QT-1' })).toEqual({ about: 'quotation', sentOn: '2026-05-21', originalSubject: 'Quotation QT-1' });
    expect(followUpFields(t, { sentOn: '2026-05-21', kind: 'sample', subject: '' })).toEqual({ about: 'samples', sentOn: '2026-05-21' });
    // A kind the choice has no option for, and a mail not yet sent: nothing made up.
    expect(followUpFields(t, { sentOn: null, kind: 'payment', subject: 'x' })).toEqual({ originalSubject: 'x' });
    // `sentOn` declared as text is not the date field: left alone.
    expect(followUpFields(template('n', 'follow-up', [{ name: 'sentOn', type: 'text' }]), { sentOn: '2026-05-21', kind: null, subject: '' })).toEqual({});
  });

  it('writes one "Re:" on the reply’s subject', () => {
    expect(replySubjectOf('Quotation QT-1')).toBe('Re: Quotation QT-1');
    expect(replySubjectOf('RE: Quotation QT-1')).toBe('RE: Quotation QT-1');
    expect(replySubjectOf('AW: Angebot')).toBe('AW: Angebot');
    expect(replySubjectOf('回复：报价单')).toBe('回复：报价单');
    expect(replySubjectOf('  Reorder  ')).toBe('Re: Reorder');
  });
});
