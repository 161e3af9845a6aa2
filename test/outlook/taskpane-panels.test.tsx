/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ClientTime, LogRequest } from '../../src/contract/crm.js';
import { contentHash, wrapSignature } from '../../src/core/signature/marker.js';
import { en } from '../../src/outlook/i18n/en.js';
import { translator, uiLanguageOf } from '../../src/outlook/i18n/index.js';
import { zhCN } from '../../src/outlook/i18n/zh-CN.js';
import { composeItem, quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** Client time, signature, CRM and the pane's languages. */
describe('task pane: client time, signature, CRM, languages', () => {
  const closed: ClientTime = {
    timeZone: 'Europe/Berlin',
    confidence: 'medium',
    reasons: ['Germany keeps one clock: Europe/Berlin'],
    reasonTexts: [{ code: 'ct.reason.oneClock', params: { country: 'DE', zone: 'Europe/Berlin' } }],
    localTime: '2026-11-23T05:30:00+01:00',
    inBusinessHours: false,
    status: 'closed: before business hours (opens 09:00)',
    statusText: { code: 'ct.status.beforeHours', params: { opens: '09:00' } },
    nextSlot: '2026-11-23T08:00:00.000Z',
    alternatives: [
      { label: 'their 09:00 today', labelText: { code: 'ct.slot.today', params: { time: '09:00' } }, at: '2026-11-23T08:00:00.000Z', clientLocal: '2026-11-23T09:00:00+01:00' },
      { label: 'their 14:00 today', labelText: { code: 'ct.slot.today', params: { time: '14:00' } }, at: '2026-11-23T13:00:00.000Z', clientLocal: '2026-11-23T14:00:00+01:00' },
    ],
    notices: [],
    known: { contact: false, customer: null },
  };

  it("schedules delivery at the client's next opening, the instant the store answered", async () => {
    const host = recordingHost(composeItem());
    renderPane(host, storeStub({ myPacks: async () => [quotePack], clientTime: async () => closed }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Client time' }));
    await screen.findByText('closed: before business hours (opens 09:00)');
    expect(screen.getByText('Closed')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Send at their 09:00 today' }));
    await screen.findByText(/^Scheduled: goes out/);
    expect(host.delay?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    fireEvent.click(screen.getByRole('button', { name: 'Send at their 14:00 today' }));
    await waitFor(() => expect(host.delay?.toISOString()).toBe('2026-11-23T13:00:00.000Z'));
  });

  it('refuses a custom time in the past', async () => {
    const host = recordingHost(composeItem());
    renderPane(host, storeStub({ myPacks: async () => [quotePack], clientTime: async () => closed }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Client time' }));
    fireEvent.change(await screen.findByLabelText('Custom time (your time zone)'), { target: { value: '2001-01-01T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule at this time' }));
    await screen.findByText('Pick a date and time in the future.');
    expect(host.delay).toBeNull();
  });

  it('explains the fallback where the client cannot schedule', async () => {
    const host = recordingHost(composeItem(), { delaySupported: false });
    renderPane(host, storeStub({ myPacks: async () => [quotePack], clientTime: async () => closed }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Client time' }));
    await screen.findByText(/cannot schedule a message from an add-in \(Mailbox 1\.13 is needed\)/);
    expect((await screen.findAllByText(/Use Outlook's own Delay delivery/)).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: /^Send at/ })).toBeNull();
  });

  it('asks for a recipient before it can tell their time', async () => {
    renderPane(recordingHost(composeItem('')), storeStub({ myPacks: async () => [quotePack] }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Client time' }));
    await screen.findByText('Add a recipient in To to see their local time.');
  });

  it('shows the signature as present, then missing once the body loses it, and re-applies it', async () => {
    const inner = '<table><tr><td><b>Rep One</b></td></tr></table>';
    const wrapped = wrapSignature(inner, 'standard', contentHash(inner));
    const host = recordingHost(composeItem(), { body: `<p>Hello</p>${wrapped}` });
    renderPane(host, storeStub({ myPacks: async () => [quotePack], mySignature: async () => ({ signature: 'standard', html: wrapped, hash: contentHash(inner), policy: { signatureOnSend: 'block', disableClientSignature: true } }) }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Signature' }));
    await screen.findByRole('status', { name: 'Signature status: Present and unchanged' });
    expect(screen.getByText('Send is blocked while it is missing or altered.')).toBeTruthy();
    host.body = '<p>Hello</p>';
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await screen.findByRole('status', { name: 'Signature status: Missing' });
    fireEvent.click(screen.getByRole('button', { name: 'Re-apply the signature' }));
    await screen.findByRole('status', { name: 'Signature status: Present and unchanged' });
    expect(host.signatures).toEqual([wrapped]);
  });

  it('follows the body: deleting the signature shows "Missing" when the rep comes back to the pane, without "Check again"', async () => {
    const inner = '<table><tr><td><b>Rep One</b></td></tr></table>';
    const wrapped = wrapSignature(inner, 'standard', contentHash(inner));
    const host = recordingHost(composeItem(), { body: `<p>Hello</p>${wrapped}` });
    renderPane(host, storeStub({ myPacks: async () => [quotePack], mySignature: async () => ({ signature: 'standard', html: wrapped, hash: contentHash(inner), policy: { signatureOnSend: 'block', disableClientSignature: true } }) }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Signature' }));
    await screen.findByRole('status', { name: 'Signature status: Present and unchanged' });
    host.body = '<p>Hello</p>';
    fireEvent.focus(window);
    await screen.findByRole('status', { name: 'Signature status: Missing' });
    host.body = `<p>Hello</p>${wrapped}`;
    fireEvent.pointerEnter(screen.getByRole('region', { name: 'Signature' }));
    await screen.findByRole('status', { name: 'Signature status: Present and unchanged' });
  });

  it('logs a received mail once and says who logged it the second time', async () => {
    const logged: LogRequest[] = [];
    const activity = { id: 'a1', messageId: 'm1@x', threadId: 'c1', direction: 'inbound' as const, occurredAt: '2026-11-20T08:00:00.000Z', utcOffset: '+01:00', from: 'anna@hamburg-import.de', to: ['rep@example.test'], subject: 'Inquiry', snippet: '', customerId: null, contactId: null, loggedBy: 'rep@example.test', loggedVia: 'outlook', loggedAt: '2026-11-20T09:00:00.000Z' };
    const host = recordingHost({ mode: 'read', internetMessageId: '<m1@x>', conversationId: 'c1', subject: 'Inquiry', from: { name: 'Anna', address: 'anna@hamburg-import.de' }, to: [{ name: '', address: 'rep@example.test' }], receivedAt: '2026-11-20T08:00:00.000Z', dateHeader: 'Fri, 20 Nov 2026 09:00:00 +0100' });
    renderPane(
      host,
      storeStub({
        myPacks: async () => [quotePack],
        clientTimeOf: (async () => ({ ...closed, known: { contact: true, customer: 'Hamburg Import GmbH' } })) as never,
        lookupContact: async () => null,
        logStatus: async () => ({ logged: logged.length > 0, activity: logged.length > 0 ? activity : null }),
        logMail: (async (mail: LogRequest) => {
          logged.push(mail);
          return { status: logged.length === 1 ? 'logged' : 'already-logged', activity };
        }) as never,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Log to CRM' }));
    await screen.findByText('Logged ✓');
    expect(logged[0]).toEqual({ messageId: '<m1@x>', threadId: 'c1', direction: 'inbound', dateHeader: 'Fri, 20 Nov 2026 09:00:00 +0100', sentAt: '2026-11-20T08:00:00.000Z', from: 'Anna <anna@hamburg-import.de>', to: ['rep@example.test'], subject: 'Inquiry', via: 'outlook' });
  });

  it('client time in Chinese: status, reasons, slot buttons and confidence from the catalogue, not English', async () => {
    renderPane(recordingHost(composeItem(), { language: 'zh-CN' }), storeStub({ myPacks: async () => [quotePack], clientTime: async () => closed }));
    fireEvent.click(await screen.findByRole('tab', { name: '客户时间' }));
    await screen.findByText('休息：尚未上班（09:00 开始）');
    expect(screen.getByText('德国只有一个时间：Europe/Berlin')).toBeTruthy();
    expect(screen.getByRole('button', { name: '定时发送：对方今天 09:00' })).toBeTruthy();
    expect(screen.getByText('时区：Europe/Berlin（可信度：中）')).toBeTruthy();
    expect(screen.queryByText(/closed: before business hours/)).toBeNull();
  });

  it('open now: says so, and the slot offered is their next business morning, never now', async () => {
    const open: ClientTime = {
      ...closed,
      inBusinessHours: true,
      localTime: '2026-11-23T10:30:00+01:00',
      status: 'open until 18:00',
      statusText: { code: 'ct.status.open', params: { until: '18:00' } },
      nextSlot: '2026-11-24T08:00:00.000Z',
      alternatives: [{ label: 'their 09:00 tomorrow', labelText: { code: 'ct.slot.tomorrow', params: { time: '09:00' } }, at: '2026-11-24T08:00:00.000Z', clientLocal: '2026-11-24T09:00:00+01:00' }],
    };
    const host = recordingHost(composeItem());
    renderPane(host, storeStub({ myPacks: async () => [quotePack], clientTime: async () => open }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Client time' }));
    await screen.findByText(/They are open now\. Send now as usual/);
    fireEvent.click(screen.getByRole('button', { name: 'Send at their 09:00 tomorrow' }));
    await screen.findByText(/^Scheduled: goes out/);
    expect(host.delay?.toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });

  it('follows Office into Simplified Chinese, and the Chinese catalogue covers every message', async () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(uiLanguageOf('zh-CN')).toBe('zh-CN');
    expect(uiLanguageOf('zh-Hans-CN')).toBe('zh-CN');
    expect(uiLanguageOf('zh-TW')).toBe('zh-CN'); // one rule with the on-send alert: Traditional Chinese readers get Chinese
    expect(uiLanguageOf('de-DE')).toBe('en');
    expect(translator('zh-CN')('templates.results', { count: 3 })).toBe('共 3 个模板');
    renderPane(recordingHost(composeItem(), { language: 'zh-CN' }), storeStub({ myPacks: async () => [quotePack] }));
    expect(await screen.findByRole('tab', { name: '客户时间' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: '报价单' })).toBeTruthy();
    expect(await screen.findByLabelText('搜索模板')).toBeTruthy();
  });
});
