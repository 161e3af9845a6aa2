import type { PackField, PackTemplate } from '../pack/schema.js';
import { didYouMean } from '../text/suggest.js';
import { addToIsoDate, DateValue, isIsoDate, isoDateIn, MoneyValue } from './values.js';
import { localized } from './localized.js';

export { localized, type Localized } from './localized.js';

export interface FieldError {
  field: string;
  message: string;
}

export interface FieldCheck {
  /** Values by field name, typed: numbers, MoneyValue, DateValue, trimmed text, rows of lines. Blank values are left out. */
  values: Record<string, unknown>;
  errors: FieldError[];
}

type Column = NonNullable<PackField['columns']>[number];
type Normalized = { value: unknown } | { error: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
// Local part without spaces or brackets, a domain of dot-separated labels; letters may be any script.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text);
}

/** Nothing there: undefined, null, or text that is only whitespace. */
export function isBlankInput(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

function normalizeMoney(value: unknown, declared: string | undefined): Normalized {
  if (value instanceof MoneyValue) return { value };
  let amount: number | undefined;
  let currency = declared;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'amount' in value) {
    const given = value as { amount: unknown; currency?: unknown };
    amount = toNumber(given.amount);
    if (given.currency !== undefined && given.currency !== null && given.currency !== '') {
      if (typeof given.currency !== 'string' || !/^[A-Za-z]{3}$/.test(given.currency)) {
        return { error: `has currency ${quoted(given.currency)}; a currency is a three-letter code such as "USD"` };
      }
      currency = given.currency.toUpperCase();
    }
  } else {
    amount = toNumber(value);
  }
  if (amount === undefined) return { error: `must be an amount of money; got ${quoted(value)}` };
  if (amount < 0) return { error: `must not be negative; got ${amount}` };
  if (!currency) return { error: 'has no currency: give {amount, currency} or declare the currency on the field' };
  return { value: new MoneyValue(amount, currency) };
}

function normalizeDate(value: unknown): Normalized {
  if (value instanceof DateValue) return { value };
  if (value instanceof Date && !Number.isNaN(value.getTime())) return { value: new DateValue(value.toISOString().slice(0, 10)) };
  if (typeof value === 'string' && isIsoDate(value.trim())) return { value: new DateValue(value.trim()) };
  return { error: `must be a date written YYYY-MM-DD; got ${quoted(value)}` };
}

function normalizeUrl(value: unknown): Normalized {
  if (typeof value !== 'string') return { error: `must be a web address; got ${quoted(value)}` };
  const text = value.trim();
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { error: `is not a web address; got ${quoted(value)}` };
  }
  // Only links a reader can open safely: a javascript: or data: "URL" runs or embeds content.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `must be an http or https web address; got ${quoted(value)}` };
  }
  if (!url.hostname || /\s/.test(text)) return { error: `is not a web address; got ${quoted(value)}` };
  return { value: withScheme };
}

function normalizeScalar(type: PackField['type'] | Column['type'], value: unknown, spec: { options?: string[]; currency?: string }): Normalized {
  switch (type) {
    case 'text':
    case 'textarea': {
      if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
      if (typeof value !== 'string') return { error: `must be text; got ${quoted(value)}` };
      return { value: (value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value).trim() };
    }
    case 'number': {
      const n = toNumber(value);
      return n === undefined ? { error: `must be a number; got ${quoted(value)}` } : { value: n };
    }
    case 'money':
      return normalizeMoney(value, spec.currency);
    case 'date':
      return normalizeDate(value);
    case 'choice': {
      const options = spec.options ?? [];
      const text = typeof value === 'string' ? value.trim() : String(value);
      if (options.includes(text)) return { value: text };
      const sameButCase = options.find((o) => o.toLowerCase() === text.toLowerCase());
      if (sameButCase) return { value: sameButCase };
      return { error: `must be one of ${options.join(' | ')}; got ${quoted(value)}${didYouMean(text, options)}` };
    }
    case 'email': {
      const text = typeof value === 'string' ? value.trim() : '';
      return EMAIL.test(text) ? { value: text } : { error: `is not an email address; got ${quoted(value)}` };
    }
    case 'url':
      return normalizeUrl(value);
    default:
      return { error: `has an unknown type ${String(type)}` };
  }
}

