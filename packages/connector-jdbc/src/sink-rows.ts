// From sink records to row operations: which columns a record writes (pk.mode, pk.fields,
// fields.whitelist), whether it deletes, and how a batch is cut into sets of operations that
// can each run as a few set-based statements without changing the outcome of applying the
// records one by one.
import { Schemas, dataError, isDecimal, isStruct } from '@sluice/core';
import type { Field, Schema, SinkRecord, Struct } from '@sluice/core';
import type { InsertMode, SinkSettings } from './sink-config.ts';

/** A value a record gives one column, with its Connect schema when the record has one. */
export interface FieldValue {
  readonly value: unknown;
  readonly schema: Schema | null;
}

export interface RowOp {
  readonly record: SinkRecord;
  readonly kind: 'write' | 'delete';
  /** The primary-key columns in key order; empty with `pk.mode=none`. */
  readonly key: ReadonlyMap<string, FieldValue>;
  /** The other columns written; empty for a delete. */
  readonly values: ReadonlyMap<string, FieldValue>;
  /** The names of `key` and `values` as one text: equal for operations of the same columns in the same order. */
  readonly columns: string;
}

/** `topic \`orders\` partition 0 offset 17`: how errors name a record. */
export function recordName(record: SinkRecord): string {
  return `topic \`${record.topic}\` partition ${record.kafkaPartition} offset ${record.kafkaOffset}`;
}

/** The destination table's name for a record: `table.name.format` with `${topic}` replaced. */
export function tableNameOf(format: string, topic: string): string {
  return format.replaceAll('${topic}', topic);
}

/** The fields of a struct or a schemaless map (a `Map` or a plain object), in order. */
function fieldsOf(value: unknown, schema: Schema | null): Map<string, FieldValue> | null {
  if (isStruct(value)) {
    const fields = new Map<string, FieldValue>();
    for (const f of value.schema.fields ?? []) fields.set(f.name, { value: value.get(f), schema: f.schema });
    return fields;
  }
  if (value instanceof Map) return new Map([...(value as Map<unknown, unknown>).entries()].map(([k, v]) => [String(k), { value: v, schema: schema?.valueSchema ?? null }]));
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date) && !isDecimal(value)) {
    return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, { value: v, schema: null }]));
  }
  return null;
}

function pick(fields: ReadonlyMap<string, FieldValue>, names: readonly string[], record: SinkRecord, where: string): Map<string, FieldValue> {
  if (names.length === 0) return new Map(fields);
  const out = new Map<string, FieldValue>();
  for (const name of names) {
    const field = fields.get(name);
    if (field === undefined) throw dataError(`record at ${recordName(record)}: the ${where} has no field \`${name}\` named in pk.fields`);
    out.set(name, field);
  }
  return out;
}

/**
 * Where a struct value's fields go under one task's settings, worked out once per value schema:
 * the key columns it gives (`pk.mode=record_value`) and the value columns (the fields that are
 * not key columns and pass fields.whitelist). Only where the key's column names follow from the
 * settings alone: `pk.fields` named (or `pk.mode` none or kafka).
 */
interface StructLayout {
  readonly keyFields: readonly Field[];
  readonly valueFields: readonly Field[];
  /** {@link RowOp.columns} of the writes. */
  readonly columns: string;
}

const layouts = new WeakMap<SinkSettings, WeakMap<Schema, StructLayout | null>>();

function columnsText(keys: Iterable<string>, values: Iterable<string>): string {
  return [...keys, '', ...values].join('\u0000');
}

/** The layout of a struct value's schema; `null` where the general path decides (it also names what is missing). */
function structLayout(schema: Schema, settings: SinkSettings): StructLayout | null {
  if (settings.pkFields.length === 0 && (settings.pkMode === 'record_key' || settings.pkMode === 'record_value')) return null;
  let bySchema = layouts.get(settings);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    layouts.set(settings, bySchema);
  }
  let layout = bySchema.get(schema);
  if (layout !== undefined) return layout;
  const fields = schema.fields ?? [];
  const keyNames = new Set(settings.pkMode === 'none' ? [] : settings.pkFields);
  const keyFields = settings.pkMode === 'record_value' ? settings.pkFields.map((name) => fields.find((f) => f.name === name)) : [];
  const valueFields = fields.filter((f) => !keyNames.has(f.name) && (settings.fieldsWhitelist.size === 0 || settings.fieldsWhitelist.has(f.name)));
  const distinct = new Set(fields.map((f) => f.name)).size === fields.length;
  layout = keyFields.includes(undefined) || !distinct ? null : { keyFields: keyFields as Field[], valueFields, columns: columnsText(keyNames, valueFields.map((f) => f.name)) };
  bySchema.set(schema, layout);
  return layout;
}

