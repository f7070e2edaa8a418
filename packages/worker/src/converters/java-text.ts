// How Java prints numbers and dates, for converters whose bytes must equal Kafka Connect's:
// Double.toString / Float.toString (the JDK 19+ shortest-decimal specification, which Jackson
// and Values.convertToString use), BigDecimal.toString and Values' ISO-8601 date formats.
import type { Decimal } from '@sluice/core';

const MS_PER_DAY = 86_400_000;

/** Digits (no leading zeros, at least one) and the decimal exponent of the first digit. */
interface Shortest {
  readonly digits: string;
  readonly exponent: number;
}

/** The digits and exponent of `toExponential`'s text (`d[.ddd]e±x`, unsigned), trailing zeros dropped. */
function split(exponential: string): Shortest {
  const e = exponential.indexOf('e');
  const mantissa = e < 0 ? exponential : exponential.slice(0, e);
  let digits = mantissa.length > 2 ? mantissa[0]! + mantissa.slice(2) : mantissa.slice(0, 1) || '0';
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  if (end < digits.length) digits = digits.slice(0, end);
  return { digits, exponent: e < 0 ? 0 : Number(exponential.slice(e + 1)) };
}

/**
 * The decimal Java selects for a finite, non-zero value: the shortest that rounds back to it,
 * and when that has one digit, the closest decimal of at most two digits (so 4.9E-324, not 5E-324).
 */
function shortest(value: number, roundsBack: (text: string) => boolean, maxDigits: number): Shortest {
  let found: string | undefined;
  for (let p = 1; p <= maxDigits && found === undefined; p++) {
    const text = value.toExponential(p - 1);
    if (roundsBack(text)) found = text;
  }
  found ??= value.toExponential();
  if (split(found).digits.length === 1) {
    const two = value.toExponential(1);
    if (roundsBack(two)) found = two;
  }
  return split(found);
}

function render(negative: boolean, { digits, exponent }: Shortest): string {
  const sign = negative ? '-' : '';
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1) || '0';
    return `${sign}${whole}.${fraction}`;
  }
  return `${sign}${digits[0] ?? '0'}.${digits.slice(1) || '0'}E${exponent}`;
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  return undefined;
}

/**
 * Below 10⁷ an integral value prints as its digits and `.0` (plain notation), and no decimal
 * shorter than its own digits rounds to it, so the search can be skipped.
 */
function integral(value: number): string | undefined {
  return Number.isInteger(value) && value < 1e7 && value > -1e7 ? `${value}.0` : undefined;
}

/**
 * `shortest` for a double in one step where it can be: JavaScript's `toExponential()` is the
 * shortest decimal that rounds back, so when it has at least two digits and equals the closest
 * decimal of that length, the search would stop at that length on that same text.
 */
function shortestDouble(abs: number): Shortest {
  const exact = abs.toExponential();
  const found = split(exact);
  if (found.digits.length >= 2 && abs.toExponential(found.digits.length - 1) === exact) return found;
  return shortest(abs, (text) => Number(text) === abs, 17);
}

/** Java's `Double.toString(value)`: `1.5`, `100.0`, `1.0E10`, `1.0E-7`, `-0.0`, `NaN`. */
export function javaDoubleString(value: number): string {
  const s = special(value) ?? integral(value);
  if (s !== undefined) return s;
  return render(value < 0, shortestDouble(Math.abs(value)));
}

/** Java's `Float.toString(value)` for a float32 value (`Math.fround` is applied first): `0.1`, `1.0E10`. */
export function javaFloatString(value: number): string {
  const f = Math.fround(value);
  const s = special(f) ?? integral(f);
  if (s !== undefined) return s;
  const abs = Math.abs(f);
  return render(f < 0, shortest(abs, (text) => Math.fround(Number(text)) === abs, 9));
}

/** Java's `BigDecimal.toString()`: plain unless the scale is negative or the exponent below -6 (`1.2345E+6`, `-5E-9`). */
export function bigDecimalString(value: Decimal): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString();
  const scale = value.scale;
  const adjusted = digits.length - 1 - scale;
  let text: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) text = digits;
    else {
      const padded = digits.padStart(scale + 1, '0');
      text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
    }
  } else {
    const mantissa = digits.length > 1 ? `${digits[0] ?? ''}.${digits.slice(1)}` : digits;
    text = `${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${text}` : text;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * `Values.dateFormatFor`: a time (`HH:mm:ss.SSS'Z'`) before one day after the epoch, a date
 * (`yyyy-MM-dd`) at UTC midnight, else a timestamp (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`); in UTC.
 */
export function javaIsoDate(value: Date): string {
  const ms = value.getTime();
  const time = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}.${pad(value.getUTCMilliseconds(), 3)}Z`;
  if (ms < MS_PER_DAY) return time;
  const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  return ms % MS_PER_DAY === 0 ? date : `${date}T${time}`;
}
