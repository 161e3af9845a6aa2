import { describe, expect, it } from '@jest/globals';
import { businessCalendar } from '../../../src/core/clienttime/index.js';
import { businessMinutesBetween, looksLikeInquiry } from '../../../src/core/followup/index.js';

describe('the inquiry reply rule', () => {
  const mail = (subject: string, text = '', over: Partial<{ attachments: number; firstContact: boolean }> = {}) => ({ subject, text, attachments: 0, firstContact: false, ...over });

  it('knows an inquiry by its words in the languages reps meet, and the pack’s own', () => {
    expect(looksLikeInquiry(mail('RFQ: LED panels 600x600'))).toBe(true);
    expect(looksLikeInquiry(mail('Hello', 'Please send your best price for 2 containers.'))).toBe(true);
    expect(looksLikeInquiry(mail('询价：陶瓷砖'))).toBe(true);
    expect(looksLikeInquiry(mail('طلب', 'نرجو إرسال عرض سعر للبلاط'))).toBe(true);
    expect(looksLikeInquiry(mail('Anfrage Fliesen'))).toBe(true);
    expect(looksLikeInquiry(mail('Thanks for the priceless help'))).toBe(false);
    expect(looksLikeInquiry(mail('Shipping documents', 'B/L attached.'))).toBe(false);
    expect(looksLikeInquiry(mail('Tiles for our hotel'), { words: ['tiles for'] })).toBe(true);
  });

  it('counts an attachment from a new company, and first contact when the pack says so', () => {
    expect(looksLikeInquiry(mail('Our drawing', '', { attachments: 1, firstContact: true }))).toBe(true);
    expect(looksLikeInquiry(mail('Our drawing', '', { attachments: 1, firstContact: false }))).toBe(false);
    expect(looksLikeInquiry(mail('Hello', '', { firstContact: true }))).toBe(false);
    expect(looksLikeInquiry(mail('Hello', '', { firstContact: true }), { firstContact: true })).toBe(true);
  });

  it('counts only the company’s business hours', () => {
    // Ningbo, Mon–Fri 09:00–18:00 (+08). Arrived Fri 4 Dec 2026 17:00 local (09:00Z): 1 h that Friday, none on the weekend, 9 h Mon 7, 9 h Tue 8, 5 h Wed 9 → 24 h at Wed 14:00 local (06:00Z).
    const ningbo = businessCalendar('CN', 'Asia/Shanghai');
    const arrived = Date.parse('2026-12-04T09:00:00Z');
    expect(businessMinutesBetween(arrived, Date.parse('2026-12-09T06:00:00Z'), ningbo)).toBe(24 * 60);
    expect(businessMinutesBetween(arrived, Date.parse('2026-12-09T05:59:00Z'), ningbo)).toBe(24 * 60 - 1);
    expect(businessMinutesBetween(arrived, Date.parse('2026-12-06T12:00:00Z'), ningbo)).toBe(60); // Sunday: still the Friday hour
    expect(businessMinutesBetween(arrived, arrived - 1, ningbo)).toBe(0);
  });
});
