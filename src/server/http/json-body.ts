import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { parse as tolerantParse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';

/**
 * JSON request bodies: parsed with secure-json-parse (refuses __proto__ / constructor.prototype
 * poisoning, as Fastify's own parser does), and when they are not JSON the 400 says where:
 * line, column and byte position, found by jsonc-parser (Node 20's JSON.parse does not say).
 */
export function locateJsonError(text: string): { line: number; column: number; position: number; problem: string } | undefined {
  const errors: ParseError[] = [];
  tolerantParse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return { line, column, position: first.offset, problem: printParseErrorCode(first.error) };
}

export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new AppError(400, 'malformed_json', 'request body is empty but content-type is application/json'), undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const where = locateJsonError(text);
      const message = where
        ? `request body is not valid JSON: ${where.problem} at line ${where.line}, column ${where.column} (position ${where.position})`
        : `request body is not valid JSON: ${(error as Error).message}`;
      done(new AppError(400, 'malformed_json', message), undefined);
    }
  });
}
