import { describe, expect, it } from '@jest/globals';
import { returnDateOf } from '../../../src/core/followup/index.js';

describe('the return date in an out-of-office notice', () => {
  const on = '2027-03-05';
  it.each([
    ['en', 'I am out of the office and will be back on Monday, March 15th.', '2027-03-15'],
    ['en range', 'I am away from 4 March until 12 March 2027 with limited access to e-mail.', '2027-03-13'],
    ['zh', '您好，我于3月5日至3月14日休假，3月15日返回办公室。', '2027-03-15'],
    ['zh until', '本人休假到2027年3月14日，急事请联系同事。', '2027-03-15'],
    ['es', 'Estoy fuera de la oficina. Regresaré el lunes 15 de marzo de 2027.', '2027-03-15'],
    ['de', 'Ich bin bis zum 14. März nicht im Büro. Ab dem 15.03.2027 bin ich wieder erreichbar.', '2027-03-15'],
    ['fr', "Je suis absent jusqu'au 14 mars inclus, de retour le 15 mars.", '2027-03-15'],
    ['ar', 'أنا خارج المكتب بمناسبة عيد الفطر، وسأعود يوم ١٥ مارس ٢٠٢٧.', '2027-03-15'],
    ['ar levant', 'سأكون في إجازة حتى 14 آذار.', '2027-03-15'],
    ['iso', 'Out of office. Return date: 2027-03-15', '2027-03-15'],
  ])('%s', (_lang, text, expected) => {
    expect(returnDateOf(text, on)).toBe(expected);
  });

  it('reads a yearless date in the next year after December', () => {
    expect(returnDateOf('Back on 4 January.', '2026-12-28')).toBe('2027-01-04');
  });

  it('says nothing when there is no date, or only past or far-off ones', () => {
    expect(returnDateOf('I am currently out of the office with limited access to email.', on)).toBeNull();
    expect(returnDateOf('Our office moved on 3 February 2027.', on)).toBeNull();
    expect(returnDateOf('Back on 15 March 2029.', on)).toBeNull();
    expect(returnDateOf('Call me at 10.30 tomorrow', on)).toBeNull();
  });
});
