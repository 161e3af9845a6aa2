import { addToSummary, autoReplyVerdict, decideConversation, directionOf, isUnanswered, threadKeys, type AutoVerdict, type ThreadableMessage, type ThreadDecision } from '../../../src/core/conversation/index.js';

/**
 * A stand-in for the store's side of threading: it keeps messages and conversations in memory
 * and gathers the evidence the way the sync engine's queries do, so the table below exercises
 * the one rule in src/core/conversation.
 */
const OWN_DOMAIN = 'ourco.example';
const isOwn = (a: string) => a.endsWith(`@${OWN_DOMAIN}`);
const DAY = 86_400_000;

class Threads {
  private messages: Array<{ keys: (string | null)[]; refs: string[]; conversationId: string; bulk: boolean; mailbox: string; providerThreadId: string | null }> = [];
  private conversations = new Map<string, { participants: Set<string>; lastMessageAt: string; subjectKey: string }>();
  private next = 1;

  add(name: string, m: Partial<ThreadableMessage> & { subject: string; from: string; receivedAt: string }, mailbox = 'box'): ThreadDecision & { conversation: string } {
    const message: ThreadableMessage = { messageId: `<${name}@mail.example>`, inReplyTo: null, references: [], providerThreadId: null, to: [], cc: [], verdict: 'none', ...m };
    const keys = threadKeys(message, isOwn);
    const referenced = this.messages.flatMap((s) => s.keys.filter((k): k is string => k !== null && keys.referenceKeys.includes(k)).map((key) => ({ key, conversationId: s.conversationId, bulk: s.bulk })));
    const children = this.messages.filter((s) => keys.messageKey && s.refs.includes(keys.messageKey)).map((s) => s.conversationId);
    const providerThread = message.providerThreadId ? this.messages.find((s) => s.mailbox === mailbox && s.providerThreadId === message.providerThreadId)?.conversationId ?? null : null;
    const subjectCandidates = [...this.conversations].filter(([, c]) => c.subjectKey === keys.subjectKey).map(([id]) => id);
    const conversations = [...this.conversations].map(([conversationId, c]) => ({ conversationId, participants: [...c.participants], lastMessageAt: c.lastMessageAt }));
    const decision = decideConversation(keys, { referenced, children, providerThread, conversations, subjectCandidates }, message, 30 * DAY);
    const bulk = message.verdict === 'bulk';
    const id = decision.conversationId ?? `c${this.next++}`;
    const c = this.conversations.get(id) ?? { participants: new Set<string>(), lastMessageAt: message.receivedAt, subjectKey: keys.subjectKey };
    if (!bulk) keys.participants.forEach((p) => c.participants.add(p));
    if (message.receivedAt > c.lastMessageAt) c.lastMessageAt = message.receivedAt;
    this.conversations.set(id, c);
    this.messages.push({ keys: [keys.messageKey, keys.secondKey], refs: keys.referenceKeys, conversationId: id, bulk, mailbox, providerThreadId: message.providerThreadId });
    return { ...decision, conversation: id };
  }
}

const at = (day: number) => new Date(Date.UTC(2026, 10, 1) + day * DAY).toISOString();

