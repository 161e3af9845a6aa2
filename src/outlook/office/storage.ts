/**
 * A small key-value store for caches (the rep's signature, a token), the same in the task pane
 * and the event runtime: `OfficeRuntime.storage` where Office has it (the only storage of
 * classic Windows' JavaScript-only runtime, shared with the task pane), else `localStorage`,
 * else memory (tests, private windows that refuse storage).
 *
 * Values are strings; callers JSON-encode. Failures to store are swallowed: a cache that cannot
 * be written is a slower path, never an error for the rep.
 */
export interface CacheStorage {
  readonly kind: 'office-runtime' | 'local-storage' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

interface OfficeRuntimeStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

const PREFIX = 'tradepane:';
const memory = new Map<string, string>();

function officeRuntimeStorage(): OfficeRuntimeStorage | null {
  const storage = (globalThis as { OfficeRuntime?: { storage?: OfficeRuntimeStorage } }).OfficeRuntime?.storage;
  return storage && typeof storage.getItem === 'function' ? storage : null;
}

function browserLocalStorage(): Storage | null {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    return storage ?? null;
  } catch {
    return null; // a sandboxed frame throws on access
  }
}

export function cacheStorage(): CacheStorage {
  const runtime = officeRuntimeStorage();
  if (runtime) {
    return {
      kind: 'office-runtime',
      get: (key) => runtime.getItem(PREFIX + key).then((v) => v ?? null, () => null),
      set: (key, value) => runtime.setItem(PREFIX + key, value).catch(() => undefined),
      remove: (key) => runtime.removeItem(PREFIX + key).catch(() => undefined),
    };
  }
  const local = browserLocalStorage();
  if (local) {
    return {
      kind: 'local-storage',
      get: async (key) => {
        try {
          return local.getItem(PREFIX + key);
        } catch {
          return null;
        }
      },
      set: async (key, value) => {
        try {
          local.setItem(PREFIX + key, value);
        } catch {
          // quota or privacy mode: the cache is optional
        }
      },
      remove: async (key) => {
        try {
          local.removeItem(PREFIX + key);
        } catch {
          // as above
        }
      },
    };
  }
  return {
    kind: 'memory',
    get: async (key) => memory.get(PREFIX + key) ?? null,
    set: async (key, value) => void memory.set(PREFIX + key, value),
    remove: async (key) => void memory.delete(PREFIX + key),
  };
}
