import { describe, expect, it } from '@jest/globals';
import { decimalOf, lineAmountMinor, majorOf, minorDigits } from '../../../src/core/documents/money.js';

describe('document money', () => {
  it('knows each currency’s minor unit', () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });

  it('reads a number as the exact decimal it prints as', () => {
    expect(decimalOf(12.345)).toEqual({ units: 12345n, scale: 3 });
    expect(decimalOf(1e-7)).toEqual({ units: 1n, scale: 7 });
    expect(decimalOf(2e21)).toEqual({ units: 2000000000000000000000n, scale: 0 });
  });

  it('multiplies exactly and rounds half away from zero to cents', () => {
    // 0.1 × 3 is 0.30000000000000004 in floating point; here it is 30 cents.
    expect(lineAmountMinor(3, 0.1, 'USD')).toBe(30n);
    // 100 × 12.345 = 1234.5 exactly → 123450 cents.
    expect(lineAmountMinor(100, 12.345, 'USD')).toBe(123450n);
    // 101 × 13.345 = 1347.845 → half a cent rounds up to 1347.85.
    expect(lineAmountMinor(101, 13.345, 'USD')).toBe(134785n);
    // 1.005 × 1 is 1.00499999… in floating point; as a decimal it is 1.005 → 1.01.
    expect(lineAmountMinor(1, 1.005, 'USD')).toBe(101n);
    // Yen have no minor unit: 3 × 333.5 = 1000.5 → 1001.
    expect(lineAmountMinor(3, 333.5, 'JPY')).toBe(1001n);
    // Kuwaiti dinar: 3 decimals. 7 × 0.1235 = 0.8645 → 0.865.
    expect(lineAmountMinor(7, 0.1235, 'KWD')).toBe(865n);
  });

  it('turns minor units back into the amount', () => {
    expect(majorOf(123450n, 'USD')).toBe(1234.5);
    expect(majorOf(5n, 'USD')).toBe(0.05);
    expect(majorOf(1001n, 'JPY')).toBe(1001);
    expect(majorOf(865n, 'KWD')).toBe(0.865);
  });
});
