import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped or not depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/**
 * Two validators: JSON bodies are checked as sent — `{"name": 123}` is a wrong type, not the
 * text "123" — while query strings, path parameters and headers arrive as text, so numbers and
 * booleans there are converted (`?limit=50`) and a single value may stand for a list. Unknown
 * fields are errors that name them, never silently dropped; defaults are filled in.
 */
export function installValidators(app: FastifyInstance): void {
  const common = { removeAdditional: false, allErrors: true, useDefaults: true, addUsedSchema: false } as const;
  const body = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}
