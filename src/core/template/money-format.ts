/**
 * Currency amounts in a locale's own writing, as Intl.NumberFormat writes them, without asking
 * Intl for every amount. Intl's format() was ~26 % of rendering the 50-line quotation's HTML; a
 * quotation prints dozens of amounts in one locale and currency.
 *
 * For each locale + currency, Intl is asked once (`formatToParts` on probe numbers) for the
 * pieces of its pattern: what comes before and after the number for positive and negative
 * amounts (currency symbol, its spacing, the minus sign, bidi marks), the group and decimal
 * separators, the grouping sizes (3, or 3 then 2 in Indian English and Bengali), the minimum
 * grouping digits (Spanish and Polish leave 1234 ungrouped), the fraction digits, and the digits
 * themselves (Arabic-Indic, Persian, Bengali…). Amounts are then written from their shortest
 * decimal form (`String(x)`, the form Intl rounds from: 2.675 → 2.68) with string arithmetic:
 * rounded half away from zero, grouped, digits mapped. The result is checked against Intl on a
 * set of probes before it is used; anything not proven — a pattern with pieces inside the
 * number, fraction digits that vary, amounts of 10^15 and more or written with an exponent,
 * NaN and infinities — is left to Intl. `test/core/template/money-format.test.ts` holds it to
 * Intl over every locale the product renders in and every currency Intl knows.
 */

interface Affixes {
  prefix: string;
  suffix: string;
}

interface Layout {
  positive: Affixes;
  negative: Affixes;
  group: string;
  decimal: string;
  fraction: number;
  /** Digits in the last group and in the groups before it; 0 when the locale does not group. */
  primary: number;
  secondary: number;
  /** The fewest digits before the last group for grouping to apply (1, or 2 in es and pl). */
  minGrouping: number;
  /** The locale's digits 0–9, or undefined for ASCII digits. */
  digits: string[] | undefined;
}

interface Shape extends Affixes {
  integers: string[];
  group: string | undefined;
  decimal: string | undefined;
  fraction: string;
}

/** A formatted number cut into what comes before, the number itself, and what comes after; undefined when the pieces interleave. */
function shapeOf(parts: Intl.NumberFormatPart[]): Shape | undefined {
  const shape: Shape = { prefix: '', suffix: '', integers: [], group: undefined, decimal: undefined, fraction: '' };
  let stage: 'before' | 'number' | 'after' = 'before';
  for (const part of parts) {
    const numeric = part.type === 'integer' || part.type === 'group' || part.type === 'decimal' || part.type === 'fraction';
    if (numeric) {
      if (stage === 'after') return undefined;
      stage = 'number';
      if (part.type === 'integer') shape.integers.push(part.value);
      else if (part.type === 'group') {
        if (shape.group !== undefined && shape.group !== part.value) return undefined;
        shape.group = part.value;
      } else if (part.type === 'decimal') shape.decimal = part.value;
      else shape.fraction += part.value;
    } else if (stage === 'before') shape.prefix += part.value;
    else {
      stage = 'after';
      shape.suffix += part.value;
    }
  }
  return stage === 'before' ? undefined : shape;
}

const PROBE = 1234567890123.25;
const PROBE_DIGITS = '1234567890123';

function layoutOf(intl: Intl.NumberFormat): Layout | undefined {
  const options = intl.resolvedOptions();
  const fraction = options.maximumFractionDigits;
  if (fraction === undefined || options.minimumFractionDigits !== fraction || fraction > 6) return undefined;
  const positive = shapeOf(intl.formatToParts(PROBE));
  const negative = shapeOf(intl.formatToParts(-PROBE));
  if (!positive || !negative) return undefined;
  if (negative.integers.join(negative.group ?? '') !== positive.integers.join(positive.group ?? '') || negative.fraction !== positive.fraction || negative.decimal !== positive.decimal) return undefined;
  // The digits, read off the probe's integer digits (one code point each).
  const written = Array.from(positive.integers.join(''));
  if (written.length !== PROBE_DIGITS.length) return undefined;
  const digits: string[] = [];
  for (let i = 0; i < written.length; i++) {
    const d = Number(PROBE_DIGITS[i]);
    if (digits[d] !== undefined && digits[d] !== written[i]) return undefined;
    digits[d] = written[i]!;
  }
  if (digits.length !== 10 || digits.some((d) => d === undefined)) return undefined;
  const ascii = digits.join('') === '0123456789';
  // Grouping: the last group's size, the size of those before it, and from how many digits on.
  let primary = 0;
  let secondary = 0;
  let minGrouping = 0;
  if (positive.integers.length > 1) {
    const sizes = positive.integers.map((s) => Array.from(s).length);
    primary = sizes[sizes.length - 1]!;
    secondary = sizes.length > 2 ? sizes[sizes.length - 2]! : primary;
    for (let i = 1; i < sizes.length - 1; i++) if (sizes[i] !== secondary) return undefined;
    for (let k = 1; k <= 3 && minGrouping === 0; k++) if (intl.formatToParts(10 ** (primary + k - 1)).some((p) => p.type === 'group')) minGrouping = k;
    if (minGrouping === 0) return undefined;
  }
  if (fraction > 0 && positive.decimal === undefined) return undefined;
  return {
    positive: { prefix: positive.prefix, suffix: positive.suffix },
    negative: { prefix: negative.prefix, suffix: negative.suffix },
    group: positive.group ?? '',
    decimal: positive.decimal ?? '',
    fraction,
    primary,
    secondary,
    minGrouping,
    digits: ascii ? undefined : digits,
  };
}

