/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { TeamConversationView, TeamItemKeys } from '../../src/contract/team-inbox.js';
import { quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** The read pane's team section: found by the store from the open mail, claim, and its texts. */
describe('task pane: the team inbox on a received mail', () => {
  const item = { mode: 'read' as const, internetMessageId: '<inq-1@gulf-led.ae>', conversationId: 'AAQk-1', subject: 'Inquiry: LED panels', from: { name: 'Karim', address: 'karim@gulf-led.ae' }, to: [{ name: '', address: 'info@acme.test' }], receivedAt: '2026-11-20T08:00:00.000Z', dateHeader: null, sharedMailbox: 'info@acme.test' };
  const view = (over: Partial<TeamConversationView> = {}): TeamConversationView => ({
    id: 'conv-1', teamInboxId: 'ti-1', subject: 'Inquiry: LED panels', buyer: 'karim@gulf-led.ae', state: 'new', assignee: null, tags: ['high-intent'], lastMessageAt: '2026-11-20T08:00:00.000Z', lastWriter: 'buyer', firstResponseAt: null,
    clock: { phase: 'breached', startedAt: '2026-11-20T08:00:00.000Z', dueAt: '2026-11-21T08:00:00.000Z', businessMinutesLeft: -125 },
    inbox: { id: 'ti-1', address: 'info@acme.test', name: 'Info' }, messages: [], notes: [{ id: 'n1', author: 'linda@acme.test', body: 'CE papers needed', mentions: [], createdAt: '2026-11-20T09:00:00.000Z' }],
    presence: [{ user: { id: 'u-l', name: 'Linda', email: 'linda@acme.test' }, activity: 'replying', seenAt: '2026-11-20T09:00:00.000Z' }],
    buyerTime: { timeZone: 'Asia/Dubai', country: 'AE', localTime: '2026-11-20T12:00:00+04:00', confidence: 'high' }, ...over,
  });
  const stub = (asked: TeamItemKeys[], claimed: string[]) =>
    storeStub({
      myPacks: async () => [quotePack],
      clientTimeOf: (async () => ({ timeZone: null, confidence: 'low', reasons: [], reasonTexts: [], localTime: null, inBusinessHours: false, status: '', statusText: { code: 'ct.status.unknownZone', params: {} }, nextSlot: null, alternatives: [], known: { contact: false, customer: null } })) as never,
      lookupContact: async () => null,
      logStatus: async () => ({ logged: false, activity: null }),
      paymentVerdict: async () => null,
      teamLookup: (async (keys: TeamItemKeys) => (asked.push(keys), { conversation: claimed.length ? view({ state: 'assigned', assignee: { id: 'u-r', name: 'Rep', email: 'rep@acme.test' }, presence: [] }) : view(), matchedBy: 'message-id' })) as never,
      teamPresence: (async () => ({ presence: [] })) as never,
      teamClaim: (async (id: string) => (claimed.push(id), {})) as never,
    });

  it('shows state, overdue clock, buyer time, presence and notes; I\'ll take it claims and redraws', async () => {
    const asked: TeamItemKeys[] = [];
    const claimed: string[] = [];
    const { unmount } = renderPane(recordingHost(item), stub(asked, claimed));
    await screen.findByRole('heading', { name: 'Team inbox info@acme.test' });
    expect(asked[0]).toEqual({ internetMessageId: '<inq-1@gulf-led.ae>', threadId: 'AAQk-1', subject: 'Inquiry: LED panels', addresses: ['karim@gulf-led.ae'] });
    expect(screen.getByText('Overdue by 2 h 5 min of business hours')).toBeTruthy();
    expect(screen.getByText('Linda is replying')).toBeTruthy();
    expect(screen.getByText('CE papers needed')).toBeTruthy();
    expect(screen.getByText(/^Buyer's time now: .+ \(Asia\/Dubai\)$/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: "I'll take it" }));
    await waitFor(() => expect(claimed).toEqual(['conv-1']));
    await screen.findByText('Handled by Rep');
    expect(screen.queryByRole('button', { name: "I'll take it" })).toBeNull();
    await act(async () => undefined);
    unmount();
  });
});
