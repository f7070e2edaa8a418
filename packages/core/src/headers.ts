import { dataError } from './errors.ts';
import { DateLogical, Decimal, TimeLogical, TimestampLogical } from './logical.ts';
import type { Schema } from './schema.ts';
import { Schemas } from './schema-builder.ts';
import type { Struct } from './struct.ts';
import { validateValue } from './validate-value.ts';

/**
 * One header: a key, a value and optionally the value's schema. Headers are immutable; use
 * `Headers.remove` + `add` to change one.
 *
 * @since 0.1.0
 */
export interface Header {
  readonly key: string;
  readonly schema?: Schema | undefined;
  readonly value: unknown;
}

/**
 * The headers of a record: ordered and multi-valued (a key may occur many times), compared by
 * exact key. The collection is mutable and the `add…`/`remove…` methods return `this` for
 * chaining; the {@link Header} entries are frozen. A record passed to a transform shares its
 * `Headers` with the original only until `newRecord` copies them with {@link Headers.duplicate},
 * so a transform never changes the headers of the record it was given.
 *
 * @since 0.1.0
 */
export class Headers implements Iterable<Header> {
  #entries: Header[];

  constructor(headers?: Iterable<Header>) {
    this.#entries = [];
    if (headers !== undefined) for (const h of headers) this.add(h.key, h.value, h.schema);
  }

  get size(): number {
    return this.#entries.length;
  }

  isEmpty(): boolean {
    return this.#entries.length === 0;
  }

  /**
   * Appends a header. When a schema is given the value is checked against it (`DATA` error
   * naming the header key when it does not fit).
   */
  add(key: string, value: unknown, schema?: Schema): this {
    if (schema !== undefined) {
      try {
        validateValue(schema, value);
      } catch (error) {
        const reason = (error as Error).message.replace(/^value: /, '');
        throw dataError(`header \`${key}\`: ${reason}`, { cause: error, context: { header: key } });
      }
    }
    this.#entries.push(Object.freeze(schema === undefined ? { key, value } : { key, value, schema }));
    return this;
  }

  addString(key: string, value: string | null): this {
    return this.add(key, value, Schemas.OPTIONAL_STRING);
  }
  addBoolean(key: string, value: boolean | null): this {
    return this.add(key, value, Schemas.OPTIONAL_BOOLEAN);
  }
  addInt8(key: string, value: number | null): this {
    return this.add(key, value, Schemas.OPTIONAL_INT8);
  }
  addInt16(key: string, value: number | null): this {
    return this.add(key, value, Schemas.OPTIONAL_INT16);
  }
  addInt32(key: string, value: number | null): this {
    return this.add(key, value, Schemas.OPTIONAL_INT32);
  }
  addInt64(key: string, value: bigint | null): this {
    return this.add(key, value, Schemas.OPTIONAL_INT64);
  }
  addFloat32(key: string, value: number | null): this {
    return this.add(key, value, Schemas.OPTIONAL_FLOAT32);
  }
  addFloat64(key: string, value: number | null): this {
    return this.add(key, value, Schemas.OPTIONAL_FLOAT64);
  }
  addBytes(key: string, value: Uint8Array | null): this {
    return this.add(key, value, Schemas.OPTIONAL_BYTES);
  }
  addDecimal(key: string, value: Decimal): this {
    return this.add(key, value, Decimal.schema(value.scale));
  }
  addDate(key: string, value: Date): this {
    return this.add(key, value, DateLogical.schema());
  }
  addTime(key: string, value: Date): this {
    return this.add(key, value, TimeLogical.schema());
  }
  addTimestamp(key: string, value: Date): this {
    return this.add(key, value, TimestampLogical.schema());
  }
  addStruct(key: string, value: Struct): this {
    return this.add(key, value, value.schema);
  }
  addList(key: string, value: unknown[], schema: Schema): this {
    return this.add(key, value, schema);
  }
  addMap(key: string, value: Map<unknown, unknown>, schema: Schema): this {
    return this.add(key, value, schema);
  }

  /** Every header with this key, in insertion order. */
  allWithName(key: string): Header[] {
    return this.#entries.filter((h) => h.key === key);
  }

  /** The last header added with this key, or `undefined`. */
  lastWithName(key: string): Header | undefined {
    return this.#entries.findLast((h) => h.key === key);
  }

  /** Removes every header with this key. */
  remove(key: string): this {
    this.#entries = this.#entries.filter((h) => h.key !== key);
    return this;
  }

  /**
   * Keeps only the last header of `key`, or, without a key, the last header of every key (the
   * survivors keep their relative order).
   */
  retainLatest(key?: string): this {
    const lastIndex = new Map<string, number>();
    this.#entries.forEach((h, i) => lastIndex.set(h.key, i));
    this.#entries = this.#entries.filter((h, i) => (key !== undefined && h.key !== key) || lastIndex.get(h.key) === i);
    return this;
  }

  clear(): this {
    this.#entries = [];
    return this;
  }

  /** An independent copy; the (immutable) header entries are shared. */
  duplicate(): Headers {
    const copy = new Headers();
    copy.#entries = [...this.#entries];
    return copy;
  }

  toArray(): Header[] {
    return [...this.#entries];
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.#entries[Symbol.iterator]();
  }
}
