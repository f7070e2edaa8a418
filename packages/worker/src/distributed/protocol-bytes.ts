import { dataError } from '@sluice/core';

/**
 * The primitive types of Kafka's protocol schemas (`org.apache.kafka.common.protocol.types`) that
 * Kafka Connect's group protocol is built from: big-endian integers, `STRING` (int16 length +
 * UTF-8), `NULLABLE_BYTES` (int32 length, -1 = null) and `ArrayOf` (int32 count, -1 = null).
 */
export class ProtocolWriter {
  #buffer = Buffer.alloc(256);
  #length = 0;

  #reserve(bytes: number): number {
    if (this.#length + bytes > this.#buffer.length) {
      const grown = Buffer.alloc(Math.max(this.#buffer.length * 2, this.#length + bytes));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    const at = this.#length;
    this.#length += bytes;
    return at;
  }

  int16(value: number): this {
    this.#buffer.writeInt16BE(value, this.#reserve(2));
    return this;
  }

  int32(value: number): this {
    this.#buffer.writeInt32BE(value, this.#reserve(4));
    return this;
  }

  int64(value: bigint): this {
    this.#buffer.writeBigInt64BE(value, this.#reserve(8));
    return this;
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0x7fff) throw dataError(`a protocol string may hold at most 32767 bytes, got ${bytes.length}: \`${value.slice(0, 40)}…\``);
    this.int16(bytes.length);
    bytes.copy(this.#buffer, this.#reserve(bytes.length));
    return this;
  }

  nullableBytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    this.#buffer.set(value, this.#reserve(value.length));
    return this;
  }

  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer.subarray(0, this.#length));
  }
}

/**
 * Reads the same primitives, failing with a `DATA` error naming `what` when the bytes end early.
 * Kafka's readers ignore bytes after the last field they know (a newer version may append
 * fields), and so does this one.
 */
export class ProtocolReader {
  readonly #view: Buffer;
  readonly #what: string;
  #offset = 0;

  constructor(bytes: Uint8Array, what: string) {
    this.#view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#what = what;
  }

  /** Whether any byte is left: Kafka's schemas that tolerate missing fields give defaults when none is. */
  hasMore(): boolean {
    return this.#offset < this.#view.length;
  }

  #take(bytes: number, field: string): number {
    if (bytes < 0 || this.#offset + bytes > this.#view.length) {
      throw dataError(`${this.#what}: ${field} needs ${bytes} bytes at offset ${this.#offset}, but only ${this.#view.length - this.#offset} are left`);
    }
    const at = this.#offset;
    this.#offset += bytes;
    return at;
  }

  int16(field: string): number {
    return this.#view.readInt16BE(this.#take(2, field));
  }

  int32(field: string): number {
    return this.#view.readInt32BE(this.#take(4, field));
  }

  int64(field: string): bigint {
    return this.#view.readBigInt64BE(this.#take(8, field));
  }

  string(field: string): string {
    const length = this.int16(field);
    if (length < 0) throw dataError(`${this.#what}: ${field} is a null string, which this field does not allow`);
    const at = this.#take(length, field);
    return this.#view.toString('utf8', at, at + length);
  }

  nullableBytes(field: string): Uint8Array | null {
    const length = this.int32(field);
    if (length === -1) return null;
    const at = this.#take(length, field);
    return new Uint8Array(this.#view.subarray(at, at + length));
  }

  /** An `ArrayOf`; a null array (count -1) reads as `null`. */
  nullableArray<T>(field: string, read: () => T): T[] | null {
    const count = this.int32(field);
    if (count === -1) return null;
    if (count < 0) throw dataError(`${this.#what}: ${field} has a negative count ${count}`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read());
    return items;
  }

  array<T>(field: string, read: () => T): T[] {
    const items = this.nullableArray(field, read);
    if (items === null) throw dataError(`${this.#what}: ${field} is a null array, which this field does not allow`);
    return items;
  }
}
