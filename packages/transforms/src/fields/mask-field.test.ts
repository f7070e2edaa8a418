import { describe, expect, it } from 'vitest';
import { DateLogical, Decimal, SchemaBuilder, Schemas, Struct, TimeLogical, TimestampLogical, assertErrorCode, sinkRecord } from '@sluice/core';
import type { Schema } from '@sluice/core';
import { maskField } from './mask-field.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

const SCHEMA = SchemaBuilder.struct()
  .field('magic', Schemas.INT32)
  .field('bool', Schemas.BOOLEAN)
  .field('byte', Schemas.INT8)
  .field('short', Schemas.INT16)
  .field('int', Schemas.INT32)
  .field('long', Schemas.INT64)
  .field('float', Schemas.FLOAT32)
  .field('double', Schemas.FLOAT64)
  .field('string', Schemas.STRING)
  .field('date', DateLogical.schema())
  .field('time', TimeLogical.schema())
  .field('timestamp', TimestampLogical.schema())
  .field('decimal', Decimal.schema(0))
  .field('array', SchemaBuilder.array(Schemas.INT32))
  .field('map', SchemaBuilder.map(Schemas.STRING, Schemas.STRING))
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('default'))
  .build();

const STRUCT = new Struct(SCHEMA)
  .put('magic', 42)
  .put('bool', true)
  .put('byte', 42)
  .put('short', 42)
  .put('int', 42)
  .put('long', 42n)
  .put('float', 42)
  .put('double', 42)
  .put('string', 'hmm')
  .put('date', new Date(86_400_000))
  .put('time', new Date(1000))
  .put('timestamp', new Date(123456))
  .put('decimal', Decimal.of(42))
  .put('array', [1, 2, 3])
  .put('map', new Map([['what', 'what']]))
  .put('withDefault', null);

const MAP = new Map<string, unknown>([
  ['magic', 42],
  ['bool', true],
  ['long', 42n],
  ['double', 42.5],
  ['string', '55.121.20.20'],
  ['date', new Date()],
  ['bigdec', Decimal.parse('42.0')],
  ['list', [42]],
  ['map', new Map([['key', 'value']])],
]);

function mask(fields: readonly string[], schema: Schema | undefined, value: unknown, replacement?: string) {
  const raw = { fields: fields.join(','), 'replace.null.with.default': false, ...(replacement === undefined ? {} : { replacement }) };
  return configured(maskField, 'MaskField$Value', raw).apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, valueSchema: schema, value }));
}

