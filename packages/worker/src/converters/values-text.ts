// Kafka Connect's `Values.convertToString`: the text SimpleHeaderConverter writes for a header.
import { dataError, isDecimal, isStruct, type Schema } from '@sluice/core';
import { bigDecimalString, javaDoubleString, javaFloatString, javaIsoDate } from './java-text.ts';
import { base64 } from './json-text.ts';

function numberText(schema: Schema | undefined, value: number): string {
  if (schema?.type === 'FLOAT32') return javaFloatString(value);
  if (schema?.type === 'FLOAT64' || !Number.isInteger(value) || Object.is(value, -0)) return javaDoubleString(value);
  return String(value);
}

function append(schema: Schema | undefined, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberText(schema, value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (isDecimal(value)) return bigDecimalString(value);
  if (typeof value === 'string') return embedded ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : value;
  if (value instanceof Uint8Array) return embedded ? `"${base64(value)}"` : base64(value);
  if (value instanceof Date) return javaIsoDate(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => append(schema?.valueSchema, v, true)).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${append(schema?.keySchema, k, true)}:${append(schema?.valueSchema, v, true)}`);
    return `{${entries.join(',')}}`;
  }
  if (isStruct(value)) {
    const fields = (value.schema.fields ?? []).map((f) => `${append(undefined, f.name, true)}:${append(f.schema, value.get(f), true)}`);
    return `{${fields.join(',')}}`;
  }
  throw dataError(`cannot write a value of type ${typeof value} as header text`);
}

/**
 * The text of a Connect value as `Values.convertToString` writes it: numbers as Java prints them
 * (the schema tells a float from an integer), strings bare at the top and quoted inside arrays,
 * maps and structs, bytes as base64, dates in the ISO-8601 forms of `Values.dateFormatFor` (UTC).
 * `null` for a null value.
 */
export function convertToString(schema: Schema | undefined, value: unknown): string | null {
  return value === null || value === undefined ? null : append(schema, value, false);
}
