import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StoreClient } from '../../client/store-client.js';
import { cacheStorage, hasOffice, officeReady } from '../office/index.js';
import { translator, uiLanguageOf } from '../i18n/index.js';
import { TaskPaneApp } from './app.js';
import { officeMailHost } from './office-mail-host.js';
import { tokenSource } from './sign-in.js';

/**
 * The task pane page. Office.js comes from Microsoft's CDN in Outlook, or from the playground's
 * stand-in (see taskpane.html); either way the pane waits for Office.onReady, then renders.
 */
async function start(): Promise<void> {
  if (hasOffice()) await officeReady().catch(() => undefined);
  const host = officeMailHost();
  const language = uiLanguageOf(host.displayLanguage());
  document.documentElement.lang = language;
  const cache = cacheStorage();
  const client = new StoreClient({ baseUrl: window.location.origin, token: tokenSource(cache) });
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TaskPaneApp services={{ client, host, cache, language, t: translator(language) }} />
    </StrictMode>,
  );
}

void start();
