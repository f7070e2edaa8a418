// Kafka Connect's `Values.parseString`: infers a schema and value from header text. A port of
// the behaviour of Apache's tokenizer, including its quirks (e.g. "12,34" reads as INT8 12, a
// quoted string keeps its backslashes, an array holding a null next to typed values is a string).
import { DateLogical, Decimal, Schemas, TimeLogical, TimestampLogical, dataError, isSluiceError, schemaEquals, type Schema, type SchemaAndValue, type SchemaType } from '@sluice/core';

const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Java's String.trim(): strips every char ≤ U+0020. */
function trim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

class Tokens {
  readonly original: string;
  #pos = 0;
  #next: string | null = null;
  #previous: string | null = null;

  constructor(original: string) {
    this.original = original;
  }

  get position(): number {
    return this.#pos;
  }
  get previous(): string | null {
    return this.#previous;
  }
  mark(): number {
    return this.#pos - (this.#next?.length ?? 0);
  }
  rewindTo(position: number): void {
    this.#pos = position;
    this.#next = null;
    this.#previous = null;
  }
  #more(): boolean {
    return this.#pos < this.original.length;
  }
  hasNext(): boolean {
    return this.#next !== null || this.#more();
  }
  next(): string {
    if (this.#next !== null) {
      this.#previous = this.#next;
      this.#next = null;
    } else {
      this.#previous = this.#consume();
    }
    return this.#previous;
  }
  nextN(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.slice(start, this.#pos);
  }
  canConsume(expected: string): boolean {
    if (this.#next === null) {
      if (!this.hasNext()) return false;
      this.#next = this.#consume();
    }
    while (trim(this.#next).length === 0 && this.#more()) this.#next = this.#consume();
    if (trim(this.#next) !== expected) return false;
    this.#next = null;
    return true;
  }
  #consume(): string {
    let escaped = false;
    const start = this.#pos;
    while (this.#more()) {
      const c = this.original[this.#pos] ?? '';
      if (c === '\\') {
        escaped = !escaped;
      } else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.#pos) return this.original.slice(start, this.#pos);
        this.#pos++;
        return c;
      } else {
        escaped = false;
      }
      this.#pos++;
    }
    return this.original.slice(start, this.#pos);
  }
}

const MS_PER_DAY = 86_400_000;
const TIME = /^(\d+):(\d+):(\d+)\.(\d+)Z/;
const TIMESTAMP = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z/;
const DATE = /^(\d+)-(\d+)-(\d+)/;

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date;
}

/** The ISO-8601 forms of Values (fixed lengths 13, 24 and 10), read leniently in UTC like SimpleDateFormat. */
function parseTemporal(text: string): SchemaAndValue | null {
  const token = text.replaceAll('\\:', ':');
  const n = (m: RegExpExecArray, i: number): number => Number(m[i]);
  if (token.length === 13) {
    const m = TIME.exec(token);
    return m ? { schema: TimeLogical.schema(), value: new Date(((n(m, 1) * 60 + n(m, 2)) * 60 + n(m, 3)) * 1000 + n(m, 4)) } : null;
  }
  if (token.length === 24) {
    const m = TIMESTAMP.exec(token);
    return m ? { schema: TimestampLogical.schema(), value: utc(n(m, 1), n(m, 2), n(m, 3), n(m, 4), n(m, 5), n(m, 6), n(m, 7)) } : null;
  }
  if (token.length === 10) {
    const m = DATE.exec(token);
    return m ? { schema: DateLogical.schema(), value: utc(n(m, 1), n(m, 2), n(m, 3)) } : null;
  }
  return null;
}

function parseNumber(token: string): SchemaAndValue | null {
  if (!NUMBER.test(token)) return null;
  const decimal = Decimal.parse(token);
  const { unscaled, scale } = decimal;
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().length;
  let integral: bigint | undefined;
  if (unscaled === 0n) integral = 0n;
  else if (digits - 1 - scale < 19 && scale <= digits) {
    if (scale <= 0) integral = unscaled * 10n ** BigInt(-scale);
    else if (unscaled % 10n ** BigInt(scale) === 0n) integral = unscaled / 10n ** BigInt(scale);
  }
  if (integral !== undefined && integral >= INT64_MIN && integral <= INT64_MAX) {
    if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8, value: Number(integral) };
    if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16, value: Number(integral) };
    if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schemas.INT32, value: Number(integral) };
    return { schema: Schemas.INT64, value: integral };
  }
  const d = Number(token);
  if (scale !== 0 && Number.isFinite(Math.fround(d))) return { schema: Schemas.FLOAT32, value: Math.fround(d) };
  if (scale !== 0 && Number.isFinite(d)) return { schema: Schemas.FLOAT64, value: d };
  return { schema: Decimal.schema(scale), value: decimal };
}

