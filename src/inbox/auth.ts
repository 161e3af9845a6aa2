import { browserSignIn } from '../client/browser-sign-in.js';

/** Sign-in for the team inbox: the console's (client/browser-sign-in.ts), under its own path and token key. */
export const { adoptFragmentToken, storedToken, storeToken, forgetToken, signInSettings, signInWithMicrosoft } = browserSignIn('inbox');
export type { SignInSettings } from '../client/browser-sign-in.js';
