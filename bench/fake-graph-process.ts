/**
 * The Graph stand-in in a process of its own, so that the mail-sync bench's peak RSS and CPU are
 * the sync's, not the stand-in's (the real Graph runs elsewhere too). Driven over IPC by
 * bench/sections/mailsync.ts: { id, method, args } → { id, result } | { id, error }. The bench's
 * messages are generated here (`fillMailbox`), so 50,000 of them never cross the pipe.
 */
import { FakeGraph } from '../test/support/fake-graph.js';

const graph = new FakeGraph();
const DAY_MS = 86_400_000;

/** Messages from 40 buyers over the last 29 days, so all fall inside the 30-day backfill. */
function buyer(i: number) {
  return { name: `Buyer ${i % 40}`, address: `buyer${i % 40}@customer${i % 40}.example` };
}

const methods: Record<string, (...args: never[]) => unknown> = {
  start: async () => {
    await graph.start();
    return { url: graph.url, ca: graph.ca };
  },
  addApp: (app: { tenant: string; clientId: string; secret: string }) => graph.addApp(app),
  addMailboxes: (addresses: string[]) => addresses.forEach((a) => graph.addMailbox(a)),
  /** n messages, two thirds inbox and one third sent items, spread over the 29 days before `now`. */
  fillMailbox: (address: string, n: number, now: number) => {
    graph.addMailbox(address);
    for (let i = 0; i < n; i++) {
      const at = new Date(now - 29 * DAY_MS + Math.floor((i * 29 * DAY_MS) / n)).toISOString();
      const sent = i % 3 === 2;
      graph.addMessage(address, {
        folder: sent ? 'sentitems' : 'inbox',
        internetMessageId: `<m${i}@bench.example>`,
        internetMessageHeaders: sent ? [] : [{ name: 'Date', value: new Date(at).toUTCString() }],
        conversationId: `c${Math.floor(i / 3)}`,
        from: sent ? { address } : buyer(i),
        to: [sent ? buyer(i) : { address }],
        subject: `${sent ? 'RE: ' : ''}RFQ ${Math.floor(i / 3)}`,
        receivedDateTime: at,
        sentDateTime: at,
        body: `Please quote item ${i}, 40 pieces, delivery to the usual address.`,
      });
    }
  },
  rss: () => process.memoryUsage.rss(),
  stop: async () => {
    await graph.stop();
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
