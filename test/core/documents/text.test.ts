import { describe, expect, it } from '@jest/globals';
import { lineDirection, textProblem, visualRuns } from '../../../src/core/documents/text.js';

// A right-to-left run is shown <like this>, its characters in logical order (the shaper reverses them).
const visual = (text: string, base: 'ltr' | 'rtl') => visualRuns(text, base).map((r) => (r.rtl ? `<${r.text}>` : r.text));

describe('document text order (bidi)', () => {
  it('keeps a left-to-right line as it is', () => {
    expect(visual('Total USD 1,234.50', 'ltr')).toEqual(['Total USD 1,234.50']);
  });

  it('puts an Arabic line right to left, numbers staying left to right', () => {
    // Logical "الإجمالي 1,234.50": the number is drawn to the left of the word.
    expect(visual('الإجمالي 1,234.50', 'rtl')).toEqual(['1,234.50', '<الإجمالي >']);
  });

  it('orders words of an Arabic line from right to left with a Latin name inside', () => {
    // Logical: "شركة" "ACME Trading" "للتجارة" → drawn left to right: للتجارة, ACME Trading, شركة.
    expect(visual('شركة ACME Trading للتجارة', 'rtl')).toEqual(['< للتجارة>', 'ACME Trading', '<شركة >']);
  });

  it('keeps a phone number in one piece inside Arabic', () => {
    expect(visual('الهاتف: +86 574 8888', 'rtl')).toEqual(['+86 574 8888', '<الهاتف: >']);
  });

  it('drops bidi marks after using them (Intl writes one before Arabic amounts)', () => {
    expect(visual('\u200F1,234.50 USD', 'rtl')).toEqual(['USD', '< >', '1,234.50']);
  });

  it('takes a line’s direction from its first letter', () => {
    expect(lineDirection('Demo Export Co., Ltd.', 'rtl')).toBe('ltr');
    expect(lineDirection('12 شركة', 'ltr')).toBe('rtl');
    expect(lineDirection('2026-01-01', 'rtl')).toBe('rtl');
  });
});

describe('printable text', () => {
  it('refuses control characters, naming where', () => {
    expect(textProblem('Valve\u0007 DN15', 'lines[3].item')).toEqual({ path: 'lines[3].item', message: 'contains the control character U+0007 at position 6; remove it' });
    expect(textProblem('a\u202Eb', 'buyer.company')?.message).toMatch(/U\+202E/);
    expect(textProblem('line one\nline two', 'place')?.message).toMatch(/U\+000A/);
    expect(textProblem('line one\nline two', 'seller.address', { multiline: true })).toBeUndefined();
  });

  it('refuses a script the fonts cannot draw, naming the script', () => {
    expect(textProblem('วาล์ว', 'lines[0].item')?.message).toMatch(/U\+0E27 "ว" \(the Thai script\) at position 1/);
    expect(textProblem('밸브', 'lines[0].item')?.message).toMatch(/Hangul/);
  });

  it('accepts the languages documents are written in', () => {
    for (const text of ['Válvula de bola', 'Kugelhahn Ø 15', 'Vanne à bille', '不锈钢球阀', 'صمام كروي', 'Шаровой кран']) expect(textProblem(text, 'x')).toBeUndefined();
  });
});
