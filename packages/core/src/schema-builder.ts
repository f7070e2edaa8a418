import { schemaError } from './errors.ts';
import { isPrimitiveType, type Field, type Schema, type SchemaType } from './schema.ts';
import { validateValue } from './validate-value.ts';

/**
 * A fluent builder of immutable schemas, like Kafka's `SchemaBuilder`:
 *
 * ```ts
 * const order = SchemaBuilder.struct().name('shop.Order').version(1)
 *   .field('id', Schemas.INT64)
 *   .field('note', Schemas.OPTIONAL_STRING)
 *   .build();
 * ```
 *
 * The builder is mutable; `build()` returns a frozen snapshot, so later builder calls never
 * change a schema already built. Each attribute may be set once (a second call is a `SCHEMA`
 * error, as in Kafka), and a default value is checked against the schema when `build()` runs.
 *
 * @since 0.1.0
 */
export class SchemaBuilder {
  readonly #type: SchemaType;
  #optional = false;
  #defaultValue: unknown = undefined;
  #name: string | undefined;
  #version: number | undefined;
  #doc: string | undefined;
  #parameters: Record<string, string> | undefined;
  readonly #fields: Field[] = [];
  #keySchema: Schema | undefined;
  #valueSchema: Schema | undefined;

  constructor(type: SchemaType) {
    this.#type = type;
  }

  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type);
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder('INT8');
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder('INT16');
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder('INT32');
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder('INT64');
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder('FLOAT32');
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder('FLOAT64');
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder('BOOLEAN');
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder('STRING');
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder('BYTES');
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder('STRUCT');
  }
  static array(valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder('ARRAY');
    builder.#valueSchema = valueSchema;
    return builder;
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    const builder = new SchemaBuilder('MAP');
    builder.#keySchema = keySchema;
    builder.#valueSchema = valueSchema;
    return builder;
  }

  get schemaType(): SchemaType {
    return this.#type;
  }

  optional(): this {
    this.#optional = true;
    return this;
  }
  required(): this {
    this.#optional = false;
    return this;
  }
  defaultValue(value: unknown): this {
    this.#once('default value', this.#defaultValue);
    this.#defaultValue = value;
    return this;
  }
  name(name: string): this {
    this.#once('name', this.#name);
    this.#name = name;
    return this;
  }
  version(version: number): this {
    this.#once('version', this.#version);
    if (!Number.isInteger(version)) throw schemaError(`schema version must be an integer, got ${version}`);
    this.#version = version;
    return this;
  }
  doc(doc: string): this {
    this.#once('doc', this.#doc);
    this.#doc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    this.#parameters ??= {};
    this.#parameters[key] = value;
    return this;
  }
  parameters(parameters: Readonly<Record<string, string>>): this {
    for (const [k, v] of Object.entries(parameters)) this.parameter(k, v);
    return this;
  }

  /** Adds a field to a STRUCT schema; field order is declaration order. */
  field(name: string, schema: Schema | SchemaBuilder): this {
    if (this.#type !== 'STRUCT') throw schemaError(`cannot add field \`${name}\` to a ${this.#type} schema; only STRUCT has fields`);
    if (name === '') throw schemaError('field name must not be empty');
    if (this.#fields.some((f) => f.name === name)) throw schemaError(`duplicate field \`${name}\` in struct ${this.#name ?? '(unnamed)'}`);
    const built = schema instanceof SchemaBuilder ? schema.build() : schema;
    this.#fields.push(Object.freeze({ name, index: this.#fields.length, schema: built }));
    return this;
  }

  /** Returns a frozen schema; the builder can keep being used. */
  build(): Schema {
    const schema: { -readonly [K in keyof Schema]: Schema[K] } = { type: this.#type, optional: this.#optional };
    if (this.#name !== undefined) schema.name = this.#name;
    if (this.#version !== undefined) schema.version = this.#version;
    if (this.#doc !== undefined) schema.doc = this.#doc;
    if (this.#parameters !== undefined) schema.parameters = Object.freeze({ ...this.#parameters });
    if (this.#keySchema !== undefined) schema.keySchema = this.#keySchema;
    if (this.#valueSchema !== undefined) schema.valueSchema = this.#valueSchema;
    if (this.#type === 'STRUCT') schema.fields = Object.freeze([...this.#fields]);
    if (this.#defaultValue !== undefined) {
      const withoutDefault = Object.freeze({ ...schema, optional: true });
      try {
        validateValue(withoutDefault, this.#defaultValue, 'default');
      } catch (error) {
        throw schemaError(`invalid default value for ${this.#name ?? this.#type} schema: ${(error as Error).message}`, { cause: error });
      }
      schema.defaultValue = this.#defaultValue;
    }
    return Object.freeze(schema);
  }

  #once(what: string, current: unknown): void {
    if (current !== undefined) throw schemaError(`schema ${what} is already set`);
  }
}

function constant(type: SchemaType, optional: boolean): Schema {
  if (!isPrimitiveType(type)) throw schemaError(`no constant for ${type}`);
  return Object.freeze({ type, optional });
}

/**
 * Ready-made primitive schemas, as Kafka's `Schema.INT8_SCHEMA` … `OPTIONAL_BYTES_SCHEMA`.
 *
 * @since 0.1.0
 */
export const Schemas = Object.freeze({
  INT8: constant('INT8', false),
  INT16: constant('INT16', false),
  INT32: constant('INT32', false),
  INT64: constant('INT64', false),
  FLOAT32: constant('FLOAT32', false),
  FLOAT64: constant('FLOAT64', false),
  BOOLEAN: constant('BOOLEAN', false),
  STRING: constant('STRING', false),
  BYTES: constant('BYTES', false),
  OPTIONAL_INT8: constant('INT8', true),
  OPTIONAL_INT16: constant('INT16', true),
  OPTIONAL_INT32: constant('INT32', true),
  OPTIONAL_INT64: constant('INT64', true),
  OPTIONAL_FLOAT32: constant('FLOAT32', true),
  OPTIONAL_FLOAT64: constant('FLOAT64', true),
  OPTIONAL_BOOLEAN: constant('BOOLEAN', true),
  OPTIONAL_STRING: constant('STRING', true),
  OPTIONAL_BYTES: constant('BYTES', true),
});
