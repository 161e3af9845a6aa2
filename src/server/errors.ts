import type { ErrorDetail as ContractErrorDetail } from '../contract/common.js';

/** One problem of an error answer (the contract's ErrorDetail; a few errors add fields of their own). */
export type ErrorDetail = ContractErrorDetail & { [key: string]: unknown };

/** An error the API answers with its own status and a message the caller can act on. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const unauthorized = (message: string) => new AppError(401, 'unauthorized', message);
export const badRequest = (message: string, details?: ErrorDetail[]) => new AppError(400, 'bad_request', message, details);
export const conflict = (message: string, details?: ErrorDetail[]) => new AppError(409, 'conflict', message, details);
export const unprocessable = (code: string, message: string, details?: ErrorDetail[]) => new AppError(422, code, message, details);
