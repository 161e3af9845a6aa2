/**
 * Entry of /addin/signin.html, the dialog sign-in fallback (see signin-dialog.ts). No React: a
 * line of status text is all the page shows while MSAL redirects to Microsoft and back.
 */
import { createStandardPublicClientApplication, type IPublicClientApplication } from '@azure/msal-browser';
import { hasOffice, messageParent, officeReady } from '../office/index.js';
import { addinConfig } from './config.js';
import { runSignInDialog, type RedirectSignInApp } from './signin-dialog.js';

function show(text: string): void {
  const status = document.getElementById('status');
  if (status) status.textContent = text;
}

async function createApp(options: { clientId: string; redirectUri: string }): Promise<RedirectSignInApp> {
  const app: IPublicClientApplication = await createStandardPublicClientApplication({
    auth: { clientId: options.clientId, authority: 'https://login.microsoftonline.com/common', redirectUri: options.redirectUri },
    // The dialog is its own short-lived window: nothing to keep after it closes.
    cache: { cacheLocation: 'sessionStorage' },
  });
  return app as unknown as RedirectSignInApp;
}

async function main(): Promise<void> {
  // messageParent works only once Office has initialised this page.
  if (hasOffice()) await officeReady().catch(() => undefined);
  await runSignInDialog({
    config: addinConfig(),
    pageUrl: window.location.origin + window.location.pathname,
    createApp,
    answer: (message) => {
      try {
        messageParent(message);
      } catch {
        // opened outside Office's dialog: the status line is the answer
      }
    },
    show,
  });
}

void main();