describe('threading', () => {
  it('a reply joins by In-Reply-To, and one whose References are broken still joins by the id it does carry', () => {
    const t = new Threads();
    const first = t.add('q1', { subject: 'Quotation for LED panels', from: 'linda@ourco.example', to: ['ali@gulf-trading.example'], receivedAt: at(0) });
    const reply = t.add('r1', { subject: 'RE: Quotation for LED panels', from: 'ali@gulf-trading.example', to: ['linda@ourco.example'], inReplyTo: '<q1@mail.example>', references: ['<q1@mail.example>'], receivedAt: at(1) });
    // A client that mangled the header: no In-Reply-To, a cut-off id, an unknown one, then the real one.
    const broken = t.add('r2', { subject: 'AW: WG: Quotation', from: 'ali@gulf-trading.example', references: ['<q1@mail.example>', '<garbage', '<unknown@else.example>'], receivedAt: at(2) });
    expect(first.by).toBe('new');
    expect(reply).toMatchObject({ conversation: first.conversation, by: 'reference' });
    expect(broken).toMatchObject({ conversation: first.conversation, by: 'reference' });
  });

  it('a buyer answering in a new mail with the same subject joins by subject and participant, also a colleague at the same company', () => {
    const t = new Threads();
    const first = t.add('q1', { subject: 'Quotation for LED panels', from: 'linda@ourco.example', to: ['ali@gulf-trading.example'], receivedAt: at(0) });
    const fresh = t.add('n1', { subject: '回复：Quotation for LED panels', from: 'ali@gulf-trading.example', to: ['linda@ourco.example'], receivedAt: at(3) });
    const colleague = t.add('n2', { subject: 'Quotation for LED panels', from: 'omar@gulf-trading.example', to: ['linda@ourco.example'], receivedAt: at(4) });
    expect(fresh).toMatchObject({ conversation: first.conversation, by: 'subject' });
    expect(colleague).toMatchObject({ conversation: first.conversation, by: 'subject' });
  });

  it('the same subject does not merge another company, two free-mail senders, a weak subject, or mail outside the window', () => {
    const t = new Threads();
    const first = t.add('q1', { subject: 'Quotation for LED panels', from: 'linda@ourco.example', to: ['ali@gulf-trading.example', 'buyer1@gmail.com'], receivedAt: at(0) });
    expect(t.add('o1', { subject: 'Re: Quotation for LED panels', from: 'jan@other-buyer.example', receivedAt: at(1) }).by).toBe('new');
    expect(t.add('o2', { subject: 'Re: Quotation for LED panels', from: 'buyer2@gmail.com', receivedAt: at(1) }).by).toBe('new');
    const late = t.add('o3', { subject: 'Quotation for LED panels', from: 'ali@gulf-trading.example', receivedAt: at(45) });
    expect(late.by).toBe('new');
    expect(late.conversation).not.toBe(first.conversation);
    const weak1 = t.add('w1', { subject: 'Inquiry', from: 'a@buyer-x.example', to: ['info@ourco.example'], receivedAt: at(2) });
    expect(t.add('w2', { subject: 'RE: inquiry', from: 'b@buyer-x.example', to: ['info@ourco.example'], receivedAt: at(2) }).conversation).not.toBe(weak1.conversation);
  });

  it('a forwarded quotation to a supplier is a new conversation even though it references the buyer mail', () => {
    const t = new Threads();
    const buyer = t.add('b1', { subject: 'Need 500 units', from: 'ali@gulf-trading.example', to: ['linda@ourco.example'], receivedAt: at(0) });
    const forward = t.add('f1', { subject: 'Fwd: Need 500 units', from: 'linda@ourco.example', to: ['sales@factory.example'], references: ['<b1@mail.example>'], inReplyTo: '<b1@mail.example>', receivedAt: at(1) });
    const forwardToBuyerColleague = t.add('f2', { subject: '转发：Need 500 units', from: 'linda@ourco.example', to: ['omar@gulf-trading.example'], references: ['<b1@mail.example>'], receivedAt: at(1) });
    expect(forward.by).toBe('new');
    expect(forward.conversation).not.toBe(buyer.conversation);
    expect(forwardToBuyerColleague).toMatchObject({ conversation: buyer.conversation, by: 'reference' });
  });

  it('replies to bulk mail do not merge: each buyer answering the newsletter gets a conversation of their own', () => {
    const t = new Threads();
    t.add('news', { subject: 'New catalogue 2027', from: 'marketing@ourco.example', to: ['a@buyer-a.example', 'b@buyer-b.example'], receivedAt: at(0), verdict: 'bulk' });
    const a = t.add('ra', { subject: 'Re: New catalogue 2027', from: 'a@buyer-a.example', inReplyTo: '<news@mail.example>', references: ['<news@mail.example>'], receivedAt: at(1) });
    const b = t.add('rb', { subject: 'Re: New catalogue 2027', from: 'b@buyer-b.example', inReplyTo: '<news@mail.example>', references: ['<news@mail.example>'], receivedAt: at(1) });
    const answerToA = t.add('ua', { subject: 'Re: New catalogue 2027', from: 'linda@ourco.example', to: ['a@buyer-a.example'], inReplyTo: '<ra@mail.example>', references: ['<news@mail.example>', '<ra@mail.example>'], receivedAt: at(2) });
    expect(new Set([a.conversation, b.conversation]).size).toBe(2);
    expect(answerToA.conversation).toBe(a.conversation);
  });

  it('Exchange rewrote the sent Message-ID: the buyer replying to the original id finds it by the second key', () => {
    const t = new Threads();
    const sent = t.add('rewritten', { messageId: '<DB9PR01MB1234.eurprd01.prod.outlook.com>', secondId: '<original-1@ourco.example>', subject: 'Proforma invoice PI-77', from: 'linda@ourco.example', to: ['ali@gulf-trading.example'], receivedAt: at(0) });
    const reply = t.add('r', { subject: 'Re: PI', from: 'ali@gulf-trading.example', inReplyTo: '<original-1@ourco.example>', receivedAt: at(1) });
    expect(reply).toMatchObject({ conversation: sent.conversation, by: 'reference' });
  });

  it('a reply that arrived before its original pulls the original in; a provider thread id joins without headers', () => {
    const t = new Threads();
    const reply = t.add('late-reply', { subject: 'Re: Samples', from: 'ali@gulf-trading.example', inReplyTo: '<orig@mail.example>', receivedAt: at(2) });
    const original = t.add('orig', { subject: 'Samples', from: 'linda@ourco.example', to: ['ali@gulf-trading.example'], receivedAt: at(1) });
    expect(original).toMatchObject({ conversation: reply.conversation, by: 'child' });
    const g1 = t.add('g1', { subject: 'Shipping', from: 'ali@gulf-trading.example', providerThreadId: 'thread-9', receivedAt: at(3) });
    const g2 = t.add('g2', { subject: 'Something else entirely', from: 'linda@ourco.example', to: ['ali@gulf-trading.example'], providerThreadId: 'thread-9', receivedAt: at(3) });
    const otherMailbox = t.add('g3', { subject: 'Other', from: 'ali@gulf-trading.example', providerThreadId: 'thread-9', receivedAt: at(3) }, 'another-box');
    expect(g2).toMatchObject({ conversation: g1.conversation, by: 'provider-thread' });
    expect(otherMailbox.by).toBe('new');
  });
});

