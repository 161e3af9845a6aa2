import { describe, expect, it } from '@jest/globals';
import { acknowledgementSkip, formatForRecipient, noticeMail, replyPromise, textToHtml } from '../../../src/core/teaminbox/index.js';

describe('the acknowledgement promise in the buyer\'s terms', () => {
  // Mon 8 Dec 2025 06:00Z: 09:00 in Riyadh, 07:00 in Berlin, 14:00 in Shanghai.
  const due = '2025-12-08T06:00:00.000Z';
  it.each([
    ['ar', 'Asia/Riyadh', 'الاثنين، 8 ديسمبر في 09:00'],
    ['de', 'Europe/Berlin', 'Montag, 8. Dezember um 07:00'],
    ['es', 'Europe/Madrid', 'lunes, 8 de diciembre, 07:00'],
    ['zh', 'Asia/Shanghai', '12月8日星期一 14:00'],
  ])('%s in %s', (language, zone, text) => {
    expect(replyPromise(due, language, zone, 'UTC')).toEqual({ replyBy: text, timeZone: zone, buyerTime: true });
  });
  it('names the inbox\'s zone when the buyer\'s is unknown (never "your time" on a guess)', () => {
    expect(replyPromise(due, 'en', null, 'Asia/Shanghai')).toEqual({ replyBy: 'Monday, December 8 at 14:00 China Standard Time', timeZone: 'Asia/Shanghai', buyerTime: false });
  });
});

describe('when an inquiry is acknowledged', () => {
  const base = { enabled: true, autoVerdict: 'none', live: true, entering: true, sender: 'ali@gulf-trading.com.sa' };
  it.each([
    [{}, null],
    [{ enabled: false }, 'off'],
    [{ autoVerdict: 'auto-reply' }, 'automatic'],
    [{ autoVerdict: 'bounce' }, 'automatic'],
    [{ autoVerdict: 'bulk' }, 'automatic'],
    [{ live: false }, 'backfill'],
    [{ entering: false }, 'not-first'],
    [{ sender: null }, 'no-sender'],
    [{ sender: 'no-reply@shop.example' }, 'robot-sender'],
    [{ sender: 'noreply@alibaba.com' }, 'robot-sender'],
    [{ sender: 'mailer-daemon@mx.example' }, 'robot-sender'],
    [{ sender: 'noreen@importer.ie' }, null],
  ])('%j → %s', (change, skip) => {
    expect(acknowledgementSkip({ ...base, ...change })).toBe(skip);
  });
});

describe('notices in the recipient\'s language', () => {
  const facts = { inbox: 'info@acme.com', subject: 'Quote', buyer: 'ali@x.sa', assignee: null, due: formatForRecipient('2025-12-08T06:00:00.000Z', 'zh-CN', 'Asia/Shanghai'), link: null };
  it('says who has it, or that nobody has yet', () => {
    expect(noticeMail('breach', 'en', { ...facts, due: 'Mon' }).text).toContain('Assigned to: nobody yet.');
    expect(noticeMail('breach', 'zh-CN', facts)).toMatchObject({ subject: '已超过响应时限：Quote' });
    expect(facts.due).toBe('12月8日周一 14:00 (Asia/Shanghai)');
  });
  it('escapes what it puts in HTML', () => {
    expect(noticeMail('notify', 'en', { ...facts, buyer: '<b>x</b>', rule: 'r' }).html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});

it('a reviewed hand-off text becomes paragraphs, escaped', () => {
  expect(textToHtml('Dear Ali,\n\nI\'m Linda <sales>.\nRegards')).toBe('<p>Dear Ali,</p>\n<p>I&#39;m Linda &lt;sales&gt;.<br>Regards</p>');
});
