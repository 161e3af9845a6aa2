import Type from 'typebox';
import { closed, nullable } from './common.js';
import { PERMISSIONS } from '../core/access/permissions.js';

/** API keys (`/api-keys`) and the audit log (`/audit`). */

export const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  user: Type.String(),
  scopes: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: nullable(Type.String()),
  lastUsedAt: nullable(Type.String()),
  revoked: Type.Boolean(),
});
export type ApiKeyView = Type.Static<typeof ApiKeyView>;
export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKeyView) });
export type ApiKeyList = Type.Static<typeof ApiKeyList>;
/** The whole key is in this answer only; the store keeps a hash. */
export const CreatedKey = Type.Intersect([ApiKeyView, Type.Object({ key: Type.String() })]);
export type CreatedKey = Type.Static<typeof CreatedKey>;
export const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    user: Type.String({ maxLength: 254, description: 'e-mail of the user the key acts as' }),
    scopes: Type.Array(Type.Enum([...PERMISSIONS]), { minItems: 1 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  closed,
);
export type ApiKeyCreate = Type.Static<typeof ApiKeyCreate>;
export const ApiKeyParams = Type.Object({ keyId: Type.String({ maxLength: 64 }) });

export const AuditEntry = Type.Object({ id: Type.String(), at: Type.String(), actor: Type.String(), action: Type.String(), target: Type.Object({ type: Type.String(), id: nullable(Type.String()) }), details: Type.Record(Type.String(), Type.Unknown()) });
export type AuditEntry = Type.Static<typeof AuditEntry>;
export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    before: Type.Optional(Type.String({ format: 'date-time', description: 'page: entries older than this' })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'who: part of the name or address, any case' })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z_-]+(\\.[a-z_.-]+)?$', description: 'an action ("pack.published") or its area ("pack")' })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'from this instant on' })),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'before this instant' })),
  },
  closed,
);
export const AuditList = Type.Object({ entries: Type.Array(AuditEntry) });
export type AuditList = Type.Static<typeof AuditList>;
