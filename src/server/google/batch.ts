import { randomBytes } from 'node:crypto';

/**
 * Google's batch format (developers.google.com/workspace/gmail/api/guides/batch): many API calls
 * in one HTTP request. The request is `multipart/mixed`, each part an `application/http` request
 * line (with headers and body where it has them) named by a Content-ID; the answer is
 * `multipart/mixed` again, each part a whole HTTP response whose Content-ID is the call's with
 * `response-` before it. Google runs the calls in any order, so the Content-ID is the only thing
 * that pairs an answer with its call.
 *
 * Only the format lives here; gmail-api.ts sends it with the user's credentials.
 */

export interface BatchCall {
  /** e.g. `GET /gmail/v1/users/me/messages/18c…?format=full` (the path from the API's root). */
  method: 'GET';
  path: string;
}

export interface BatchAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** The multipart body and its Content-Type for these calls; part `i` is Content-ID `<i>`. */
export function batchRequest(calls: readonly BatchCall[]): { contentType: string; body: string } {
  const boundary = `batch_tradepane_${randomBytes(12).toString('hex')}`;
  let body = '';
  calls.forEach((call, i) => {
    body += `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <${i}>\r\n\r\n${call.method} ${call.path} HTTP/1.1\r\n\r\n`;
  });
  body += `--${boundary}--\r\n`;
  return { contentType: `multipart/mixed; boundary=${boundary}`, body };
}

/**
 * Splits `head\r\n\r\nbody` (LF alone accepted too) and reads the head's lines as `name: value`
 * headers; with `startLine`, the head's first line is a request or status line, not a header.
 */
function splitHead(text: string, startLine: boolean): { first: string; headers: Record<string, string>; rest: string } {
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const lines = head.split(/\r?\n/);
  const first = startLine ? (lines.shift() ?? '') : '';
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { first, headers, rest: end ? text.slice(end.index + end[0].length) : '' };
}

/**
 * The answers of a batch response, by the Content-ID of the call each answers (`response-<i>` →
 * `i`). Throws on a body that is not multipart with the given Content-Type's boundary.
 */
export function parseBatchResponse(contentType: string, text: string): Map<string, BatchAnswer> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/mixed/i.test(contentType) || !boundary) throw new Error(`the batch answer is not multipart/mixed (Content-Type "${contentType.slice(0, 100)}")`);
  const answers = new Map<string, BatchAnswer>();
  // A delimiter is the boundary at the start of a line (RFC 2046 5.1.1), its line break included.
  const parts = text.split(new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // parts[0] is the preamble; a part starting with "--" is the close delimiter's tail.
  for (const raw of parts.slice(1)) {
    if (raw.startsWith('--')) break;
    const part = splitHead(raw.replace(/^[ \t]*\r?\n/, ''), false);
    const id = /^<?(?:response-)?([^>]*)>?$/.exec(part.headers['content-id'] ?? '')?.[1];
    const http = splitHead(part.rest, true);
    const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(http.first)?.[1]);
    if (id === undefined || !Number.isInteger(status)) continue;
    answers.set(id, { status, headers: http.headers, body: http.rest });
  }
  return answers;
}
