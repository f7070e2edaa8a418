// How Java renders numbers and dates as text, for Cast to STRING: a Connect FLOAT64 42 reads
// "42.0" in Kafka, so it must here too.
import type { Decimal } from '@sluice/core';

const MS_PER_DAY = 86_400_000;

/** The shortest decimal digits that read back as `value`, and the exponent of the first digit. */
function shortest(value: number, readsBack: (text: string) => boolean): { digits: string; exponent: number } {
  let text = value.toExponential();
  for (let precision = 1; precision <= 17; precision++) {
    const candidate = value.toExponential(precision - 1);
    if (readsBack(candidate)) {
      text = candidate;
      break;
    }
  }
  const [mantissa = '0', exponent = '0'] = text.split('e');
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  return { digits, exponent: Number(exponent) };
}

function render(value: number, readsBack: (text: string) => boolean): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = shortest(Math.abs(value), readsBack);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  }
  const fraction = digits.slice(1);
  return `${sign}${digits[0] ?? '0'}.${fraction === '' ? '0' : fraction}E${exponent}`;
}

/** Java's `Double.toString`: `42.0`, `0.001`, `1.0E7`, `1.25E-5`. */
export function javaDoubleString(value: number): string {
  return render(value, (text) => Number(text) === Math.abs(value));
}

/** Java's `Float.toString` of a FLOAT32 value: the shortest text that reads back as the same float. */
export function javaFloatString(value: number): string {
  const float = Math.fround(value);
  return render(float, (text) => Math.fround(Number(text)) === Math.abs(float));
}

/** Java's `BigDecimal.toString`: plain unless the scale is negative or the number is below 1E-6. */
export function bigDecimalString(value: Decimal): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString();
  const adjusted = -value.scale + (digits.length - 1);
  if (value.scale >= 0 && adjusted >= -6) return value.toString();
  const fraction = digits.slice(1);
  const mantissa = fraction === '' ? digits : `${digits[0]}.${fraction}`;
  return `${negative ? '-' : ''}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A date as Kafka's `Values.dateFormatFor` renders it: a time of day (`HH:mm:ss.SSSZ`) before the
 * first day of the epoch, a date (`yyyy-MM-dd`) at midnight, a timestamp otherwise. Always UTC.
 */
export function javaIsoDate(value: Date): string {
  const ms = value.getTime();
  const time = `${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}Z`;
  if (ms < MS_PER_DAY) return time;
  const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)}`;
  return ms % MS_PER_DAY === 0 ? date : `${date}T${time}`;
}
