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
