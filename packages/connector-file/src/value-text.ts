// The text FileStreamSink writes for a record value. Apache's task prints `record.value()` with
// Java's toString; this renders the same text for the Connect data model's JS values, except
// where Java's text is useless (byte arrays print as `[B@1b6d3586`) or depends on the JVM's
// time zone (java.util.Date).
import { isDecimal, isStruct } from '@sluice/core';
import type { Schema } from '@sluice/core';

const NEWLINE = Buffer.from('\n');

/** One output line: the value's bytes and a LF. A top-level BYTES value is written unchanged. */
export function lineOf(value: unknown, schema: Schema | undefined): Buffer {
  if (value instanceof Uint8Array) return Buffer.concat([value, NEWLINE]);
  return Buffer.from(`${valueText(value, schema)}\n`, 'utf8');
}

/**
 * Java's `String.valueOf(value)` for a Connect value: `null`, strings as they are, integers in
 * decimal, FLOAT32/FLOAT64 as `Float.toString`/`Double.toString` (`1.0`, `1.0E10`; a number
 * without a schema is a FLOAT64, as schemaless JSON makes it), `Struct{a=1,b=x}` (null fields
 * left out), maps `{k=v, k2=v2}`, arrays `[a, b]`, Decimal in plain notation. Nested bytes are
 * base64 and dates ISO-8601 (UTC).
 */
export function valueText(value: unknown, schema?: Schema): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return numberText(value, schema);
    default:
      break;
  }
  if (isStruct(value)) {
    const parts: string[] = [];
    for (const field of value.schema.fields ?? []) {
      const v = value.getWithoutDefault(field.name);
      if (v !== null && v !== undefined) parts.push(`${field.name}=${valueText(v, field.schema)}`);
    }
    return `Struct{${parts.join(',')}}`;
  }
  if (isDecimal(value)) return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  if (Array.isArray(value)) return `[${value.map((v: unknown) => valueText(v, schema?.valueSchema)).join(', ')}]`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[function ${value.name}]`; // never Connect data
  const entries = value instanceof Map ? [...(value as Map<unknown, unknown>).entries()] : Object.entries(value);
  return `{${entries.map(([k, v]) => `${valueText(k, schema?.keySchema)}=${valueText(v, schema?.valueSchema)}`).join(', ')}}`;
}

function numberText(value: number, schema: Schema | undefined): string {
  switch (schema?.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return String(value);
    case 'FLOAT32':
      return floatingText(value, true);
    default:
      return floatingText(value, false);
  }
}

/** Java's `Double.toString` (or `Float.toString` with `float32`), from the shortest decimal that reads back as the value. */
function floatingText(value: number, float32: boolean): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  let exponential = value.toExponential(); // the shortest digits that round-trip a double
  if (float32) {
    for (let digits = 0; digits < 9; digits++) {
      const candidate = value.toExponential(digits);
      if (Math.fround(Number(candidate)) === value) {
        exponential = candidate;
        break;
      }
    }
  }
  const [mantissa = '0', exp = '0'] = exponential.split('e');
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exp);
  const sign = value < 0 ? '-' : '';
  if (exponent < -3 || exponent >= 7) return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}
