import { create } from 'zustand';
import type { StoreClient } from '../../client/store-client.js';
import type { PublishedPack, TemplateUses } from '../../contract/me.js';
import type { PackTemplate } from '../../core/pack/schema.js';
import type { PaneCache } from './pane-context.js';
import { isUnreachable } from './store-errors.js';
import type { MailHost, MailItem } from './mail-host.js';

/**
 * The task pane's state, one small store per concern (zustand): the rep's templates and the
 * open mail item. No store knows Office.js; the panels hand them the services they need.
 */

interface CachedPacks {
  savedAt: string;
  packs: PublishedPack[];
  personal?: PackTemplate[];
}

type Uses = TemplateUses['uses'];

export interface TemplatesState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  packs: PublishedPack[];
  /** The rep's own templates (listed with the packs, as in Gmail). */
  personal: PackTemplate[];
  /** The rep's use counts, which rank their search. */
  uses: Uses;
  /** The store could not be reached: what is shown comes from the cache (or nothing). */
  offline: boolean;
  /** When the shown packs were fetched, if they came from the cache. */
  cachedAt: string | undefined;
  /** Why the last load failed (what the store or fetch threw). */
  error: unknown;
  /** The rep's packs for this client and owner: joins the load under way, or keeps the one that already succeeded. */
  load(client: StoreClient, cache: PaneCache, who: string): Promise<void>;
  /** Asks the store again (the offline banner's Retry), unless a load is under way. */
  reload(client: StoreClient, cache: PaneCache, who: string): Promise<void>;
}

export const packsCacheKey = (who: string) => `packs:${who.toLowerCase()}`;

/** Whose templates the pane shows (and caches under): the signed-in mailbox's address. */
export const templatesOwner = (host: Pick<MailHost, 'me'>) => host.me().address || 'me';

/**
 * The last load: the pane starts one before its first render (index.tsx), and the shell asks again
 * once mounted, which joins it or, when the packs came first (boot.ts asked for them before the
 * page's code ran), keeps what it got rather than asking the store a second time.
 */
let last: { client: StoreClient; key: string; done: Promise<void>; settled: boolean } | undefined;

function startLoad(client: StoreClient, cache: PaneCache, key: string): Promise<void> {
  const load = { client, key, settled: false, done: Promise.resolve() };
  load.done = loadPacks(client, cache, key).finally(() => (load.settled = true));
  last = load;
  return load.done;
}

export const useTemplates = create<TemplatesState>(() => ({
  status: 'idle',
  packs: [],
  personal: [],
  uses: [],
  offline: false,
  cachedAt: undefined,
  error: undefined,
  load(client, cache, who) {
    const key = packsCacheKey(who);
    const succeeded = () => useTemplates.getState().status === 'ready' && !useTemplates.getState().offline;
    if (last && last.client === client && last.key === key && (!last.settled || succeeded())) return last.done;
    return startLoad(client, cache, key);
  },
  reload(client, cache, who) {
    const key = packsCacheKey(who);
    if (last && last.client === client && last.key === key && !last.settled) return last.done;
    return startLoad(client, cache, key);
  },
}));

async function loadPacks(client: StoreClient, cache: PaneCache, key: string): Promise<void> {
  const { getState: get, setState: set } = useTemplates;
  // The cached list paints at once (and is all there is offline); the store's answer replaces it.
  if (get().packs.length === 0) {
    const cached = await cache.get(key).catch(() => null);
    if (cached) {
      try {
        const parsed = JSON.parse(cached) as CachedPacks;
        set({ status: 'ready', packs: parsed.packs, personal: parsed.personal ?? [], cachedAt: parsed.savedAt });
      } catch {
        // a damaged cache is as good as none
      }
    }
  }
  if (get().status !== 'ready') set({ status: 'loading' });
  try {
    const packs = await client.myPacks();
    // Personal templates come with the packs; use counts only rank, so a failure there costs nothing.
    const personal = await client.myPersonalTemplates().catch(() => get().personal);
    set({ status: 'ready', packs, personal, offline: false, cachedAt: undefined, error: undefined });
    void cache.set(key, JSON.stringify({ savedAt: new Date().toISOString(), packs, personal } satisfies CachedPacks));
    void client.myTemplateUses().then((uses) => set({ uses }), () => undefined);
  } catch (error) {
    const offline = isUnreachable(error);
    if (get().status === 'ready' && offline) set({ offline: true });
    else set({ status: 'error', offline, error });
  }
}

export interface ItemState {
  item: MailItem | undefined;
  /** Bumped on every ItemChanged, so panels keyed on it start afresh for the new item. */
  generation: number;
  setItem(item: MailItem): void;
}

export const useItem = create<ItemState>((set) => ({
  item: undefined,
  generation: 0,
  setItem: (item) => set((s) => ({ item, generation: s.generation + 1 })),
}));
