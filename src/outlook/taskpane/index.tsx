import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StoreClient } from '../../client/store-client.js';
import { cacheStorage, hasOffice, officeReady } from '../office/index.js';
import { translator, uiLanguageOf } from '../i18n/index.js';
import { TaskPaneApp } from './app.js';
import { officeMailHost } from './office-mail-host.js';
import { tokenSource } from './sign-in.js';
import { templatesOwner, useTemplates } from './store.js';

// The list a rep opens the pane for needs the templates panel's chunk and the rep's packs: both
// start here, beside Office.onReady and React's first render, not one after the other behind them
// (docs/performance.md, "Where the task pane's time goes").
void import('./panels/templates-panel.js').catch(() => undefined);

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
  // The shell asks for the same load once mounted and joins this one.
  void useTemplates.getState().load(client, cache, templatesOwner(host));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TaskPaneApp services={{ client, host, cache, language, t: translator(language) }} />
    </StrictMode>,
  );
}

void start();
