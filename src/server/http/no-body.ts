import type { FastifyReply } from 'fastify';

/**
 * 204 and 304 answers have no body. Sending `null` through a response schema would serialise
 * "null" and announce `content-length: 4` for a body that never comes, which hangs keep-alive
 * clients that trust the header.
 */
export function sendNoBody(reply: FastifyReply, status: 204 | 304): FastifyReply {
  reply.removeHeader('content-type');
  return (reply.status(status) as unknown as { send(): FastifyReply }).send();
}
