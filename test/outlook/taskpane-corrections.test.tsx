/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ClientTime, ContactView, LogRequest } from '../../src/contract/crm.js';
import { recordingHost, renderPane, quotePack, storeStub } from './taskpane-support.js';

/** Issue #13, item 8: the pane shows what the store knows after a log, and the rep corrects the engine. */
describe('task pane: the rep corrects the engine', () => {
  const riyadh: ClientTime = {
    timeZone: 'Asia/Riyadh',
    confidence: 'medium',
    reasons: ['e-mail domain .sa → Saudi Arabia'],
    reasonTexts: [{ code: 'ct.reason.domainCountry', params: { suffix: '.sa', country: 'SA' } }],
    localTime: '2026-11-30T10:00:00+03:00',
    inBusinessHours: true,
    status: 'open until 18:00',
    statusText: { code: 'ct.status.open', params: { until: '18:00' } },
    nextSlot: '2026-11-30T07:00:00.000Z',
    alternatives: [],
    notices: [],
    known: { contact: false, customer: null },
  };
  const readItem = {
    mode: 'read' as const,
    internetMessageId: '<rfq-9@alfanar-trading.sa>',
    conversationId: 'c9',
    subject: 'RFQ',
    from: { name: 'Faisal Al-Harbi', address: 'faisal@alfanar-trading.sa' },
    to: [{ name: '', address: 'rep@example.test' }],
    receivedAt: '2026-11-30T06:00:00.000Z',
    dateHeader: 'Mon, 30 Nov 2026 09:00:00 +0300',
  };
  const activity = { id: 'a9', messageId: 'rfq-9@alfanar-trading.sa', threadId: 'c9', direction: 'inbound' as const, occurredAt: '2026-11-30T06:00:00.000Z', utcOffset: '+03:00', from: 'faisal@alfanar-trading.sa', to: ['rep@example.test'], subject: 'RFQ', snippet: '', customerId: 'cu1', contactId: 'co1', loggedBy: 'rep@example.test', loggedVia: 'outlook', loggedAt: '2026-11-30T06:05:00.000Z' };
  const faisal: ContactView = { id: 'co1', email: 'faisal@alfanar-trading.sa', customerId: 'cu1', firstName: 'Faisal', lastName: 'Al-Harbi', language: null, country: null, timeZone: null, phone: null, lastUtcOffset: null, lastSeenAt: null };

  it('never says "Logged ✓" beside "not in the CRM yet": the card reloads after the log', async () => {
    let stored: ContactView | null = null;
    const logged: LogRequest[] = [];
    renderPane(
      recordingHost(readItem),
      storeStub({
        myPacks: async () => [quotePack],
        clientTimeOf: (async () => ({ ...riyadh, known: { contact: stored !== null, customer: stored ? 'Alfanar Trading' : null } })) as never,
        lookupContact: async () => stored,
        timeline: async () => ({ mails: [activity], tasks: [] }),
        customer: async () => ({ id: 'cu1', name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: null, timeZone: null }),
        logStatus: async () => ({ logged: false, activity: null }),
        logMail: (async (mail: LogRequest) => {
          logged.push(mail);
          stored = faisal; // the store created the contact and its company
          return { status: 'logged', activity };
        }) as never,
      }),
    );
    await screen.findByText('faisal@alfanar-trading.sa is not in the CRM yet.');
    fireEvent.click(await screen.findByRole('button', { name: 'Log to CRM' }));
    await screen.findByText('Logged ✓');
    await screen.findByText('Contact: Faisal Al-Harbi');
    expect(screen.queryByText(/is not in the CRM yet/)).toBeNull();
    expect(screen.getByRole('heading', { name: 'Alfanar Trading' })).toBeTruthy();
    // the display name travels with the address, for the store to learn
    expect(logged[0]?.from).toBe('Faisal Al-Harbi <faisal@alfanar-trading.sa>');
  });

  it("sets the contact's name, language, country and time zone and the customer's country, then reloads", async () => {
    const saved: unknown[] = [];
    let lookups = 0;
    renderPane(
      recordingHost(readItem),
      storeStub({
        myPacks: async () => [quotePack],
        clientTimeOf: (async () => ({ ...riyadh, known: { contact: true, customer: 'Alfanar Trading' } })) as never,
        lookupContact: async () => (lookups++, faisal),
        timeline: async () => ({ mails: [], tasks: [] }),
        customer: async () => ({ id: 'cu1', name: 'Alfanar Trading', domains: ['alfanar-trading.sa'], country: null, timeZone: null }),
        logStatus: async () => ({ logged: true, activity }),
        saveContact: (async (contact: object) => (saved.push(['contact', contact]), faisal)) as never,
        setCustomerCountry: (async (id: string, country: string | null) => (saved.push(['customer', id, country]), { id, name: 'Alfanar Trading', country })) as never,
      }),
    );
    fireEvent.click(await screen.findByText('Correct contact'));
    fireEvent.change(screen.getByLabelText('Language (e.g. de, pt-BR)'), { target: { value: 'en' } });
    fireEvent.change(screen.getByLabelText('Country (ISO code, e.g. SA)'), { target: { value: 'AE' } });
    fireEvent.change(screen.getByLabelText('Time zone (e.g. Asia/Riyadh)'), { target: { value: 'Asia/Dubai' } });
    fireEvent.change(screen.getByLabelText('Country of Alfanar Trading'), { target: { value: 'AE' } });
    const before = lookups;
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(saved).toHaveLength(2));
    expect(saved).toEqual([
      ['contact', { email: 'faisal@alfanar-trading.sa', firstName: 'Faisal', lastName: 'Al-Harbi', language: 'en', country: 'AE', timeZone: 'Asia/Dubai' }],
      ['customer', 'cu1', 'AE'],
    ]);
    await waitFor(() => expect(lookups).toBeGreaterThan(before));
  });
});
