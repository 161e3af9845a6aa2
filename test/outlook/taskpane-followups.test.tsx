/**
 * @jest-environment jsdom
 */
import { describe, expect, it } from '@jest/globals';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { FollowUpView } from '../../src/contract/followups.js';
import type { CreateFollowUp, FollowUpDraft, SnoozeFollowUp } from '../../src/contract/followups.js';
import { ApiError } from '../../src/client/api-error.js';
import { composeItem, quotePack, recordingHost, renderPane, storeStub } from './taskpane-support.js';

/** The pane's "Follow-ups due" list and "Remind me if no reply" while composing (docs/followups.md). */
describe('task pane: follow-ups', () => {
  const due = (id: string, subject: string): FollowUpView => ({
    id, status: 'due', subject, recipients: ['ahmed@alfaisal-trading.com.sa'], messageId: `${id}@acme.test`, conversationId: null, templateKind: 'quote', language: null,
    rule: { kind: 'business-days', days: 3, hour: '09:00' }, sentAt: '2026-05-21T08:00:00.000Z', dueAt: '2026-06-01T01:00:00.000Z', dueLocal: null, repTimeZone: 'Asia/Shanghai',
    buyerDeadline: null, movedUntil: null, snoozes: 0, firedAt: '2026-06-01T01:00:00.000Z', taskId: 't1', repliedAt: null, createdAt: '2026-05-21T07:55:00.000Z',
  });

  it('lists the due follow-ups at the top, with done and later', async () => {
    const calls: string[] = [];
    const host = recordingHost(composeItem());
    renderPane(host, storeStub({
      myPacks: async () => [quotePack],
      myFollowUps: async (filter: string) => (calls.push(`list ${filter}`), [due('f1', 'Quotation QT-1'), due('f2', 'Quotation QT-2')]),
      followUpDone: async (id: string) => (calls.push(`done ${id}`), { ...due(id, 'x'), status: 'done' }),
      snoozeFollowUp: async (id: string, body: SnoozeFollowUp) => (calls.push(`snooze ${id} ${JSON.stringify(body)}`), { ...due(id, 'x'), status: 'waiting', dueAt: '2026-06-03T01:00:00.000Z' }),
    }));
    const list = await screen.findByRole('region', { name: 'Follow-ups due' });
    expect(list.textContent).toContain('Quotation QT-1');
    expect(list.textContent).toContain('Quotation QT-2');
    fireEvent.click(screen.getAllByRole('button', { name: 'Done' })[0]!);
    await screen.findByText('Marked done.');
    expect(screen.queryByText('Quotation QT-1')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Later (2 business days)' }));
    await screen.findByText(/^Snoozed until /);
    expect(screen.queryByText('Quotation QT-2')).toBeNull();
    expect(calls).toEqual(['list due', 'done f1', 'snooze f2 {"businessDays":2}']);
  });

  it('shows nothing when none is due or the store cannot say', async () => {
    renderPane(recordingHost(composeItem()), storeStub({ myPacks: async () => [quotePack] }));
    await screen.findByRole('tab', { name: 'Templates' });
    expect(screen.queryByRole('region', { name: 'Follow-ups due' })).toBeNull();
  });

  it('asks for a reminder with the draft’s subject and recipients, in the buyer’s business days', async () => {
    const asked: CreateFollowUp[] = [];
    const host = recordingHost(composeItem(), { subject: 'Quotation QT-9' });
    renderPane(host, storeStub({
      myPacks: async () => [quotePack],
      myFollowUps: async () => [],
      followUpDefault: async () => ({ days: null, hour: '09:00', source: 'built-in' }),
      createFollowUp: async (body: CreateFollowUp) => (asked.push(body), { ...due('f9', body.subject), status: 'awaiting-send' }),
      lookupContact: async () => null,
      clientTimeOf: async () => { throw new Error('not needed'); },
    }));
    fireEvent.click(await screen.findByRole('tab', { name: 'CRM' }));
    const set = await screen.findByRole('button', { name: 'Remind me' });
    expect((set as HTMLButtonElement).disabled).toBe(true); // off by default
    fireEvent.change(screen.getByLabelText('When'), { target: { value: '3' } });
    fireEvent.click(set);
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toEqual({ rule: { kind: 'business-days', days: 3 }, subject: 'Quotation QT-9', to: ['buyer@hamburg-import.de'] });
    await screen.findByText(/^I will remind you in 3 of their business days if /);
  });

  const draftOf = (id: string): FollowUpDraft => ({
    followUpId: id, to: ['ahmed@alfaisal-trading.com.sa'], subject: 'Re: Quotation QT-1', html: '<p>مرحبا، هل من جديد؟</p>', text: 'مرحبا، هل من جديد؟', language: 'ar', reason: 'the recipient’s domain is in SA',
    inReplyTo: `<${id}@acme.test>`, conversationId: null, template: { pack: 'trade', id: 'nudge' },
  });

  it('follows up in one click: the reply with the pack’s follow-up template, opened by Outlook', async () => {
    const host = recordingHost(composeItem());
    renderPane(host, storeStub({
      myPacks: async () => [quotePack],
      myFollowUps: async () => [due('f1', 'Quotation QT-1')],
      followUpDraft: async (id: string) => draftOf(id),
    }));
    fireEvent.click(await screen.findByRole('button', { name: 'Follow up' }));
    await screen.findByText('New message to ahmed@alfaisal-trading.com.sa opened with your follow-up template: check it and send, then mark it done.');
    expect(host.followUps).toEqual([{ ...draftOf('f1') }]);
    // Still listed until the rep marks it done: opening a draft is not sending it.
    expect(screen.getByText('Quotation QT-1')).toBeTruthy();
  });

  it('says so when the open mail is the one followed up (a reply), and shows the store’s refusal as it is', async () => {
    const host = recordingHost(composeItem());
    host.followUpOpensAs = 'reply';
    let refuse = true;
    renderPane(host, storeStub({
      myPacks: async () => [quotePack],
      myFollowUps: async () => [due('f1', 'Quotation QT-1')],
      followUpDraft: async (id: string) => {
        if (refuse) throw new ApiError(409, 'no_follow_up_template', 'none of your packs has a template of kind "follow-up"; ask your admin to add one (docs/followups.md)');
        return draftOf(id);
      },
    }));
    fireEvent.click(await screen.findByRole('button', { name: 'Follow up' }));
    await screen.findByText(/none of your packs has a template of kind "follow-up"/);
    expect(host.followUps).toEqual([]);
    refuse = false;
    fireEvent.click(screen.getByRole('button', { name: 'Follow up' }));
    await screen.findByText('Reply to ahmed@alfaisal-trading.com.sa opened with your follow-up template: check it and send, then mark it done.');
    expect(host.followUps).toHaveLength(1);
  });

  it('lists my buyers’ inquiries waiting past the company’s business hours, the escalated ones marked', async () => {
    renderPane(recordingHost(composeItem()), storeStub({
      myPacks: async () => [quotePack],
      myFollowUps: async () => [],
      myUnansweredInquiries: async () => [
        { messageId: 'rfq@x.test', conversationId: 'c1', rep: 'rep@example.test', from: 'fahad@alfanar-trading.sa', subject: 'RFQ: valves DN50', receivedAt: '2026-11-02T06:00:00.000Z', businessHoursWaiting: 26.5, escalated: false },
        { messageId: 'rfq2@x.test', conversationId: 'c2', rep: 'rep@example.test', from: 'lucia@empresa.es', subject: 'Consulta de precios', receivedAt: '2026-10-28T09:00:00.000Z', businessHoursWaiting: 51, escalated: true },
      ],
    }));
    const list = await screen.findByRole('region', { name: 'Inquiries waiting for your answer' });
    expect(list.textContent).toContain('RFQ: valves DN50');
    expect(list.textContent).toContain('26.5 business hours without an answer');
    expect(list.textContent).toContain('51 business hours without an answer · your manager sees it too');
    expect(list.textContent!.match(/your manager sees it too/g)).toHaveLength(1);
  });
});