describe('automatic mail', () => {
  const cases: Array<[string, Parameters<typeof autoReplyVerdict>[0], AutoVerdict]> = [
    ['a person', { subject: 'Re: Quotation', from: 'ali@gulf.example' }, 'none'],
    ['RFC 3834 Auto-Submitted', { subject: 'Quotation', autoSubmitted: 'auto-replied' }, 'auto-reply'],
    ['Auto-Submitted: no is a person', { subject: 'Quotation', autoSubmitted: 'no' }, 'none'],
    ['X-Autoreply', { subject: 'Quotation', xAutoreply: 'yes' }, 'auto-reply'],
    ['X-Autorespond', { subject: 'Quotation', xAutorespond: 'Auto' }, 'auto-reply'],
    ['Precedence auto_reply', { subject: 'Quotation', precedence: 'auto_reply' }, 'auto-reply'],
    ['Precedence bulk', { subject: 'News', precedence: 'bulk' }, 'bulk'],
    ['Precedence list', { subject: 'News', precedence: 'list' }, 'bulk'],
    ['Precedence junk', { subject: 'News', precedence: 'junk' }, 'bulk'],
    ['List-Id', { subject: 'News', listId: '<news.list.example>' }, 'bulk'],
    ['a bounce report', { subject: 'Undelivered', contentType: 'multipart/report; report-type=delivery-status; boundary="x"' }, 'bounce'],
    ['a read receipt', { subject: 'Read: Quotation', contentType: 'multipart/report; report-type="disposition-notification"' }, 'receipt'],
    ['mailer-daemon', { subject: 'failure', from: 'MAILER-DAEMON@mx.example' }, 'bounce'],
    ['Exchange NDR subject', { subject: 'Undeliverable: Quotation' }, 'bounce'],
    ['Chinese bounce subject', { subject: '系统退信：Quotation' }, 'bounce'],
    ['English Outlook', { subject: 'Automatic reply: Quotation for LED panels' }, 'auto-reply'],
    ['English OOO', { subject: 'Out of Office: back on Monday' }, 'auto-reply'],
    ['Chinese', { subject: '自动回复: 询价' }, 'auto-reply'],
    ['Traditional Chinese', { subject: '自動回覆：報價' }, 'auto-reply'],
    ['Spanish', { subject: 'Respuesta automática: Cotización' }, 'auto-reply'],
    ['Arabic', { subject: 'رد تلقائي: عرض سعر' }, 'auto-reply'],
    ['German', { subject: 'Abwesenheitsnotiz: Angebot' }, 'auto-reply'],
    ['German Outlook', { subject: 'Automatische Antwort: Angebot' }, 'auto-reply'],
    ['French', { subject: 'Réponse automatique : Devis' }, 'auto-reply'],
    ['Portuguese', { subject: 'Resposta automática: Cotação' }, 'auto-reply'],
    ['Russian', { subject: 'Автоматический ответ: Заказ' }, 'auto-reply'],
    ['a person answering a notice', { subject: 'Re: Automatic reply: Quotation' }, 'none'],
  ];
  it.each(cases)('%s', (_name, input, verdict) => {
    expect(autoReplyVerdict(input)).toBe(verdict);
  });
});

