import { refusalKind } from '../../client/api-error.js';
import type { Translate } from '../i18n/index.js';

/** fetch rejects with a TypeError when nothing answers; a proxy or load balancer answers 502–504. */
export function isUnreachable(error: unknown): boolean {
  return refusalKind(error) === 'unreachable';
}

/** A failure in the rep's words: what kind of "no" it is (core/i18n/refusals.ts), then what the store or the browser said. */
export function refusalIn(t: Translate, error: unknown): string {
  return t('refusal.withDetail', { what: t(`refusal.${refusalKind(error)}`), detail: errorMessage(error) });
}

/** What a failure says, whatever was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
