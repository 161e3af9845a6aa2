import { describe, expect, it } from '@jest/globals';
import { companyKey, judgeReply, type ArrivingMail } from '../../../src/core/followup/index.js';

const DAY = 86_400_000;
const awaited = { recipients: ['ahmed@alfaisal-trading.com.sa', 'buyer.personal@gmail.com'], sentAt: '2027-03-04T08:00:00.000Z', newThreadWindowMs: 30 * DAY };
const mail = (over: Partial<ArrivingMail>): ArrivingMail => ({ from: 'ahmed@alfaisal-trading.com.sa', direction: 'inbound', verdict: 'none', receivedAt: '2027-03-05T08:00:00.000Z', sameConversation: true, ...over });

describe('what counts as the buyer answering', () => {
  it('knows a company by its registrable domain, and free mail only by the address', () => {
    expect(companyKey('Sara@Procurement.AlFaisal-Trading.com.sa')).toBe('alfaisal-trading.com.sa');
    expect(companyKey('buyer.personal@gmail.com')).toBe('buyer.personal@gmail.com');
  });

  it('counts a colleague at the buyer’s company answering in the conversation', () => {
    expect(judgeReply(awaited, mail({ from: 'sara@procurement.alfaisal-trading.com.sa' }))).toEqual({ kind: 'reply' });
  });

  it('does not count a stranger on the same free-mail provider, nor our own mail', () => {
    expect(judgeReply(awaited, mail({ from: 'someone.else@gmail.com' }))).toEqual({ kind: 'unrelated' });
    expect(judgeReply(awaited, mail({ from: 'rep@ningbo-export.cn', direction: 'outbound' }))).toEqual({ kind: 'unrelated' });
  });

  it('counts a new thread only from the same contact and within the window', () => {
    expect(judgeReply(awaited, mail({ sameConversation: false }))).toEqual({ kind: 'reply' });
    expect(judgeReply(awaited, mail({ sameConversation: false, from: 'sara@alfaisal-trading.com.sa' }))).toEqual({ kind: 'unrelated' });
    expect(judgeReply(awaited, mail({ sameConversation: false, receivedAt: '2027-04-04T08:00:01.000Z' }))).toEqual({ kind: 'unrelated' });
  });

  it('never counts automatic mail, and never mail older than the send', () => {
    expect(judgeReply(awaited, mail({ verdict: 'auto-reply' }))).toEqual({ kind: 'automatic', verdict: 'auto-reply' });
    expect(judgeReply(awaited, mail({ verdict: 'bounce' }))).toEqual({ kind: 'automatic', verdict: 'bounce' });
    expect(judgeReply(awaited, mail({ verdict: 'receipt' }))).toEqual({ kind: 'automatic', verdict: 'receipt' });
    expect(judgeReply(awaited, mail({ receivedAt: '2027-03-04T07:59:59.000Z' }))).toEqual({ kind: 'unrelated' });
  });
});
