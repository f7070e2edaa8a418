// Connect values ↔ JSON, exactly as Kafka's JsonConverter converts payloads (and schema defaults).
import {
  DateLogical,
  Decimal,
  LogicalNames,
  Struct,
  TimeLogical,
  TimestampLogical,
  dataError,
  isDecimal,
  isStruct,
  schemaEquals,
  type Field,
  type Schema,
} from '@sluice/core';
import { bigDecimalString, javaDoubleString, javaFloatString } from './java-text.ts';
import { base64, fromBase64, jsonString, type JsonNode } from './json-text.ts';

/** The settings of JsonConverter that shape payloads. */
export interface JsonDataOptions {
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  readonly replaceNullWithDefault: boolean;
}

const INT_RANGES = { INT8: [-128, 127], INT16: [-32768, 32767], INT32: [-2147483648, 2147483647] } as const;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Uint8Array) return 'Uint8Array';
  if (typeof value === 'object') return (value.constructor as { name?: string } | undefined)?.name ?? 'object';
  return typeof value;
}

function invalid(schema: Schema | undefined, value: unknown): never {
  throw dataError(`invalid value for ${schema === undefined ? 'schemaless data' : (schema.name ?? schema.type)}: ${typeName(value)}`);
}

/** A float as Jackson writes it: a number, or "NaN"/"Infinity"/"-Infinity" as strings. */
function floatJson(value: number, text: string): string {
  return Number.isFinite(value) ? text : `"${text}"`;
}

function logicalToJson(schema: Schema, value: unknown, options: JsonDataOptions): string | undefined {
  switch (schema.name) {
    case LogicalNames.DECIMAL:
    {
      if (!isDecimal(value)) throw dataError(`invalid type for Decimal: expected a Decimal, got ${typeName(value)}`);
      const bytes = Decimal.fromLogical(schema, value); // checks the scale
      return options.decimalFormat === 'NUMERIC' ? bigDecimalString(value) : jsonString(base64(bytes));
    }
    case LogicalNames.DATE:
      if (!(value instanceof Date)) throw dataError(`invalid type for Date: expected a Date, got ${typeName(value)}`);
      return String(DateLogical.fromLogical(schema, value));
    case LogicalNames.TIME:
      if (!(value instanceof Date)) throw dataError(`invalid type for Time: expected a Date, got ${typeName(value)}`);
      return String(TimeLogical.fromLogical(schema, value));
    case LogicalNames.TIMESTAMP: {
      if (!(value instanceof Date)) throw dataError(`invalid type for Timestamp: expected a Date, got ${typeName(value)}`);
      // a valid Date's milliseconds are a safe integer: the same digits as the INT64 without a bigint
      const ms = value.getTime();
      return Number.isNaN(ms) ? TimestampLogical.fromLogical(schema, value).toString() : String(ms);
    }
    default:
      return undefined;
  }
}

function integer(schema: Schema, value: unknown): string {
  const [min, max] = INT_RANGES[schema.type as keyof typeof INT_RANGES];
  if (typeof value !== 'number' || !Number.isInteger(value)) invalid(schema, value);
  if (value < min || value > max) throw dataError(`value ${value} is out of the ${schema.type} range`);
  return String(value);
}

function int64(schema: Schema | undefined, value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'bigint') invalid(schema, value);
  if (value < INT64_MIN || value > INT64_MAX) throw dataError(`value ${value} is out of the INT64 range`);
  return value.toString();
}

/**
 * Per field list, what precedes each field's value: `{"id":`, then `,"name":` and so on. Kept
 * for the frozen lists `SchemaBuilder` makes (they cannot change), made afresh for others.
 */
const prefixesByFields = new WeakMap<readonly Field[], readonly string[]>();

function fieldPrefixes(fields: readonly Field[]): readonly string[] {
  let prefixes = prefixesByFields.get(fields);
  if (prefixes === undefined) {
    prefixes = fields.map((f, i) => `${i === 0 ? '{' : ','}${jsonString(f.name)}:`);
    if (Object.isFrozen(fields)) prefixesByFields.set(fields, prefixes);
  }
  return prefixes;
}

