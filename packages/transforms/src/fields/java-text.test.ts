import { describe, expect, it } from 'vitest';
import { Decimal } from '@sluice/core';
import { bigDecimalString, javaDoubleString, javaFloatString, javaIsoDate } from './java-text.ts';

describe('Java text', () => {
  it.each([
    [42, '42.0'],
    [0.001, '0.001'],
    [1e-4, '1.0E-4'],
    [1234567.5, '1234567.5'],
    [1e7, '1.0E7'],
    [-2.5e20, '-2.5E20'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('writes the double %d as %s', (value, text) => {
    expect(javaDoubleString(value)).toBe(text);
  });

  it('writes floats with the fewest digits that read back as the same float', () => {
    expect(javaFloatString(Math.fround(0.1))).toBe('0.1');
    expect(javaFloatString(Math.fround(3.4e38))).toBe('3.4E38');
    expect(javaFloatString(32)).toBe('32.0');
  });

  it('writes decimals as BigDecimal.toString does', () => {
    expect(bigDecimalString(Decimal.parse('12.30'))).toBe('12.30');
    expect(bigDecimalString(new Decimal(12n, -3))).toBe('1.2E+4');
    expect(bigDecimalString(new Decimal(1n, 10))).toBe('1E-10');
  });

  it('writes dates as a time of day, a date or a timestamp, in UTC', () => {
    expect(javaIsoDate(new Date(3_600_000))).toBe('01:00:00.000Z');
    expect(javaIsoDate(new Date(86_400_000))).toBe('1970-01-02');
    expect(javaIsoDate(new Date(Date.UTC(2024, 0, 31, 12, 30, 5, 7)))).toBe('2024-01-31T12:30:05.007Z');
  });
});
