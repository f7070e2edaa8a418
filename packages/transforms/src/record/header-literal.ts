// The typed value InsertHeader puts in a header, read from its `value.literal` text. Kafka uses
// `Values.parseString`; this covers the scalar part of it. @sluice/transforms cannot use the
// worker's full port (a plugin depends on @sluice/core only), so arrays (`[1,2]`) and maps
// (`{a:1}`) stay strings here.
import { DateLogical, Decimal, Schemas, TimeLogical, TimestampLogical } from '@sluice/core';
import type { SchemaAndValue } from '@sluice/core';

// Kafka tries a number only when the text starts with a digit, `+` or `-` (then Java's
// BigDecimal reads it, which takes `-.5` but not `1.` with nothing after a sign): `.5` is a string.
const NUMBER = /^(?:[+-]?\d+\.?\d*|[+-]\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** Java's `String.trim()`: strips every character up to U+0020. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

function utc(parts: readonly (string | undefined)[]): Date {
  const [y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0] = parts.map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date;
}

/** A number as Kafka types it: the smallest integer type that holds a whole value, FLOAT32 or FLOAT64 otherwise, Decimal beyond. */
function parseNumber(text: string): SchemaAndValue {
  const decimal = Decimal.parse(text);
  let { unscaled, scale } = decimal;
  // "1.0" and "1e2" are whole numbers, so Kafka gives them an integer type.
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n;
    scale--;
  }
  // The exponent is capped so that "1e999999" never builds a huge bigint; it is no INT64 anyway.
  const whole = scale <= 0 && scale > -20 ? unscaled * 10n ** BigInt(-scale) : undefined;
  if (whole !== undefined && whole >= -(1n << 63n) && whole < 1n << 63n) {
    if (whole >= -128n && whole <= 127n) return { schema: Schemas.INT8, value: Number(whole) };
    if (whole >= -32768n && whole <= 32767n) return { schema: Schemas.INT16, value: Number(whole) };
    if (whole >= -2147483648n && whole <= 2147483647n) return { schema: Schemas.INT32, value: Number(whole) };
    return { schema: Schemas.INT64, value: whole };
  }
  const n = Number(text);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(n))) return { schema: Schemas.FLOAT32, value: Math.fround(n) };
  if (decimal.scale !== 0 && Number.isFinite(n)) return { schema: Schemas.FLOAT64, value: n };
  return { schema: Decimal.schema(decimal.scale), value: decimal };
}

/**
 * The schema and value of a header literal: `null` (no schema), `true`/`false` (BOOLEAN),
 * numbers (INT8…INT64, FLOAT32, FLOAT64 or Decimal), ISO-8601 `yyyy-MM-dd` (Date),
 * `HH:mm:ss.SSSZ` (Time) and `yyyy-MM-ddTHH:mm:ss.SSSZ` (Timestamp) in UTC, else the text as a
 * STRING. The whole text must be one of those: unlike Kafka, which types text such as `1,2` or
 * `12:30` by its first token, such text stays a STRING.
 */
export function parseHeaderLiteral(text: string): SchemaAndValue {
  const token = javaTrim(text);
  if (token === '') return { schema: Schemas.STRING, value: text };
  if (token === 'null') return { schema: undefined, value: null };
  if (token === 'true' || token === 'false') return { schema: Schemas.BOOLEAN, value: token === 'true' };
  if (NUMBER.test(token)) return parseNumber(token);
  const date = DATE.exec(token);
  if (date !== null) return { schema: DateLogical.schema(), value: utc(date.slice(1)) };
  const time = TIME.exec(token);
  if (time !== null) {
    const [h, m, sec, ms] = time.slice(1).map(Number) as [number, number, number, number];
    const millis = ((h * 60 + m) * 60 + sec) * 1000 + ms;
    if (millis < 86_400_000) return { schema: TimeLogical.schema(), value: new Date(millis) };
  }
  const timestamp = TIMESTAMP.exec(token);
  if (timestamp !== null) return { schema: TimestampLogical.schema(), value: utc(timestamp.slice(1)) };
  return { schema: Schemas.STRING, value: text };
}
