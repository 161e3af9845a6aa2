import Type from 'typebox';
import { closed, nullable } from './common.js';

/** Enforced signatures: mine (`/me/signature`), what my on-send check saw, and the console's compliance view. */

export const SIGNATURE_CHANNELS = ['outlook', 'gmail'] as const;
export type SignatureChannel = (typeof SIGNATURE_CHANNELS)[number];

/** The states each channel can report; the first of each list means "compliant". */
export const SIGNATURE_STATES = {
  outlook: ['ok', 'missing', 'altered'],
  gmail: ['pushed', 'unchanged', 'drifted', 'failed'],
} as const satisfies Record<SignatureChannel, readonly string[]>;
export type OutlookSignatureState = (typeof SIGNATURE_STATES.outlook)[number];
export type GmailSignatureState = (typeof SIGNATURE_STATES.gmail)[number];
export type SignatureState = OutlookSignatureState | GmailSignatureState;

export const MySignature = Type.Object({
  pack: Type.String(),
  signature: Type.String(),
  html: Type.String({ description: 'rendered for this rep, wrapped in its marker: what the faces insert' }),
  text: Type.String(),
  hash: Type.String(),
  policy: Type.Object({ signatureOnSend: Type.Enum(['block', 'warn', 'off']), disableClientSignature: Type.Boolean() }),
});
export type MySignature = Type.Static<typeof MySignature>;

export const SignatureStateReport = Type.Object(
  {
    channel: Type.Optional(Type.Literal('outlook', { description: "Gmail states are recorded by the store's own push" })),
    address: Type.String({ minLength: 3, maxLength: 254, description: 'the From address of the message' }),
    state: Type.Enum([...SIGNATURE_STATES.outlook]),
    pack: Type.Optional(Type.String({ maxLength: 63 })),
    signature: Type.Optional(Type.String({ maxLength: 63 })),
    hash: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{1,64}$', description: 'the signature hash found in the body' })),
    detail: Type.Optional(Type.String({ maxLength: 500 })),
    client: Type.Optional(Type.String({ maxLength: 100, description: 'host and platform, e.g. "Outlook on the web"' })),
  },
  closed,
);
export type SignatureStateReport = Type.Static<typeof SignatureStateReport>;

export const SignatureStateView = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  channel: Type.Enum([...SIGNATURE_CHANNELS]),
  address: Type.String(),
  state: Type.Enum([...SIGNATURE_STATES.outlook, ...SIGNATURE_STATES.gmail]),
  compliant: Type.Boolean(),
  stale: Type.Boolean(),
  detail: nullable(Type.String()),
  pack: nullable(Type.String()),
  signatureId: nullable(Type.String()),
  hash: nullable(Type.String()),
  client: nullable(Type.String()),
  seenAt: Type.String(),
  stateSince: Type.String(),
});
export type SignatureStateView = Type.Static<typeof SignatureStateView>;

export const Verdict = Type.Enum(['compliant', 'attention', 'unknown']);
export type Verdict = Type.Static<typeof Verdict>;
export const UserCompliance = Type.Object({ userId: Type.String(), email: Type.String(), name: Type.String(), groups: Type.Array(Type.String()), verdict: Verdict, states: Type.Array(SignatureStateView) });
export type UserCompliance = Type.Static<typeof UserCompliance>;
export const ComplianceQuery = Type.Object({ verdict: Type.Optional(Verdict) }, closed);
export const ComplianceOverview = Type.Object({
  at: Type.String(),
  counts: Type.Object({ compliant: Type.Integer(), attention: Type.Integer(), unknown: Type.Integer() }),
  users: Type.Array(UserCompliance),
});
export type ComplianceOverview = Type.Static<typeof ComplianceOverview>;

export const PushSignaturesRequest = Type.Object(
  {
    user: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'only this rep (e-mail)' })),
    group: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'only the reps of this group (slug)' })),
    dryRun: Type.Optional(Type.Boolean()),
  },
  closed,
);
export const PushLine = Type.Object({
  email: Type.String(),
  address: Type.Optional(Type.String()),
  outcome: Type.Enum(['changed', 'unchanged', 'failed', 'skipped']),
  reason: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
});
export type PushLine = Type.Static<typeof PushLine>;
export const PushReport = Type.Object({ dryRun: Type.Boolean(), changed: Type.Integer(), unchanged: Type.Integer(), failed: Type.Integer(), skipped: Type.Integer(), lines: Type.Array(PushLine) });
export type PushReport = Type.Static<typeof PushReport>;
