import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorDetail } from '../errors.js';

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `body` + `/lines/2/qty` → `body.lines[2].qty` */
function where(context: string | undefined, instancePath: string): string {
  let out = context ?? 'body';
  for (const part of instancePath.split('/').slice(1)) out += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  return out;
}

function validationDetails(context: string | undefined, errors: AjvLikeError[]): ErrorDetail[] {
  return errors.map((e) => {
    const path = where(context, e.instancePath);
    switch (e.keyword) {
      case 'additionalProperties':
        return { path: `${path}.${String(e.params.additionalProperty)}`, message: `unknown field "${String(e.params.additionalProperty)}"` };
      case 'required':
        return { path: `${path}.${String(e.params.missingProperty)}`, message: 'is required' };
      case 'enum':
        return { path, message: `must be one of ${(e.params.allowedValues as unknown[]).join(' | ')}` };
      default:
        return { path, message: e.message ?? 'is not valid' };
    }
  });
}

/** PostgreSQL 23505, SQLite UNIQUE / PRIMARY KEY constraint failures. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** One error shape for every failure: `{error: {code, message, details?}}`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    }
    const fe = error as FastifyError;
    if (isUniqueViolation(error)) {
      // Two requests wrote the same thing at the same moment; the loser may simply try again.
      return reply.status(409).send({ error: { code: 'conflict', message: 'someone else changed this at the same moment; try again' } });
    }
    if (fe.validation) {
      const details = validationDetails(fe.validationContext, fe.validation as AjvLikeError[]);
      return reply.status(400).send({ error: { code: 'invalid_request', message: details.map((d) => `${d.path}: ${d.message}`).join('; '), details } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'body_too_large', message: `request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes` } });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: { code: 'unsupported_media_type', message: fe.message } });
    }
    if (fe.statusCode === 400 && (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY')) {
      return reply.status(400).send({ error: { code: 'malformed_json', message: `request body is not valid JSON: ${fe.message}` } });
    }
    if (fe.statusCode && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: fe.code ?? 'bad_request', message: fe.message } });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'internal', message: 'something went wrong on the store; the error is logged with this request id', requestId: request.id } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
