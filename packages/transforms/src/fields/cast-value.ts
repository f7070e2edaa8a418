// Cast's conversion of one value to a primitive type, with Java's widening and narrowing rules
// (an INT64 cast to INT8 keeps the low 8 bits; a FLOAT64 cast to INT32 truncates and saturates).
import { DateLogical, LogicalNames, TimeLogical, TimestampLogical, dataError, isDecimal } from '@sluice/core';
import type { Decimal, Schema, SchemaType } from '@sluice/core';
import { bigDecimalString, javaDoubleString, javaFloatString, javaIsoDate } from './java-text.ts';
import { kindOf, schemalessType } from './support.ts';

/** The types Cast can cast to. */
export const CAST_TARGETS: readonly SchemaType[] = ['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BOOLEAN', 'STRING'];
/** The types Cast can cast from. */
const CAST_SOURCES: readonly SchemaType[] = [...CAST_TARGETS, 'BYTES'];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const BITS = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 } as const;
const JAVA_INTEGER = /^[+-]?\d+$/;
const JAVA_FLOAT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/** How a value reads as a number: integers wrap when narrowed, floats truncate and saturate. */
type Source = { kind: 'int'; value: bigint } | { kind: 'float'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'string'; value: string } | { kind: 'decimal'; value: Decimal } | { kind: 'bytes'; value: Uint8Array } | { kind: 'date'; value: Date };

function outOfRange(value: unknown): never {
  throw dataError(`Cast: value \`${String(value)}\` is out of range for the requested type, or not a number`);
}

/** The whole part of a decimal (toward zero), as Java's `BigDecimal.toBigInteger`. */
function decimalWhole(value: Decimal): bigint {
  return value.scale >= 0 ? value.unscaled / 10n ** BigInt(value.scale) : value.unscaled * 10n ** BigInt(-value.scale);
}

/** A Date/Time/Timestamp value in its wire form, as Kafka encodes it before a non-string cast. */
function encodeLogical(schema: Schema, value: Date): Source {
  switch (schema.name) {
    case LogicalNames.DATE:
      return { kind: 'int', value: BigInt(DateLogical.fromLogical(schema, value)) };
    case LogicalNames.TIME:
      return { kind: 'int', value: BigInt(TimeLogical.fromLogical(schema, value)) };
    default:
      return { kind: 'int', value: TimestampLogical.fromLogical(schema, value) };
  }
}

function classify(schema: Schema | undefined, value: unknown, target: SchemaType): Source {
  const type = schema === undefined ? schemalessType(value) : schema.type;
  if (type === undefined) throw dataError(`Cast was given a ${kindOf(value)} value, which Connect's data API does not support without a schema`);
  if (!CAST_SOURCES.includes(type)) throw dataError(`Cast does not support casting from ${type}; supported types are ${CAST_SOURCES.join(', ')}`);
  if (value instanceof Date) {
    if (schema === undefined) throw dataError('Cast was given a Date value without a schema');
    return target === 'STRING' ? { kind: 'date', value } : encodeLogical(schema, value);
  }
  if (isDecimal(value)) return { kind: 'decimal', value };
  switch (typeof value) {
    case 'bigint':
      return { kind: 'int', value };
    case 'number':
      return (type === 'FLOAT32' || type === 'FLOAT64' || !Number.isSafeInteger(value)) ? { kind: 'float', value } : { kind: 'int', value: BigInt(value) };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'string':
      return { kind: 'string', value };
    default:
      if (value instanceof Uint8Array) return { kind: 'bytes', value };
      throw dataError(`Cast: a ${kindOf(value)} value does not match its ${type} schema`);
  }
}

/** Java's narrowing of a double to a long: toward zero, NaN to 0, saturating at the range ends. */
function doubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return INT64_MAX;
  if (value <= -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(value));
}