/** The row operation of one record, or a `DATA` error naming the record and what is missing. */
export function rowOf(record: SinkRecord, settings: SinkSettings): RowOp {
  const value = record.value;
  let key = new Map<string, FieldValue>();
  if (settings.pkMode === 'record_key') {
    if (record.key === null || record.key === undefined) throw dataError(`record at ${recordName(record)}: pk.mode=record_key needs a key, the record has none`);
    const keyFields = fieldsOf(record.key, record.keySchema ?? null);
    if (keyFields !== null) {
      key = pick(keyFields, settings.pkFields, record, 'key');
    } else {
      if (settings.pkFields.length !== 1) {
        throw dataError(`record at ${recordName(record)}: the key is a primitive, so pk.fields must name exactly one column for it (it names ${settings.pkFields.length})`);
      }
      key.set(settings.pkFields[0]!, { value: record.key, schema: record.keySchema ?? null });
    }
  }
  if (value === null || value === undefined) {
    if (!settings.deleteEnabled) {
      throw dataError(`record at ${recordName(record)} has a null value (a tombstone), which deletes only with delete.enabled=true and pk.mode=record_key`);
    }
    return { record, kind: 'delete', key, values: new Map(), columns: columnsText(key.keys(), []) };
  }
  if (settings.pkMode === 'kafka') {
    const [topic, partition, offset] = settings.pkFields as [string, string, string];
    key.set(topic, { value: record.topic, schema: Schemas.STRING });
    key.set(partition, { value: record.kafkaPartition, schema: Schemas.INT32 });
    key.set(offset, { value: record.kafkaOffset, schema: Schemas.INT64 });
  }
  const layout = isStruct(value) ? structLayout(value.schema, settings) : null;
  if (layout !== null) {
    const struct = value as Struct;
    for (const f of layout.keyFields) key.set(f.name, { value: struct.get(f), schema: f.schema });
    const values = new Map<string, FieldValue>();
    for (const f of layout.valueFields) values.set(f.name, { value: struct.get(f), schema: f.schema });
    return { record, kind: 'write', key, values, columns: layout.columns };
  }
  const fields = fieldsOf(value, record.valueSchema ?? null);
  if (fields === null) throw dataError(`record at ${recordName(record)}: the value must be a struct or a map of column names to values, got ${typeof value}`);
  if (settings.pkMode === 'record_value') key = pick(fields, settings.pkFields, record, 'value');
  const values = new Map<string, FieldValue>();
  for (const [name, field] of fields) {
    if (key.has(name)) continue;
    if (settings.fieldsWhitelist.size > 0 && !settings.fieldsWhitelist.has(name)) continue;
    values.set(name, field);
  }
  return { record, kind: 'write', key, values, columns: columnsText(key.keys(), values.keys()) };
}

/** `op` with its columns renamed by `rename` (as the database folds unquoted names). */
export function renamedOp(op: RowOp, rename: (name: string) => string): RowOp {
  const renamed = (fields: ReadonlyMap<string, FieldValue>) => new Map([...fields].map(([name, field]) => [rename(name), field]));
  const key = renamed(op.key);
  const values = renamed(op.values);
  return { ...op, key, values, columns: columnsText(key.keys(), values.keys()) };
}

/** A canonical text of a key's values, equal for equal keys. */
export function keyIdOf(op: RowOp): string {
  const values: unknown[] = [];
  for (const field of op.key.values()) values.push(canonical(field.value));
  return JSON.stringify(values);
}

function canonical(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint' || typeof value === 'number') return `n${value.toString()}`;
  if (value instanceof Uint8Array) return `b${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (isDecimal(value)) return `n${value.toString()}`;
  if (isStruct(value)) return value.toString();
  return value;
}

/**
 * Cuts a table's operations (in record order) into segments. Inside a segment each key occurs
 * once, so its operations can run as set statements in any order. A later record replaces an
 * earlier one of the same key inside a segment only where that ends in the same row: in
 * `upsert` and `update` mode a delete, or a write of the same columns. Anything else starts a
 * new segment, which runs after the previous one.
 */
export function segmentsOf(ops: readonly RowOp[], mode: InsertMode): RowOp[][] {
  const segments: RowOp[][] = [];
  let byKey = new Map<string, RowOp>();
  let unkeyed: RowOp[] = [];
  const close = () => {
    const segment = [...unkeyed, ...byKey.values()];
    if (segment.length > 0) segments.push(segment);
    byKey = new Map();
    unkeyed = [];
  };
  for (const op of ops) {
    if (op.key.size === 0) {
      unkeyed.push(op);
      continue;
    }
    const id = keyIdOf(op);
    const previous = byKey.get(id);
    if (previous !== undefined) {
      const replaces = mode !== 'insert' && (op.kind === 'delete' || (previous.kind === 'write' && previous.columns === op.columns));
      if (replaces) {
        byKey.delete(id);
        byKey.set(id, op);
        continue;
      }
      close();
    }
    byKey.set(id, op);
  }
  close();
  return segments;
}

/** A segment's operations grouped into statements: deletes, then writes by their column set. */
export function statementGroupsOf(segment: readonly RowOp[]): { deletes: RowOp[]; writes: RowOp[][] } {
  const deletes = segment.filter((op) => op.kind === 'delete');
  const writes = new Map<string, RowOp[]>();
  for (const op of segment) {
    if (op.kind !== 'write') continue;
    const group = writes.get(op.columns);
    if (group === undefined) writes.set(op.columns, [op]);
    else group.push(op);
  }
  return { deletes, writes: [...writes.values()] };
}
