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
    this.name = 'ApiError';
  }

  /** From a failed answer's parsed body; a body that is not the contract's shape still gives a status and a sentence. */
  static of(status: number, body: unknown, statusText = ''): ApiError {
    const error = (body as Partial<ErrorResponse> | null | undefined)?.error;
    const ok = error !== null && typeof error === 'object';
    const code = ok && typeof error.code === 'string' ? error.code : 'http_error';
    const message = ok && typeof error.message === 'string' ? error.message : `the store answered ${status}${statusText ? ` ${statusText}` : ''}`;
    const details = ok && Array.isArray(error.details) ? error.details : [];
    return new ApiError(status, code, message, details);
  }
}
