/**
 * @jest-environment jsdom
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import { browserSignIn } from '../../src/client/browser-sign-in.js';
import { startFirstLoad } from '../../src/inbox/first-load.js';

/**
 * The dev token a /dev link puts in the page's fragment: the console stores it at once; the team
 * inbox uses it from memory and stores it (and clears the fragment) once its first screen is
 * painted, so its first requests do not wait for sessionStorage and history (docs/performance.md,
 * "Team inbox").
 */
describe('browser sign-in: the fragment token', () => {
  beforeEach(() => {
    sessionStorage.clear();
    history.replaceState(null, '', '/inbox#token=tok-1');
  });

  it('is stored and cleared from the URL at once without a later', () => {
    const signIn = browserSignIn('admin');
    signIn.adoptFragmentToken();
    expect(sessionStorage.getItem('tradepane.admin.token')).toBe('tok-1');
    expect(window.location.hash).toBe('');
    expect(signIn.storedToken()).toBe('tok-1');
  });

  it('leaves the rest of the fragment: a notice link to a conversation still opens it', () => {
    history.replaceState(null, '', '/inbox#token=tok-1&conversation=c-42');
    browserSignIn('inbox').adoptFragmentToken();
    expect(sessionStorage.getItem('tradepane.inbox.token')).toBe('tok-1');
    expect(window.location.hash).toBe('#conversation=c-42');
  });

  it('is usable at once and stored only when the later runs', () => {
    const signIn = browserSignIn('inbox');
    let store: (() => void) | undefined;
    signIn.adoptFragmentToken((s) => (store = s));
    expect(signIn.storedToken()).toBe('tok-1');
    expect(sessionStorage.getItem('tradepane.inbox.token')).toBeNull();
    expect(window.location.hash).toBe('#token=tok-1');
    store!();
    expect(sessionStorage.getItem('tradepane.inbox.token')).toBe('tok-1');
    expect(window.location.hash).toBe('');
  });

  it('is not stored later when the page signed out meanwhile (a refused token)', () => {
    const signIn = browserSignIn('inbox');
    let store: (() => void) | undefined;
    signIn.adoptFragmentToken((s) => (store = s));
    signIn.forgetToken();
    store!();
    expect(signIn.storedToken()).toBeNull();
    expect(sessionStorage.getItem('tradepane.inbox.token')).toBeNull();
  });

  it('reads a token the tab already holds from sessionStorage', () => {
    history.replaceState(null, '', '/inbox');
    sessionStorage.setItem('tradepane.inbox.token', 'tok-2');
    const signIn = browserSignIn('inbox');
    signIn.adoptFragmentToken(() => undefined);
    expect(signIn.storedToken()).toBe('tok-2');
  });
});

describe('team inbox first load', () => {
  beforeEach(() => sessionStorage.clear());

  it('asks for the first screen with the fragment token before storing it; keepToken stores it once', () => {
    history.replaceState(null, '', '/inbox#token=tok-3');
    const sent: string[] = [];
    const fetched = globalThis.fetch;
    globalThis.fetch = ((url: string, init: { headers: Record<string, string> }) => {
      sent.push(`${url} ${init.headers.authorization}`);
      return new Promise<never>(() => undefined);
    }) as unknown as typeof fetch;
    try {
      const first = startFirstLoad();
      expect(sent).toEqual(['/api/v1/me Bearer tok-3', '/api/v1/team-inboxes Bearer tok-3', '/api/v1/team-conversations?list=unassigned Bearer tok-3']);
      expect(sessionStorage.getItem('tradepane.inbox.token')).toBeNull();
      expect(window.location.hash).toBe('#token=tok-3');
      first!.keepToken();
      first!.keepToken();
      expect(sessionStorage.getItem('tradepane.inbox.token')).toBe('tok-3');
      expect(window.location.hash).toBe('');
    } finally {
      globalThis.fetch = fetched;
    }
  });
});
