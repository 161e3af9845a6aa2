import Type from 'typebox';
import { closed, nullableString } from './common.js';
import { FINDING_SEVERITY, PAYMENT_POLICIES, type PaymentFindingCode } from '../core/payment/check.js';

/**
 * The payment guard (`/api/v1/me/payment-check`, `/api/v1/me/payment-verdict`,
 * `/api/v1/admin/payment-alerts`). Findings are codes with parameters (core/payment/check.ts);
 * each face words them in the rep's language.
 */

export const FINDING_CODES = Object.keys(FINDING_SEVERITY) as PaymentFindingCode[];

export const PaymentFindingView = Type.Object({
  code: Type.Enum([...FINDING_CODES]),
  severity: Type.Enum(['alert', 'notice']),
  params: Type.Record(Type.String(), Type.String()),
});
export type PaymentFindingView = Type.Static<typeof PaymentFindingView>;

export const PaymentCheckRequest = Type.Object(
  {
    body: Type.String({ maxLength: 1_048_576, description: 'the draft body as the client holds it' }),
    format: Type.Enum(['text', 'html']),
  },
  closed,
);
export type PaymentCheckRequest = Type.Static<typeof PaymentCheckRequest>;

export const PaymentCheckResponse = Type.Object({
  /** allow: send; warn: ask the rep; block: do not send. */
  action: Type.Enum(['allow', 'warn', 'block']),
  policy: Type.Enum([...PAYMENT_POLICIES]),
  findings: Type.Array(PaymentFindingView),
  /** How many of the bank details found are the company's official ones. */
  official: Type.Integer(),
});
export type PaymentCheckResponse = Type.Static<typeof PaymentCheckResponse>;

export const PaymentVerdictQuery = Type.Object({ messageId: Type.String({ minLength: 3, maxLength: 998, description: 'the Internet Message-ID, with or without angle brackets' }) }, closed);

export const PaymentVerdictView = Type.Object({
  verdict: Type.Enum(['ok', 'notice', 'suspicious']),
  findings: Type.Array(PaymentFindingView),
  from: nullableString,
  /** The company the mail speaks for (the one a look-alike imitates) and the phone number on file to confirm by. */
  company: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  phone: nullableString,
  checkedAt: Type.String(),
});
export type PaymentVerdictView = Type.Static<typeof PaymentVerdictView>;

export const PaymentVerdictResponse = Type.Object({ verdict: Type.Union([PaymentVerdictView, Type.Null()]) });
export type PaymentVerdictResponse = Type.Static<typeof PaymentVerdictResponse>;

export const PaymentAlertView = Type.Intersect([PaymentVerdictView, Type.Object({ messageId: nullableString, subject: Type.String(), receivedAt: Type.String(), mailbox: Type.String() })]);
export type PaymentAlertView = Type.Static<typeof PaymentAlertView>;
