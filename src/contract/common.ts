import Type from 'typebox';

/**
 * The contract: every shape the store's HTTP API accepts and returns, once. Routes validate and
 * document with these schemas; the faces' clients import only their types (`Type.Static`), so no
 * schema code reaches a browser bundle. One file per resource; this one holds what they share.
 */

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }, { additionalProperties: true }))),
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
