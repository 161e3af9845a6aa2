/// <reference types="office-js" />
import { OfficeError } from './errors.js';

type Callback<T> = (result: Office.AsyncResult<T>) => void;

/**
 * Runs one callback-style Office API and settles with its value, or rejects with an
 * OfficeError carrying Office's code and message when `status` is "failed". A method that
 * throws synchronously (wrong mode, API missing in this client) rejects too.
 */
export function officeCall<T>(start: (callback: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((result) => {
        if (!result || String(result.status) === 'failed') {
          const error = result?.error;
          reject(new OfficeError(error?.code ?? 'unknown', error?.message || 'Office reported a failure without a message', error?.name));
          return;
        }
        resolve(result.value);
      });
    } catch (e) {
      reject(e instanceof Error ? e : new OfficeError('unknown', String(e)));
    }
  });
}
