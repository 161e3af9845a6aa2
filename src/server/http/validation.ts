import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fastJsonStringify from 'fast-json-stringify';

// ajv-formats is CommonJS; its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * Two validators: JSON bodies are checked as sent — `{"name": 123}` is a wrong type, not the
 * text "123" — while query strings, path parameters and headers arrive as text, so numbers and
 * booleans there are converted (`?limit=50`) and a single value may stand for a list. Unknown
 * fields are errors that name them, never silently dropped; defaults are filled in.
 *
 * Both, and the response serialisers, are made once per process and kept by schema object: the
 * route schemas are the contract's constants, so an app built again in the same process (the
 * tests build hundreds, the bench several) reuses them instead of compiling ~0.3 s of code anew.
 * Neither depends on the app: no shared schemas are added (`addUsedSchema: false`, no addSchema).
 */
let validators: { body: Ajv; text: Ajv } | undefined;

function validatorsOnce(): { body: Ajv; text: Ajv } {
  const common = { removeAdditional: false, allErrors: true, useDefaults: true, addUsedSchema: false } as const;
  validators ??= { body: addFormats(new Ajv({ ...common, coerceTypes: false })), text: addFormats(new Ajv({ ...common, coerceTypes: 'array' })) };
  return validators;
}

type Serializer = (data: unknown) => string;
const serializers = new WeakMap<object, Serializer>();

/** Fastify's own default (fast-json-stringify with no shared schemas), kept per schema object. */
function serializerFor(schema: object): Serializer {
  let serialize = serializers.get(schema);
  if (!serialize) {
    serialize = fastJsonStringify(schema) as Serializer;
    serializers.set(schema, serialize);
  }
  return serialize;
}

export function installValidators(app: FastifyInstance): void {
  const { body, text } = validatorsOnce();
  // ajv keeps what it compiled by schema object, so a schema is compiled once per process.
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
  app.setSerializerCompiler(({ schema }) => serializerFor(schema as object));
}
