import { DECIMAL_BRAND, hasBrand } from './brands.ts';
import { describeValue } from './describe.ts';
import { dataError } from './errors.ts';
import { LogicalNames, type Schema } from './schema.ts';
import { SchemaBuilder } from './schema-builder.ts';

const MS_PER_DAY = 86_400_000;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const SIX_BYTES = 1n << 47n;

/** `toBytes` of an unscaled value in [-2⁴⁷, 2⁴⁷): big-endian two's complement, minimal length. */
function smallBytes(value: number): Uint8Array {
  let length = 1;
  while (value < -(2 ** (length * 8 - 1)) || value >= 2 ** (length * 8 - 1)) length++;
  const out = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    const high = Math.floor(rest / 256);
    out[i] = rest - high * 256;
    rest = high;
  }
  return out;
}

function checkSchema(schema: Schema, name: string, what: string): void {
  if (schema.name !== name) {
    throw dataError(`cannot convert a ${what} value with schema ${schema.name ?? schema.type}; expected schema ${name}`);
  }
}

/**
 * An exact decimal number: `unscaled × 10^-scale`, backed by a `bigint`. No floating point is
 * ever involved. It is also the logical type `org.apache.kafka.connect.data.Decimal` (BYTES with
 * parameter `scale`, holding the unscaled value in big-endian two's-complement, minimal length,
 * exactly as Java's `BigInteger.toByteArray`).
 *
 * ```ts
 * Decimal.parse('12.30').toString()      // '12.30' (scale 2)
 * Decimal.parse('5', 2).toBytes()        // Uint8Array [0x01, 0xf4] (unscaled 500)
 * ```
 *
 * @since 0.1.0
 */
export class Decimal {
  static readonly LOGICAL_NAME = LogicalNames.DECIMAL;
  static readonly SCALE_FIELD = 'scale';

  readonly unscaled: bigint;
  readonly scale: number;
  declare readonly [DECIMAL_BRAND]: true;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale)) throw dataError(`Decimal scale must be an integer, got ${scale}`);
    this.unscaled = unscaled;
    this.scale = scale;
    Object.freeze(this);
  }

  static of(unscaled: bigint | number, scale = 0): Decimal {
    if (typeof unscaled === 'number' && !Number.isSafeInteger(unscaled)) {
      throw dataError(`Decimal.of needs a safe integer or a bigint, got ${unscaled}`);
    }
    return new Decimal(BigInt(unscaled), scale);
  }

  /**
   * Parses `"-12.345"`, `"1e3"`, `".5"`. The scale is the number of fraction digits (minus the
   * exponent) unless `scale` is given, in which case the value is rescaled to it; rescaling
   * that would drop non-zero digits is a `DATA` error.
   */
  static parse(text: string, scale?: number): Decimal {
    const m = DECIMAL_TEXT.exec(text.trim());
    const [, sign = '', whole = '', fraction = '', exponent = '0'] = m ?? [];
    if (m === null || whole.length + fraction.length === 0) throw dataError(`not a decimal number: ${describeValue(text)}`);
    const digits = BigInt(`${whole}${fraction}`);
    const parsed = new Decimal(sign === '-' ? -digits : digits, fraction.length - Number(exponent));
    return scale === undefined ? parsed : parsed.rescale(scale);
  }

  /** Reads the unscaled value from two's-complement big-endian bytes. */
  static fromBytes(bytes: Uint8Array, scale: number): Decimal {
    if (bytes.length === 0) throw dataError('Decimal bytes must not be empty');
    let unsigned = 0n;
    for (const byte of bytes) unsigned = (unsigned << 8n) | BigInt(byte);
    const negative = (bytes[0] ?? 0) >= 0x80;
    return new Decimal(negative ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned, scale);
  }

  /** A builder of the Decimal logical schema (BYTES, name, version 1, parameter `scale`). */
  static builder(scale: number): SchemaBuilder {
    if (!Number.isInteger(scale)) throw dataError(`Decimal scale must be an integer, got ${scale}`);
    return SchemaBuilder.bytes().name(LogicalNames.DECIMAL).version(1).parameter(Decimal.SCALE_FIELD, String(scale));
  }

  static schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  }

  /** The scale a Decimal schema declares. */
  static scaleOf(schema: Schema): number {
    const raw = schema.parameters?.[Decimal.SCALE_FIELD];
    const scale = raw === undefined ? Number.NaN : Number(raw);
    if (!Number.isInteger(scale)) throw dataError(`Decimal schema has no valid \`scale\` parameter (got ${String(raw)})`);
    return scale;
  }

  /** Logical value → wire bytes. The value's scale must equal the schema's. */
  static fromLogical(schema: Schema, value: Decimal): Uint8Array {
    checkSchema(schema, LogicalNames.DECIMAL, 'Decimal');
    const scale = Decimal.scaleOf(schema);
    if (value.scale !== scale) throw dataError(`Decimal scale ${value.scale} does not match the schema scale ${scale}`);
    return value.toBytes();
  }

  /** Wire bytes → logical value. */
  static toLogical(schema: Schema, bytes: Uint8Array): Decimal {
    checkSchema(schema, LogicalNames.DECIMAL, 'Decimal');
    return Decimal.fromBytes(bytes, Decimal.scaleOf(schema));
  }

  /** The unscaled value in minimal two's-complement big-endian bytes (`[0x00]` for zero). */
  toBytes(): Uint8Array {
    const n = this.unscaled;
    // Six bytes hold what a double holds exactly: plain number arithmetic, no bigint per byte.
    if (n >= -SIX_BYTES && n < SIX_BYTES) return smallBytes(Number(n));
    let length = 1;
    while (n < -(1n << BigInt(length * 8 - 1)) || n >= 1n << BigInt(length * 8 - 1)) length++;
    let rest = n < 0n ? (1n << BigInt(length * 8)) + n : n;
    const out = new Uint8Array(length);
    for (let i = length - 1; i >= 0; i--) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return out;
  }

  /** The same number with another scale; `DATA` error if non-zero digits would be dropped. */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const factor = 10n ** BigInt(this.scale - scale);
    if (this.unscaled % factor !== 0n) throw dataError(`cannot rescale ${this.toString()} to scale ${scale} without losing digits`);
    return new Decimal(this.unscaled / factor, scale);
  }

  /** Same unscaled value and same scale (like Java's `BigDecimal.equals`: 1.0 ≠ 1.00). */
  equals(other: unknown): boolean {
    return isDecimal(other) && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** Plain notation, never exponent form: `-0.05`, `1200`, `5.00`. */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    let text: string;
    if (this.scale <= 0) {
      text = digits === '0' ? '0' : digits + '0'.repeat(-this.scale);
    } else {
      const padded = digits.padStart(this.scale + 1, '0');
      text = `${padded.slice(0, -this.scale)}.${padded.slice(-this.scale)}`;
    }
    return negative ? `-${text}` : text;
  }

  toJSON(): string {
    return this.toString();
  }
}
Object.defineProperty(Decimal.prototype, DECIMAL_BRAND, { value: true, enumerable: false });

