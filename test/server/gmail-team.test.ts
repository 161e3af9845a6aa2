import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Store } from '../../src/server/db/connect.js';
import { cardProblems, type AddonResponse } from '../../src/gmail/cards.js';
import type { AddonEvent } from '../../src/gmail/event.js';
import { newId } from '../../src/server/db/tenant-db.js';
import { SecretBox } from '../../src/server/secrets.js';
import { addMailbox } from '../../src/server/services/mailboxes.js';
import { addUser } from '../../src/server/services/people.js';
import { configureTeamInbox, touchPresence } from '../../src/server/services/team-inbox.js';
import { pushPack } from '../../src/server/services/packs.js';
import { createCustomer } from '../../src/server/services/customers.js';
import { permissionsOfRole } from '../../src/core/access/permissions.js';
import { FakeGmail } from '../support/fake-gmail.js';
import { operator } from '../support/fixtures.js';
import { storeKinds } from '../support/stores.js';
import { actions, addonEvent, notification, post, shownCard, startHarness, type Harness } from './gmail-harness.js';

/**
 * The team inbox on the Gmail message card (docs/team-inbox.md, "The faces"): a mail of info@'s
 * queue shows its state, who has it, the clock, the buyer's time, who else is on it and the notes,
 * with "I'll take it" and "Add note"; other mail shows none of it. English and Chinese.
 */
