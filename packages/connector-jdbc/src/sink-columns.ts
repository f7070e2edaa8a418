// What auto.create and auto.evolve add: a column's type from the field's Connect schema (or,
// for schemaless records, from the values seen), independent of the database; the dialects
// turn it into their SQL type.
import { LogicalNames, dataError, isDecimal, isStruct } from '@sluice/core';
import type { Schema } from '@sluice/core';
import type { FieldValue, RowOp } from './sink-rows.ts';
import { DEBEZIUM } from './sink-values.ts';

export type ColumnType =
  | { readonly kind: 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string' | 'bytes' | 'date' | 'json' | 'uuid' | 'timestamptz' }
  | { readonly kind: 'decimal'; readonly precision: number | null; readonly scale: number | null }
  | { readonly kind: 'time' | 'timestamp'; readonly micros: boolean }
  | { readonly kind: 'array'; readonly element: ColumnType };

export interface NewColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly optional: boolean;
  /** The schema's default value, `undefined` when it has none. */
  readonly defaultValue: unknown;
}

/** The column type of a Connect schema, Connect's and Debezium's logical names included. */
export function columnTypeOfSchema(schema: Schema): ColumnType {
  switch (schema.name) {
    case LogicalNames.DECIMAL: {
      const precision = Number(schema.parameters?.['connect.decimal.precision']);
      const scale = Number(schema.parameters?.['scale']);
      return { kind: 'decimal', precision: Number.isInteger(precision) && precision > 0 ? precision : null, scale: Number.isInteger(scale) ? scale : null };
    }
    case LogicalNames.DATE:
    case DEBEZIUM.DATE:
      return { kind: 'date' };
    case LogicalNames.TIME:
    case DEBEZIUM.TIME:
      return { kind: 'time', micros: false };
    case DEBEZIUM.MICRO_TIME:
    case DEBEZIUM.NANO_TIME:
      return { kind: 'time', micros: true };
    case LogicalNames.TIMESTAMP:
    case DEBEZIUM.TIMESTAMP:
      return { kind: 'timestamp', micros: false };
    case DEBEZIUM.MICRO_TIMESTAMP:
    case DEBEZIUM.NANO_TIMESTAMP:
      return { kind: 'timestamp', micros: true };
    case DEBEZIUM.ZONED_TIMESTAMP:
      return { kind: 'timestamptz' };
    case DEBEZIUM.JSON:
      return { kind: 'json' };
    case DEBEZIUM.UUID:
      return { kind: 'uuid' };
  }
  switch (schema.type) {
    case 'INT8':
      return { kind: 'int8' };
    case 'INT16':
      return { kind: 'int16' };
    case 'INT32':
      return { kind: 'int32' };
    case 'INT64':
      return { kind: 'int64' };
    case 'FLOAT32':
      return { kind: 'float32' };
    case 'FLOAT64':
      return { kind: 'float64' };
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'STRING':
      return { kind: 'string' };
    case 'BYTES':
      return { kind: 'bytes' };
    case 'ARRAY': {
      const element = schema.valueSchema === undefined ? null : columnTypeOfSchema(schema.valueSchema);
      // nested arrays, maps and structs have no array element type: the whole array as JSON
      return element === null || element.kind === 'array' || element.kind === 'json' ? { kind: 'json' } : { kind: 'array', element };
    }
    case 'MAP':
    case 'STRUCT':
      return { kind: 'json' };
  }
}

/** The column type of schemaless values: the widest of the non-null ones; `null` when all are null. */
export function columnTypeOfValues(values: readonly unknown[]): ColumnType | null {
  let type: ColumnType | null = null;
  for (const value of values) {
    const one = typeOfValue(value);
    if (one === null) continue;
    if (type === null || type.kind === one.kind) type = one;
    else if ((type.kind === 'int64' && one.kind === 'float64') || (type.kind === 'float64' && one.kind === 'int64')) type = { kind: 'float64' };
    else if (type.kind !== 'string') type = { kind: 'string' };
  }
  return type;
}

function typeOfValue(value: unknown): ColumnType | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (typeof value === 'bigint') return { kind: 'int64' };
  if (typeof value === 'number') return Number.isInteger(value) ? { kind: 'int64' } : { kind: 'float64' };
  if (typeof value === 'string') return { kind: 'string' };
  if (value instanceof Uint8Array) return { kind: 'bytes' };
  if (value instanceof Date) return { kind: 'timestamp', micros: true };
  if (isDecimal(value)) return { kind: 'decimal', precision: null, scale: null };
  if (isStruct(value) || value instanceof Map || typeof value === 'object') return { kind: 'json' };
  return null;
}

/**
 * The columns to add for `names`, from the first record that has a schema for each, else from
 * the values of all of them. Key columns are never optional.
 */
export function newColumnsOf(names: readonly string[], ops: readonly RowOp[], keys: ReadonlySet<string>, table: string): NewColumn[] {
  return names.map((name) => {
    const fields = ops.map((op) => op.key.get(name) ?? op.values.get(name)).filter((f): f is FieldValue => f !== undefined);
    const withSchema = fields.find((f) => f.schema !== null);
    if (withSchema?.schema !== null && withSchema?.schema !== undefined) {
      const schema = withSchema.schema;
      return { name, type: columnTypeOfSchema(schema), optional: schema.optional && !keys.has(name), defaultValue: schema.defaultValue };
    }
    const type = columnTypeOfValues(fields.map((f) => f.value));
    if (type === null && keys.has(name)) throw dataError(`table \`${table}\`: key column \`${name}\` is null in every record, so its type is unknown`);
    return { name, type: type ?? { kind: 'string' }, optional: !keys.has(name), defaultValue: undefined };
  });
}
