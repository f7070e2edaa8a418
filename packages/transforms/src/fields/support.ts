// What the field transforms share: the `replace.null.with.default` key, reading a struct field
// with or without its default, copying a schema's name/version/doc/parameters, a small schema
// cache, and telling which Connect type a schemaless value has.
import { SchemaBuilder, dataError, illegalStateError, isDecimal, isStruct } from '@sluice/core';
import type { ConnectRecord, Field, Schema, SchemaType, SinkRecord, Struct, Transformation } from '@sluice/core';

/** The `replace.null.with.default` key, defined the same way by every transform that has it. */
export const REPLACE_NULL_WITH_DEFAULT = {
  type: 'boolean',
  default: true,
  importance: 'medium',
  doc: 'When a struct field is null and its schema has a default, whether the output carries the default (true) or null (false).',
} as const;

/** A struct field's value; with `withDefault`, a null value of a field with a default reads as the default. */
export function fieldValue(struct: Struct, field: Field | string, withDefault: boolean): unknown {
  return withDefault ? struct.get(field) : struct.getWithoutDefault(field);
}

/** A builder of the same type as `source` carrying its name, version, doc and parameters (not optionality or default). */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  let target = builder;
  if (target === undefined) {
    if (source.type === 'ARRAY' && source.valueSchema !== undefined) target = SchemaBuilder.array(source.valueSchema);
    else if (source.type === 'MAP' && source.keySchema !== undefined && source.valueSchema !== undefined) target = SchemaBuilder.map(source.keySchema, source.valueSchema);
    else target = SchemaBuilder.type(source.type);
  }
  if (source.name !== undefined) target.name(source.name);
  if (source.version !== undefined) target.version(source.version);
  if (source.doc !== undefined) target.doc(source.doc);
  if (source.parameters !== undefined) target.parameters(source.parameters);
  return target;
}

/**
 * The output schema for each input schema a transform has seen, so that records sharing a schema
 * also share the transformed one. Keyed by identity and bounded like Kafka's 16-entry LRU cache.
 */
export class SchemaCache {
  readonly #entries = new Map<Schema, Schema>();
  readonly #capacity: number;

  constructor(capacity = 16) {
    this.#capacity = capacity;
  }

  get(input: Schema, build: (input: Schema) => Schema): Schema {
    const cached = this.#entries.get(input);
    if (cached !== undefined) {
      this.#entries.delete(input);
      this.#entries.set(input, cached);
      return cached;
    }
    const built = build(input);
    this.#entries.set(input, built);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    return built;
  }
}

type Apply = (record: ConnectRecord) => ConnectRecord | null;

/**
 * A transformation whose `configure` returns the function that applies it: the configured
 * state lives in that closure, and applying before configuring is an ILLEGAL_STATE error.
 */
export function transformation<C>(name: string, configure: (config: C) => Apply): Transformation<C> {
  let apply: Apply | undefined;
  return {
    configure(config) {
      apply = configure(config);
    },
    apply(record) {
      if (apply === undefined) throw illegalStateError(`${name}: apply() called before configure()`);
      return apply(record);
    },
  };
}

/** The record as a sink record, or a DATA error like Kafka's `requireSinkRecord`. */
export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (typeof (record as Partial<SinkRecord>).kafkaOffset !== 'bigint') {
    throw dataError(`Only sink records supported for [${purpose}], found a source record (a Kafka offset exists only once a record has been consumed)`);
  }
  return record as SinkRecord;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The Connect type of a value without a schema, as Kafka infers it from the Java class, or
 * `undefined` for a value Connect's data API does not know (a `Date`, a `Decimal`, a function…).
 * A JS number is INT32 when it is an integer and FLOAT64 otherwise; a bigint is INT64.
 */
export function schemalessType(value: unknown): SchemaType | undefined {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'INT32' : 'FLOAT64';
    case 'bigint':
      return 'INT64';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return 'STRING';
    case 'object':
      if (value === null || isDecimal(value) || value instanceof Date) return undefined;
      if (value instanceof Uint8Array) return 'BYTES';
      if (Array.isArray(value)) return 'ARRAY';
      if (value instanceof Map) return 'MAP';
      if (isStruct(value)) return 'STRUCT';
      return isPlainObject(value) ? 'MAP' : undefined;
    default:
      return undefined;
  }
}

/** A short name of a value's kind for messages: `string`, `bigint`, `Date`, `Map`, `Struct`, `Uint8Array`. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (isStruct(value)) return 'Struct';
  if (isDecimal(value)) return 'Decimal';
  if (Array.isArray(value)) return 'Array';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}