/** A decimal digit string plus one in its last place ("1299" → "1300", "99" → "100"). */
function increment(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return '1' + '0'.repeat(digits.length);
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - i - 1);
}

/** Amounts written by the layout; beyond this (and below 10^-6, written with an exponent) Intl writes them. */
const LIMIT = 1e15;

const SCALE = [1, 10, 100, 1000, 10000, 100000, 1000000];
/** Below this, an amount scaled to whole minor units that comes out a whole number is within 2^-19 of one: see `write`. */
const EXACT_SCALED = 2 ** 34;

function write(layout: Layout, amount: number): string | undefined {
  if (!(amount > -LIMIT && amount < LIMIT)) return undefined; // NaN, infinities, huge
  const negative = amount < 0 || Object.is(amount, -0);
  const abs = negative ? -amount : amount;
  const places = layout.fraction;
  let whole: string;
  let fraction: string;
  // Most amounts are whole minor units (12.5, 1485): scaled, they are a whole number, written as
  // an integer — far cheaper than a double's shortest text. The shortest text of such an amount
  // rounds to the same figure: it is within half an ulp of the amount, and the scaled amount
  // within 2^-19 of the integer, so its digits past `places` are 000… or 999… (rounded up).
  const scaled = abs * SCALE[places]!;
  if (scaled < EXACT_SCALED && Number.isInteger(scaled)) {
    const digits = String(scaled);
    if (places === 0) {
      whole = digits;
      fraction = '';
    } else if (digits.length > places) {
      whole = digits.slice(0, digits.length - places);
      fraction = digits.slice(digits.length - places);
    } else {
      whole = '0';
      fraction = digits.padStart(places, '0');
    }
  } else {
    const text = String(abs);
    if (text.includes('e')) return undefined;
    const point = text.indexOf('.');
    whole = point < 0 ? text : text.slice(0, point);
    fraction = point < 0 ? '' : text.slice(point + 1);
  }
  if (fraction.length > places) {
    const up = fraction.charCodeAt(places) >= 53; // the next digit is 5 or more: half away from zero
    fraction = fraction.slice(0, places);
    if (up) {
      const all = increment(whole + fraction);
      whole = all.slice(0, all.length - places);
      fraction = all.slice(all.length - places);
    }
  } else if (fraction.length < places) fraction = fraction.padEnd(places, '0');
  const { primary } = layout;
  if (primary > 0 && whole.length >= primary + layout.minGrouping) {
    let grouped = whole.slice(whole.length - primary);
    let end = whole.length - primary;
    while (end > 0) {
      const start = end > layout.secondary ? end - layout.secondary : 0;
      grouped = whole.slice(start, end) + layout.group + grouped;
      end = start;
    }
    whole = grouped;
  }
  let number = places > 0 ? whole + layout.decimal + fraction : whole;
  if (layout.digits) {
    const digits = layout.digits;
    let mapped = '';
    for (let i = 0; i < number.length; i++) {
      const c = number.charCodeAt(i);
      mapped += c >= 48 && c <= 57 ? digits[c - 48]! : number[i];
    }
    number = mapped;
  }
  const affixes = negative ? layout.negative : layout.positive;
  return affixes.prefix + number + affixes.suffix;
}

/** Amounts the layout must write exactly as Intl does before it is trusted: signs, zero, rounding edges, grouping edges, large. */
const PROOF = [0, -0, 1, -1, 0.5, 0.05, 0.005, -0.004, 0.995, 9.995, 12, 123, 999.5, 1000, 9999.99, 10000, 100000, -1234.5, 12345.675, 2.675, 1.005, 1234567.891, -98765432.1, 999999.995, 123456789012.345, 999999999999999];

/**
 * `(amount) => text` for a locale and currency: the layout when it writes every proof amount as
 * Intl does, else Intl's own format. Throws as Intl does for a locale or currency it refuses.
 */
export function moneyFormatter(locale: string, currency: string): (amount: number) => string {
  const intl = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const plain = (amount: number) => intl.format(amount);
  const layout = layoutOf(intl);
  if (!layout) return plain;
  for (const amount of PROOF) if (write(layout, amount) !== intl.format(amount)) return plain;
  return (amount) => write(layout, amount) ?? intl.format(amount);
}

/** Whether moneyFormatter writes this locale and currency itself (for tests and the docs' figures). */
export function hasOwnLayout(locale: string, currency: string): boolean {
  const intl = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const layout = layoutOf(intl);
  return layout !== undefined && PROOF.every((amount) => write(layout, amount) === intl.format(amount));
}
