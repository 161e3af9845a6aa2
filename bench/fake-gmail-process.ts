/**
 * The Gmail stand-in in a process of its own, so that in the scheduler bench it does not take
 * CPU from the worker being measured (the real Gmail runs elsewhere too). Driven over IPC by
 * bench/sections/scheduler.ts: { id, method, args } → { id, result } | { id, error }.
 */
import { FakeGmail } from '../test/support/fake-gmail.js';

const gmail = new FakeGmail();

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
