import { useCallback, useEffect, useRef, useState } from 'react';
import { isUnreachable } from './store-errors.js';

/**
 * Actions that need the store (render, log, task, client time): a failure to reach it is not
 * the rep's fault, so it is said plainly and retried on a timer and when the browser comes back
 * online; any other failure is shown as it is. One hook, so every panel behaves the same.
 */

// The two tests live in their own module: the pane's first paint (store.ts) needs them, not the hook.
export { errorMessage, isUnreachable, refusalIn } from './store-errors.js';

export const RETRY_SECONDS = 10;

export type ActionState<T> =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; value: T }
  | { status: 'failed'; error: unknown }
  | { status: 'offline'; retryIn: number };

export function useStoreAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [state, setState] = useState<ActionState<T>>({ status: 'idle' });
  const lastArgs = useRef<A | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const actionRef = useRef(action);
  actionRef.current = action;
  const mounted = useRef(true);

  const stopTimer = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };

  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    stopTimer();
    lastArgs.current = args;
    setState({ status: 'running' });
    try {
      const value = await actionRef.current(...args);
      if (mounted.current) setState({ status: 'done', value });
      return value;
    } catch (error) {
      if (!mounted.current) return undefined;
      if (isUnreachable(error)) {
        let left = RETRY_SECONDS;
        setState({ status: 'offline', retryIn: left });
        timer.current = setInterval(() => {
          left -= 1;
          if (left <= 0) {
            stopTimer();
            if (lastArgs.current) void run(...lastArgs.current);
          } else setState({ status: 'offline', retryIn: left });
        }, 1000);
      } else {
        setState({ status: 'failed', error });
      }
      return undefined;
    }
  }, []);

  const retry = useCallback(() => {
    if (lastArgs.current) void run(...lastArgs.current);
  }, [run]);

  const reset = useCallback(() => {
    stopTimer();
    setState({ status: 'idle' });
  }, []);

  useEffect(() => {
    mounted.current = true;
    const online = () => {
      if (timer.current) retry();
    };
    window.addEventListener('online', online);
    return () => {
      mounted.current = false;
      stopTimer();
      window.removeEventListener('online', online);
    };
  }, [retry]);

  return { state, run, retry, reset };
}
