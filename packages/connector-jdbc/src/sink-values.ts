// Record values → the text (or bytes) bound for a column of the destination table. The column's
// real type decides: the same Connect value becomes `1` for a MySQL tinyint(1) and `true` for a
// PostgreSQL boolean. Everything exact is bound as text, so no value passes through a float, a
// JS Date or the process's time zone on the way: decimals keep their digits, timestamps their
// microseconds.
import { LogicalNames, dataError, isDecimal, isStruct } from '@sluice/core';
import { epochMicros, timestampText } from './dialect/column-types.ts';
import type { FieldValue } from './sink-rows.ts';
import { floorDiv, wallMicros } from './time-zone.ts';

/** How a value is bound for a column, from the column's type in the catalog. */
export type BindKind = 'integer' | 'float' | 'decimal' | 'boolean' | 'text' | 'json' | 'bytes' | 'date' | 'time' | 'timestamp' | 'timestamptz' | 'array';

/** A column of a destination table as the sink needs it. */
export interface SinkColumn {
  readonly name: string;
  readonly kind: BindKind;
  readonly nullable: boolean;
  /** The type as the catalog prints it, for messages: `character varying(5)`, `datetime(6)`. */
  readonly typeText: string;
  /** PostgreSQL: the type without modifiers, for `$n::<type>[]` casts; MySQL: unused. */
  readonly castType: string;
  /** Characters a string column holds, when limited. */
  readonly maxLength: number | null;
}

export type Bound = string | Uint8Array | null;

export interface BindOptions {
  /** `db.timezone`: the zone of the wall-clock time written into timestamp columns without one. */
  readonly timeZone: string;
  /** Whether instants are written with a `+00` offset (PostgreSQL) or as UTC text (MySQL, session time zone UTC). */
  readonly offsetSuffix: boolean;
  /** Whether booleans are written as `true`/`false` (PostgreSQL) or `1`/`0`. */
  readonly booleanWords: boolean;
}

/** Debezium's temporal schema names, whose integers count other units than Connect's. */
export const DEBEZIUM = {
  DATE: 'io.debezium.time.Date',
  TIME: 'io.debezium.time.Time',
  MICRO_TIME: 'io.debezium.time.MicroTime',
  NANO_TIME: 'io.debezium.time.NanoTime',
  TIMESTAMP: 'io.debezium.time.Timestamp',
  MICRO_TIMESTAMP: 'io.debezium.time.MicroTimestamp',
  NANO_TIMESTAMP: 'io.debezium.time.NanoTimestamp',
  ZONED_TIMESTAMP: 'io.debezium.time.ZonedTimestamp',
  JSON: 'io.debezium.data.Json',
  UUID: 'io.debezium.data.Uuid',
} as const;

const DAY_MICROS = 86_400_000_000n;

/** The bound form of `field` for `column`; a `DATA` error names the column when it cannot be. */
export function bindValue(column: SinkColumn, field: FieldValue, options: BindOptions): Bound {
  const { value } = field;
  if (value === null || value === undefined) return null;
  const fail = (what: string): never => {
    throw dataError(`column \`${column.name}\` (${column.typeText}): cannot write ${what}`, { context: { column: column.name } });
  };
  const name = field.schema?.name;
  switch (column.kind) {
    case 'integer':
      if (typeof value === 'boolean') return value ? '1' : '0';
      return scalarText(value) ?? fail(describe(value));
    case 'float':
    case 'decimal':
      return scalarText(value) ?? fail(describe(value));
    case 'boolean':
      if (typeof value === 'boolean') return options.booleanWords ? String(value) : value ? '1' : '0';
      if (typeof value === 'number' || typeof value === 'bigint') {
        const truth = Number(value) !== 0;
        return options.booleanWords ? String(truth) : truth ? '1' : '0';
      }
      return typeof value === 'string' ? value : fail(describe(value));
    case 'text':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return temporalText(value, name);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return scalarText(value) ?? (typeof value === 'boolean' ? String(value) : jsonText(value));
    case 'json':
      return typeof value === 'string' ? value : jsonText(value);
    case 'bytes':
      if (value instanceof Uint8Array) return value;
      return typeof value === 'string' ? new TextEncoder().encode(value) : fail(describe(value));
    case 'date':
      if (typeof value === 'string') return value;
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      if ((typeof value === 'number' || typeof value === 'bigint') && (name === DEBEZIUM.DATE || name === LogicalNames.DATE)) {
        return timestampText(BigInt(value) * DAY_MICROS).slice(0, 10);
      }
      return fail(describe(value));
    case 'time': {
      if (typeof value === 'string') return value;
      const micros = microsOf(value, name);
      return micros === null ? fail(describe(value)) : timestampText(((micros % DAY_MICROS) + DAY_MICROS) % DAY_MICROS).slice(11);
    }
    case 'timestamp':
    case 'timestamptz': {
      if (value instanceof Date) {
        const text = dateTimestampText(value, column.kind === 'timestamptz', options);
        if (text !== null) return text;
      }
      if (typeof value === 'string' && !hasOffset(value)) return value;
      const micros = typeof value === 'string' ? parsedMicros(value, column) : microsOf(value, name);
      if (micros === null) return fail(describe(value));
      if (column.kind === 'timestamptz') return options.offsetSuffix ? `${timestampText(micros)}+00` : timestampText(micros);
      return timestampText(wallMicros(micros, options.timeZone));
    }
    case 'array':
      if (typeof value === 'string') return value;
      return Array.isArray(value) ? arrayLiteral(value) : fail(describe(value));
  }
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'an array';
  if (isStruct(value)) return 'a struct';
  if (value instanceof Map) return 'a map';
  return `${typeof value} \`${String(value)}\``;
}