/**
 * True when `value` is a `Decimal` from any copy of this package.
 *
 * @since 0.1.0
 */
export function isDecimal(value: unknown): value is Decimal {
  return hasBrand(value, DECIMAL_BRAND);
}

function validDate(value: unknown, what: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw dataError(`expected a valid Date for ${what}, got ${describeValue(value)}`);
  return value.getTime();
}

/**
 * The logical type `org.apache.kafka.connect.data.Date`: INT32 days since the Unix epoch,
 * represented in JS as a `Date` at UTC midnight.
 *
 * @since 0.1.0
 */
export const DateLogical = Object.freeze({
  LOGICAL_NAME: LogicalNames.DATE,
  builder: (): SchemaBuilder => SchemaBuilder.int32().name(LogicalNames.DATE).version(1),
  schema: (): Schema => DateLogical.builder().build(),
  /** `Date` at UTC midnight → days since epoch. Any time-of-day part is a `DATA` error. */
  fromLogical(schema: Schema, value: Date): number {
    checkSchema(schema, LogicalNames.DATE, 'Date');
    const ms = validDate(value, 'a Date logical value');
    if (ms % MS_PER_DAY !== 0) throw dataError(`a Date logical value must be at UTC midnight, got ${value.toISOString()}`);
    return ms / MS_PER_DAY;
  },
  toLogical(schema: Schema, days: number): Date {
    checkSchema(schema, LogicalNames.DATE, 'Date');
    if (!Number.isInteger(days)) throw dataError(`Date days since epoch must be an integer, got ${days}`);
    return new Date(days * MS_PER_DAY);
  },
});

/**
 * The logical type `org.apache.kafka.connect.data.Time`: INT32 milliseconds since midnight,
 * represented as a `Date` on 1970-01-01 UTC.
 *
 * @since 0.1.0
 */
export const TimeLogical = Object.freeze({
  LOGICAL_NAME: LogicalNames.TIME,
  builder: (): SchemaBuilder => SchemaBuilder.int32().name(LogicalNames.TIME).version(1),
  schema: (): Schema => TimeLogical.builder().build(),
  /** `Date` on 1970-01-01 UTC → ms since midnight. Any other date is a `DATA` error. */
  fromLogical(schema: Schema, value: Date): number {
    checkSchema(schema, LogicalNames.TIME, 'Time');
    const ms = validDate(value, 'a Time logical value');
    if (ms < 0 || ms >= MS_PER_DAY) throw dataError(`a Time logical value must fall on 1970-01-01 UTC, got ${value.toISOString()}`);
    return ms;
  },
  toLogical(schema: Schema, millis: number): Date {
    checkSchema(schema, LogicalNames.TIME, 'Time');
    if (!Number.isInteger(millis) || millis < 0 || millis >= MS_PER_DAY) {
      throw dataError(`Time milliseconds since midnight must be an integer in [0, ${MS_PER_DAY}), got ${millis}`);
    }
    return new Date(millis);
  },
});

/**
 * The logical type `org.apache.kafka.connect.data.Timestamp`: INT64 milliseconds since the
 * epoch (a `bigint` on the wire), represented as a `Date`.
 *
 * @since 0.1.0
 */
export const TimestampLogical = Object.freeze({
  LOGICAL_NAME: LogicalNames.TIMESTAMP,
  builder: (): SchemaBuilder => SchemaBuilder.int64().name(LogicalNames.TIMESTAMP).version(1),
  schema: (): Schema => TimestampLogical.builder().build(),
  fromLogical(schema: Schema, value: Date): bigint {
    checkSchema(schema, LogicalNames.TIMESTAMP, 'Timestamp');
    return BigInt(validDate(value, 'a Timestamp logical value'));
  },
  toLogical(schema: Schema, millis: bigint | number): Date {
    checkSchema(schema, LogicalNames.TIMESTAMP, 'Timestamp');
    const date = new Date(Number(millis));
    if (Number.isNaN(date.getTime())) throw dataError(`Timestamp milliseconds out of the Date range: ${String(millis)}`);
    return date;
  },
});
