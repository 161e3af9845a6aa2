import Type from 'typebox';
import { closed, nullableString } from './common.js';

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
