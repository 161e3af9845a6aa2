import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too large, a request
 * that is not HTTP, a client too slow), answered in the one error shape. Fastify's own answer
 * used another shape.
 */
export function clientErrorAnswer(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request headers are larger than the server accepts (16 KB in all); send fewer or shorter headers']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'bad_request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** Fastify's routing errors (a path that does not decode, such as `/%`; an over-long parameter) in the one error shape. */
export function frameworkErrorAnswer(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  const code = error.code === 'FST_ERR_BAD_URL' ? 'bad_url' : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'bad_url' : 'bad_request';
  const path = request.raw.url ?? '';
  const message = code === 'bad_url' ? `the URL ${JSON.stringify(path.slice(0, 200))} is not valid: ${error.message}` : error.message;
  void reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify({ error: { code, message } }));
}

/** One error shape for every failure: `{error: {code, message, details?}}`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
      else if (error.status >= 500) request.log.error({ err: error }, 'request failed');
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
    if (fe.statusCode === 403) {
      // @fastify/static refuses a path that leaves its folder with a bare http-errors 403.
      return reply.status(403).send({ error: { code: 'forbidden', message: `${request.url.split('?')[0]}: this path may not be read` } });
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
