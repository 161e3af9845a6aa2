import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StoreClient } from '../../client/store-client.js';
import { cacheStorage, hasOffice, officeReady } from '../office/index.js';
import { uiLanguageOf } from '../../core/i18n/index.js';
import { loadTranslator } from '../i18n/load.js';
import { earlyPacks } from './boot.js';
import { TaskPaneApp, preloadViews } from './app.js';
import { officeMailHost } from './office-mail-host.js';
import { tokenSource } from './sign-in.js';
import { templatesOwner, useTemplates } from './store.js';

/**
 * The task pane page. Office.js comes from Microsoft's CDN in Outlook, or from the playground's
 * stand-in (see taskpane.html); either way the pane waits for Office.onReady, then renders. The
 * rep's packs were asked for before this code even loaded, when a token was at hand (boot.ts).
 * The views' and the templates panel's chunks are asked for first, so they load while Office
 * gets ready; the words of a Chinese Office are their own chunk, fetched once the language is known.
 */
async function start(): Promise<void> {
  preloadViews();
  if (hasOffice()) await officeReady().catch(() => undefined);
  const host = officeMailHost();
  const language = uiLanguageOf(host.displayLanguage());
  document.documentElement.lang = language;
  const cache = cacheStorage();
  const client = new StoreClient({ baseUrl: window.location.origin, token: tokenSource(cache), earlyPacks });
  // The rep's packs are asked for before the words and the first render, not after them; the
  // shell asks for the same load once mounted and joins this one.
  void useTemplates.getState().load(client, cache, templatesOwner(host));
  const t = await loadTranslator(language);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TaskPaneApp services={{ client, host, cache, language, t }} />
    </StrictMode>,
  );
}

void start();
