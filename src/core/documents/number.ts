import type { DocumentKind } from './labels.js';

/** Each kind's number prefix: PI-2026-0001, Q-2026-0001. */
export const DOCUMENT_PREFIX: Record<DocumentKind, string> = { proforma: 'PI', quotation: 'Q' };

/** The printed number for the `sequence`-th document of `kind` in `year`: at least four digits, more when a year needs them. */
export function documentNumber(kind: DocumentKind, year: number, sequence: number): string {
  return `${DOCUMENT_PREFIX[kind]}-${year}-${String(sequence).padStart(4, '0')}`;
}
