/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { HandOffPreview, TeamConversationView, TeamItemKeys } from '../../src/contract/team-inbox.js';
import { ApiError } from '../../src/client/api-error.js';
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
  /** What the rest of the read pane asks the store (the sender's clock, the CRM card): nothing known. */
  const readPaneCalls = {
    myPacks: async () => [quotePack],
    clientTimeOf: (async () => ({ timeZone: null, confidence: 'low', reasons: [], reasonTexts: [], localTime: null, inBusinessHours: false, status: '', statusText: { code: 'ct.status.unknownZone', params: {} }, nextSlot: null, alternatives: [], known: { contact: false, customer: null } })) as never,
    lookupContact: async () => null,
    logStatus: async () => ({ logged: false, activity: null }),
    paymentVerdict: async () => null,
  };
  const stub = (asked: TeamItemKeys[], claimed: string[]) =>
    storeStub({
      ...readPaneCalls,
      teamLookup: (async (keys: TeamItemKeys) => (asked.push(keys), { conversation: claimed.length ? view({ state: 'assigned', assignee: { id: 'u-r', name: 'Rep', email: 'rep@acme.test' }, presence: [] }) : view(), matchedBy: 'message-id' })) as never,
      teamPresence: (async () => ({ presence: [] })) as never,
      teamClaim: (async (id: string) => (claimed.push(id), {})) as never,
      teamMembers: (async () => ({ members: [] })) as never,
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

  const preview: HandOffPreview = {
    from: { address: 'rep@acme.test', name: 'Rep' }, via: 'own-mailbox', roleAddress: 'info@acme.test', to: 'karim@gulf-led.ae', subject: 'Re: Inquiry: LED panels',
    text: 'مرحبا كريم،\n\nأنا Rep <مندوب>.', language: 'ar', reason: 'buyer language', inReplyTo: '<inq-1@gulf-led.ae>', references: [],
    ownership: { buyer: 'karim@gulf-led.ae', company: { id: 'c1', name: 'Gulf LED' }, owner: { id: 'u-l', name: 'Linda', email: 'linda@acme.test' }, ownedByOther: true },
  };
  const members = { members: [{ id: 'u-l', name: 'Linda', email: 'linda@acme.test' }, { id: 'u-r', name: 'Rep', email: 'rep@acme.test' }] };

  it('assigns with the picker of the inbox\'s members, closes, and words a lost claim (409) with the colleague\'s name', async () => {
    const calls: string[] = [];
    let current = view();
    const client = storeStub({
      ...readPaneCalls,
      teamLookup: (async () => ({ conversation: current, matchedBy: 'message-id' })) as never,
      teamPresence: (async () => ({ presence: [] })) as never,
      teamMembers: (async (inbox: string) => (calls.push(`members ${inbox}`), members)) as never,
      teamClaim: (async () => {
        current = view({ state: 'assigned', assignee: { id: 'u-l', name: 'Linda', email: 'linda@acme.test' } });
        throw new ApiError(409, 'taken', 'Linda (linda@acme.test) already has this conversation', [{ path: 'assignee', message: 'linda@acme.test', assignee: { id: 'u-l', name: 'Linda', email: 'linda@acme.test' } } as never]);
      }) as never,
      teamAssign: (async (id: string, to: string | null) => (calls.push(`assign ${id} ${to}`), (current = view({ state: 'assigned', assignee: { id: 'u-r', name: 'Rep', email: 'rep@acme.test' } })))) as never,
      teamState: (async (id: string, action: string) => (calls.push(`state ${id} ${action}`), (current = view({ state: 'closed', assignee: { id: 'u-r', name: 'Rep', email: 'rep@acme.test' } })))) as never,
    });
    const { unmount } = renderPane(recordingHost(item), client);
    await screen.findByRole('heading', { name: 'Team inbox info@acme.test' });
    expect(screen.getByText('Opened from the shared mailbox info@acme.test')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: "I'll take it" }));
    expect((await screen.findByRole('alert')).textContent).toBe('Linda has already taken this conversation.');
    await screen.findByText('Handled by Linda');
    await waitFor(() => expect(calls).toContain('members ti-1'));
    const picker = await screen.findByRole('combobox', { name: 'Assign to' });
    // The holder is not offered again; the queue is.
    expect([...picker.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Choose a colleague', 'Rep (rep@acme.test)', 'Nobody (back to the queue)']);
    fireEvent.change(picker, { target: { value: 'rep@acme.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign' }));
    await screen.findByText('Handled by Rep');
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await screen.findByRole('button', { name: 'Reopen' });
    expect(calls.filter((c) => !c.startsWith('members'))).toEqual(['assign conv-1 rep@acme.test', 'state conv-1 close']);
    // A closed conversation offers no hand-off.
    expect(screen.queryByRole('button', { name: 'Hand off from my address' })).toBeNull();
    await act(async () => undefined);
    unmount();
  });

  it('hand-off: shows the store\'s text in the buyer\'s language and whose buyer it is, then opens Outlook\'s reply with it as escaped HTML; a new message where the client has no reply form', async () => {
    for (const replyFails of [false, true]) {
      const host = recordingHost(item);
      if (replyFails) host.replyWith = async () => Promise.reject(new Error('This needs a received message (read mode)'));
      const client = storeStub({
        ...readPaneCalls,
        teamLookup: (async () => ({ conversation: view({ state: 'assigned', assignee: { id: 'u-r', name: 'Rep', email: 'rep@acme.test' } }), matchedBy: 'message-id' })) as never,
        teamPresence: (async () => ({ presence: [] })) as never,
        teamMembers: (async () => members) as never,
        teamHandOffPreview: (async () => preview) as never,
      });
      const { unmount } = renderPane(host, client);
      fireEvent.click(await screen.findByRole('button', { name: 'Hand off from my address' }));
      const region = await screen.findByRole('region', { name: 'Hand-off to the buyer' });
      expect(region.textContent).toContain("The team's hand-off in Arabic, to karim@gulf-led.ae.");
      expect(region.textContent).toContain("Gulf LED is Linda's buyer.");
      expect(region.querySelector('p[lang="ar"]')?.textContent).toBe(preview.text);
      fireEvent.click(screen.getByRole('button', { name: 'Open the reply' }));
      const html = '<p>مرحبا كريم،</p>\n<p>أنا Rep &lt;مندوب&gt;.</p>';
      if (!replyFails) {
        await screen.findByText(/The reply is open in Outlook with the hand-off/);
        expect(host.replies).toEqual([html]);
        expect(host.followUps).toEqual([]);
      } else {
        await screen.findByText(/This Outlook cannot open a reply here/);
        expect(host.followUps).toEqual([{ to: ['karim@gulf-led.ae'], subject: 'Re: Inquiry: LED panels', html, inReplyTo: null }]);
      }
      // The rep is now replying, as far as colleagues can see.
      expect(screen.getByRole('button', { name: "I'm writing the answer ✓" })).toBeTruthy();
      await act(async () => undefined);
      unmount();
    }
  });
});
