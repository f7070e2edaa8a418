// Column kinds shared by every dialect: each dialect classifies its own type names into these,
// and the schema and value conversion for a kind are written once, here.
import { DateLogical, Decimal, SchemaBuilder, TimeLogical, TimestampLogical, dataError } from '@sluice/core';
import type { Schema } from '@sluice/core';
import { floorDiv, instantMicros, wallMicros } from '../time-zone.ts';

/** What a column holds, independent of the database it lives in. */
export type ColumnKind =
  | { readonly kind: 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' | 'time' }
  /** `zoned`: an instant (PostgreSQL timestamptz, MySQL TIMESTAMP); otherwise a wall-clock time in `db.timezone`. */
  | { readonly kind: 'timestamp'; readonly zoned?: boolean }
  /** A one-dimensional PostgreSQL array of elements of another kind. */
  | { readonly kind: 'array'; readonly element: ColumnKind };

/** `timestamp.granularity`: Confluent's four, and Sluice's `micros_logical` (Debezium's MicroTime and MicroTimestamp). */
export const TIMESTAMP_GRANULARITIES = ['connect_logical', 'nanos_long', 'nanos_string', 'nanos_iso_datetime_string', 'micros_logical'] as const;
export type TimestampGranularity = (typeof TIMESTAMP_GRANULARITIES)[number];

/** How time values are represented (`timestamp.granularity`) and which zone wall-clock timestamps are in (`db.timezone`). */
export interface TemporalOptions {
  readonly granularity: TimestampGranularity;
  readonly timeZone: string;
}

export const DEFAULT_TEMPORAL: TemporalOptions = { granularity: 'connect_logical', timeZone: 'UTC' };

/** Debezium's schema names, which Sluice's JDBC sink (and Debezium's) write back with their microseconds. */
export const MICRO_TIME = 'io.debezium.time.MicroTime';
export const MICRO_TIMESTAMP = 'io.debezium.time.MicroTimestamp';

/** A column as the dialect reads it from the catalog. */
export interface ColumnInfo {
  readonly name: string;
  /** The database's type name, lower case (`integer`, `numeric`, `timestamp with time zone`, `varchar`…). */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly precision: number | null;
  readonly scale: number | null;
  readonly unsigned: boolean;
  /** MySQL's full column type (`tinyint(1) unsigned`), PostgreSQL's udt name of user-defined types; lower case. */
  readonly columnType: string;
  /** An array's element type, named as `dataType` names types (PostgreSQL); null otherwise. */
  readonly elementType?: string | null;
  /** An array's declared dimensions (PostgreSQL; 0 when undeclared). */
  readonly dimensions?: number | null;
}

/** The Connect schema of a column of `kind`, optional when the column is nullable (as Confluent's). */
export function schemaOfKind(kind: ColumnKind, nullable: boolean, temporal: TemporalOptions = DEFAULT_TEMPORAL): Schema {
  const builder = builderOf(kind, temporal);
  return (nullable ? builder.optional() : builder).build();
}

function builderOf(kind: ColumnKind, temporal: TemporalOptions): SchemaBuilder {
  switch (kind.kind) {
    case 'int8':
      return SchemaBuilder.int8();
    case 'int16':
      return SchemaBuilder.int16();
    case 'int32':
      return SchemaBuilder.int32();
    case 'int64':
      return SchemaBuilder.int64();
    case 'float32':
      return SchemaBuilder.float32();
    case 'float64':
      return SchemaBuilder.float64();
    case 'boolean':
      return SchemaBuilder.bool();
    case 'string':
      return SchemaBuilder.string();
    case 'bytes':
      return SchemaBuilder.bytes();
    case 'decimal':
      // Confluent adds the precision as a parameter; converters that know it (Avro) use it.
      return Decimal.builder(kind.scale).parameter('connect.decimal.precision', String(kind.precision));
    case 'date':
      return DateLogical.builder();
    case 'time':
      return temporal.granularity === 'micros_logical' ? SchemaBuilder.int64().name(MICRO_TIME).version(1) : TimeLogical.builder();
    case 'timestamp':
      return timestampBuilder(temporal.granularity);
    // elements can be NULL whatever the column says
    case 'array':
      return SchemaBuilder.array(schemaOfKind(kind.element, true, temporal));
  }
}

function timestampBuilder(granularity: TimestampGranularity): SchemaBuilder {
  switch (granularity) {
    case 'connect_logical':
      return TimestampLogical.builder();
    case 'nanos_long':
      return SchemaBuilder.int64();
    case 'nanos_string':
    case 'nanos_iso_datetime_string':
      return SchemaBuilder.string();
    case 'micros_logical':
      return SchemaBuilder.int64().name(MICRO_TIMESTAMP).version(1);
  }
}

/**
 * The Connect value of one column from what the driver returns. The drivers are set up to hand
 * exact types as text (64-bit integers, decimals, dates and times), so nothing passes through a
 * float or the local time zone on the way.
 */
export function valueOfKind(kind: ColumnKind, raw: unknown, column: string, temporal: TemporalOptions = DEFAULT_TEMPORAL): unknown {
  if (raw === null || raw === undefined) return null;
  switch (kind.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
      return Number(raw);
    case 'int64':
      return BigInt(raw as string | number | bigint);
    case 'float32':
    case 'float64':
      return Number(raw);
    case 'boolean':
      return booleanOf(raw);
    case 'string':
      return typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : JSON.stringify(raw);
    case 'bytes':
      return raw instanceof Uint8Array ? new Uint8Array(raw) : new TextEncoder().encode(textOf(raw, column));
    case 'decimal':
      return Decimal.parse(textOf(raw, column), kind.scale);
    case 'date':
      return new Date(`${dateText(raw, column)}T00:00:00Z`);
    case 'time': {
      const micros = microsOfDay(textOf(raw, column), column);
      return temporal.granularity === 'micros_logical' ? micros : new Date(Number(micros / 1000n));
    }
    case 'timestamp':
      // Connect's Timestamp (the default) holds milliseconds: read them without going through microseconds
      if (temporal.granularity === 'connect_logical') return new Date(timestampMillis(kind, textOf(raw, column), column, temporal.timeZone));
      return timestampValue(timestampMicros(kind, textOf(raw, column), column, temporal.timeZone), temporal);
    case 'array':
      return arrayElements(textOf(raw, column), column).map((element) =>
        // bytea elements come as their hex text
        kind.element.kind === 'bytes' && element !== null ? new Uint8Array(Buffer.from(element.replace(/^\\x/, ''), 'hex')) : valueOfKind(kind.element, element, column, temporal),
      );
  }
}

/**
 * A boolean as the drivers return one: PostgreSQL's true/false (`t`/`f` in arrays), MySQL's
 * TINYINT(1) as a number — any non-zero one true, as Connector/J reads it — and BIT(1) as a
 * Buffer, true when a byte is set.
 */
function booleanOf(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return raw !== 0 && raw !== 0n;
  if (raw instanceof Uint8Array) return raw.some((byte) => byte !== 0);
  if (raw === 't' || raw === 'true') return true;
  return typeof raw === 'string' && /^[+-]?\d+$/.test(raw) && /[1-9]/.test(raw);
}

/**
 * The elements of a one-dimensional PostgreSQL array as its text prints them (`{1,NULL,"a b"}`),
 * unquoted and unescaped; an unquoted NULL is null. A nested array is a data error.
 */
export function arrayElements(text: string, column: string): (string | null)[] {
  // a lower bound other than 1 is printed first: [0:2]={…}
  const body = text.replace(/^(?:\[-?\d+:-?\d+\])+=/, '');
  if (!body.startsWith('{') || !body.endsWith('}')) throw dataError(`column \`${column}\`: expected an array as {…}, got \`${text}\``);
  const elements: (string | null)[] = [];
  let i = 1;
  const end = body.length - 1;
  if (i === end) return elements;
  for (;;) {
    let value = '';
    if (body[i] === '"') {
      for (i++; i < end && body[i] !== '"'; i++) value += body[i] === '\\' ? body[++i] : body[i];
      i++;
      elements.push(value);
    } else {
      if (body[i] === '{') throw dataError(`column \`${column}\`: holds a multi-dimensional array, which Sluice does not read`);
      for (; i < end && body[i] !== ','; i++) value += body[i];
      elements.push(value === 'NULL' ? null : value);
    }
    if (i >= end) return elements;
    if (body[i] !== ',') throw dataError(`column \`${column}\`: cannot read the array \`${text}\``);
    i++;
  }
}

/**
 * Microseconds since the epoch of a timestamp column's text: an instant when the column has a time
 * zone or the text an offset, else a wall-clock time in `timeZone` (db.timezone).
 */
export function timestampMicros(kind: { readonly zoned?: boolean }, text: string, column: string, timeZone: string): bigint {
  const micros = epochMicros(text, column);
  return kind.zoned === true || hasOffset(text) ? micros : instantMicros(micros, timeZone);
}

/** {@link timestampMicros} floored to milliseconds, without BigInt for instants (the usual case). */
export function timestampMillis(kind: { readonly zoned?: boolean }, text: string, column: string, timeZone: string): number {
  if (kind.zoned === true || timeZone === 'UTC' || timeZone === 'Etc/UTC') return epochMillis(text, column);
  return Number(floorDiv(timestampMicros(kind, text, column, timeZone), 1000n));
}

function hasOffset(text: string): boolean {
  return /(?:[+-]\d{2}(?::?\d{2}(?::\d{2})?)?|Z)$/.test(text) && /\d[ T]\d/.test(text);
}

/** A timestamp's value under `timestamp.granularity`. */
function timestampValue(micros: bigint, temporal: TemporalOptions): unknown {
  switch (temporal.granularity) {
    case 'connect_logical':
      // Connect's Timestamp holds milliseconds; the microseconds stay in the offset's timestamp_nanos.
      return new Date(Number(floorDiv(micros, 1000n)));
    case 'nanos_long':
      return micros * 1000n;
    case 'nanos_string':
      return (micros * 1000n).toString();
    case 'nanos_iso_datetime_string': {
      // Confluent's yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS, the wall-clock time in db.timezone
      const text = timestampText(wallMicros(micros, temporal.timeZone));
      return `${text.slice(0, 10)}T${text.slice(11)}000`;
    }
    case 'micros_logical':
      return micros;
  }
}

/** The text of a scalar the driver returned; anything else is a driver set up wrongly. */
export function textOf(raw: unknown, column: string): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'bigint') return raw.toString();
  throw dataError(`column \`${column}\`: expected the driver to return text, got ${raw instanceof Date ? 'a Date' : typeof raw}`);
}