/** Java's narrowing of a double to an int, then to the target width. */
function doubleToInt(value: number, bits: number): number {
  const n = Number.isNaN(value) ? 0 : Math.min(INT32_MAX, Math.max(INT32_MIN, Math.trunc(value)));
  return Number(BigInt.asIntN(bits, BigInt(n)));
}

function toInteger(source: Source, type: 'INT8' | 'INT16' | 'INT32' | 'INT64'): number | bigint {
  const bits = BITS[type];
  const wrap = (n: bigint): number | bigint => (bits === 64 ? BigInt.asIntN(64, n) : Number(BigInt.asIntN(bits, n)));
  switch (source.kind) {
    case 'int':
      return wrap(source.value);
    case 'float':
      return bits === 64 ? doubleToLong(source.value) : doubleToInt(source.value, bits);
    case 'decimal':
      return wrap(decimalWhole(source.value));
    case 'boolean':
      return bits === 64 ? BigInt(source.value ? 1 : 0) : source.value ? 1 : 0;
    case 'string': {
      if (!JAVA_INTEGER.test(source.value)) outOfRange(source.value);
      const n = BigInt(source.value);
      const limit = 2n ** BigInt(bits - 1);
      if (n < -limit || n >= limit) outOfRange(source.value);
      return bits === 64 ? n : Number(n);
    }
    default:
      throw dataError(`Cast: cannot cast a ${source.kind === 'bytes' ? 'BYTES' : source.kind} value to ${type}`);
  }
}

function toFloat(source: Source, type: 'FLOAT32' | 'FLOAT64'): number {
  let n: number;
  switch (source.kind) {
    case 'int':
      n = Number(source.value);
      break;
    case 'float':
      n = source.value;
      break;
    case 'decimal':
      n = Number(source.value.toString());
      break;
    case 'boolean':
      n = source.value ? 1 : 0;
      break;
    case 'string': {
      const text = source.value.trim();
      if (!JAVA_FLOAT.test(text)) outOfRange(source.value);
      n = Number(text.replace(/[fFdD]$/, ''));
      break;
    }
    default:
      throw dataError(`Cast: cannot cast a ${source.kind === 'bytes' ? 'BYTES' : source.kind} value to ${type}`);
  }
  return type === 'FLOAT32' ? Math.fround(n) : n;
}

function toBoolean(source: Source): boolean {
  switch (source.kind) {
    case 'int':
      return source.value !== 0n;
    case 'float':
      return doubleToLong(source.value) !== 0n;
    case 'decimal':
      return BigInt.asIntN(64, decimalWhole(source.value)) !== 0n;
    case 'boolean':
      return source.value;
    case 'string':
      return source.value.toLowerCase() === 'true';
    default:
      throw dataError(`Cast: cannot cast a ${source.kind === 'bytes' ? 'BYTES' : source.kind} value to BOOLEAN`);
  }
}

function toText(source: Source, schema: Schema | undefined): string {
  switch (source.kind) {
    case 'date':
      return javaIsoDate(source.value);
    case 'bytes':
      return Buffer.from(source.value.buffer, source.value.byteOffset, source.value.byteLength).toString('base64');
    case 'decimal':
      return bigDecimalString(source.value);
    case 'float':
      if (schema?.type === 'FLOAT32') return javaFloatString(source.value);
      return schema === undefined && Number.isInteger(source.value) ? String(source.value) : javaDoubleString(source.value);
    case 'int':
    case 'boolean':
    case 'string':
      return String(source.value);
  }
}

/**
 * `value` (described by `schema`, or inferred from its JS type without one) cast to `target`.
 * Null stays null. A value of a type Cast cannot read, or text that is not a number of the
 * target's range, is a DATA error.
 */
export function castValue(schema: Schema | undefined, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const source = classify(schema, value, target);
  switch (target) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return toInteger(source, target);
    case 'FLOAT32':
    case 'FLOAT64':
      return toFloat(source, target);
    case 'BOOLEAN':
      return toBoolean(source);
    case 'STRING':
      return toText(source, schema);
    default:
      throw dataError(`Cast does not support casting to ${target}`);
  }
}