describe('direction and who wrote last', () => {
  it('reads direction from the sender and the recipients', () => {
    expect(directionOf({ from: 'ali@gulf.example', to: ['linda@ourco.example'], cc: [] }, 'inbox', isOwn)).toBe('inbound');
    expect(directionOf({ from: 'Linda@OurCo.example', to: ['ali@gulf.example'], cc: [] }, 'inbox', isOwn)).toBe('outbound');
    expect(directionOf({ from: 'linda@ourco.example', to: ['tom@ourco.example'], cc: [] }, 'sent', isOwn)).toBe('internal');
    expect(directionOf({ from: 'alias@elsewhere.example', to: ['ali@gulf.example'], cc: [] }, 'sent', isOwn)).toBe('outbound');
  });

  it('auto-replies and internal mail never change who wrote last; out-of-order arrival is settled by the instants', () => {
    let s = addToSummary(null, { receivedAt: at(1), direction: 'inbound', verdict: 'none' });
    expect(s.lastWriter).toBe('buyer');
    s = addToSummary(s, { receivedAt: at(2), direction: 'inbound', verdict: 'auto-reply' });
    s = addToSummary(s, { receivedAt: at(2), direction: 'internal', verdict: 'none' });
    expect(s).toMatchObject({ lastWriter: 'buyer', lastInboundAt: at(1), lastOutboundAt: null, messageCount: 3, inboundCount: 1 });
    s = addToSummary(s, { receivedAt: at(3), direction: 'outbound', verdict: 'none' });
    expect(s.lastWriter).toBe('us');
    s = addToSummary(s, { receivedAt: at(0), direction: 'inbound', verdict: 'none' }); // an older mail found by the backfill
    expect(s).toMatchObject({ lastWriter: 'us', firstMessageAt: at(0), lastMessageAt: at(3) });
    expect(isUnanswered(s, at(10))).toBe(false);
    expect(isUnanswered({ lastWriter: 'buyer', lastInboundAt: at(1) }, at(2))).toBe(true);
    expect(isUnanswered({ lastWriter: 'buyer', lastInboundAt: at(3) }, at(2))).toBe(false);
  });
});

describe('subject keys', () => {
  it.each([
    ['RE: Re[2]: FW: Quotation', 'quotation'],
    ['回复：转发：报价单', '报价单'],
    ['AW: WG: Angebot  Nr. 5', 'angebot nr. 5'],
    ['RV: Enc: Cotização', 'cotização'],
    ['[EXTERNAL] RE: Samples', 'samples'],
    ['【外部邮件】回覆: 樣品', '樣品'],
    ['Re:', ''],
    ['Rebate offer', 'rebate offer'],
  ])('%s → %s', async (subject, key) => {
    const { subjectKey } = await import('../../../src/core/conversation/subject.js');
    expect(subjectKey(subject)).toBe(key);
  });
});
