import type { StoreClient } from '../../client/store-client.js';
import type { MySignature } from '../../contract/signatures.js';
import type { CacheStorage } from '../office/storage.js';
import { withTimeout } from './timeout.js';

/** The rep's enforced signature as the store rendered it, with the pack's on-send policy. */
export type EnforcedSignature = MySignature & { pack: string };

interface CacheEntry {
  fetchedAt: number;
  etag: string | null;
  /** null: the store said no pack enforces a signature for this rep. */
  signature: EnforcedSignature | null;
}

export type SignatureLookup =
  | { status: 'enforced'; signature: EnforcedSignature; from: 'cache' | 'store' | 'stale-cache' }
  | { status: 'none'; from: 'cache' | 'store' | 'stale-cache' }
  /** Neither a cache nor the store could say: the handlers fail open. */
  | { status: 'unknown'; reason: string };

const KEY = 'signature';

export interface SignatureSource {
  storage: CacheStorage;
  /** null when there is no token: only the cache can answer. */
  client: () => Promise<StoreClient | null>;
  now: () => number;
  /** A cached copy younger than this is used without asking the store. */
  freshForMs: number;
  timeoutMs: number;
}

async function readEntry(storage: CacheStorage): Promise<CacheEntry | null> {
  const raw = await storage.get(KEY);
  if (!raw) return null;
  try {
    const entry = JSON.parse(raw) as CacheEntry;
    return typeof entry.fetchedAt === 'number' ? entry : null;
  } catch {
    return null;
  }
}

function answer(entry: CacheEntry, from: 'cache' | 'store' | 'stale-cache'): SignatureLookup {
  return entry.signature ? { status: 'enforced', signature: entry.signature, from } : { status: 'none', from };
}

/**
 * The enforced signature from the cached copy of GET /me/signature, revalidated with its ETag
 * once it is older than `freshForMs` (a 304 costs the store three small queries). When the store
 * is slow or unreachable, a stale copy still answers.
 */
export async function lookupSignature(source: SignatureSource): Promise<SignatureLookup> {
  const cached = await readEntry(source.storage);
  if (cached && source.now() - cached.fetchedAt < source.freshForMs) return answer(cached, 'cache');
  try {
    const client = await source.client();
    if (!client) return cached ? answer(cached, 'stale-cache') : { status: 'unknown', reason: 'not signed in to the store yet' };
    const result = await withTimeout((signal) => client.mySignatureIfChanged(cached?.etag ?? undefined, signal), source.timeoutMs, 'the signature request');
    let entry: CacheEntry;
    if (result.status === 'unchanged' && cached) entry = { ...cached, fetchedAt: source.now() };
    else if (result.status === 'ok') entry = { fetchedAt: source.now(), etag: result.etag, signature: result.signature };
    else entry = { fetchedAt: source.now(), etag: null, signature: null };
    await source.storage.set(KEY, JSON.stringify(entry));
    return answer(entry, 'store');
  } catch (error) {
    if (cached) return answer(cached, 'stale-cache');
    return { status: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Drops the cached signature (sign-out, or the task pane saw a newer one). */
export function forgetSignature(storage: CacheStorage): Promise<void> {
  return storage.remove(KEY);
}
