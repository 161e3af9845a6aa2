import { Drop } from 'liquidjs';

/**
 * Typed values as templates see them. They are liquidjs Drops so that comparisons and arithmetic
 * (`{% if price > 1000 %}`, `| times: 2`) use the plain value, while the output step can still tell
 * a money amount from a number and print it in the variant's locale with its currency.
 */

/** An amount with its currency. `{{ price }}` prints it formatted; `price.amount`, `price.currency` read the parts. */
export class MoneyValue extends Drop {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {
    super();
  }
  override valueOf(): number {
    return this.amount;
  }
  override toString(): string {
    return `${this.amount} ${this.currency}`;
  }
}

/** A calendar date ('YYYY-MM-DD', no time, no zone). `{{ validUntil }}` prints it in the variant's locale. */
export class DateValue extends Drop {
  constructor(readonly iso: string) {
    super();
  }
  override valueOf(): string {
    return this.iso;
  }
  override toString(): string {
    return this.iso;
  }
}

/**
 * HTML the template itself produced (a `{% capture %}` block), already escaped where it held
 * values. The output step writes it as it is instead of escaping it a second time.
 */
export class SafeHtml extends Drop {
  constructor(readonly html: string) {
    super();
  }
  override valueOf(): string {
    return this.html;
  }
  override toString(): string {
    return this.html;
  }
}

/** Blank means nothing a reader could see: nil, '', whitespace, or an empty list. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (value instanceof SafeHtml) return value.html.trim() === '';
  if (value instanceof Drop) return false;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' naming a real calendar day (no 2025-02-30). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The calendar date of `instant` in `timeZone`, as 'YYYY-MM-DD'. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The last answer, for the minute it holds in: a render asks twice, and renders come in runs. */
let lastDay: { timeZone: string; minute: number; iso: string } | undefined;
/** Since 1980 every zone's offset is whole minutes (Monrovia's -0:44:30 ended in 1972), so a day begins and ends on a minute. */
const WHOLE_MINUTE_OFFSETS = Date.UTC(1980, 0, 1);

export function isoDateIn(instant: Date, timeZone = 'UTC'): string {
  const ms = instant.getTime();
  const minute = Math.floor(ms / 60_000);
  if (lastDay && lastDay.minute === minute && lastDay.timeZone === timeZone) return lastDay.iso;
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  // en-CA formats as YYYY-MM-DD; formatToParts keeps this independent of that detail.
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const iso = `${get('year')}-${get('month')}-${get('day')}`;
  if (ms >= WHOLE_MINUTE_OFFSETS) lastDay = { timeZone, minute, iso };
  return iso;
}

/** Adds days (or calendar months) to an ISO date. Months clamp to the month's last day: 01-31 + 1 month = 02-28. */
export function addToIsoDate(iso: string, amount: number, unit: 'd' | 'w' | 'm'): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (unit === 'm') {
    const target = new Date(Date.UTC(y, m - 1 + amount, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(d, lastDay));
    return target.toISOString().slice(0, 10);
  }
  const days = unit === 'w' ? amount * 7 : amount;
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