/** Connect value → JSON text (Kafka's `convertToJson`). */
export function toJson(schema: Schema | undefined, value: unknown, options: JsonDataOptions): string {
  if (value === null || value === undefined) {
    if (schema === undefined) return 'null';
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && options.replaceNullWithDefault) {
      return toJson(schema, schema.defaultValue, options);
    }
    if (schema.optional) return 'null';
    throw dataError(`null value for a required ${schema.name ?? schema.type} schema with no default value`);
  }
  if (schema?.name !== undefined) {
    const logical = logicalToJson(schema, value, options);
    if (logical !== undefined) return logical;
  }
  if (schema === undefined) return schemalessToJson(value, options);
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return integer(schema, value);
    case 'INT64':
      return int64(schema, value);
    case 'FLOAT32':
      if (typeof value !== 'number') invalid(schema, value);
      return floatJson(value, javaFloatString(value));
    case 'FLOAT64':
      if (typeof value !== 'number') invalid(schema, value);
      return floatJson(value, javaDoubleString(value));
    case 'BOOLEAN':
      if (typeof value !== 'boolean') invalid(schema, value);
      return String(value);
    case 'STRING':
      if (typeof value !== 'string') invalid(schema, value);
      return jsonString(value);
    case 'BYTES':
      if (!(value instanceof Uint8Array)) invalid(schema, value);
      return jsonString(base64(value));
    case 'ARRAY':
      if (!Array.isArray(value)) invalid(schema, value);
      return `[${value.map((item: unknown) => toJson(schema.valueSchema, item, options)).join(',')}]`;
    case 'MAP':
      if (!(value instanceof Map)) invalid(schema, value);
      return mapToJson(schema, value, schema.keySchema === undefined ? undefined : schema.keySchema.type === 'STRING', options);
    case 'STRUCT': {
      if (!isStruct(value)) invalid(schema, value);
      if (!schemaEquals(value.schema, schema)) throw dataError(`the Struct's schema does not match the schema it is written with (${schema.name ?? 'unnamed struct'})`);
      const fields = schema.fields ?? [];
      if (fields.length === 0) return '{}';
      const prefixes = fieldPrefixes(fields);
      let out = '';
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        out += prefixes[i]! + toJson(f.schema, value.getWithoutDefault(f), options);
      }
      return `${out}}`;
    }
  }
}

function mapToJson(schema: Schema | undefined, map: Map<unknown, unknown>, stringKeys: boolean | undefined, options: JsonDataOptions): string {
  const objectMode = stringKeys ?? [...map.keys()].every((k) => typeof k === 'string');
  const parts: string[] = [];
  for (const [k, v] of map) {
    const key = toJson(schema?.keySchema, k, options);
    const val = toJson(schema?.valueSchema, v, options);
    if (!objectMode) parts.push(`[${key},${val}]`);
    else parts.push(`${typeof k === 'string' ? jsonString(k) : jsonString(key)}:${val}`);
  }
  return objectMode ? `{${parts.join(',')}}` : `[${parts.join(',')}]`;
}

/** Without a schema the JS type decides, as Kafka's `ConnectSchema.schemaType(value.getClass())`. */
function schemalessToJson(value: unknown, options: JsonDataOptions): string {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return int64(undefined, value);
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : floatJson(value, javaDoubleString(value));
  if (value instanceof Uint8Array) return jsonString(base64(value));
  if (Array.isArray(value)) return `[${value.map((item: unknown) => toJson(undefined, item, options)).join(',')}]`;
  if (value instanceof Map) return mapToJson(undefined, value, undefined, options);
  if (isStruct(value)) throw dataError('a Struct cannot be written without its schema');
  throw dataError(`${typeName(value)} has no Connect schema type; give a schema to write it`);
}

