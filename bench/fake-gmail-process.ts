/**
 * The Gmail stand-in in a process of its own, so that it does not take CPU from the worker being
 * measured (the real Gmail runs elsewhere too). Driven over IPC (bench/stand-in.ts) by
 * bench/sections/scheduler.ts and mailsync.ts. The mail-sync bench's messages are generated here
 * (`fillMailbox`), so 50,000 of them never cross the pipe.
 */
import { FakeGmail } from '../test/support/fake-gmail.js';

const gmail = new FakeGmail();
const DAY_MS = 86_400_000;

const methods: Record<string, (...args: never[]) => unknown> = {
  /** `latencyMs`: how long every call waits before it is answered (the real Gmail is ~100–300 ms away). */
  start: async (latencyMs = 0) => {
    gmail.latencyMs = latencyMs;
    await gmail.start();
    return { rootUrl: gmail.rootUrl(), tokenUrl: gmail.tokenUrl };
  },
  addServiceAccount: (email: string, publicKeyPem: string) => gmail.addServiceAccount(email, publicKeyPem),
  addUser: (email: string) => gmail.addUser(email),
  /** `count` drafts to buyer0…buyerN-1, answered in that order. */
  addDrafts: (owner: string, count: number) => Array.from({ length: count }, (_, i) => gmail.addDraft(owner, { to: [`buyer${i}@example.de`], subject: `Quotation ${i}` }).draftId),
  sendCounts: (draftIds: string[]) => draftIds.map((id) => gmail.sendsOf(id)),
  /** n messages in `owner`'s mailbox, two thirds received and one third sent, from 40 buyers over the 29 days before `now` (as the Graph stand-in's). */
  fillMailbox: (owner: string, n: number, now: number) => {
    gmail.addUser(owner);
    for (let i = 0; i < n; i++) {
      const at = now - 29 * DAY_MS + Math.floor((i * 29 * DAY_MS) / n);
      const sent = i % 3 === 2;
      const buyer = `Buyer ${i % 40} <buyer${i % 40}@customer${i % 40}.example>`;
      const text = `Please quote item ${i}, 40 pieces, delivery to the usual address.`;
      gmail.deliver(owner, {
        labelIds: sent ? ['SENT'] : ['INBOX', 'UNREAD'],
        internalDate: at,
        threadId: `t${Math.floor(i / 3)}`,
        headers: [
          { name: 'From', value: sent ? owner : buyer },
          { name: 'To', value: sent ? buyer : owner },
          { name: 'Subject', value: `${sent ? 'RE: ' : ''}RFQ ${Math.floor(i / 3)}` },
          { name: 'Date', value: new Date(at).toUTCString() },
          { name: 'Message-ID', value: `<g${i}@bench.example>` },
        ],
        payload: { mimeType: 'text/plain', body: { size: text.length, data: Buffer.from(text).toString('base64url') } },
      });
    }
  },
  stop: async () => {
    await gmail.stop();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', (message: { id: number; method: string; args: unknown[] }) => {
  void (async () => {
    try {
      const result = await methods[message.method]!(...(message.args as never[]));
      process.send!({ id: message.id, result });
    } catch (error) {
      process.send!({ id: message.id, error: (error as Error).message });
    }
  })();
});
