import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { parse as tolerantParse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { AppError } from '../errors.js';

/** Arrays and objects inside each other; no request of this API comes near it. */
export const JSON_DEPTH_LIMIT = 64;

/**
 * C0 control characters other than tab, newline and carriage return. PostgreSQL refuses NUL in
 * text (the store answered 500) while SQLite keeps it; no field of this API means any of them.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * Where `text` first nests deeper than `limit`, scanning once without recursion (strings and
 * their escapes skipped), or undefined. Run before anything that recurses over the text.
 */
export function deeperThan(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return undefined;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * Line, column and byte position of the first JSON syntax error, found by jsonc-parser (Node 20's
 * JSON.parse does not say). jsonc-parser recurses once per nesting level, so text nested deeper
 * than JSON_DEPTH_LIMIT is reported as that instead of overflowing the stack.
 */
export function locateJsonError(text: string): { line: number; column: number; position: number; problem: string } | undefined {
  const deep = deeperThan(text, JSON_DEPTH_LIMIT);
  if (deep !== undefined) return { ...lineColumn(text, deep), position: deep, problem: `nested deeper than the limit of ${JSON_DEPTH_LIMIT} levels` };
  const errors: ParseError[] = [];
  tolerantParse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  return { ...lineColumn(text, first.offset), position: first.offset, problem: printParseErrorCode(first.error) };
}

/** `body` + ['lines', 2, 'qty'] → `body.lines[2].qty` */
function pathOf(root: string, segments: readonly (string | number)[]): string {
  let out = root;
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return out;
}

/**
 * The first problem in a parsed input value: a string or key holding a control character, or
 * nesting past JSON_DEPTH_LIMIT. Walks with its own stack, so any depth is safe to look at.
 */
export function inputProblem(value: unknown, root: string): { path: string; message: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const found = CONTROL.exec(v);
      if (found) return { path: pathOf(root, path), message: `contains the control character U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}, which no text field accepts` };
    } else if (v && typeof v === 'object') {
      if (path.length >= JSON_DEPTH_LIMIT) return { path: pathOf(root, path), message: `nested deeper than the limit of ${JSON_DEPTH_LIMIT} levels` };
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], path: [...path, i] });
      } else {
        const entries = Object.entries(v as Record<string, unknown>);
        for (let i = entries.length - 1; i >= 0; i -= 1) {
          const [key, item] = entries[i]!;
          const bad = CONTROL.exec(key);
          if (bad) return { path: pathOf(root, [...path, key]), message: `the field name contains the control character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` };
          stack.push({ value: item, path: [...path, key] });
        }
      }
    }
  }
  return undefined;
}

/** 400 naming the place of the first control character (or over-deep nesting) in `value`, if any. */
export function refuseBadInput(value: unknown, root: string): void {
  const problem = inputProblem(value, root);
  if (problem) throw new AppError(400, 'invalid_text', `${problem.path}: ${problem.message}`, [problem]);
}

/**
 * JSON request bodies: parsed with secure-json-parse (refuses __proto__ / constructor.prototype
 * poisoning, as Fastify's own parser does), and when they are not JSON the 400 says where:
 * line, column and byte position. Every string is checked for control characters here, once for
 * every route; query strings and path parameters get the same check in a preValidation hook.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new AppError(400, 'malformed_json', 'request body is empty but content-type is application/json'), undefined);
      return;
    }
    let value: unknown;
    try {
      value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      const where = locateJsonError(text);
      const message = where
        ? `request body is not valid JSON: ${where.problem} at line ${where.line}, column ${where.column} (position ${where.position})`
        : `request body is not valid JSON: ${(error as Error).message}`;
      done(new AppError(400, 'malformed_json', message), undefined);
      return;
    }
    try {
      refuseBadInput(value, 'body');
    } catch (error) {
      done(error as AppError, undefined);
      return;
    }
    done(null, value);
  });
  app.addHook('preValidation', async (request) => {
    refuseBadInput(request.query, 'query');
    refuseBadInput(request.params, 'params');
  });
}
