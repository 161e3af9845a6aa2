import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { contentHash, wrapSignature } from '../../src/core/signature/index.js';
import { HANDLERS } from '../../src/outlook/events/names.js';
import { TEST_DIST } from '../support/build-faces.mjs';
import { messageState, outlookStandIn, type MessageState } from './office-stand-in.js';

/**
 * The built events.js in a stand-in for classic Outlook on Windows' older JavaScript-only runtime:
 * a fresh V8 context whose built-ins newer than ES2016 are deleted (globalThis, matchAll,
 * padStart, Object.fromEntries/entries/values, Array.prototype.flat/flatMap, trimStart/trimEnd…).
 * The handlers must still register, and the signature code must still insert and verify.
 */

const REMOVED = [
  'globalThis.globalThis',
  'String.prototype.matchAll',
  'String.prototype.padStart',
  'String.prototype.padEnd',
  'String.prototype.trimStart',
  'String.prototype.trimEnd',
  'String.prototype.replaceAll',
  'String.prototype.at',
  'Array.prototype.flat',
  'Array.prototype.flatMap',
  'Array.prototype.at',
  'Object.fromEntries',
  'Object.entries',
  'Object.values',
  'Promise.allSettled',
  'Promise.any',
];

const INNER = '<p><b>Rep</b> · Sales<br>rep@demo.tradepane.test</p>';
const HASH = contentHash(INNER);
const SIGNATURE_HTML = wrapSignature(INNER, 'standard', HASH);
const MARK = /data-tradepane-signature=/g;

type Completion = { allowEvent?: boolean; errorMessage?: string } | null;

function es2016Runtime(state: MessageState): { handlers: Record<string, (event: unknown) => unknown>; missing: Record<string, boolean> } {
  const storage = state.storage!;
  const context = createContext({
    Office: outlookStandIn(state),
    OfficeRuntime: {
      storage: {
        getItem: async (k: string) => storage.get(k) ?? null,
        setItem: async (k: string, v: string) => void storage.set(k, v),
        removeItem: async (k: string) => void storage.delete(k),
      },
    },
    console,
    setTimeout,
    clearTimeout,
    // The store is unreachable: everything that needs it must fail open.
    fetch: () => Promise.reject(new TypeError('network down')),
  });
  runInContext(`${REMOVED.map((path) => `delete ${path};`).join('\n')}`, context);
  const missing = runInContext(`({ globalThis: typeof globalThis === 'undefined', matchAll: typeof ''.matchAll === 'undefined', padStart: typeof ''.padStart === 'undefined', fromEntries: typeof Object.fromEntries === 'undefined', flat: typeof [].flat === 'undefined' })`, context) as Record<string, boolean>;
  runInContext(readFileSync(join(TEST_DIST, 'events.js'), 'utf8'), context, { filename: 'events.js' });
  return { handlers: state.associated, missing };
}

async function run(handlers: Record<string, (event: unknown) => unknown>, name: string): Promise<Completion[]> {
  const completions: Completion[] = [];
  await handlers[name]!({ completed: (options?: Completion) => completions.push(options ?? null) });
  return completions;
}

describe('events.js in an ES2016-only runtime', () => {
  const storage = new Map<string, string>();
  storage.set(
    'tradepane:signature',
    JSON.stringify({ fetchedAt: Date.now(), etag: null, signature: { signature: 'standard', html: SIGNATURE_HTML, hash: HASH, pack: 'acme', policy: { signatureOnSend: 'block', disableClientSignature: true } } }),
  );
  const state = messageState({ storage, body: '<html><body><div>Hello Hans</div></body></html>' });
  const { handlers, missing } = es2016Runtime(state);

  it('runs where the newer built-ins really are missing', () => {
    expect(missing).toEqual({ globalThis: true, matchAll: true, padStart: true, fromEntries: true, flat: true });
  });

  it('registers every handler at top level', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.values(HANDLERS).sort());
  });

  it('inserts the cached signature once, with its zero-width marker, and lets an intact mail go', async () => {
    expect(await run(handlers, 'onNewMessageComposeHandler')).toEqual([null]);
    expect((state.body.match(MARK) ?? []).length).toBe(1);
    expect(state.body).toMatch(/[\u200C\u200D]{40}/);
    expect(state.clientSignatureEnabled).toBe(false);
    expect(await run(handlers, 'onMessageSendHandler')).toEqual([{ allowEvent: true }]);
  });

  it('finds a removed signature and stops the send', async () => {
    state.body = '<html><body><div>Hello Hans</div></body></html>';
    const [completion] = await run(handlers, 'onMessageSendHandler');
    expect(completion?.allowEvent).toBe(false);
  });
});