describe.each(storeKinds())('the team inbox on the Gmail message card on $name', (kind) => {
  let store: Store;
  let h: Harness;
  let gmail: FakeGmail;
  let mail: { id: string; threadId: string };
  let other: { id: string; threadId: string };
  let tokens: { userOAuthToken: string; gmailAccessToken: string };
  let conversationId: string;
  let linda: { id: string; email: string };
  let mailboxId: string;
  let op: ReturnType<typeof operator>;
  const calendar = { country: null, timeZone: 'Asia/Shanghai', start: '09:00', end: '18:00' };
  const handOff = { pack: 'demo-export', template: 'team-hand-off' };

  beforeAll(async () => {
    store = await kind.open();
    gmail = new FakeGmail();
    await gmail.start();
    h = await startHarness(store, 'gteam', { gmailAddon: { gmailRootUrl: gmail.rootUrl() } });
    op = operator(h.tenant.tenantId);
    await pushPack(h.tenant.tdb, op, readFileSync(new URL('../../src/server/demo/demo-pack.yaml', import.meta.url), 'utf8').replace('groups: [sales-eu, sales-me]', `groups: [${h.tenant.groupSlug}]`));
    const mailbox = await addMailbox(h.tenant.tdb, op, new SecretBox(randomBytes(32)), { provider: 'imap', address: 'info@gteam.test', settings: { preset: 'custom', imap: { host: '127.0.0.1', port: 9, security: 'none' }, smtp: { host: '127.0.0.1', port: 9, security: 'none' } }, secrets: { password: 'x' } }, { backfillDays: 1 });
    mailboxId = mailbox.id;
    const inbox = await configureTeamInbox(h.tenant.tdb, op, mailbox.id, { groups: [h.tenant.groupSlug], calendar, handOff });
    linda = await addUser(h.tenant.tdb, op, { email: 'linda@gteam.test', name: 'Linda', groups: [h.tenant.groupSlug] });
    // The buyer's inquiry as the sync stored it; it reached the rep's Gmail too (a Google group).
    conversationId = newId();
    const asked = new Date(Date.now() - 3_600_000).toISOString();
    await h.tenant.tdb.insert('conversations', { id: conversationId, subject: 'Inquiry: LED panels', subject_key: 'inquiry: led panels', participants: '["karim@gulf-led.ae"]', customer_ids: '[]', customer_id: null, first_message_at: asked, last_message_at: asked, last_inbound_at: asked, last_outbound_at: null, last_writer: 'buyer', message_count: 1, inbound_count: 1, outbound_count: 0, state: 'new', assignee_id: null, first_response_at: null, team_inbox_id: inbox.id, clock_started_at: asked, warn_at: new Date(Date.now() + 86_400_000).toISOString(), due_at: new Date(Date.now() + 3 * 86_400_000).toISOString(), created_at: asked, updated_at: asked });
    const messageId = newId();
    await h.tenant.tdb.insert('mail_messages', { id: messageId, mailbox_id: mailbox.id, conversation_id: conversationId, provider_id: messageId, folder: 'inbox', message_key: 'team-1@gulf-led.ae', from_address: 'karim@gulf-led.ae', to_addresses: '[]', cc_addresses: '[]', reference_keys: '[]', size_bytes: 1, attachments: '[]', received_at: asked, subject: 'Inquiry: LED panels', direction: 'inbound', auto_verdict: 'none', language: 'en', excerpt: '', created_at: asked, date_header: 'Wed, 25 Nov 2026 12:00:00 +0400' });
    gmail.addUser(h.tenant.rep.email);
    tokens = gmail.issueAddonTokens(h.tenant.rep.email);
    mail = gmail.addMessage(h.tenant.rep.email, { from: 'Karim <karim@gulf-led.ae>', to: ['info@gteam.test'], subject: 'Inquiry: LED panels', date: 'Wed, 25 Nov 2026 12:00:00 +0400', messageId: '<team-1@gulf-led.ae>' });
    other = gmail.addMessage(h.tenant.rep.email, { from: 'Newsletter <news@example.org>', to: [h.tenant.rep.email], subject: 'Our news', date: 'Wed, 25 Nov 2026 12:00:00 +0000', messageId: '<news-1@example.org>' });
  });

  afterAll(async () => {
    await h.close();
    await gmail.stop();
    await store.close();
  });

  async function opened(parts: Parameters<typeof addonEvent>[2] = {}, which = mail): Promise<AddonEvent> {
    const event = await addonEvent(h, h.tenant.rep.email, { ...parts, gmail: { messageId: which.id, threadId: which.threadId, accessToken: tokens.gmailAccessToken } });
    event.authorizationEventObject!.userOAuthToken = tokens.userOAuthToken;
    return event;
  }

  it('shows the queue\'s state, the clock, the buyer\'s time and who else is on it, with "I\'ll take it"', async () => {
    const lindaPrincipal = { tenantId: h.tenant.tenantId, userId: linda.id, email: linda.email, role: 'rep' as const, permissions: permissionsOfRole('rep'), label: linda.email, via: 'api-key' as const };
    await touchPresence(h.tenant.tdb, lindaPrincipal, conversationId, 'replying');
    const card = shownCard((await post(h, '/message', await opened())).json<AddonResponse>());
    expect(cardProblems(card)).toEqual([]);
    const team = card.sections![0]!;
    expect(team.header).toBe('Team inbox info@gteam.test');
    const text = JSON.stringify(team);
    expect(text).toContain('"text":"New"');
    expect(text).toContain('Nobody has taken it yet');
    expect(text).toMatch(/\d+ h \d+ min of business hours left/);
    expect(text).toContain('Asia/Dubai');
    expect(text).toContain('Linda is replying');
    expect(text).toContain('No notes yet.');
    expect(actions(card).filter((a) => a.path.startsWith('/message/team/'))).toEqual([
      { text: 'I’ll take it', path: '/message/team/claim', parameters: { conversation: conversationId } },
      { text: 'Hand off (draft in my Gmail)', path: '/message/team/hand-off', parameters: { conversation: conversationId } },
      { text: 'Close', path: '/message/team/state', parameters: { conversation: conversationId, action: 'close' } },
      { text: 'Assign', path: '/message/team/assign', parameters: { conversation: conversationId } },
      { text: 'Add note', path: '/message/team/note', parameters: { conversation: conversationId } },
    ]);
    // The colleagues to give it to: the inbox's members by e-mail, "nobody" first and chosen while nobody has it.
    const select = team.widgets!.find((w) => w.selectionInput?.name === 'teamAssignee')!.selectionInput!;
    expect(select.items!.map((i) => [i.text, i.value, i.selected])).toEqual([
      ['Nobody (back to the queue)', '', true],
      ['Linda (linda@gteam.test)', 'linda@gteam.test', false],
      [`Rep gteam (${h.tenant.rep.email})`, h.tenant.rep.email, false],
    ]);
    // Opening it on the card is audited like /inbox opening it.
    expect(await h.tenant.tdb.selectFrom('audit_log').select('actor_id').where('target_id', '=', conversationId).where('action', '=', 'team-conversation.open').execute()).toEqual([{ actor_id: h.tenant.rep.id }]);
  });

  it('mail of no team conversation shows no team section', async () => {
    const card = shownCard((await post(h, '/message', await opened({}, other))).json<AddonResponse>());
    expect(JSON.stringify(card)).not.toContain('Team inbox');
    expect(actions(card).some((a) => a.path.startsWith('/message/team/'))).toBe(false);
  });

  it('claims and adds a note from the card; the note is stored, never sent; an empty note is refused', async () => {
    const claimed = (await post(h, '/message/team/claim', await opened({ parameters: { conversation: conversationId } }))).json<AddonResponse>();
    expect(notification(claimed)).toBe('It’s yours.');
    expect(JSON.stringify(shownCard(claimed).sections![0])).toContain(`Handled by Rep gteam`);
    expect(await h.tenant.tdb.selectFrom('conversations').select(['assignee_id', 'state']).where('id', '=', conversationId).executeTakeFirstOrThrow()).toEqual({ assignee_id: h.tenant.rep.id, state: 'assigned' });
    const empty = (await post(h, '/message/team/note', await opened({ parameters: { conversation: conversationId }, formInputs: { teamNote: '   ' } }))).json<AddonResponse>();
    expect(notification(empty)).toBe('Write the note first.');
    const noted = (await post(h, '/message/team/note', await opened({ parameters: { conversation: conversationId }, formInputs: { teamNote: '@linda they want <b>CE</b> papers' } }))).json<AddonResponse>();
    expect(notification(noted)).toBe('Note added.');
    const section = JSON.stringify(shownCard(noted).sections![0]);
    expect(section).toContain('@linda they want &lt;b&gt;CE&lt;/b&gt; papers');
    const notes = await h.tenant.tdb.selectFrom('team_notes').select(['body', 'mentions']).where('conversation_id', '=', conversationId).execute();
    expect(notes).toEqual([{ body: '@linda they want <b>CE</b> papers', mentions: JSON.stringify([linda.id]) }]);
    // Claimed already: no claim button any more; a colleague trying gets told who has it.
    expect(actions(shownCard(noted)).map((a) => a.path)).not.toContain('/message/team/claim');
  });

  it('speaks Chinese to a Chinese Gmail', async () => {
    const card = shownCard((await post(h, '/message', await opened({ locale: 'zh-CN' }))).json<AddonResponse>());
    const team = JSON.stringify(card.sections![0]);
    expect(card.sections![0]!.header).toBe('团队收件箱 info@gteam.test');
    expect(team).toContain('已分配');
    expect(team).toContain('负责人：Rep gteam');
    expect(team).toMatch(/还有 \d+ 小时 \d+ 分钟（工作时间）/);
    expect(team).toContain('内部备注');
    expect(actions(card).find((a) => a.path === '/message/team/note')?.text).toBe('添加备注');
  });

  const state = () => h.tenant.tdb.selectFrom('conversations').select(['assignee_id', 'state']).where('id', '=', conversationId).executeTakeFirstOrThrow();
  const teamCall = async (path: string, parts: Parameters<typeof addonEvent>[2] = {}) => (await post(h, path, await opened({ ...parts, parameters: { conversation: conversationId, ...parts.parameters } }))).json<AddonResponse>();

  it('assigns to a colleague and back to the queue; someone outside the inbox is refused', async () => {
    const given = await teamCall('/message/team/assign', { formInputs: { teamAssignee: 'linda@gteam.test' } });
    expect(notification(given)).toBe('Now with Linda.');
    expect(await state()).toEqual({ assignee_id: linda.id, state: 'assigned' });
    const select = shownCard(given).sections![0]!.widgets!.find((w) => w.selectionInput)!.selectionInput!;
    expect(select.items!.find((i) => i.selected)?.value).toBe('linda@gteam.test');
    expect(notification(await teamCall('/message/team/assign', { formInputs: { teamAssignee: 'stranger@elsewhere.test' } }))).toBe('Pick a colleague who works this team inbox.');
    expect(await state()).toEqual({ assignee_id: linda.id, state: 'assigned' });
    expect(notification(await teamCall('/message/team/assign', { formInputs: { teamAssignee: '' } }))).toBe('Back in the queue.');
    expect(await state()).toEqual({ assignee_id: null, state: 'new' });
    const audit = await h.tenant.tdb.selectFrom('audit_log').select('action').where('target_id', '=', conversationId).where('action', 'in', ['team-conversation.assign', 'team-conversation.unassign']).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['team-conversation.assign', 'team-conversation.unassign']);
  });

  it('closes and reopens from the card; a closed conversation offers only "Reopen"; a stale click is told, not failed', async () => {
    const closed = await teamCall('/message/team/state', { parameters: { action: 'close' } });
    expect(notification(closed)).toBe('Closed.');
    expect((await state()).state).toBe('closed');
    const paths = actions(shownCard(closed)).filter((a) => a.path.startsWith('/message/team/')).map((a) => `${a.path} ${a.parameters.action ?? ''}`.trim());
    expect(paths).toEqual(['/message/team/state reopen', '/message/team/note']);
    // A second "Close" from a card drawn before: the state machine refuses, the rep is told in words.
    expect(notification(await teamCall('/message/team/state', { parameters: { action: 'close' } }))).toBe('That is not possible in the conversation’s current state; the card shows it as it is now.');
    expect(notification(await teamCall('/message/team/state', { parameters: { action: 'reopen' } }))).toBe('Reopened.');
    expect((await state()).state).toBe('new');
    expect(notification(await teamCall('/message/team/state', { parameters: { action: 'delete' } }))).toMatch(/parameters\.action/);
  });

  it('hands off: a reply draft in the rep\'s own Gmail, in the thread, in the buyer\'s language, with In-Reply-To and References', async () => {
    const answer = await teamCall('/message/team/hand-off');
    const opened = answer.renderActions?.hostAppAction?.gmailAction.openCreatedDraftActionMarkup;
    expect(opened?.draftThreadId).toBe(mail.threadId);
    expect(notification(answer)).toBe('Your hand-off is ready as a reply in English: read it, change what you like and send it from your own address.');
    const draft = gmail.draft(h.tenant.rep.email, opened!.draftId)!;
    const parsed = await simpleParser(draft.source!);
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('karim@gulf-led.ae');
    expect(parsed.subject).toBe('Re: Inquiry: LED panels');
    expect(parsed.inReplyTo).toBe('<team-1@gulf-led.ae>');
    expect(parsed.references).toBe('<team-1@gulf-led.ae>');
    // The store's hand-off template (the one /inbox shows), filled for this rep and this inbox.
    expect(parsed.text).toContain('I\'m Rep gteam');
    expect(parsed.text?.replace(/\s+/g, ' ')).toContain('We received your inquiry at info@gteam.test about “Inquiry: LED panels”');
    // Audited; the colleagues see the rep replying.
    expect(await h.tenant.tdb.selectFrom('audit_log').select('action').where('target_id', '=', conversationId).where('action', '=', 'team-conversation.hand-off-draft').execute()).toHaveLength(1);
    expect(await h.tenant.tdb.selectFrom('team_presence').select('activity').where('conversation_id', '=', conversationId).where('user_id', '=', h.tenant.rep.id).executeTakeFirst()).toEqual({ activity: 'replying' });

    // A second click while that draft is still a draft opens it again: no second draft.
    const drafts = () => gmail.draftIds(h.tenant.rep.email).length;
    const before = drafts();
    const again = await teamCall('/message/team/hand-off');
    expect(again.renderActions?.hostAppAction?.gmailAction.openCreatedDraftActionMarkup).toEqual({ draftId: opened!.draftId, draftThreadId: mail.threadId });
    expect(notification(again)).toBe('Your hand-off draft from before is opened again: it is still in your Drafts, not sent.');
    expect(notification(await teamCall('/message/team/hand-off', { locale: 'zh-CN' }))).toBe('已重新打开您之前起草的转交回复：它仍在草稿箱中，尚未发送。');
    expect(drafts()).toBe(before);
    // Once the rep deleted it (or sent it), the next click makes a new one.
    gmail.deleteDraft(h.tenant.rep.email, opened!.draftId);
    const fresh = (await teamCall('/message/team/hand-off')).renderActions?.hostAppAction?.gmailAction.openCreatedDraftActionMarkup;
    expect(fresh?.draftId).toBeTruthy();
    expect(fresh?.draftId).not.toBe(opened!.draftId);
    expect(drafts()).toBe(before);
  });

  it('a thread that is not the rep\'s (Gmail answers 404 for it): the draft is made outside it, still In-Reply-To the buyer', async () => {
    // Should Gmail refuse the add-on a read of the earlier draft, a new one is made (as before the check).
    gmail.failNext(1, 403, { path: /\/drafts\/[^/]+$/, method: 'GET' });
    gmail.failNext(1, 404, { path: /\/drafts$/, method: 'POST' });
    const before = gmail.draftIds(h.tenant.rep.email);
    const answer = await teamCall('/message/team/hand-off');
    const opened = answer.renderActions?.hostAppAction?.gmailAction.openCreatedDraftActionMarkup;
    expect(before).not.toContain(opened?.draftId);
    expect(opened?.draftThreadId).not.toBe(mail.threadId);
    const parsed = await simpleParser(gmail.draft(h.tenant.rep.email, opened!.draftId)!.source!);
    expect(parsed.inReplyTo).toBe('<team-1@gulf-led.ae>');
  });

  it('another rep\'s buyer: no draft, the owner named; no hand-off template: the admin is named', async () => {
    const company = await createCustomer(h.tenant.tdb, op, { name: 'Gulf LED Trading', domains: ['gulf-led.ae'], country: 'AE' });
    await h.tenant.tdb.updateTable('customers', { owner_id: linda.id }).where('id', '=', company.id).execute();
    try {
      const answer = await teamCall('/message/team/hand-off');
      expect(answer.renderActions?.hostAppAction).toBeUndefined();
      expect(notification(answer)).toBe('Linda looks after Gulf LED Trading (linda@gteam.test): hand the conversation to them, or agree with them and take it over in the web team inbox.');
      const zh = await teamCall('/message/team/hand-off', { locale: 'zh-CN' });
      expect(notification(zh)).toBe('Gulf LED Trading 由 Linda（linda@gteam.test）负责：请把会话转给对方，或与对方商定后在网页版团队收件箱中接手。');
    } finally {
      await h.tenant.tdb.updateTable('customers', { owner_id: null }).where('id', '=', company.id).execute();
    }
    await configureTeamInbox(h.tenant.tdb, op, mailboxId, { groups: [h.tenant.groupSlug], handOff: null });
    try {
      expect(notification(await teamCall('/message/team/hand-off'))).toBe('This team inbox has no hand-off template yet: an admin chooses one in the console (Mailboxes ▸ Team inboxes).');
    } finally {
      await configureTeamInbox(h.tenant.tdb, op, mailboxId, { groups: [h.tenant.groupSlug], handOff });
    }
  });

  it('warns in the compose card when a recipient is another rep\'s buyer (en, zh-CN); not for one\'s own or unowned buyers', async () => {
    const company = await createCustomer(h.tenant.tdb, op, { name: 'Acme Trading', domains: ['acme-trading.test'], country: 'AE' });
    await h.tenant.tdb.updateTable('customers', { owner_id: linda.id }).where('id', '=', company.id).execute();
    const compose = async (to: string[], locale = 'en-GB') => shownCard((await post(h, '/compose', await addonEvent(h, h.tenant.rep.email, { locale, gmail: { toRecipients: to, accessToken: 'compose-token' } }))).json<AddonResponse>());
    const card = await compose(['buyer@acme-trading.test', 'other@acme-trading.test']);
    expect(card.sections![0]!.header).toBe('Another rep’s buyer');
    // One line per company, with the owner and their address.
    expect(card.sections![0]!.widgets!.map((w) => w.textParagraph?.text)).toEqual([
      '<font color="#8a5300"><b>Linda looks after Acme Trading (linda@gteam.test)</b></font>',
      'Agree with them before you send: Gmail does not let tradepane hold the mail back.',
    ]);
    const zh = await compose(['buyer@acme-trading.test'], 'zh-CN');
    expect(zh.sections![0]!.header).toBe('其他业务员的客户');
    expect(zh.sections![0]!.widgets![0]!.textParagraph?.text).toBe('<font color="#8a5300"><b>Acme Trading 由 Linda（linda@gteam.test）负责</b></font>');
    expect(JSON.stringify((await compose(['karim@gulf-led.ae'])).sections)).not.toContain('looks after');
    await h.tenant.tdb.updateTable('customers', { owner_id: h.tenant.rep.id }).where('id', '=', company.id).execute();
    expect(JSON.stringify((await compose(['buyer@acme-trading.test'])).sections)).not.toContain('looks after');
  });
});
