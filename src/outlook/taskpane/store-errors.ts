import { refusalKind } from '../../client/api-error.js';

/** fetch rejects with a TypeError when nothing answers; a proxy or load balancer answers 502–504. */
export function isUnreachable(error: unknown): boolean {
  return refusalKind(error) === 'unreachable';
}

/** What a failure says, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
