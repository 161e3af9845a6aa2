import Type from 'typebox';
import { closed, nullable, nullableString } from './common.js';
import { DIRECTORY_FIELDS } from '../core/people/directory.js';

/** People and groups (`/api/v1/people`, `/groups`, `/me`). */

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  title: nullableString,
  phone: nullableString,
  mobile: nullableString,
  whatsapp: nullableString,
  wechat: nullableString,
  department: nullableString,
  locale: nullableString,
  timeZone: nullableString,
  role: Type.Enum(['rep', 'admin']),
  groups: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  pinned: Type.Array(Type.String(), { description: 'profile fields the admin set by hand and keeps: directory sync never overwrites them' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const GroupView = Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), members: Type.Array(Type.String()) });

export const ProfileFields = {
  title: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  mobile: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  whatsapp: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  wechat: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  department: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  locale: Type.Optional(Type.Union([Type.String({ maxLength: 35 }), Type.Null()])),
  timeZone: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
};

export type UserView = Type.Static<typeof UserView>;
export type GroupView = Type.Static<typeof GroupView>;

export const UserList = Type.Object({ users: Type.Array(UserView) });
export type UserList = Type.Static<typeof UserList>;
export const GroupList = Type.Object({ groups: Type.Array(GroupView) });
export type GroupList = Type.Static<typeof GroupList>;
export const UserParams = Type.Object({ userId: Type.String({ maxLength: 64 }) });
export const GroupParams = Type.Object({ groupId: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({ groupId: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) });

const Role = Type.Enum(['rep', 'admin']);
export const UserCreate = Type.Object(
  { email: Type.String({ maxLength: 254 }), name: Type.String({ minLength: 1, maxLength: 200 }), role: Type.Optional(Role), groups: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })), ...ProfileFields },
  closed,
);
export type UserCreate = Type.Static<typeof UserCreate>;
export const UserPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    role: Type.Optional(Role),
    disabled: Type.Optional(Type.Boolean()),
    groups: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 100, description: 'the complete list of group slugs the user belongs to afterwards' })),
    pinned: Type.Optional(Type.Array(Type.Enum([...DIRECTORY_FIELDS]), { maxItems: DIRECTORY_FIELDS.length, description: 'the complete list of pinned fields afterwards' })),
    ...ProfileFields,
  },
  closed,
);
export type UserPatch = Type.Static<typeof UserPatch>;
export const GroupCreate = Type.Object({ slug: Type.String({ maxLength: 63 }), name: Type.Optional(Type.String({ maxLength: 200 })) }, closed);
export type GroupCreate = Type.Static<typeof GroupCreate>;

/** Disabling a person: why (kept in the audit log and on each scheduled send it stops). */
export const UserDisable = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, closed);
export type UserDisable = Type.Static<typeof UserDisable>;
/** What disabling did: the keys it revoked and the scheduled sends it stopped (status cancelled, with the reason). */
export const UserDisableResult = Type.Object({ user: UserView, revokedKeys: Type.Integer(), stoppedSends: Type.Integer() });
export type UserDisableResult = Type.Static<typeof UserDisableResult>;

/**
 * Directory sync (`/admin/directory`): Microsoft Entra ID through Graph (app-only: an app
 * registration whose secret the store keeps sealed), or Google Workspace through the Admin SDK
 * Directory API (the store's service account with domain-wide delegation, acting as an admin).
 * One flat shape: the fields of the other provider are null.
 */
export const DIRECTORY_PROVIDERS = ['entra', 'google'] as const;
export const DirectorySourceView = Type.Object({
  provider: Type.Enum(DIRECTORY_PROVIDERS),
  tenantId: nullable(Type.String({ description: 'entra: the directory (tenant) ID or domain' })),
  clientId: nullable(Type.String({ description: 'entra: the application (client) ID' })),
  secretSet: Type.Boolean({ description: 'entra: whether the client secret is stored; its value never leaves the store' }),
  adminEmail: nullable(Type.String({ description: 'google: the Workspace administrator the service account acts as' })),
  customer: nullable(Type.String({ description: "google: the Workspace customer ID (my_customer: the admin's own)" })),
  lastRunAt: nullable(Type.String()),
  lastSummary: nullable(Type.Object({ update: Type.Integer(), unchanged: Type.Integer(), missing: Type.Integer(), notHere: Type.Integer(), applied: Type.Boolean() })),
});
export type DirectorySourceView = Type.Static<typeof DirectorySourceView>;
export const DirectorySourceState = Type.Object({
  source: nullable(DirectorySourceView),
  googleDelegation: Type.Boolean({ description: 'whether this store has a service account with domain-wide delegation (GOOGLE_SERVICE_ACCOUNT_FILE), which Google Workspace directory sync needs' }),
});
export type DirectorySourceState = Type.Static<typeof DirectorySourceState>;
export const DirectorySourcePut = Type.Object(
  {
    provider: Type.Enum(DIRECTORY_PROVIDERS),
    tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'entra (required)' })),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'entra (required)' })),
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'entra: written once; leave out to keep the stored one' })),
    adminEmail: Type.Optional(Type.String({ minLength: 3, maxLength: 254, description: 'google (required): an administrator with the privilege to read users' })),
    customer: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'google: the customer ID; default my_customer' })),
  },
  closed,
);
export type DirectorySourcePut = Type.Static<typeof DirectorySourcePut>;
export const DirectorySyncRequest = Type.Object({ apply: Type.Boolean({ description: 'false: a dry run that only reports' }) }, closed);
export type DirectorySyncRequest = Type.Static<typeof DirectorySyncRequest>;
const FieldChange = Type.Object({ field: Type.String(), from: nullableString, to: Type.String() });
export const DirectorySyncReport = Type.Object({
  applied: Type.Boolean(),
  counts: Type.Object({ update: Type.Integer(), unchanged: Type.Integer(), missing: Type.Integer(), notHere: Type.Integer() }),
  people: Type.Array(Type.Object({ email: Type.String(), action: Type.Enum(['update', 'unchanged', 'missing']), changes: Type.Array(FieldChange), kept: Type.Array(FieldChange) })),
  notHere: Type.Array(Type.String(), { description: 'directory users with no person here (not added)' }),
});
export type DirectorySyncReport = Type.Static<typeof DirectorySyncReport>;
