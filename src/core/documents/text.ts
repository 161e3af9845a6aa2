/**
 * Text on a trade document: what may be printed, and in which visual order. PDF has no text
 * layout of its own, so a line mixing Arabic with numbers or Latin names must be put in visual
 * order before it is drawn (the Unicode bidirectional algorithm, reduced to what a document line
 * needs: one paragraph level, strong letters, European numbers, neutrals; no explicit embeddings,
 * which the control-character rule refuses anyway).
 */

/** C0/C1 controls, and the bidi embedding/override/isolate controls that could reorder a printed line. */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/u;
/** Scripts the document's fonts (Noto Sans, Noto Sans Arabic, Noto Sans SC) are meant to draw. */
const DRAWABLE = /^[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Common}\p{Script=Inherited}]$/u;

export interface TextProblem {
  path: string;
  message: string;
}

const hex = (ch: string) => 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** Why `text` cannot be printed at `path` (a control character, a script no font draws), or undefined. */
export function textProblem(text: string, path: string, { multiline = false } = {}): TextProblem | undefined {
  const control = FORBIDDEN.exec(text) ?? (multiline ? null : /[\n\t\r]/.exec(text));
  if (control) {
    return { path, message: `contains the control character ${hex(control[0])} at position ${control.index + 1}; remove it` };
  }
  let index = 0;
  for (const ch of text) {
    if (!DRAWABLE.test(ch)) {
      let script = 'an unsupported script';
      for (const name of ['Thai', 'Devanagari', 'Hangul', 'Hebrew', 'Cyrillic', 'Bengali', 'Tamil', 'Khmer', 'Georgian', 'Armenian', 'Ethiopic']) {
        if (new RegExp(`\\p{Script=${name}}`, 'u').test(ch)) script = `the ${name} script`;
      }
      return {
        path,
        message: `contains ${hex(ch)} "${ch}" (${script}) at position ${index + 1}, which the document fonts cannot draw; documents print Latin, Greek, Cyrillic, Arabic and Chinese`,
      };
    }
    index += ch.length;
  }
  return undefined;
}

export type Direction = 'ltr' | 'rtl';

/** A piece of a line in visual order: drawn left to right as pieces, its own characters reversed when rtl. */
export interface VisualRun {
  text: string;
  rtl: boolean;
}

type BidiClass = 'L' | 'R' | 'EN' | 'SEP' | 'N' | 'NSM';

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const LETTER = /[\p{L}\p{Nl}]/u;
const NONSPACING = /\p{Mn}/u;

/** Right-to-left mark, Arabic letter mark, left-to-right mark: strong, never printed. */
const BIDI_MARKS = /[\u200E\u200F\u061C]/u;

function classOf(ch: string): BidiClass {
  if (ch === '\u200F' || ch === '\u061C') return 'R';
  if (ch === '\u200E') return 'L';
  if (NONSPACING.test(ch)) return 'NSM';
  // Arabic-Indic digits behave as numbers inside right-to-left text: kept left to right.
  if (/[0-9\u0660-\u0669\u06F0-\u06F9]/u.test(ch)) return 'EN';
  if (RTL_LETTER.test(ch)) return 'R';
  if (LETTER.test(ch)) return 'L';
  // Separators and terminators that stay inside a number: 1,234.50 · 10% · $5 · 2026-01-31 · 5/7.
  if (/[.,:/\-+%$€£¥٫٬]/u.test(ch)) return 'SEP';
  return 'N';
}

/**
 * Splits a line into runs in visual (left-to-right drawing) order. `base` is the paragraph's
 * direction: an Arabic document's lines are rtl, so "الإجمالي 1,250.00 USD" prints the number and
 * currency code to the left of the word, as an Arabic reader expects.
 */
