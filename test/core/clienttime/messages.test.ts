import { describe, expect, it } from '@jest/globals';
import { translator } from '../../../src/core/i18n/index.js';
import { CLIENT_TIME_CATALOG, CLIENT_TIME_EN, CLIENT_TIME_ZH_CN, businessCalendar, nextSlot, slotFor, wordTime, type TimeCode, type TimeText } from '../../../src/core/clienttime/index.js';

const zh = translator<TimeCode>(CLIENT_TIME_CATALOG, 'zh-CN');
const en = translator<TimeCode>(CLIENT_TIME_CATALOG, 'en');
const inZh = (text: TimeText) => wordTime(text, 'zh-CN', zh);
const inEn = (text: TimeText) => wordTime(text, 'en', en);

describe('client-time texts are codes the faces word', () => {
  it('every code has a Chinese wording with the same placeholders', () => {
    for (const code of Object.keys(CLIENT_TIME_EN) as TimeCode[]) {
      const names = (m: unknown) => [...String(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
      expect([code, names(CLIENT_TIME_ZH_CN[code])]).toEqual([code, names(CLIENT_TIME_EN[code])]);
    }
  });

  it('the Riyadh Friday in Chinese: status, reasons and slot labels, no English words', () => {
    // Fri 27 Nov 2026 10:00 in Riyadh, their weekend
    const answer = slotFor({ email: 'procurement@buyer.com.sa', now: new Date('2026-11-27T07:00:00Z') });
    expect(inZh(answer.statusText)).toBe('休息：星期五不是沙特阿拉伯的工作日');
    expect(answer.reasonTexts.map(inZh)).toEqual(['邮箱域名 .com.sa → 沙特阿拉伯', '沙特阿拉伯只有一个时间：Asia/Riyadh']);
    expect(answer.alternatives.map((a) => inZh(a.labelText))).toEqual(['对方 11月29日（星期日）09:00', '对方 11月29日（星期日）14:00', '对方 11月30日（星期一）09:00']);
  });

  it('the English wording through a face catalogue is exactly the JSON strings (status, reasons, labels)', () => {
    const answer = slotFor({ email: 'procurement@buyer.com.sa', now: new Date('2026-11-27T07:00:00Z'), phone: '+49 30 1234567' });
    expect(inEn(answer.statusText)).toBe(answer.status);
    expect(answer.reasonTexts.map(inEn)).toEqual(answer.reasons);
    expect(answer.alternatives.map((a) => inEn(a.labelText))).toEqual(answer.alternatives.map((a) => a.label));
  });

  it('holiday names in Chinese where date-holidays has them; the English name where it has none', () => {
    // Thu 1 Oct 2026 10:00 Beijing: National Day (from the State Council table)
    const china = nextSlot(new Date('2026-10-01T02:00:00Z'), businessCalendar('CN', 'Asia/Shanghai'));
    expect(inZh(china.statusText)).toBe('休息：公共假日（国庆节）');
    expect(china.status).toBe('closed: public holiday (National Day)');
    // Fri 25 Dec 2026 in New York: Christmas Day has a Chinese name in date-holidays
    const us = nextSlot(new Date('2026-12-25T15:00:00Z'), businessCalendar('US', 'America/New_York'));
    expect(inZh(us.statusText)).toBe('休息：公共假日（聖誕節）');
    // Sat 3 Oct 2026, German Unity Day: no Chinese name there, so English rather than German
    const berlin = nextSlot(new Date('2026-10-03T10:00:00Z'), businessCalendar('DE', 'Europe/Berlin'));
    expect(inZh(berlin.statusText)).toBe('休息：公共假日（National Holiday）');
  });

  it('open, before and after hours, unknown zone', () => {
    const berlin = businessCalendar('DE', 'Europe/Berlin');
    expect(inZh(nextSlot(new Date('2026-11-24T09:30:00Z'), berlin).statusText)).toBe('营业中，至 18:00');
    expect(inZh(nextSlot(new Date('2026-11-24T06:00:00Z'), berlin).statusText)).toBe('休息：尚未上班（09:00 开始）');
    expect(inZh(nextSlot(new Date('2026-11-24T18:00:00Z'), berlin).statusText)).toBe('休息：已下班（18:00 结束）');
    const unknown = slotFor({ email: 'someone@gmail.com', now: new Date('2026-11-24T09:30:00Z') });
    expect(inZh(unknown.statusText)).toBe('时区未知');
    expect(unknown.reasonTexts.map(inZh)).toEqual(['邮箱域名 gmail.com 是免费邮箱：无法据此判断国家', '没有买家所在地的线索：请在联系人上设置时区或国家']);
  });

  it('the evidence that disagrees names its sources in Chinese', () => {
    const answer = slotFor({ email: 'a@firma.de', phone: '+966 11 234 5678', dateHeader: 'Thu, 26 Nov 2026 10:15:00 +0100', now: new Date('2026-11-27T07:00:00Z') });
    const words = answer.reasonTexts.map(inZh);
    expect(words).toContain('线索指向 2 个国家（沙特阿拉伯、德国）；按以下顺序采信：业务员、电话、邮箱域名');
    expect(words).toContain('该偏移符合德国（来自邮箱域名），而非沙特阿拉伯（来自电话号码）');
  });
});
