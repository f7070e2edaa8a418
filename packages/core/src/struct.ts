import { STRUCT_BRAND, hasBrand } from './brands.ts';
import { dataError } from './errors.ts';
import type { Decimal } from './logical.ts';
import { fieldOf, schemaEquals, valueEquals, type Field, type Schema, type SchemaType } from './schema.ts';
import { validateStructFields, validateValue } from './validate-value.ts';

/**
 * A value of a STRUCT schema: field values stored by field index. `put` checks each value
 * against its field schema; `validate()` checks that required fields are set.
 *
 * A `Struct` is mutable until it is handed to the runtime inside a record; after that, treat
 * it as read-only (transforms build a new `Struct`).
 *
 * @since 0.1.0
 */
export class Struct {
  readonly schema: Schema;
  readonly #values: unknown[];
  declare readonly [STRUCT_BRAND]: true;

  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw dataError(`a Struct needs a STRUCT schema, got ${schema.type}`);
    this.schema = schema;
    this.#values = new Array<unknown>(schema.fields?.length ?? 0).fill(undefined);
  }

  /** Sets a field after checking the value against the field schema; returns `this`. */
  put(field: string | Field, value: unknown): this {
    const f = this.#field(field);
    validateValue(f.schema, value, f.name);
    this.#values[f.index] = value;
    return this;
  }

  /** The field value, or the field schema's default when the value is unset or null. */
  get(field: string | Field): unknown {
    const f = this.#field(field);
    const value = this.#values[f.index];
    return value === undefined || value === null ? (f.schema.defaultValue ?? value ?? null) : value;
  }

  /** The field value as set (`null` when unset), ignoring defaults. */
  getWithoutDefault(field: string | Field): unknown {
    return this.#values[this.#field(field).index] ?? null;
  }

  getInt8(field: string): number | null {
    return this.#typed(field, 'INT8') as number | null;
  }
  getInt16(field: string): number | null {
    return this.#typed(field, 'INT16') as number | null;
  }
  getInt32(field: string): number | null {
    return this.#typed(field, 'INT32') as number | null;
  }
  getInt64(field: string): bigint | null {
    return this.#typed(field, 'INT64') as bigint | null;
  }
  getFloat32(field: string): number | null {
    return this.#typed(field, 'FLOAT32') as number | null;
  }
  getFloat64(field: string): number | null {
    return this.#typed(field, 'FLOAT64') as number | null;
  }
  getBoolean(field: string): boolean | null {
    return this.#typed(field, 'BOOLEAN') as boolean | null;
  }
  getString(field: string): string | null {
    return this.#typed(field, 'STRING') as string | null;
  }
  getBytes(field: string): Uint8Array | null {
    return this.#typed(field, 'BYTES') as Uint8Array | null;
  }
  getArray<T = unknown>(field: string): T[] | null {
    return this.#typed(field, 'ARRAY') as T[] | null;
  }
  getMap<K = unknown, V = unknown>(field: string): Map<K, V> | null {
    return this.#typed(field, 'MAP') as Map<K, V> | null;
  }
  getStruct(field: string): Struct | null {
    return this.#typed(field, 'STRUCT') as Struct | null;
  }
  getDecimal(field: string): Decimal | null {
    return this.#typed(field, 'BYTES') as Decimal | null;
  }
  getDate(field: string): Date | null {
    const value = this.get(field);
    if (value !== null && !(value instanceof Date)) throw dataError(`field \`${field}\` does not hold a Date`);
    return value;
  }

  /** Throws a `DATA` error naming the first required field that is missing or invalid. */
  validate(): void {
    validateStructFields(this);
  }

  /** Equal when the schemas are equal and every field value is equal (defaults not applied). */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!hasBrand(other, STRUCT_BRAND)) return false;
    const that = other as Struct;
    return (
      schemaEquals(this.schema, that.schema) &&
      (this.schema.fields ?? []).every((f) => valueEquals(this.getWithoutDefault(f.name), that.getWithoutDefault(f.name)))
    );
  }

  toString(): string {
    const parts = (this.schema.fields ?? []).map((f) => `${f.name}=${String(this.getWithoutDefault(f.name))}`);
    return `Struct{${parts.join(',')}}`;
  }

  #field(field: string | Field): Field {
    // a field of this very schema (the runtime passes the schema's own) needs no lookup
    if (typeof field !== 'string' && this.schema.fields?.[field.index] === field) return field;
    const name = typeof field === 'string' ? field : field.name;
    const found = fieldOf(this.schema, name);
    if (found === undefined) throw dataError(`struct ${this.schema.name ?? '(unnamed)'} has no field \`${name}\``);
    return found;
  }

  #typed(field: string, type: SchemaType): unknown {
    const f = this.#field(field);
    if (f.schema.type !== type) throw dataError(`field \`${f.name}\` is ${f.schema.type}, not ${type}`);
    return this.get(f);
  }
}
Object.defineProperty(Struct.prototype, STRUCT_BRAND, { value: true, enumerable: false });

/**
 * True when `value` is a `Struct` from any copy of this package.
 *
 * @since 0.1.0
 */
export function isStruct(value: unknown): value is Struct {
  return hasBrand(value, STRUCT_BRAND);
}
