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

it('the audit says what the team inbox sent, in English and Chinese', async () => {
  const { auditSentence } = await import('../../../src/core/audit/sentence.js');
  const entry = (action: string, details: Record<string, unknown>) => ({ at: '2025-12-03T09:00:00Z', actor: 'team-inbox mail', action, target: { type: 'conversation', id: 'c1' }, details });
  expect(auditSentence(entry('team-mail.sent', { kind: 'ack', to: 'ali@x.sa' }), 'en')).toBe('The acknowledgement to ali@x.sa: sent');
  expect(auditSentence(entry('team-mail.skipped', { kind: 'ack', to: 'ali@x.sa', reason: 'answered before the acknowledgement went out' }), 'zh-CN')).toBe('发给 ali@x.sa 的自动确认邮件：未发送（answered before the acknowledgement went out）');
  expect(auditSentence(entry('team-mail.failed', { kind: 'breach', to: 'boss@acme.com', reason: 'SMTP: refused' }), 'en')).toBe('The missed-response escalation to boss@acme.com: failed (SMTP: refused)');
  expect(auditSentence({ ...entry('team-conversation.hand-off', { via: 'role-address', from: 'info@acme.com', to: 'ali@x.sa' }), actor: 'linda@acme.com' }, 'zh-CN')).toBe('linda@acme.com 以 info@acme.com 的身份向 ali@x.sa 发送了团队会话的转交邮件');
});
