import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TeamInboxApp } from './app.js';
import { adoptFragmentToken } from './auth.js';

/** The web team inbox, served by the store at /inbox (docs/team-inbox.md). */
adoptFragmentToken();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TeamInboxApp />
  </StrictMode>,
);
