import type { ErrorDetail, ErrorResponse } from '../contract/common.js';

/**
 * What every face's client throws when the store says no: the contract's ErrorResponse
 * (`{error: {code, message, details}}`) with the HTTP status. One class, so the Outlook pane, the
 * event handlers and the console test `instanceof ApiError` and read `details` field by field.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Where and what (for 422 missing_values: each missing value, with its label). */
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** From a failed answer's parsed body (anything else still gives the status in words). */
  static of(status: number, body: unknown, statusText = ''): ApiError {
    const error = (body as Partial<ErrorResponse> | null)?.error;
    return new ApiError(status, error?.code ?? 'http_error', error?.message ?? `the store answered ${status} ${statusText}`.trim(), error?.details ?? []);
  }
}

/**
 * What kind of "no" a failure is, for the faces to say in the person's language (the store's
 * own message is English and specific; it is shown beside this). Nothing answered (fetch's
 * TypeError) or a proxy's 502–504 is `unreachable`: the store is not there, as opposed to refusing.
 */
export type RefusalKind = 'unreachable' | 'signed-out' | 'forbidden' | 'not-found' | 'conflict' | 'invalid' | 'too-large' | 'too-many' | 'store-failed' | 'other';

export function refusalKind(error: unknown): RefusalKind {
  if (!(error instanceof ApiError)) return error instanceof TypeError ? 'unreachable' : 'other';
  const { status } = error;
  if (status === 502 || status === 503 || status === 504) return 'unreachable';
  if (status === 401) return 'signed-out';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 429) return 'too-many';
  if (status === 400 || status === 422) return 'invalid';
  return status >= 500 ? 'store-failed' : 'other';
}
