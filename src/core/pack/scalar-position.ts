/**
 * Where a character of a YAML/JSON string value sits in the file it was written in. Template and
 * signature checks report positions inside a body (line 2, column 83 of the text); the admin
 * needs the position in the pack file (line 90, column 15), in one coordinate system. A scalar's
 * value differs from its source text by its quoting, escapes, block indentation and line folding,
 * so the value is rebuilt here from the source with each character's source offset; a caller
 * trusts the rebuilt value only where it equals the parsed one (see `offsetInScalar`).
 */

interface Piece {
  text: string;
  offsets: number[];
}

function push(into: Piece, text: string, offset: number | ((i: number) => number)): void {
  for (let i = 0; i < text.length; i += 1) {
    into.text += text[i];
    into.offsets.push(typeof offset === 'number' ? offset : offset(i));
  }
}

/** Source lines of `raw` with the offset each starts at. */
function linesOf(raw: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (;;) {
    const end = raw.indexOf('\n', start);
    if (end === -1) {
      out.push({ text: raw.slice(start), start });
      return out;
    }
    out.push({ text: raw.slice(start, end).replace(/\r$/, ''), start });
    start = end + 1;
  }
}

/** Flow scalars (plain and quoted) fold line breaks: one break is a space, each empty line a newline. */
function foldFlow(lines: { text: string; start: number }[], decode: (piece: Piece, text: string, start: number) => void): Piece {
  const out: Piece = { text: '', offsets: [] };
  let pendingBreaks = 0;
  let joinTight = false;
  lines.forEach((line, i) => {
    const lead = i === 0 ? 0 : line.text.length - line.text.trimStart().length;
    let body = i === 0 ? line.text : line.text.trimStart();
    if (i < lines.length - 1) body = body.trimEnd();
    if (i > 0 && body === '') {
      pendingBreaks += 1;
      return;
    }
    if (i > 0) {
      if (pendingBreaks > 0) push(out, '\n'.repeat(pendingBreaks), line.start);
      else if (!joinTight) push(out, ' ', line.start - 1);
    }
    pendingBreaks = 0;
    // An escaped line break (a "\" ending a double-quoted line) joins the lines without a space.
    joinTight = /(^|[^\\])(\\\\)*\\$/.test(body) && i < lines.length - 1;
    decode(out, joinTight ? body.slice(0, -1) : body, line.start + lead);
  });
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ', b: '\b', f: '\f', e: '\x1b', a: '\x07', v: '\v' };

function decodeDouble(piece: Piece, text: string, start: number): void {
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c !== '\\') {
      push(piece, c, start + i);
      continue;
    }
    const e = text[i + 1] ?? '';
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex) {
      push(piece, String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + hex), 16) || 0xfffd), start + i);
      i += 1 + hex;
    } else {
      push(piece, ESCAPES[e] ?? e, start + i);
      i += 1;
    }
  }
}

function decodeSingle(piece: Piece, text: string, start: number): void {
  for (let i = 0; i < text.length; i += 1) {
    push(piece, text[i]!, start + i);
    if (text[i] === "'" && text[i + 1] === "'") i += 1;
  }
}

function decodePlain(piece: Piece, text: string, start: number): void {
  push(piece, text, (i) => start + i);
}

function block(raw: string, folded: boolean): Piece | undefined {
  const [, ...content] = linesOf(raw);
  const first = content.find((l) => l.text.trim() !== '');
  if (!first) return { text: '', offsets: [] };
  const indent = first.text.length - first.text.trimStart().length;
  const out: Piece = { text: '', offsets: [] };
  let previous: 'none' | 'text' | 'more' = 'none';
  let breaks = 0;
  for (const line of content) {
    const body = line.text.slice(indent);
    if (line.text.trim() === '') {
      breaks += 1;
      continue;
    }
    const more = /^\s/.test(body);
    if (previous !== 'none') {
      // Folded: one break between two ordinary lines is a space; literal keeps every break.
      if (folded && breaks === 0 && previous === 'text' && !more) push(out, ' ', line.start - 1);
      else push(out, '\n'.repeat(folded && previous === 'text' && !more ? breaks : breaks + 1), line.start - 1);
    } else if (breaks > 0) push(out, '\n'.repeat(breaks), line.start - 1);
    breaks = 0;
    push(out, body, (i) => line.start + indent + i);
    previous = more ? 'more' : 'text';
  }
  return out;
}

/** The value a scalar's source text stands for, with each character's offset in that text. */
export function scalarSource(raw: string, type: string | undefined): Piece | undefined {
  switch (type) {
    case 'PLAIN':
      return foldFlow(linesOf(raw), decodePlain);
    case 'QUOTE_DOUBLE':
      return foldFlow(offsetLines(raw.slice(1, raw.endsWith('"') ? -1 : undefined), 1), decodeDouble);
    case 'QUOTE_SINGLE':
      return foldFlow(offsetLines(raw.slice(1, raw.endsWith("'") ? -1 : undefined), 1), decodeSingle);
    case 'BLOCK_LITERAL':
      return block(raw, false);
    case 'BLOCK_FOLDED':
      return block(raw, true);
    default:
      return undefined;
  }
}

function offsetLines(text: string, by: number): { text: string; start: number }[] {
  return linesOf(text).map((l) => ({ ...l, start: l.start + by }));
}

/** Index in `value` of 1-based line and column (as template engines count them). */
export function indexOfLineColumn(value: string, line: number, column: number): number | undefined {
  let index = 0;
  for (let l = 1; l < line; l += 1) {
    const next = value.indexOf('\n', index);
    if (next === -1) return undefined;
    index = next + 1;
  }
  const end = value.indexOf('\n', index);
  const target = index + Math.max(0, column - 1);
  return target <= (end === -1 ? value.length : end) ? target : undefined;
}

/**
 * The offset in the scalar's source text of the character at `line:column` of its value, or
 * undefined when the rebuilt value disagrees with the parsed one up to there (an unusual form:
 * the caller then points at the scalar itself).
 */
export function offsetInScalar(raw: string, type: string | undefined, value: string, line: number, column: number): number | undefined {
  const index = indexOfLineColumn(value, line, column);
  if (index === undefined) return undefined;
  const rebuilt = scalarSource(raw, type);
  if (!rebuilt || rebuilt.text.slice(0, index + 1) !== value.slice(0, index + 1)) return undefined;
  return rebuilt.offsets[index] ?? (index === rebuilt.text.length ? rebuilt.offsets.at(-1) : undefined);
}