function normalizeLines(field: PackField, value: unknown, errors: FieldError[]): unknown[] | undefined {
  if (!Array.isArray(value)) {
    errors.push({ field: field.name, message: `must be a list of rows; got ${quoted(value)}` });
    return undefined;
  }
  const columns = field.columns ?? [];
  const rows: Record<string, unknown>[] = [];
  value.forEach((row: unknown, index) => {
    const at = `row ${index + 1}`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      errors.push({ field: field.name, message: `${at}: must be a row of ${columns.map((c) => c.name).join(', ')}; got ${quoted(row)}` });
      return;
    }
    const given = row as Record<string, unknown>;
    // An empty row is what a form leaves after "add line"; it is not a line.
    if (columns.every((c) => isBlankInput(given[c.name]))) return;
    const out: Record<string, unknown> = {};
    for (const column of columns) {
      const cell = given[column.name];
      if (isBlankInput(cell)) {
        if (column.required) errors.push({ field: field.name, message: `${at}: ${column.name} is required` });
        continue;
      }
      const normalized = normalizeScalar(column.type, cell, { currency: column.currency });
      if ('error' in normalized) errors.push({ field: field.name, message: `${at}: ${column.name} ${normalized.error}` });
      else out[column.name] = normalized.value;
    }
    rows.push(out);
  });
  return rows;
}

/**
 * Checks values typed into a template's fields and returns them normalized for rendering.
 * Blank values are left out (they are "missing", which rendering reports); values for names the
 * template does not declare are dropped, so a form keeping old state cannot leak it into a mail.
 */
export function checkFieldValues(template: PackTemplate, values: Record<string, unknown>): FieldCheck {
  const out: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const field of template.fields ?? []) {
    const value = values[field.name];
    if (isBlankInput(value)) continue;
    if (field.type === 'lines') {
      const rows = normalizeLines(field, value, errors);
      if (rows) out[field.name] = rows;
      continue;
    }
    const normalized = normalizeScalar(field.type, value, field);
    if ('error' in normalized) errors.push({ field: field.name, message: normalized.error });
    else if (!(typeof normalized.value === 'string' && normalized.value === '')) out[field.name] = normalized.value;
  }
  return { values: out, errors };
}

/**
 * A date default relative to today: "today", "+30d", "+2w", "+1m" (also "-7d"), or a fixed 'YYYY-MM-DD'.
 * Returns undefined for anything else.
 */
export function resolveDateDefault(spec: string, today: string): string | undefined {
  const text = spec.trim();
  if (text === 'today') return today;
  if (isIsoDate(text)) return text;
  const m = /^([+-])\s*(\d{1,4})\s*([dwm])$/i.exec(text);
  if (!m) return undefined;
  const amount = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  return addToIsoDate(today, amount, m[3]!.toLowerCase() as 'd' | 'w' | 'm');
}

/** The values with each blank field filled from the field's `default` in the pack. */
export function applyFieldDefaults(template: PackTemplate, values: Record<string, unknown>, options: { now?: Date; timeZone?: string } = {}): Record<string, unknown> {
  const out = { ...values };
  const today = isoDateIn(options.now ?? new Date(), options.timeZone ?? 'UTC');
  for (const field of template.fields ?? []) {
    if (field.default === undefined || !isBlankInput(out[field.name])) continue;
    if (field.type === 'date' && typeof field.default === 'string') {
      out[field.name] = resolveDateDefault(field.default, today) ?? field.default;
    } else {
      out[field.name] = field.default;
    }
  }
  return out;
}