describe('MaskField', () => {
  it('masks every kind of Struct field with the empty value of its type', () => {
    const fields = (SCHEMA.fields ?? []).map((f) => f.name).filter((n) => n !== 'magic');
    const out = mask(fields, SCHEMA, STRUCT);
    const struct = out?.value as Struct;
    expect(out?.valueSchema).toBe(SCHEMA);
    expect(Object.fromEntries((SCHEMA.fields ?? []).map((f) => [f.name, struct.getWithoutDefault(f.name)]))).toEqual({
      magic: 42,
      bool: false,
      byte: 0,
      short: 0,
      int: 0,
      long: 0n,
      float: 0,
      double: 0,
      string: '',
      date: new Date(0),
      time: new Date(0),
      timestamp: new Date(0),
      decimal: Decimal.of(0),
      array: [],
      map: new Map(),
      withDefault: null,
    });
  });

  it('masks schemaless values by their JS type, adding null for a missing field', () => {
    const out = mask([...MAP.keys()].filter((k) => k !== 'magic').concat('missing'), undefined, MAP);
    expect(out?.value).toEqual(
      new Map<string, unknown>([
        ['magic', 42],
        ['bool', false],
        ['long', 0n],
        ['double', 0],
        ['string', ''],
        ['date', new Date(0)],
        ['bigdec', Decimal.of(0)],
        ['list', []],
        ['map', new Map()],
        ['missing', null],
      ]),
    );
  });

  it('keeps a plain object a plain object', () => {
    expect(mask(['a'], undefined, { a: 'secret', b: 1 })?.value).toEqual({ a: '', b: 1 });
  });

  it.each([
    ['short', 123],
    ['byte', 123],
    ['int', 123],
    ['long', 123n],
    ['float', 123],
    ['double', 123.5],
    ['string', '123'],
    ['decimal', Decimal.of(123)],
  ])('replaces Struct field %s with the replacement converted to its type', (field, expected) => {
    const replacement = field === 'double' ? '123.5' : '123';
    expect((mask([field], SCHEMA, STRUCT, replacement)?.value as Struct).get(field)).toEqual(expected);
  });

  it('truncates and wraps a decimal replacement for integer fields, as Kafka reads numbers', () => {
    expect((mask(['byte'], SCHEMA, STRUCT, '300.7')?.value as Struct).get('byte')).toBe(44);
  });

  it.each([
    ['long', 123n],
    ['double', 123],
    ['string', '123'],
    ['bigdec', Decimal.of(123)],
  ])('replaces schemaless field %s with the replacement converted to its type', (field, expected) => {
    expect((mask([field], undefined, MAP, '123')?.value as Map<string, unknown>).get(field)).toEqual(expected);
  });

  it('reads a schemaless whole number as an INT64, as Kafka reads a Long: the replacement loses its fraction', () => {
    const map = new Map<string, unknown>([
      ['int', 42],
      ['long', 42n],
      ['double', 42.5],
    ]);
    expect(mask(['int', 'long', 'double'], undefined, map, '5.7')?.value).toEqual(
      new Map<string, unknown>([
        ['int', 5],
        ['long', 5n],
        ['double', 5.7],
      ]),
    );
    expect((mask(['int'], undefined, map)?.value as Map<string, unknown>).get('int')).toBe(0);
  });

  it.each([['date'], ['bool'], ['list'], ['map']])('cannot replace schemaless field %s', (field) => {
    expect(assertErrorCode(() => mask([field], undefined, MAP, '123'), 'DATA').message).toMatch(/custom replacement/);
  });

  it.each([['time'], ['timestamp'], ['array']])('cannot replace Struct field %s', (field) => {
    expect(assertErrorCode(() => mask([field], SCHEMA, STRUCT, '123'), 'DATA').message).toMatch(/custom replacement/);
  });

  it.each([['long'], ['double'], ['bigdec']])('rejects a replacement that is not a number for %s', (field) => {
    expect(assertErrorCode(() => mask([field], undefined, MAP, 'foo'), 'DATA').message).toMatch(/`foo` is not a number/);
  });

  it('names the field it cannot mask', () => {
    const inner = SchemaBuilder.struct().field('x', Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field('nested', inner).build();
    const error = assertErrorCode(() => mask(['nested'], schema, new Struct(schema).put('nested', new Struct(inner).put('x', 1))), 'DATA');
    expect(error.message).toMatch(/^MaskField: field `nested`: cannot mask a value of type STRUCT/);
    expect(error.context['field']).toBe('nested');
    const schemaless = assertErrorCode(() => mask(['bytes'], undefined, new Map([['bytes', new Uint8Array(1)]])), 'DATA');
    expect(schemaless.context['field']).toBe('bytes');
    expect(assertErrorCode(() => mask(['bool'], undefined, MAP, '123'), 'DATA').message).toMatch(/^MaskField: field `bool`: .*custom replacement/);
  });

  it('masks the key with MaskField$Key', () => {
    const record = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: new Map([['ssn', '123']]), value: 'v' });
    const out = configured(maskField, 'MaskField$Key', { fields: 'ssn' }).apply(record);
    expect(out?.key).toEqual(new Map([['ssn', '']]));
    expect(out?.value).toBe('v');
  });

  it('fails on a tombstone, as Kafka does', () => {
    assertErrorCode(() => mask(['a'], undefined, null), 'DATA');
  });

  it('rejects an empty field list and an empty replacement, naming the key', () => {
    expect(assertErrorCode(() => configured(maskField, 'MaskField$Value', { fields: '' }), 'CONFIG').message).toContain('`fields`');
    expect(assertErrorCode(() => configured(maskField, 'MaskField$Value', { fields: 'a', replacement: '' }), 'CONFIG').message).toContain('`replacement`');
  });
});
