/**
 * The Kafka Connect data model: schema types and immutable schema objects.
 *
 * Value representation in JavaScript (what {@link validateValue} accepts):
 *
 * | schema type | JS value |
 * |---|---|
 * | INT8, INT16, INT32 | `number` (integer, range-checked) |
 * | INT64 | `bigint` (signed 64-bit range) |
 * | FLOAT32, FLOAT64 | `number` |
 * | BOOLEAN | `boolean` |
 * | STRING | `string` |
 * | BYTES | `Uint8Array` (a `Buffer` is one) |
 * | ARRAY | `unknown[]` |
 * | MAP | `Map<unknown, unknown>` |
 * | STRUCT | `Struct` |
 *
 * Logical types replace the physical representation: Decimal → `Decimal`, Date/Time/Timestamp → `Date`.
 *
 * Schemas are plain frozen objects (not class instances), so they survive `structuredClone`
 * and `postMessage` to worker threads unchanged.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export type SchemaType =
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FLOAT32'
  | 'FLOAT64'
  | 'BOOLEAN'
  | 'STRING'
  | 'BYTES'
  | 'ARRAY'
  | 'MAP'
  | 'STRUCT';

/** Every schema type, in Kafka's declaration order. @since 0.1.0 */
export const SCHEMA_TYPES: readonly SchemaType[] = Object.freeze([
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FLOAT32',
  'FLOAT64',
  'BOOLEAN',
  'STRING',
  'BYTES',
  'ARRAY',
  'MAP',
  'STRUCT',
]);

/** True for the types that hold no other schema. @since 0.1.0 */
export function isPrimitiveType(type: SchemaType): boolean {
  return type !== 'ARRAY' && type !== 'MAP' && type !== 'STRUCT';
}

/** One field of a STRUCT schema. @since 0.1.0 */
export interface Field {
  readonly name: string;
  /** Position in the struct, from 0. */
  readonly index: number;
  readonly schema: Schema;
}

/**
 * An immutable schema. Build one with `SchemaBuilder` or take a constant from `Schemas`.
 * `defaultValue` is `undefined` when the schema has no default.
 *
 * @since 0.1.0
 */
export interface Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  readonly name?: string;
  readonly version?: number;
  readonly doc?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** MAP only. */
  readonly keySchema?: Schema;
  /** MAP and ARRAY only. */
  readonly valueSchema?: Schema;
  /** STRUCT only, in declaration order. */
  readonly fields?: readonly Field[];
}

/** The logical type names, exactly as Kafka Connect spells them. @since 0.1.0 */
export const LogicalNames = Object.freeze({
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const);

/**
 * Name → field of the frozen field lists (those `SchemaBuilder` makes), built on first lookup:
 * records look fields up by name once per column, so a linear search per lookup was a tenth of a
 * JDBC source's time. Keyed by the list, which cannot change, rather than by the schema object.
 */
const fieldIndexes = new WeakMap<readonly Field[], ReadonlyMap<string, Field>>();

function indexOf(fields: readonly Field[]): ReadonlyMap<string, Field> {
  let index = fieldIndexes.get(fields);
  if (index === undefined) {
    const byName = new Map<string, Field>();
    // the first field of a name wins, as a linear search would find it
    for (const f of fields) if (!byName.has(f.name)) byName.set(f.name, f);
    index = byName;
    fieldIndexes.set(fields, index);
  }
  return index;
}

/**
 * The field of a STRUCT schema with the given name, or `undefined`.
 *
 * @since 0.1.0
 */
export function fieldOf(schema: Schema, name: string): Field | undefined {
  const fields = schema.fields;
  if (fields === undefined) return undefined;
  return Object.isFrozen(fields) ? indexOf(fields).get(name) : fields.find((f) => f.name === name);
}

/**
 * Deep structural equality of two schemas (type, optionality, default, name, version, doc,
 * parameters and nested schemas), as Kafka's `ConnectSchema.equals`.
 *
 * @since 0.1.0
 */
export function schemaEquals(a: Schema | undefined, b: Schema | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (
    a.type !== b.type ||
    a.optional !== b.optional ||
    a.name !== b.name ||
    a.version !== b.version ||
    a.doc !== b.doc ||
    !recordEquals(a.parameters, b.parameters) ||
    !valueEquals(a.defaultValue, b.defaultValue) ||
    !schemaEquals(a.keySchema, b.keySchema) ||
    !schemaEquals(a.valueSchema, b.valueSchema)
  ) {
    return false;
  }
  const fa = a.fields ?? [];
  const fb = b.fields ?? [];
  if (fa.length !== fb.length) return false;
  return fa.every((f, i) => {
    const g = fb[i];
    return g !== undefined && f.name === g.name && f.index === g.index && schemaEquals(f.schema, g.schema);
  });
}

function recordEquals(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => a?.[k] === b?.[k]);
}

/**
 * Deep equality of Connect values: bytes by content, arrays and maps element-wise, structs
 * through their `equals`, dates and decimals by value.
 *
 * @since 0.1.0
 */
export function valueEquals(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const entriesB = [...b.entries()];
    return [...a.entries()].every(([k, v]) => entriesB.some(([k2, v2]) => valueEquals(k, k2) && valueEquals(v, v2)));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  const eq = (a as { equals?: unknown }).equals;
  if (typeof eq === 'function') return (eq as (o: unknown) => boolean).call(a, b) === true;
  return false;
}
