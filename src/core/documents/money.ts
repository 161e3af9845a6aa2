/**
 * Money on a trade document, counted in exact decimals: a line is quantity × unit price rounded
 * half away from zero to the currency's minor unit (2 for USD, 0 for JPY, 3 for KWD), and the total
 * is the sum of the rounded lines — what a buyer's accountant adds up from the printed page.
 * Binary floating point is never used for the arithmetic (0.1 × 3 is not 0.3 in it).
 */

const minorDigitsCache = new Map<string, number>();

/** Digits after the point the currency is written with (ISO 4217 through Intl): USD 2, JPY 0, KWD 3. */
export function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** An exact decimal: value = units / 10^scale. */
interface Decimal {
  units: bigint;
  scale: number;
}

/** The exact decimal a finite JavaScript number prints as (12.5 → 125/10, 1e-7 → 1/10^7). */
export function decimalOf(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const [mantissa, exponentText] = String(value).toLowerCase().split('e') as [string, string | undefined];
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.') as [string, string | undefined];
  let units = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponentText ?? 0);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: negative ? -units : units, scale };
}

/** Rounds `value` to `digits` decimals, half away from zero, as an integer count of 10^-digits. */
function roundTo(value: Decimal, digits: number): bigint {
  if (value.scale <= digits) return value.units * 10n ** BigInt(digits - value.scale);
  const divisor = 10n ** BigInt(value.scale - digits);
  const negative = value.units < 0n;
  const magnitude = negative ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** quantity × unit price in the currency's minor units (cents), rounded half away from zero. */
export function lineAmountMinor(quantity: number, unitPrice: number, currency: string): bigint {
  const q = decimalOf(quantity);
  const p = decimalOf(unitPrice);
  return roundTo({ units: q.units * p.units, scale: q.scale + p.scale }, minorDigits(currency));
}

/** Minor units back to the number Intl formats (exact for any amount a trade document holds: < 2^53 cents). */
export function majorOf(minor: bigint, currency: string): number {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const magnitude = negative ? -minor : minor;
  const divisor = 10n ** BigInt(digits);
  const text = `${magnitude / divisor}${digits > 0 ? '.' + String(magnitude % divisor).padStart(digits, '0') : ''}`;
  return Number(negative ? '-' + text : text);
}
