import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
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

/**
 * Loads something from the store; `reload` runs it again (after an action) and resolves once the
 * new answer is on screen, so an action can say "done" when the list already shows it.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => Promise<void> } {
  const [state, setState] = useState<{ data: T | undefined; error: Error | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  // Callers of reload() waiting for the next load that is not superseded by another; once it has
  // answered, released after React has committed that answer (the effect below).
  const waiting = useRef<(() => void)[]>([]);
  const answered = useRef<(() => void)[]>([]);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const settle = (next: { data: T | undefined; error: Error | undefined }) => {
      if (!live) return;
      answered.current.push(...waiting.current.splice(0));
      setState({ ...next, loading: false });
    };
    load().then(
      (data) => settle({ data, error: undefined }),
      (error: Error) => settle({ data: undefined, error }),
    );
    return () => {
      live = false;
    };
    // deps on purpose: the caller's, plus the reload tick
  }, [...deps, tick]);
  useEffect(() => {
    for (const done of answered.current.splice(0)) done();
  }, [state]);
  // Unmounted: nobody will load again, let the waiting actions finish.
  useEffect(
    () => () => {
      for (const done of [...answered.current.splice(0), ...waiting.current.splice(0)]) done();
    },
    [],
  );
  const reload = useCallback(
    () =>
      new Promise<void>((resolve) => {
        waiting.current.push(resolve);
        setTick((n) => n + 1);
      }),
    [],
  );
  return { ...state, reload };
}

/** "2026-03-02T08:00:00.000Z" → the admin's local date and time. */
export function when(iso: string | null | undefined, language: UiLanguage): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}
