import { assertErrorCode, DateLogical, SchemaBuilder, Schemas, Struct, TimeLogical, TimestampLogical, sourceRecord } from '@sluice/core';
import type { Schema, SourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { timestampConverter } from './timestamp-converter.ts';

const VALUE = timestampConverter.transforms.find((t) => t.name === 'TimestampConverter$Value')!;
const KEY = timestampConverter.transforms.find((t) => t.name === 'TimestampConverter$Key')!;

function converter(raw: Record<string, string | boolean>, definition = VALUE) {
  const t = definition.create();
  t.configure(definition.config.parse(raw));
  return t;
}

const record = (schema: Schema | undefined, value: unknown): SourceRecord =>
  sourceRecord({ topic: 'topic', kafkaPartition: 0, valueSchema: schema, value, sourcePartition: null, sourceOffset: null });

// 1970-01-02T00:00:01.234Z, as Kafka's own tests use.
const DATE_PLUS_TIME = new Date(86_401_234);
const DATE = new Date(86_400_000);
const TIME = new Date(1_234);
const UNIX = 86_401_234n;
const FORMAT = 'yyyy MM dd HH mm ss SSS z';
const TEXT = '1970 01 02 00 00 01 234 UTC';

const TIMESTAMP_SCHEMA = TimestampLogical.schema();
const DATE_SCHEMA = DateLogical.schema();
const TIME_SCHEMA = TimeLogical.schema();
const optional = (b: SchemaBuilder) => b.optional().build();

describe('TimestampConverter without schema', () => {
  it.each([
    ['Timestamp', DATE_PLUS_TIME],
    ['Date', DATE],
    ['Time', TIME],
    ['unix', UNIX],
    ['string', TEXT],
  ])('converts a Date to %s', (target, expected) => {
    const out = converter({ 'target.type': target, format: FORMAT }).apply(record(undefined, DATE_PLUS_TIME));
    expect(out?.valueSchema).toBeUndefined();
    expect(out?.value).toEqual(expected);
  });

  it.each([
    ['a Date', DATE, DATE],
    ['a Time-like Date', TIME, TIME],
    ['a bigint unix time', UNIX, DATE_PLUS_TIME],
    ['an integer number', 86_401_234, DATE_PLUS_TIME],
    ['a string', TEXT, DATE_PLUS_TIME],
  ])('converts %s to a Timestamp', (_, input, expected) => {
    expect(converter({ 'target.type': 'Timestamp', format: FORMAT }).apply(record(undefined, input))?.value).toEqual(expected);
  });

  it.each(['string', 'unix', 'Date', 'Time', 'Timestamp'])('passes a null value through to %s, with or without a field', (target) => {
    expect(converter({ 'target.type': target, format: FORMAT }).apply(record(undefined, null))?.value).toBeNull();
    expect(converter({ 'target.type': target, format: FORMAT, field: 'ts' }).apply(record(undefined, null))?.value).toBeNull();
  });

  it('converts one field of a map, leaving the others', () => {
    const out = converter({ 'target.type': 'Date', field: 'ts' }).apply(record(undefined, new Map<string, unknown>([['ts', DATE_PLUS_TIME], ['other', 'x']])));
    expect(out?.value).toEqual(new Map<string, unknown>([['ts', DATE], ['other', 'x']]));
  });

  it('converts one field of a plain object, and writes a missing field back as null as Kafka does', () => {
    const t = converter({ 'target.type': 'unix', field: 'ts' });
    expect(t.apply(record(undefined, { ts: DATE_PLUS_TIME }))?.value).toEqual({ ts: UNIX });
    expect(t.apply(record(undefined, { other: 1 }))?.value).toEqual({ other: 1, ts: null });
  });

  it('reads and writes unix times in the configured precision, dropping sub-millisecond digits', () => {
    const to = (precision: string) => converter({ 'target.type': 'unix', 'unix.precision': precision, format: FORMAT }).apply(record(undefined, TEXT))?.value;
    expect(to('seconds')).toBe(86_401n);
    expect(to('microseconds')).toBe(86_401_234_000n);
    expect(to('nanoseconds')).toBe(86_401_234_000_000n);
    const from = (precision: string, n: bigint) => converter({ 'target.type': 'Timestamp', 'unix.precision': precision }).apply(record(undefined, n))?.value;
    expect(from('seconds', 86_401n)).toEqual(new Date(86_401_000));
    expect(from('microseconds', 86_401_234_123n)).toEqual(DATE_PLUS_TIME);
    expect(from('nanoseconds', 86_401_234_123_456n)).toEqual(DATE_PLUS_TIME);
  });

  it('fails on values that are no timestamp, and on text that does not fit the format', () => {
    expect(assertErrorCode(() => converter({ 'target.type': 'unix' }).apply(record(undefined, true)), 'DATA').message).toMatch(/does not support the boolean true/);
    expect(assertErrorCode(() => converter({ 'target.type': 'unix', format: 'yyyy-MM-dd' }).apply(record(undefined, 'soon')), 'DATA').message).toMatch(/cannot parse timestamp `soon`.*yyyy-MM-dd/);
    expect(assertErrorCode(() => converter({ 'target.type': 'unix' }).apply(record(undefined, '2020-01-01')), 'DATA').message).toMatch(/no `format`/);
    expect(assertErrorCode(() => converter({ 'target.type': 'Date', field: 'ts' }).apply(record(undefined, 'x')), 'DATA').message).toMatch(/Only Map objects/);
  });

  it('names the configured field when its timestamp cannot be read', () => {
    const error = assertErrorCode(() => converter({ 'target.type': 'unix', format: 'yyyy-MM-dd', field: 'ts' }).apply(record(undefined, new Map([['ts', 'soon']]))), 'DATA');
    expect(error.message).toMatch(/^TimestampConverter: field `ts`: cannot parse timestamp `soon`/);
    expect(error.context['field']).toBe('ts');
  });
});

describe('TimestampConverter with schema', () => {
  it.each([
    ['Timestamp', TIMESTAMP_SCHEMA, DATE_PLUS_TIME],
    ['Date', DATE_SCHEMA, DATE],
    ['Time', TIME_SCHEMA, TIME],
    ['unix', Schemas.INT64, UNIX],
    ['string', Schemas.STRING, TEXT],
  ])('converts a Timestamp to %s', (target, schema, expected) => {
    const out = converter({ 'target.type': target, format: FORMAT }).apply(record(TIMESTAMP_SCHEMA, DATE_PLUS_TIME));
    expect(out?.valueSchema).toEqual(schema);
    expect(out?.value).toEqual(expected);
  });

  it.each([
    ['Date', DATE_SCHEMA, DATE, DATE],
    ['Time', TIME_SCHEMA, TIME, TIME],
    ['INT64', Schemas.INT64, UNIX, DATE_PLUS_TIME],
    ['STRING', Schemas.STRING, TEXT, DATE_PLUS_TIME],
  ])('converts a %s to a Timestamp', (_, schema, input, expected) => {
    const out = converter({ 'target.type': 'Timestamp', format: FORMAT }).apply(record(schema, input));
    expect(out?.valueSchema).toEqual(TIMESTAMP_SCHEMA);
    expect(out?.value).toEqual(expected);
  });

  const optionalInputs = [Schemas.OPTIONAL_INT64, optional(TimeLogical.builder()), optional(DateLogical.builder()), Schemas.OPTIONAL_STRING, optional(TimestampLogical.builder())];
  const optionalTargets: [string, Schema][] = [
    ['Timestamp', optional(TimestampLogical.builder())],
    ['unix', Schemas.OPTIONAL_INT64],
    ['Time', optional(TimeLogical.builder())],
    ['Date', optional(DateLogical.builder())],
    ['string', Schemas.OPTIONAL_STRING],
  ];

  it.each(optionalTargets)('passes a null value and a null field through to %s, with an optional schema', (target, expectedSchema) => {
    for (const input of optionalInputs) {
      const whole = converter({ 'target.type': target, format: FORMAT }).apply(record(input, null));
      expect(whole?.valueSchema).toEqual(expectedSchema);
      expect(whole?.value).toBeNull();

      const t = converter({ 'target.type': target, format: FORMAT, field: 'ts' });
      const struct = SchemaBuilder.struct().field('ts', input).field('other', Schemas.STRING);
      const expected = SchemaBuilder.struct().field('ts', expectedSchema).field('other', Schemas.STRING);
      const out = t.apply(record(struct.build(), new Struct(struct.build()).put('ts', null).put('other', 'test')));
      expect(out?.valueSchema).toEqual(expected.build());
      expect((out?.value as Struct).get('ts')).toBeNull();

      const tombstone = t.apply(record(struct.optional().build(), null));
      expect(tombstone?.valueSchema).toEqual(expected.optional().build());
      expect(tombstone?.value).toBeNull();
    }
  });

  it('converts one field of a struct, keeping the struct name and the other fields', () => {
    const schema = SchemaBuilder.struct().name('Event').version(2).field('ts', Schemas.INT64).field('other', Schemas.STRING).build();
    const out = converter({ 'target.type': 'Timestamp', field: 'ts' }).apply(record(schema, new Struct(schema).put('ts', UNIX).put('other', 'test')));
    const expected = SchemaBuilder.struct().name('Event').version(2).field('ts', TIMESTAMP_SCHEMA).field('other', Schemas.STRING).build();
    expect(out?.valueSchema).toEqual(expected);
    expect(out?.value).toEqual(new Struct(expected).put('ts', DATE_PLUS_TIME).put('other', 'test'));
  });

  it('reads a null field as its default unless replace.null.with.default is false', () => {
    const schema = SchemaBuilder.struct().field('ts', SchemaBuilder.int64().optional().defaultValue(0n)).field('other', Schemas.STRING).build();
    const value = new Struct(schema).put('ts', null).put('other', 'test');
    const expected = SchemaBuilder.struct().field('ts', optional(TimestampLogical.builder())).field('other', Schemas.STRING).build();
    const kept = converter({ 'target.type': 'Timestamp', field: 'ts', 'replace.null.with.default': false }).apply(record(schema, value));
    expect(kept?.valueSchema).toEqual(expected);
    expect((kept?.value as Struct).get('ts')).toBeNull();
    const replaced = converter({ 'target.type': 'Timestamp', field: 'ts' }).apply(record(schema, value));
    expect((replaced?.value as Struct).get('ts')).toEqual(new Date(0));
  });

  it.each(['Date', 'Time', 'Timestamp', 'unix', 'string'])('gives every record converted to %s the same output schema object', (target) => {
    const t = converter({ 'target.type': target, format: FORMAT });
    const first = t.apply(record(TIMESTAMP_SCHEMA, DATE_PLUS_TIME))?.valueSchema;
    expect(first).toBeDefined();
    expect(t.apply(record(TIMESTAMP_SCHEMA, DATE))?.valueSchema).toBe(first);
    const optionalSchema = optional(TimestampLogical.builder());
    expect(t.apply(record(optionalSchema, DATE))?.valueSchema).toBe(t.apply(record(optionalSchema, TIME))?.valueSchema);
    expect(t.apply(record(optionalSchema, DATE))?.valueSchema?.optional).toBe(true);
  });

  it('converts the default of a struct schema too', () => {
    const schema = SchemaBuilder.struct().field('ts', Schemas.INT64).optional();
    const withDefault = SchemaBuilder.struct().field('ts', Schemas.INT64).optional().defaultValue(new Struct(schema.build()).put('ts', UNIX)).build();
    const out = converter({ 'target.type': 'Date', field: 'ts' }).apply(record(withDefault, null));
    expect((out?.valueSchema?.defaultValue as Struct).get('ts')).toEqual(DATE);
    expect(out?.valueSchema?.optional).toBe(true);
  });

  it('fails on a schema that holds no timestamp, and on a non-struct value with a field', () => {
    expect(assertErrorCode(() => converter({ 'target.type': 'unix' }).apply(record(Schemas.INT32, 5)), 'DATA').message).toMatch(/INT32 schema holds no timestamp/);
    expect(assertErrorCode(() => converter({ 'target.type': 'unix', field: 'ts' }).apply(record(Schemas.STRING, 'x')), 'DATA').message).toMatch(/Only Struct objects/);
  });

  it('names the configured field when its timestamp cannot be read', () => {
    const schema = SchemaBuilder.struct().field('ts', Schemas.STRING).build();
    const error = assertErrorCode(() => converter({ 'target.type': 'unix', format: 'yyyy-MM-dd', field: 'ts' }).apply(record(schema, new Struct(schema).put('ts', 'soon'))), 'DATA');
    expect(error.message).toMatch(/^TimestampConverter: field `ts`: cannot parse timestamp `soon`/);
    expect(error.context['field']).toBe('ts');
  });
});

describe('TimestampConverter$Key', () => {
  it('converts the key and leaves the value', () => {
    const out = converter({ 'target.type': 'unix' }, KEY).apply(
      sourceRecord({ topic: 't', key: DATE_PLUS_TIME, valueSchema: TIMESTAMP_SCHEMA, value: DATE, sourcePartition: null, sourceOffset: null }),
    );
    expect(out?.key).toBe(UNIX);
    expect(out?.keySchema).toBeUndefined();
    expect(out?.value).toEqual(DATE);
  });
});

describe('TimestampConverter config', () => {
  it('answers to both Java class names', () => {
    expect(Object.keys(timestampConverter.aliases).sort()).toEqual([
      'org.apache.kafka.connect.transforms.TimestampConverter$Key',
      'org.apache.kafka.connect.transforms.TimestampConverter$Value',
    ]);
  });

  it('has Kafka defaults', () => {
    expect(VALUE.config.keys()).toEqual(['field', 'target.type', 'format', 'unix.precision', 'replace.null.with.default']);
    expect(VALUE.config.parse({ 'target.type': 'unix' })).toEqual({ field: '', 'target.type': 'unix', format: '', 'unix.precision': 'milliseconds', 'replace.null.with.default': true });
  });

  it('rejects bad configs, naming the key', () => {
    const key = (raw: Record<string, string>) => assertErrorCode(() => converter(raw), 'CONFIG').context['key'];
    expect(key({})).toBe('target.type');
    expect(key({ 'target.type': 'invalid' })).toBe('target.type');
    expect(key({ 'target.type': 'unix', 'unix.precision': 'invalid' })).toBe('unix.precision');
    expect(key({ 'target.type': 'string' })).toBe('format');
    expect(key({ 'target.type': 'string', format: 'bad-format' })).toBe('format');
  });

  it('takes target types and precisions only as Kafka spells them (case matters)', () => {
    const key = (raw: Record<string, string>) => assertErrorCode(() => converter(raw), 'CONFIG');
    expect(key({ 'target.type': 'date' }).context['key']).toBe('target.type');
    expect(key({ 'target.type': 'date' }).message).toMatch(/must be one of `string`, `unix`, `Date`, `Time`, `Timestamp`, got `date` \(case matters\)/);
    expect(key({ 'target.type': 'UNIX' }).context['key']).toBe('target.type');
    expect(key({ 'target.type': 'Date', 'unix.precision': 'SECONDS' }).context['key']).toBe('unix.precision');
    const out = converter({ 'target.type': 'Date', 'unix.precision': 'seconds' }).apply(record(Schemas.INT64, 86_401n));
    expect(out?.valueSchema).toEqual(DATE_SCHEMA);
    expect(out?.value).toEqual(DATE);
  });
});
