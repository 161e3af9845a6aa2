/** A network call that took longer than the event budget allows. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * Settles with `work`, or rejects with TimeoutError after `ms`. Outlook shows "taking longer"
 * after about five seconds of an on-send check, so every network call in a handler is bounded.
 * `controller` (when the runtime has AbortController) cancels the request on timeout.
 */
export function withTimeout<T>(work: (signal: AbortSignal | undefined) => Promise<T>, ms: number, what: string): Promise<T> {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller?.abort();
      reject(new TimeoutError(`${what} took longer than ${ms} ms`));
    }, ms);
    work(controller?.signal).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
