// Connect schemas ↔ the schema JSON of Kafka's JsonConverter envelope, field for field in
// Apache's order: type, items | keys, values | fields, optional, name, version, doc, parameters,
// default; a struct field's schema ends with "field".
import { SchemaBuilder, dataError, type Schema, type SchemaType } from '@sluice/core';
import { toConnect, toJson, type JsonDataOptions } from './json-data.ts';
import { jsonString, type JsonNode } from './json-text.ts';

const TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FLOAT32: 'float',
  FLOAT64: 'double',
  BOOLEAN: 'boolean',
  STRING: 'string',
  BYTES: 'bytes',
  ARRAY: 'array',
  MAP: 'map',
  STRUCT: 'struct',
};
const TYPES_BY_NAME: ReadonlyMap<string, SchemaType> = new Map(Object.entries(TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]));

/** A least-recently-used cache, as Kafka's `LRUCache` behind `schemas.cache.size`. */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #entries = new Map<K, V>();
  #newest: K | undefined;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    // Re-inserting moves the key to the newest end; the common case (one schema used for every
    // record) is already there, so skip the two map operations on the hot path.
    if (value !== undefined && this.#newest !== key) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.#max <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#newest = key;
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as K);
  }
}

function nested(schema: Schema | undefined, options: JsonDataOptions, cache: LruCache<Schema, string>): string {
  return schema === undefined ? 'null' : schemaToJson(schema, options, cache);
}

/** Schema → JSON text (Kafka's `asJsonSchema`). */
export function schemaToJson(schema: Schema, options: JsonDataOptions, cache: LruCache<Schema, string>): string {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  const parts = [`"type":"${TYPE_NAMES[schema.type]}"`];
  if (schema.type === 'ARRAY') parts.push(`"items":${nested(schema.valueSchema, options, cache)}`);
  if (schema.type === 'MAP') parts.push(`"keys":${nested(schema.keySchema, options, cache)}`, `"values":${nested(schema.valueSchema, options, cache)}`);
  if (schema.type === 'STRUCT') {
    const fields = (schema.fields ?? []).map((f) => `${schemaToJson(f.schema, options, cache).slice(0, -1)},"field":${jsonString(f.name)}}`);
    parts.push(`"fields":[${fields.join(',')}]`);
  }
  parts.push(`"optional":${schema.optional}`);
  if (schema.name !== undefined) parts.push(`"name":${jsonString(schema.name)}`);
  if (schema.version !== undefined) parts.push(`"version":${schema.version}`);
  if (schema.doc !== undefined) parts.push(`"doc":${jsonString(schema.doc)}`);
  if (schema.parameters !== undefined) {
    const params = Object.entries(schema.parameters).map(([k, v]) => `${jsonString(k)}:${jsonString(v)}`);
    parts.push(`"parameters":{${params.join(',')}}`);
  }
  if (schema.defaultValue !== undefined && schema.defaultValue !== null) parts.push(`"default":${toJson(schema, schema.defaultValue, options)}`);
  const text = `{${parts.join(',')}}`;
  cache.set(schema, text);
  return text;
}

function child(node: JsonNode, key: string): JsonNode | undefined {
  return node.kind === 'object' ? node.fields.get(key) : undefined;
}

function required(node: JsonNode, key: string, reason: string): JsonNode {
  const value = child(node, key);
  if (value === undefined || value.kind === 'null') throw dataError(reason);
  return value;
}

/** Schema JSON → schema (Kafka's `asConnectSchema`); `undefined` for JSON null. */
export function schemaFromJson(node: JsonNode, options: JsonDataOptions, cache: LruCache<string, Schema>): Schema | undefined {
  if (node.kind === 'null') return undefined;
  if (node.kind !== 'object') throw dataError(`a schema must be a JSON object, found ${node.kind}`);
  const cached = cache.get(node.source);
  if (cached !== undefined) return cached;
  const typeNode = child(node, 'type');
  if (typeNode?.kind !== 'string') throw dataError('schema must contain a string "type" field');
  const type = TYPES_BY_NAME.get(typeNode.value);
  if (type === undefined) throw dataError(`unknown schema type: ${JSON.stringify(typeNode.value)}`);
  const sub = (n: JsonNode): Schema => {
    const s = schemaFromJson(n, options, cache);
    if (s === undefined) throw dataError(`a nested schema of a ${type} schema must not be null`);
    return s;
  };
  let builder: SchemaBuilder;
  if (type === 'ARRAY') {
    builder = SchemaBuilder.array(sub(required(node, 'items', 'array schema does not specify the element type ("items")')));
  } else if (type === 'MAP') {
    const keys = sub(required(node, 'keys', 'map schema does not specify the key type ("keys")'));
    builder = SchemaBuilder.map(keys, sub(required(node, 'values', 'map schema does not specify the value type ("values")')));
  } else {
    builder = SchemaBuilder.type(type);
  }
  if (type === 'STRUCT') {
    const fields = child(node, 'fields');
    if (fields?.kind !== 'array') throw dataError('struct schema\'s "fields" is not an array');
    for (const field of fields.items) {
      const name = child(field, 'field');
      if (name?.kind !== 'string') throw dataError('struct schema field has no string "field" name');
      builder.field(name.value, sub(field));
    }
  }
  const optional = child(node, 'optional');
  if (optional?.kind === 'boolean' && optional.value) builder.optional();
  const name = child(node, 'name');
  if (name?.kind === 'string') builder.name(name.value);
  const version = child(node, 'version');
  if (version?.kind === 'number' && version.integral) builder.version(Number(version.text));
  const doc = child(node, 'doc');
  if (doc?.kind === 'string') builder.doc(doc.value);
  const params = child(node, 'parameters');
  if (params?.kind === 'object') {
    for (const [k, v] of params.fields) {
      if (v.kind !== 'string') throw dataError(`schema parameter ${JSON.stringify(k)} must have a string value`);
      builder.parameter(k, v.value);
    }
  }
  const defaultNode = child(node, 'default');
  let schema = builder.build();
  if (defaultNode !== undefined && defaultNode.kind !== 'null') {
    schema = builder.defaultValue(toConnect(schema, defaultNode, options)).build();
  }
  cache.set(node.source, schema);
  return schema;
}