const WIDENS: Partial<Record<SchemaType, readonly SchemaType[]>> = {
  INT8: ['INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64'],
  INT16: ['INT32', 'INT64', 'FLOAT32', 'FLOAT64'],
  INT32: ['INT64', 'FLOAT32', 'FLOAT64'],
  INT64: ['FLOAT32', 'FLOAT64'],
  FLOAT32: ['FLOAT64'],
};

/** Values.mergeSchemas: the schema both values fit, or undefined. */
function merge(previous: Schema, next: Schema): Schema | undefined {
  if (previous.type !== next.type) {
    if (WIDENS[previous.type]?.includes(next.type)) return next;
    if (WIDENS[next.type]?.includes(previous.type)) return previous;
    return undefined;
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next;
  return schemaEquals(previous, next) ? previous : undefined;
}

class Merger {
  common: Schema | undefined;
  #compatible = true;
  add(latest: SchemaAndValue | null): void {
    if (latest?.schema === undefined || !this.#compatible) return;
    this.common = this.common === undefined ? latest.schema : merge(this.common, latest.schema);
    this.#compatible = this.common !== undefined;
  }
}

/** Values.convertTo for the values the parser produces. */
function convert(schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null;
    throw dataError('a null value does not fit a schema that requires a value');
  }
  const number = typeof value === 'number' || typeof value === 'bigint' ? value : undefined;
  if (schema.name === DateLogical.LOGICAL_NAME && number !== undefined) return new Date(Number(number) * MS_PER_DAY);
  if ((schema.name === TimeLogical.LOGICAL_NAME || schema.name === TimestampLogical.LOGICAL_NAME) && number !== undefined) return new Date(Number(number));
  if (schema.name !== undefined || !['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64'].includes(schema.type)) return value;
  if (number === undefined) throw dataError(`cannot convert a ${typeof value} to ${schema.type}`);
  if (schema.type === 'INT64') return BigInt(number);
  return schema.type === 'FLOAT32' ? Math.fround(Number(number)) : Number(number);
}

class ValueParser {
  readonly #t: Tokens;

  constructor(text: string) {
    this.#t = new Tokens(text);
  }

  #literal(embedded: boolean, literal: string): boolean {
    const start = this.#t.mark();
    if (this.#t.canConsume(literal) && (embedded || !this.#t.hasNext())) return true;
    this.#t.rewindTo(start);
    return false;
  }

  parse(embedded: boolean): SchemaAndValue | null {
    const t = this.#t;
    if (!t.hasNext()) return null;
    if (embedded && t.canConsume('"')) return this.#quoted();
    if (this.#literal(embedded, 'null')) return null;
    if (this.#literal(embedded, 'true')) return { schema: Schemas.BOOLEAN, value: true };
    if (this.#literal(embedded, 'false')) return { schema: Schemas.BOOLEAN, value: false };
    const start = t.mark();
    try {
      if (t.canConsume('[')) return this.#array();
      if (t.canConsume('{')) return this.#map();
    } catch (error) {
      if (!isSluiceError(error)) throw error;
      t.rewindTo(start);
    }
    const token = t.next();
    if (trim(token).length === 0) return { schema: Schemas.STRING, value: token };
    return this.#token(embedded, trim(token));
  }

  #token(embedded: boolean, token: string): SchemaAndValue {
    const t = this.#t;
    const digit = /^\d/.test(token);
    if (digit) {
      const position = t.mark();
      const rest = t.nextN(4);
      const joined = rest === null ? null : parseTemporal(token + rest);
      if (joined !== null) return joined;
      t.rewindTo(position);
      const temporal = parseTemporal(token);
      if (temporal !== null) return temporal;
    }
    if (digit || token.startsWith('+') || token.startsWith('-')) {
      const number = parseNumber(token);
      if (number !== null) return number;
    }
    if (embedded) throw dataError('failed to parse an embedded value');
    return { schema: Schemas.STRING, value: t.original };
  }

  #quoted(): SchemaAndValue {
    let content = '';
    while (this.#t.hasNext()) {
      if (this.#t.canConsume('"')) break;
      content += this.#t.next();
    }
    return parseTemporal(content) ?? { schema: Schemas.STRING, value: content };
  }

  #array(): SchemaAndValue {
    const t = this.#t;
    const values: unknown[] = [];
    const element = new Merger();
    while (t.hasNext()) {
      if (t.canConsume(']')) {
        const common = element.common;
        if (common === undefined) return { schema: Object.freeze({ type: 'ARRAY', optional: false }), value: values };
        return { schema: Object.freeze({ type: 'ARRAY', optional: false, valueSchema: common }), value: values.map((v) => convert(common, v)) };
      }
      if (t.canConsume(',')) throw dataError(`empty array element in ${t.original}`);
      const parsed = this.parse(true);
      element.add(parsed);
      values.push(parsed === null ? null : parsed.value);
      const position = t.mark();
      if (t.canConsume(']')) t.rewindTo(position);
      else if (!t.canConsume(',')) throw dataError("array elements missing ',' delimiter");
    }
    throw dataError(t.previous === ',' ? `array is missing an element after ',': ${t.original}` : `array is missing its terminating ']': ${t.original}`);
  }

  #map(): SchemaAndValue {
    const t = this.#t;
    const entries: [unknown, unknown][] = [];
    const keys = new Merger();
    const values = new Merger();
    while (t.hasNext()) {
      if (t.canConsume('}')) return this.#mapResult(entries, keys.common, values.common);
      if (t.canConsume(',')) throw dataError(`map entry with no key or value in ${t.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null) throw dataError(`map entry may not have a null key: ${t.original}`);
      if (!t.canConsume(':')) throw dataError(`map entry is missing ':' at ${t.position} in ${t.original}`);
      const value = this.parse(true);
      const existing = entries.findIndex(([k]) => k === key.value);
      if (existing >= 0) entries.splice(existing, 1, [key.value, value?.value ?? null]);
      else entries.push([key.value, value?.value ?? null]);
      t.canConsume(',');
      keys.add(key);
      values.add(value);
    }
    throw dataError(t.previous === ',' ? `map is missing an element after ',': ${t.original}` : `map is missing its terminating '}': ${t.original}`);
  }

  #mapResult(entries: [unknown, unknown][], key: Schema | undefined, value: Schema | undefined): SchemaAndValue {
    if (key === undefined) return { schema: Object.freeze({ type: 'MAP', optional: false }), value: new Map(entries) };
    const schema: Schema = Object.freeze(value === undefined ? { type: 'MAP', optional: false, keySchema: key } : { type: 'MAP', optional: false, keySchema: key, valueSchema: value });
    return { schema, value: new Map(entries.map(([k, v]) => [convert(key, k), value === undefined ? v : convert(value, v)])) };
  }
}

/**
 * The schema and value `Values.parseString` infers from text: `true`/`false`, the smallest
 * integer type that holds a whole number (INT8…INT64, then Decimal), FLOAT32 or FLOAT64 for
 * other numbers, arrays `[…]` and maps `{…}` of such values, ISO-8601 dates, times and
 * timestamps, else the text as a STRING. `null` text gives `{ value: null }` without schema.
 */
export function parseString(text: string): SchemaAndValue {
  if (text === '') return { schema: Schemas.STRING, value: '' };
  return new ValueParser(text).parse(false) ?? { schema: undefined, value: null };
}
