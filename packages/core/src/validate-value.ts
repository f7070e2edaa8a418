import { DECIMAL_BRAND, STRUCT_BRAND, hasBrand } from './brands.ts';
import { describeValue } from './describe.ts';
import { dataError } from './errors.ts';
import { LogicalNames, schemaEquals, type Field, type Schema } from './schema.ts';

const INT_RANGES = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
} as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface StructView {
  readonly schema: Schema;
  getWithoutDefault(field: string | Field): unknown;
}

function where(path: string): string {
  return path === '' ? 'value' : `field \`${path}\``;
}

function fail(path: string, reason: string): never {
  throw dataError(`${where(path)}: ${reason}`, { context: path === '' ? {} : { field: path } });
}

function expected(path: string, what: string, value: unknown): never {
  fail(path, `expected ${what}, got ${describeValue(value)}`);
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/**
 * Checks that `value` fits `schema`, recursing into arrays, maps and structs. Throws a `DATA`
 * error naming the field path and the reason, e.g.
 * ``field `order.amount`: expected INT64, got string `abc` ``.
 *
 * `null` and `undefined` are accepted for optional schemas only. Logical types expect their
 * logical representation (`Decimal` with the schema's scale, or `Date`).
 *
 * @param path the name of the value being checked, used as the prefix of nested paths
 * @since 0.1.0
 */
export function validateValue(schema: Schema, value: unknown, path = ''): void {
  if (value === null || value === undefined) {
    if (schema.optional) return;
    fail(path, `null used for required ${schema.type}`);
  }
  if (schema.name !== undefined && validateLogical(schema, value, path)) return;
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32': {
      if (typeof value !== 'number' || !Number.isInteger(value)) expected(path, schema.type, value);
      const [min, max] = INT_RANGES[schema.type];
      if (value < min || value > max) fail(path, `${schema.type} out of range [${min}, ${max}], got \`${value}\``);
      return;
    }
    case 'INT64':
      if (typeof value !== 'bigint') expected(path, 'INT64 (bigint)', value);
      if (value < INT64_MIN || value > INT64_MAX) fail(path, `INT64 out of range, got \`${value}\``);
      return;
    case 'FLOAT32':
    case 'FLOAT64':
      if (typeof value !== 'number') expected(path, schema.type, value);
      return;
    case 'BOOLEAN':
      if (typeof value !== 'boolean') expected(path, 'BOOLEAN', value);
      return;
    case 'STRING':
      if (typeof value !== 'string') expected(path, 'STRING', value);
      return;
    case 'BYTES':
      if (!(value instanceof Uint8Array)) expected(path, 'BYTES (Uint8Array)', value);
      return;
    case 'ARRAY': {
      if (!Array.isArray(value)) expected(path, 'ARRAY', value);
      const element = schema.valueSchema;
      if (element === undefined) fail(path, 'ARRAY schema has no value schema');
      value.forEach((item: unknown, i) => validateValue(element, item, `${path}[${i}]`));
      return;
    }
    case 'MAP': {
      if (!(value instanceof Map)) expected(path, 'MAP (Map)', value);
      const { keySchema, valueSchema } = schema;
      if (keySchema === undefined || valueSchema === undefined) fail(path, 'MAP schema lacks a key or value schema');
      for (const [k, v] of value as Map<unknown, unknown>) {
        const label = `${path}[${typeof k === 'string' ? k : describeValue(k)}]`;
        validateValue(keySchema, k, `${label}(key)`);
        validateValue(valueSchema, v, label);
      }
      return;
    }
    case 'STRUCT': {
      if (!hasBrand(value, STRUCT_BRAND)) expected(path, 'STRUCT (Struct)', value);
      const struct = value as StructView;
      if (!schemaEquals(struct.schema, schema)) {
        fail(path, `struct schema ${struct.schema.name ?? '(unnamed)'} does not match the expected ${schema.name ?? '(unnamed)'}`);
      }
      validateStructFields(struct, path);
      return;
    }
  }
}

/**
 * Checks every field of a struct: required fields without a default must be set, and every
 * set value must fit its field schema.
 *
 * @since 0.1.0
 */
export function validateStructFields(struct: StructView, path = ''): void {
  for (const field of struct.schema.fields ?? []) {
    const fieldPath = child(path, field.name);
    const value = struct.getWithoutDefault(field);
    if (value === null || value === undefined) {
      if (field.schema.optional || field.schema.defaultValue !== undefined) continue;
      fail(fieldPath, `required field is missing`);
    }
    validateValue(field.schema, value, fieldPath);
  }
}

function validateLogical(schema: Schema, value: unknown, path: string): boolean {
  switch (schema.name) {
    case LogicalNames.DECIMAL: {
      if (!hasBrand(value, DECIMAL_BRAND)) expected(path, 'Decimal', value);
      const scale = Number(schema.parameters?.['scale']);
      const actual = (value as { scale: number }).scale;
      if (actual !== scale) fail(path, `Decimal scale ${actual} does not match the schema scale ${scale}`);
      return true;
    }
    case LogicalNames.DATE:
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) expected(path, `${schema.name.slice(30)} (a valid Date)`, value);
      return true;
    default:
      return false;
  }
}
