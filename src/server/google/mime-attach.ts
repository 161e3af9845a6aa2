import { randomBytes } from 'node:crypto';

/**
 * Adds a file to an existing RFC 822 message without touching what is already there: the store
 * attaches a quotation / PI to the rep's Gmail draft (drafts.get format=raw → this →
 * drafts.update), and the draft's body, recipients, subject and threading headers must come back
 * byte for byte. The message is handled as bytes (latin1 keeps each byte as one character), so an
 * 8-bit body in any charset survives.
 *
 * - A multipart/mixed message gets one more part before its closing boundary (other attachments stay).
 * - Anything else (text/html, multipart/alternative, multipart/related …) becomes the first part of a
 *   new multipart/mixed, carrying its own Content-* headers down with it.
 */

export interface Attachment {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
}

export class MimeError extends Error {}

/** Header names that describe the body, and move into the first part when the message is wrapped. */
const CONTENT_HEADER = /^content-/i;

interface HeaderBlock {
  /** Each header with its folded continuation lines, as written. */
  fields: { name: string; raw: string }[];
  eol: string;
  body: string;
}

function split(source: string): HeaderBlock {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  const useCrlf = crlf >= 0 && (lf < 0 || crlf <= lf + 1);
  const at = useCrlf ? crlf : lf;
  if (at < 0) throw new MimeError('the draft has no header/body separator');
  const eol = useCrlf ? '\r\n' : '\n';
  const head = source.slice(0, at);
  const body = source.slice(at + eol.length * 2);
  const fields: { name: string; raw: string }[] = [];
  for (const line of head.split(eol)) {
    if (/^[ \t]/.test(line) && fields.length) {
      fields[fields.length - 1]!.raw += eol + line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MimeError(`the draft has a header line without a name: "${line.slice(0, 60)}"`);
    fields.push({ name: line.slice(0, colon).trim(), raw: line });
  }
  return { fields, eol, body };
}

const unfolded = (raw: string) => raw.replace(/\r?\n[ \t]+/g, ' ');
const valueOf = (raw: string) => unfolded(raw).slice(raw.indexOf(':') + 1).trim();

/** The boundary of a multipart Content-Type value, quoted or not. */
function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

/** A file name safe in a quoted header parameter (ASCII, no quotes or controls), else RFC 2231 UTF-8. */
function nameParams(fileName: string): { type: string; disposition: string } {
  if (/^[\x20-\x7e]+$/.test(fileName) && !/["\\]/.test(fileName)) return { type: `name="${fileName}"`, disposition: `filename="${fileName}"` };
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return { type: `name*=UTF-8''${encoded}`, disposition: `filename*=UTF-8''${encoded}` };
}

function filePart(file: Attachment, eol: string): string {
  if (/[\r\n"]/.test(file.contentType)) throw new MimeError('the attachment type may not hold quotes or line breaks');
  const names = nameParams(file.fileName.replace(/[\x00-\x1f\x7f]/g, ''));
  const base64 = (Buffer.from(file.bytes).toString('base64').match(/.{1,76}/g) ?? []).join(eol);
  return [`Content-Type: ${file.contentType}; ${names.type}`, `Content-Disposition: attachment; ${names.disposition}`, 'Content-Transfer-Encoding: base64', '', base64].join(eol);
}

/** The message (raw RFC 822 bytes) with `file` attached; everything it held is kept as it was. */
export function addAttachment(raw: Uint8Array, file: Attachment): Buffer {
  const source = Buffer.from(raw).toString('latin1');
  const { fields, eol, body } = split(source);
  const contentType = fields.find((f) => f.name.toLowerCase() === 'content-type');
  const type = contentType ? valueOf(contentType.raw) : 'text/plain; charset=us-ascii';
  const part = filePart(file, eol);

  if (/^multipart\/mixed\b/i.test(type)) {
    const boundary = boundaryOf(type);
    if (!boundary) throw new MimeError('the draft is multipart/mixed without a boundary');
    const close = new RegExp(`(^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}--[ \\t]*(?=\\r?\\n|$)`);
    const m = close.exec(body);
    if (!m) throw new MimeError('the draft\'s multipart/mixed body has no closing boundary');
    const at = m.index + m[1]!.length;
    const head = fields.map((f) => f.raw).join(eol);
    const withPart = `${body.slice(0, at)}--${boundary}${eol}${part}${eol}${body.slice(at)}`;
    return Buffer.from(`${head}${eol}${eol}${withPart}`, 'latin1');
  }

  let boundary = `tradepane-${randomBytes(12).toString('hex')}`;
  while (body.includes(boundary)) boundary = `tradepane-${randomBytes(12).toString('hex')}`;
  const kept = fields.filter((f) => !CONTENT_HEADER.test(f.name) && f.name.toLowerCase() !== 'mime-version').map((f) => f.raw);
  const moved = fields.filter((f) => CONTENT_HEADER.test(f.name)).map((f) => f.raw);
  const head = [...kept, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`].join(eol);
  const first = [...(moved.length ? moved : [`Content-Type: ${type}`]), '', body].join(eol);
  const wrapped = [`--${boundary}`, first, `--${boundary}`, part, `--${boundary}--`, ''].join(eol);
  return Buffer.from(`${head}${eol}${eol}${wrapped}`, 'latin1');
}
