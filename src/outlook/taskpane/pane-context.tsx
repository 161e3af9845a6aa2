import { createContext, useContext } from 'react';
import type { StoreClient } from '../../client/store-client.js';
import type { Translate, UiLanguage } from '../i18n/index.js';
import type { MailHost } from './mail-host.js';

/** A small string cache (the Office adapter's cacheStorage in Outlook, a Map in tests). */
export interface PaneCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** What every panel gets: the store, the mail client, the words, and a cache for offline use. */
export interface PaneServices {
  client: StoreClient;
  host: MailHost;
  cache: PaneCache;
  language: UiLanguage;
  t: Translate;
}

const PaneContext = createContext<PaneServices | null>(null);

export const PaneProvider = PaneContext.Provider;

export function usePane(): PaneServices {
  const services = useContext(PaneContext);
  if (!services) throw new Error('usePane outside <PaneProvider>');
  return services;
}
