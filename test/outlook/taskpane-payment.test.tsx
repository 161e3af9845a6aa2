/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { act, screen, waitFor } from '@testing-library/react';
import type { PaymentVerdictView } from '../../src/contract/payments.js';
import { quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** The read pane's payment-fraud warning, from the store's verdict on the open mail. */
describe('task pane: the payment guard on a received mail', () => {
  const suspicious: PaymentVerdictView = {
    verdict: 'suspicious',
    from: 'ahmed@alfanar-tradlng.sa',
    company: { id: 'c1', name: 'Alfanar Trading' },
    phone: '+966 11 555 0100',
    checkedAt: '2026-11-20T08:00:00.000Z',
    findings: [
      { code: 'domain.lookalike', severity: 'alert', params: { domain: 'alfanar-tradlng.sa', known: 'alfanar-trading.sa', how: 'confusable' } },
      { code: 'account.differs', severity: 'alert', params: { account: 'GB82…5432' } },
    ],
  };
  const item = { mode: 'read' as const, internetMessageId: '<fake@alfanar-tradlng.sa>', conversationId: 'c1', subject: 'Invoice', from: { name: 'Ahmed', address: 'ahmed@alfanar-tradlng.sa' }, to: [{ name: '', address: 'rep@example.test' }], receivedAt: '2026-11-20T08:00:00.000Z', dateHeader: null };
  const stub = (verdict: PaymentVerdictView | null, asked: string[] = []) =>
    storeStub({
      myPacks: async () => [quotePack],
      clientTimeOf: (async () => ({ timeZone: null, confidence: 'low', reasons: [], reasonTexts: [], localTime: null, inBusinessHours: false, status: '', statusText: { code: 'ct.status.unknownZone', params: {} }, nextSlot: null, alternatives: [], known: { contact: false, customer: null } })) as never,
      lookupContact: async () => null,
      logStatus: async () => ({ logged: false, activity: null }),
      paymentVerdict: (async (messageId: string) => {
        asked.push(messageId);
        return verdict;
      }) as never,
    });

  it('says why, and to confirm by phone on the number on file, found by the Message-ID', async () => {
    const asked: string[] = [];
    renderPane(recordingHost(item), stub(suspicious, asked));
    const alert = await screen.findByRole('alert', { name: 'Possible payment fraud: do not change any bank details on the strength of this mail.' });
    expect(alert.textContent).toContain("The sender's domain alfanar-tradlng.sa imitates alfanar-trading.sa (letters swapped for look-alikes).");
    expect(alert.textContent).toContain('Bank details GB82…5432 differ from the ones this company used before.');
    expect(alert.textContent).toContain('Confirm by phone with Alfanar Trading on the number on file: +966 11 555 0100.');
    expect(asked).toEqual(['<fake@alfanar-tradlng.sa>']);
  });

  it('in Chinese when Office is', async () => {
    renderPane(recordingHost(item, { displayLanguage: () => 'zh-CN' }), stub({ ...suspicious, phone: null }));
    const alert = await screen.findByRole('alert', { name: '可能是付款诈骗：切勿仅凭此邮件更改任何银行信息。' });
    expect(alert.textContent).toContain('发件人域名 alfanar-tradlng.sa 在冒充 alfanar-trading.sa（用形近字符替换了字母）。');
    expect(alert.textContent).toContain('请用您已知的号码致电 Alfanar Trading 核实，切勿使用此邮件中的号码。');
  });

  it('says nothing about a clean or unjudged mail', async () => {
    for (const verdict of [{ ...suspicious, verdict: 'ok' as const, findings: [] }, null]) {
      const asked: string[] = [];
      const { unmount } = renderPane(recordingHost(item), stub(verdict, asked));
      await waitFor(() => expect(asked).toHaveLength(1));
      await act(async () => undefined); // the answer's state update lands
      expect(screen.queryByRole('alert')).toBeNull();
      unmount();
    }
  });
});
