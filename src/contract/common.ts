import Type from 'typebox';

/**
 * The contract: every shape the store's HTTP API accepts and returns, once. Routes validate and
 * document with these schemas; the faces' clients import only their types (`Type.Static`), so no
 * schema code reaches a browser bundle. One file per resource; this one holds what they share.
 */

/**
 * One problem, named by where it is (`body.fields.price`, `templates[2].id`) and what is wrong.
 * Some errors say more: a pack issue its line, column and severity; a missing value (422
 * missing_values) the field's label in the template's language.
 */
export const ErrorDetail = Type.Object(
  {
    path: Type.String(),
    message: Type.String(),
    label: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
    severity: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type ErrorDetail = Type.Static<typeof ErrorDetail>;

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(ErrorDetail)),
  }),
});
export type ErrorResponse = Type.Static<typeof ErrorResponse>;

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
} as const;

/** Request objects are closed: an unknown field is an error that names it. */
export const closed = { additionalProperties: false } as const;

export const nullableString = Type.Union([Type.String(), Type.Null()]);

/** `T | null` for any schema. */
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A bodiless answer (204, 304). */
export const NoBody = Type.Null();

/** Problems with a pack or draft: where (path, and line/column in its source text) and how bad. */
export const LocatedIssue = Type.Object({ path: Type.String(), message: Type.String(), severity: Type.Enum(['error', 'warning']), line: Type.Optional(Type.Integer()), column: Type.Optional(Type.Integer()) });
export type LocatedIssue = Type.Static<typeof LocatedIssue>;
