// Column kinds shared by every dialect: each dialect classifies its own type names into these,
// and the schema and value conversion for a kind are written once, here.
import { DateLogical, Decimal, SchemaBuilder, TimeLogical, TimestampLogical, dataError } from '@sluice/core';
import type { Schema } from '@sluice/core';

/** What a column holds, independent of the database it lives in. */
export type ColumnKind =
  | { readonly kind: 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' | 'time' | 'timestamp' };

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
}

/** The Connect schema of a column of `kind`, optional when the column is nullable (as Confluent's). */
export function schemaOfKind(kind: ColumnKind, nullable: boolean): Schema {
  const builder = builderOf(kind);
  return (nullable ? builder.optional() : builder).build();
}

function builderOf(kind: ColumnKind): SchemaBuilder {
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
      return TimeLogical.builder();
    case 'timestamp':
      return TimestampLogical.builder();
  }
}

/**
 * The Connect value of one column from what the driver returns. The drivers are set up to hand
 * exact types as text (64-bit integers, decimals, dates and times), so nothing passes through a
 * float or the local time zone on the way.
 */
export function valueOfKind(kind: ColumnKind, raw: unknown, column: string): unknown {
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
      return raw === true || raw === 1 || raw === '1' || raw === 't' || raw === 'true';
    case 'string':
      return typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : JSON.stringify(raw);
    case 'bytes':
      return raw instanceof Uint8Array ? new Uint8Array(raw) : new TextEncoder().encode(textOf(raw, column));
    case 'decimal':
      return Decimal.parse(textOf(raw, column), kind.scale);
    case 'date':
      return new Date(`${dateText(raw, column)}T00:00:00Z`);
    case 'time':
      return new Date(Date.UTC(1970, 0, 1) + millisOfDay(textOf(raw, column), column));
    case 'timestamp':
      // Connect's Timestamp holds milliseconds; the microseconds stay in the offset's timestamp_nanos.
      return new Date(Number(epochMicros(textOf(raw, column), column) / 1000n));
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

function millisOfDay(text: string, column: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/.exec(text);
  if (match === null) throw dataError(`column \`${column}\`: expected a time as HH:MM:SS[.fraction], got \`${text}\``);
  const fraction = (match[4] ?? '').padEnd(3, '0').slice(0, 3);
  return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000 + Number(fraction);
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
  const seconds = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])) / 1000;
  const offsetSeconds = match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 3600 + Number(match[10] ?? 0) * 60 + Number(match[11] ?? 0));
  const micros = BigInt((match[7] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt(seconds - offsetSeconds) * 1_000_000n + micros;
}

/** A timestamp in microseconds as the text bound into queries, in UTC: `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function timestampText(micros: bigint): string {
  const seconds = micros >= 0n ? micros / 1_000_000n : (micros - 999_999n) / 1_000_000n;
  const fraction = micros - seconds * 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction.toString().padStart(6, '0')}`;
}
