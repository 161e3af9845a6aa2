import { create } from 'zustand';
import type { PublishedPack, StoreClient } from '../../client/store-client.js';

/** Task pane state for the template list: one small store, actions beside the state. */
export interface TemplatesState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  packs: PublishedPack[];
  error: string | undefined;
  load(client: StoreClient): Promise<void>;
}

export const useTemplates = create<TemplatesState>((set) => ({
  status: 'idle',
  packs: [],
  error: undefined,
  async load(client) {
    set({ status: 'loading', error: undefined });
    try {
      set({ status: 'ready', packs: await client.myPacks() });
    } catch (error) {
      set({ status: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  },
}));