function dateText(raw: unknown, column: string): string {
  const text = textOf(raw, column);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw dataError(`column \`${column}\`: expected a date as YYYY-MM-DD, got \`${text}\``);
  return text;
}

function microsOfDay(text: string, column: string): bigint {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/.exec(text);
  if (match === null) throw dataError(`column \`${column}\`: expected a time as HH:MM:SS[.fraction], got \`${text}\``);
  const fraction = BigInt((match[4] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1_000_000n + fraction;
}

/**
 * Microseconds since the epoch of a timestamp as the database prints it: `YYYY-MM-DD HH:MM:SS[.ffffff]`
 * for a timestamp without time zone (read as UTC, Confluent's `db.timezone` default) or with a
 * trailing offset (`+02`, `+05:30`) for PostgreSQL's timestamptz. Kept in microseconds so that
 * offsets can store `timestamp_nanos` without going through a float.
 */
export function epochMicros(text: string, column: string): bigint {
  const match = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::(\d{2}))?|Z)?$/.exec(text);
  if (match === null) throw dataError(`column \`${column}\`: expected a timestamp as YYYY-MM-DD HH:MM:SS[.fraction][±HH[:MM]], got \`${text}\``);
  // not Date.UTC, which reads the years 0 to 99 as 1900 to 1999
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  date.setUTCHours(Number(match[4]), Number(match[5]), Number(match[6]), 0);
  const seconds = date.getTime() / 1000;
  const offsetSeconds = match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 3600 + Number(match[10] ?? 0) * 60 + Number(match[11] ?? 0));
  const micros = BigInt((match[7] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(seconds - offsetSeconds) * 1_000_000n + micros;
}

/**
 * {@link epochMicros} floored to milliseconds: the same values, read character by character for
 * the forms the databases print (a four-digit year); anything else goes through epochMicros.
 */
export function epochMillis(text: string, column: string): number {
  const length = text.length;
  const separator = text.charCodeAt(10);
  let valid = length >= 19 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && (separator === 32 || separator === 84) && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  if (month < 1 || month > 12) valid = false;
  const seconds = daysFromCivil(year, month, twoDigits(text, 8)) * 86_400 + (twoDigits(text, 11) * 60 + twoDigits(text, 14)) * 60 + twoDigits(text, 17);
  let i = 19;
  // milliseconds of the fraction (its first three digits; more digits are within the millisecond)
  let millis = 0;
  if (i < length && text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < length && digitAt(text, i) >= 0) i++;
    const digits = i - start;
    if (digits === 0 || digits > 9) valid = false;
    for (let d = 0; d < 3; d++) millis = millis * 10 + (d < digits ? digitAt(text, start + d) : 0);
  }
  let offset = 0;
  const sign = text.charCodeAt(i);
  if (sign === 90 && i + 1 === length) i++;
  else if (sign === 43 || sign === 45) {
    const hours = twoDigits(text, i + 1);
    let minutes = 0;
    let secs = 0;
    i += 3;
    if (i < length) {
      if (text.charCodeAt(i) === 58) i++;
      minutes = twoDigits(text, i);
      i += 2;
      if (i < length) {
        valid &&= text.charCodeAt(i) === 58;
        secs = twoDigits(text, i + 1);
        i += 3;
      }
    }
    offset = (sign === 45 ? -1 : 1) * (hours * 3600 + minutes * 60 + secs);
  }
  if (!valid || i !== length || Number.isNaN(seconds + offset)) return Number(floorDiv(epochMicros(text, column), 1000n));
  return (seconds - offset) * 1000 + millis;
}

/** Days since 1970-01-01 of a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil), year ≥ 0. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/** The digit at `i`, -1 for anything else. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two-digit number at `i`, NaN when either is not a digit. */
function twoDigits(text: string, i: number): number {
  const high = digitAt(text, i);
  const low = digitAt(text, i + 1);
  return high < 0 || low < 0 ? NaN : high * 10 + low;
}

/** A timestamp in microseconds as the text bound into queries, in UTC (or a wall-clock time as UTC): `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function timestampText(micros: bigint): string {
  const seconds = floorDiv(micros, 1_000_000n);
  const fraction = micros - seconds * 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction.toString().padStart(6, '0')}`;
}
