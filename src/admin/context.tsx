import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { AdminApi } from './api.js';
import type { Me } from '../contract/me.js';
import type { Translate, UiLanguage } from './i18n/index.js';

/** What every view needs: the API, the signed-in admin, and the UI language. */
export interface Console {
  api: AdminApi;
  me: Me;
  t: Translate;
  language: UiLanguage;
}

export const ConsoleContext = createContext<Console | null>(null);

export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the console');
  return value;
}

/** Loads something from the store; `reload` runs it again (after an action). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: Error) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // deps on purpose: the caller's, plus the reload tick
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** "2026-03-02T08:00:00.000Z" → the admin's local date and time. */
export function when(iso: string | null | undefined, language: UiLanguage): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}
