import type { AdapterFactory } from '../../src/server/mail/sync.js';
import type { FetchedMessage, MailboxAdapter } from '../../src/server/mail/types.js';

/**
 * A mailbox held in memory, for engine tests that are about the engine (hooks, purges), not a
 * provider: `mails` is the server's content in arrival order; the cursor is how many were handed
 * out. Push to `mails` to deliver. Every adapter built by `factory` reads the same list.
 */
export function memoryMailbox(): { mails: FetchedMessage[]; factory: AdapterFactory } {
  const mails: FetchedMessage[] = [];
  const factory: AdapterFactory = () => {
    const adapter: MailboxAdapter = {
      provider: 'graph',
      test: async () => ({ address: 'memory', folders: ['inbox', 'sent'] }),
      close: async () => undefined,
      nextPage: async (cursor, options) => {
        const start = cursor ? (JSON.parse(cursor) as { n: number }).n : 0;
        const page = mails.slice(start, start + options.pageSize);
        const n = start + page.length;
        return { messages: page, cursor: JSON.stringify({ n }), caughtUp: n >= mails.length, remaining: mails.length - n };
      },
    };
    return adapter;
  };
  return { mails, factory };
}

/** An inbound mail from a buyer, received `at`. */
export function fetchedMail(id: string, at: Date, extra: Partial<FetchedMessage> = {}): FetchedMessage {
  return {
    providerId: `p-${id}`,
    folder: 'inbox',
    messageId: `<${id}>`,
    inReplyTo: null,
    references: [],
    providerThreadId: null,
    from: { address: 'ali@gulf-trading.example', name: 'Ali Hassan' },
    replyTo: [],
    to: [{ address: 'info@acme.example' }],
    cc: [],
    dateHeader: null,
    receivedAt: at.toISOString(),
    subject: `Inquiry ${id}`,
    sizeBytes: 100,
    attachments: [],
    autoHeaders: {},
    textBody: `Hello, please quote for order ${id}.`,
    ...extra,
  };
}
