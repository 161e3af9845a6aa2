import Type from 'typebox';
import { nullableString } from './common.js';

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