/** Numbers, bigints and decimals as exact text; `null` for anything else. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'bigint') return value.toString();
  if (isDecimal(value)) return value.toString();
  if (typeof value === 'string') return value;
  return null;
}

function hasOffset(text: string): boolean {
  return /(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(text.trim()) && /\d[ T]\d/.test(text);
}

function parsedMicros(text: string, column: SinkColumn): bigint {
  try {
    return epochMicros(text.trim(), column.name);
  } catch {
    throw dataError(`column \`${column.name}\` (${column.typeText}): cannot read \`${text}\` as a timestamp`, { context: { column: column.name } });
  }
}

/** Microseconds of a Connect or Debezium temporal value; `null` when it is not one. */
function microsOf(value: unknown, name: string | undefined): bigint | null {
  if (value instanceof Date) return BigInt(value.getTime()) * 1000n;
  if (typeof value !== 'number' && typeof value !== 'bigint') return null;
  const n = BigInt(value);
  switch (name) {
    case DEBEZIUM.MICRO_TIME:
    case DEBEZIUM.MICRO_TIMESTAMP:
      return n;
    case DEBEZIUM.NANO_TIME:
    case DEBEZIUM.NANO_TIMESTAMP:
      // the microsecond the nanosecond falls in, before the epoch too
      return floorDiv(n, 1000n);
    default:
      // Connect's Time and Timestamp, Debezium's Time and Timestamp, and bare integers: milliseconds
      return n * 1000n;
  }
}

const DAY_MS = 86_400_000;
/** The `YYYY-MM-DD` of the day last formatted: a batch's timestamps mostly fall on a few days. */
let lastDay = { day: Number.NaN, text: '' };

const twoDigits = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * A Date (Connect's Timestamp) as the general path writes it (`timestampText` of its
 * microseconds), built from the day's text and the time of day: in UTC, or for a column with a
 * zone; `null` in other cases (another `db.timezone`, a year beyond 9999 or before 0, an
 * invalid Date), which the general path takes.
 */
function dateTimestampText(value: Date, zoned: boolean, options: BindOptions): string | null {
  if (!zoned && options.timeZone !== 'UTC' && options.timeZone !== 'Etc/UTC') return null;
  const ms = value.getTime();
  if (!Number.isFinite(ms)) return null;
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay.day) {
    const iso = new Date(day * DAY_MS).toISOString();
    if (iso.length !== 24) return null;
    lastDay = { day, text: iso.slice(0, 10) };
  }
  const t = ms - day * DAY_MS;
  const millis = t % 1000;
  const text = `${lastDay.text} ${twoDigits(Math.floor(t / 3_600_000))}:${twoDigits(Math.floor(t / 60_000) % 60)}:${twoDigits(Math.floor(t / 1000) % 60)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}000`;
  return zoned && options.offsetSuffix ? `${text}+00` : text;
}

function temporalText(value: Date, name: string | undefined): string {
  if (name === LogicalNames.DATE) return value.toISOString().slice(0, 10);
  if (name === LogicalNames.TIME) return value.toISOString().slice(11, 23);
  return value.toISOString();
}

/** JSON text of any Connect value: structs and maps as objects, exact numbers, bytes as base64 (as JsonConverter writes them). */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint' || isDecimal(value)) return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const entries = isStruct(value)
    ? (value.schema.fields ?? []).map((f) => [f.name, value.get(f)] as const)
    : value instanceof Map
      ? [...value.entries()].map(([k, v]) => [String(k), v] as const)
      : Object.entries(value);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** A PostgreSQL array literal (`{1,"a b",NULL}`) of a JS array, nested arrays as dimensions. */
export function arrayLiteral(values: readonly unknown[]): string {
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    let text: string;
    if (typeof v === 'boolean') text = v ? 't' : 'f';
    else if (v instanceof Uint8Array) text = `\\x${Buffer.from(v).toString('hex')}`;
    else if (v instanceof Date) text = v.toISOString();
    else text = scalarText(v) ?? jsonText(v);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  };
  return `{${values.map(element).join(',')}}`;
}
