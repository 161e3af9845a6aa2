import Type from 'typebox';

/** Shapes shared by several routes; each route keeps its own request schema beside it. */

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }, { additionalProperties: true }))),
  }),
});

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
} as const;

const nullableString = Type.Union([Type.String(), Type.Null()]);

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

export const closed = { additionalProperties: false } as const;

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