function expect<K extends JsonNode['kind']>(node: JsonNode, kind: K, what: string): Extract<JsonNode, { kind: K }> {
  if (node.kind !== kind) throw dataError(`invalid JSON for ${what}: expected ${kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`}, found ${node.kind}`);
  return node as Extract<JsonNode, { kind: K }>;
}

/** Integer text this short (sign included) is inside the INT64 range, and exact as a double when at most 15 long. */
const INT64_SAFE_LENGTH = 18;
const DOUBLE_SAFE_LENGTH = 15;

function int64Of(node: JsonNode, what: string): bigint {
  const n = expect(node, 'number', what);
  if (!n.integral) throw dataError(`invalid JSON for ${what}: expected an integer, found ${n.text}`);
  const value = BigInt(n.text);
  if (n.text.length > INT64_SAFE_LENGTH && (value < INT64_MIN || value > INT64_MAX)) throw dataError(`invalid JSON for ${what}: ${n.text} is out of the INT64 range`);
  return value;
}

function intOf(node: JsonNode, type: keyof typeof INT_RANGES, what: string): number {
  if (node.kind === 'number' && node.integral && node.text.length <= DOUBLE_SAFE_LENGTH) {
    // `|| 0`: -0 is the integer 0
    const small = Number(node.text) || 0;
    const [min, max] = INT_RANGES[type];
    if (small >= min && small <= max) return small;
  }
  const value = int64Of(node, what);
  const [min, max] = INT_RANGES[type];
  if (value < BigInt(min) || value > BigInt(max)) throw dataError(`invalid JSON for ${what}: ${value} is out of the ${type} range`);
  return Number(value);
}

function floatOf(node: JsonNode, what: string): number {
  // Jackson writes non-finite floats as the strings "NaN", "Infinity" and "-Infinity"
  if (node.kind === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(node.value)) return Number(node.value);
  return Number(expect(node, 'number', what).text);
}

function logicalToConnect(schema: Schema, node: JsonNode): unknown {
  switch (schema.name) {
    case LogicalNames.DECIMAL: {
      const scale = Decimal.scaleOf(schema);
      if (node.kind === 'number') {
        const parsed = Decimal.parse(node.text);
        try {
          return parsed.rescale(scale);
        } catch (error) {
          throw dataError(`invalid JSON for Decimal: ${node.text} does not fit the schema scale ${scale}`, { cause: error });
        }
      }
      if (node.kind === 'string') {
        const bytes = fromBase64(node.value, 'Decimal');
        if (bytes.length === 0) throw dataError('invalid bytes for Decimal: empty');
        return Decimal.toLogical(schema, bytes);
      }
      throw dataError(`invalid JSON for Decimal: expected a number or base64 bytes, found ${node.kind}`);
    }
    case LogicalNames.DATE:
      return DateLogical.toLogical(schema, intOf(node, 'INT32', 'Date'));
    case LogicalNames.TIME:
      return TimeLogical.toLogical(schema, intOf(node, 'INT32', 'Time'));
    case LogicalNames.TIMESTAMP:
      return TimestampLogical.toLogical(schema, int64Of(node, 'Timestamp'));
    default:
      return undefined;
  }
}

/** JSON → Connect value (Kafka's `convertToConnect`); `node` is `undefined` for a missing struct field. */
export function toConnect(schema: Schema | undefined, node: JsonNode | undefined, options: JsonDataOptions): unknown {
  if (schema === undefined) return node === undefined ? null : schemalessToConnect(node, options);
  if (node === undefined || node.kind === 'null') {
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && options.replaceNullWithDefault) return schema.defaultValue;
    if (schema.optional) return null;
    throw dataError(`invalid null value for a required ${schema.name ?? schema.type} field`);
  }
  if (schema.name !== undefined) {
    const logical = logicalToConnect(schema, node);
    if (logical !== undefined) return logical;
  }
  const what = schema.type;
  switch (schema.type) {
    case 'BOOLEAN':
      return expect(node, 'boolean', what).value;
    case 'INT8':
    case 'INT16':
    case 'INT32':
      return intOf(node, schema.type, what);
    case 'INT64':
      return int64Of(node, what);
    case 'FLOAT32':
      return Math.fround(floatOf(node, what));
    case 'FLOAT64':
      return floatOf(node, what);
    case 'STRING':
      return expect(node, 'string', what).value;
    case 'BYTES':
      return fromBase64(expect(node, 'string', what).value, 'BYTES');
    case 'ARRAY':
      return expect(node, 'array', what).items.map((item) => toConnect(schema.valueSchema, item, options));
    case 'MAP':
      return mapToConnect(schema, node, options);
    case 'STRUCT': {
      const fields = expect(node, 'object', 'STRUCT (structs are JSON objects)').fields;
      const struct = new Struct(schema);
      for (const f of schema.fields ?? []) struct.put(f, toConnect(f.schema, fields.get(f.name), options));
      return struct;
    }
  }
}

function mapToConnect(schema: Schema, node: JsonNode, options: JsonDataOptions): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  if (schema.keySchema === undefined || schema.keySchema.type === 'STRING') {
    const fields = expect(node, 'object', 'MAP with string keys (a JSON object)').fields;
    for (const [k, v] of fields) out.set(k, toConnect(schema.valueSchema, v, options));
    return out;
  }
  for (const entry of expect(node, 'array', 'MAP with non-string keys (an array of [key, value] pairs)').items) {
    const pair = expect(entry, 'array', 'a MAP entry ([key, value])').items;
    const [k, v] = pair;
    if (pair.length !== 2 || k === undefined || v === undefined) throw dataError(`invalid JSON for a MAP entry: expected [key, value], found ${pair.length} items`);
    out.set(toConnect(schema.keySchema, k, options), toConnect(schema.valueSchema, v, options));
  }
  return out;
}

/** Without a schema: integers become INT64 (`bigint`), other numbers FLOAT64, objects maps, arrays arrays. */
function schemalessToConnect(node: JsonNode, options: JsonDataOptions): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'boolean':
    case 'string':
      return node.value;
    case 'number':
      return node.integral ? BigInt.asIntN(64, BigInt(node.text)) : Number(node.text);
    case 'array':
      return node.items.map((item) => schemalessToConnect(item, options));
    case 'object':
      return new Map([...node.fields].map(([k, v]) => [k, schemalessToConnect(v, options)]));
  }
}
