import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AdminConsole } from './app.js';
import { adoptFragmentToken } from './auth.js';

/** The admin console page, served by the store at /admin. */
adoptFragmentToken();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AdminConsole />
  </StrictMode>,
);