export function visualRuns(text: string, base: Direction): VisualRun[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const classes = chars.map(classOf);
  // Marks take their base letter's class.
  for (let i = 0; i < classes.length; i++) if (classes[i] === 'NSM') classes[i] = i > 0 ? classes[i - 1]! : 'N';
  // A separator between numbers is part of the number (W4–W5); "$" or "%" next to one too.
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] !== 'SEP') continue;
    let j = i;
    while (j < classes.length && classes[j] === 'SEP') j++;
    const before = i > 0 && classes[i - 1] === 'EN';
    const after = j < classes.length && classes[j] === 'EN';
    for (let k = i; k < j; k++) classes[k] = before || after ? 'EN' : 'N';
  }
  // One space between two numbers keeps them one number: "+86 574 8888 0000" is not reordered group by group.
  for (let i = 1; i < classes.length - 1; i++) {
    if (chars[i] === ' ' && classes[i - 1] === 'EN' && classes[i + 1] === 'EN') classes[i] = 'EN';
  }
  // The direction of each strong character; numbers count as right-to-left for neutrals (N1).
  const strong = (c: BidiClass): Direction | undefined => (c === 'L' ? 'ltr' : c === 'R' ? 'rtl' : undefined);
  const levels = new Array<number>(chars.length);
  const baseLevel = base === 'rtl' ? 1 : 0;
  // Is an EN in a right-to-left context (the last strong letter before it is R, or none and base rtl)?
  let lastStrong: Direction = base;
  const enRtl: boolean[] = [];
  for (let i = 0; i < chars.length; i++) {
    const s = strong(classes[i]!);
    if (s) lastStrong = s;
    enRtl[i] = lastStrong === 'rtl';
  }
  const directionAt = (i: number): Direction | undefined => {
    const c = classes[i]!;
    if (c === 'L') return 'ltr';
    if (c === 'R') return 'rtl';
    if (c === 'EN') return enRtl[i] ? 'rtl' : 'ltr';
    return undefined;
  };
  for (let i = 0; i < chars.length; i++) {
    const c = classes[i]!;
    if (c === 'L') levels[i] = baseLevel === 1 ? 2 : 0;
    else if (c === 'R') levels[i] = 1;
    else if (c === 'EN') levels[i] = baseLevel === 1 || enRtl[i] ? 2 : 0;
  }
  // Neutrals (N1–N2): between two of the same direction they take it, else the paragraph's.
  for (let i = 0; i < chars.length; i++) {
    if (levels[i] !== undefined) continue;
    let j = i;
    while (j < chars.length && levels[j] === undefined) j++;
    const before = i > 0 ? directionAt(i - 1) : base;
    const after = j < chars.length ? directionAt(j) : base;
    const direction = before === after ? before! : base;
    const level = direction === 'rtl' ? 1 : baseLevel === 1 ? 2 : 0;
    for (let k = i; k < j; k++) levels[k] = level;
  }
  // L2: from the highest level down to the lowest odd one, reverse every run at or above it.
  const order = chars.map((_, i) => i);
  const maxLevel = Math.max(...levels);
  const minOdd = Math.min(...levels.filter((l) => l % 2 === 1), Infinity);
  if (Number.isFinite(minOdd)) {
    for (let level = maxLevel; level >= minOdd; level--) {
      for (let i = 0; i < order.length; i++) {
        if (levels[order[i]!]! < level) continue;
        let j = i;
        while (j < order.length && levels[order[j]!]! >= level) j++;
        order.splice(i, j - i, ...order.slice(i, j).reverse());
        i = j;
      }
    }
  }
  // Group into runs of one direction; an rtl run is handed over in logical order (the shaper reverses it).
  const runs: VisualRun[] = [];
  let i = 0;
  while (i < order.length) {
    const rtl = levels[order[i]!]! % 2 === 1;
    let j = i;
    while (j < order.length && levels[order[j]!]! % 2 === (rtl ? 1 : 0) && (j === i || Math.abs(order[j]! - order[j - 1]!) === 1)) j++;
    const indexes = order.slice(i, j);
    const logical = rtl ? indexes.reverse() : indexes;
    const runText = logical.map((k) => chars[k]).join('').replace(new RegExp(BIDI_MARKS.source, 'gu'), '');
    if (runText !== '') runs.push({ text: runText, rtl });
    i = j;
  }
  return runs;
}

/**
 * A line's own direction: that of its first strong letter (Unicode's rule P2–P3, what dir="auto"
 * does), else the document's. A Latin address in an Arabic document reads left to right.
 */
export function lineDirection(text: string, fallback: Direction): Direction {
  for (const ch of text) {
    const c = classOf(ch);
    if (c === 'R') return 'rtl';
    if (c === 'L') return 'ltr';
  }
  return fallback;
}

/** Fills "{name}" placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
