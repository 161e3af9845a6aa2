import { ApiError } from '../../client/api-error.js';

/** fetch rejects with a TypeError when nothing answers; a proxy or load balancer answers 502–504. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 502 || error.status === 503 || error.status === 504;
  return error instanceof TypeError;
}

/** What a failure says, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
