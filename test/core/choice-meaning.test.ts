import { describe, expect, it } from '@jest/globals';
import { choiceMeaning, choiceText } from '../../src/core/compose/choice-meaning.js';

describe('what a choice means, in the rep’s UI language', () => {
  it('words payment terms and Incoterms in English and Chinese', () => {
    expect(choiceText('tt-30-70', 'en')).toBe('tt-30-70 — 30 % deposit by T/T with the order, 70 % by T/T against a copy of the B/L');
    expect(choiceText('lc-at-sight', 'zh-CN')).toBe('lc-at-sight — 不可撤销即期信用证，见单即付');
    expect(choiceMeaning('FOB', 'en')).toBe('Free On Board: the seller loads the goods on the ship at the port of shipment; the risk passes once on board');
    expect(choiceMeaning('fob', 'zh-CN')).toBe('船上交货：卖方在装运港把货物装上船；装船后风险转移');
  });

  it('has a meaning for every Incoterms 2020 rule and every payment term the documents print', async () => {
    const { INCOTERMS_2020 } = await import('../../src/core/template/incoterms.js');
    const { PAYMENT_TERM_CODES } = await import('../../src/core/documents/labels.js');
    for (const code of [...INCOTERMS_2020, ...PAYMENT_TERM_CODES]) for (const lang of ['en', 'zh-CN'] as const) expect(choiceMeaning(code, lang)).toBeTruthy();
  });

  it('leaves an unknown choice as written', () => {
    expect(choiceMeaning('DHL', 'en')).toBeUndefined();
    expect(choiceText('DHL', 'zh-CN')).toBe('DHL');
  });
});
