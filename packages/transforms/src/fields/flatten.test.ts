import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode, sourceRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { flatten } from './flatten.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

function record(valueSchema: Schema | undefined, value: unknown) {
  return sourceRecord({ topic: 'topic', kafkaPartition: 0, sourcePartition: null, sourceOffset: null, valueSchema, value });
}

function flattenValue(valueSchema: Schema | undefined, value: unknown, raw: RawConfig = {}) {
  const out = configured(flatten, 'Flatten$Value', raw).apply(record(valueSchema, value));
  if (out === null) throw new Error('dropped');
  return out;
}

describe('Flatten', () => {
  it('flattens nested Structs, naming fields by their path', () => {
    const leaf = SchemaBuilder.struct()
      .field('int8', Schemas.INT8)
      .field('int64', Schemas.INT64)
      .field('float64', Schemas.FLOAT64)
      .field('boolean', Schemas.BOOLEAN)
      .field('string', Schemas.STRING)
      .field('bytes', Schemas.BYTES)
      .build();
    const middle = SchemaBuilder.struct().field('B', leaf).build();
    const top = SchemaBuilder.struct().field('A', middle).build();
    const bytes = new Uint8Array([1, 2]);
    const leafValue = new Struct(leaf).put('int8', 8).put('int64', 64n).put('float64', 64.5).put('boolean', true).put('string', 'stringy').put('bytes', bytes);
    const out = flattenValue(top, new Struct(top).put('A', new Struct(middle).put('B', leafValue)));
    expect(out.valueSchema?.fields?.map((f) => `${f.name}:${f.schema.type}`)).toEqual([
      'A.B.int8:INT8',
      'A.B.int64:INT64',
      'A.B.float64:FLOAT64',
      'A.B.boolean:BOOLEAN',
      'A.B.string:STRING',
      'A.B.bytes:BYTES',
    ]);
    const flat = out.value as Struct;
    expect([flat.get('A.B.int8'), flat.get('A.B.int64'), flat.get('A.B.float64'), flat.get('A.B.boolean'), flat.get('A.B.string')]).toEqual([8, 64n, 64.5, true, 'stringy']);
    expect(flat.get('A.B.bytes')).toEqual(bytes);
  });

  it('flattens nested maps with a custom delimiter', () => {
    const value = new Map([['A', new Map<string, unknown>([['B', new Map<string, unknown>([['int', 32n], ['string', 'stringy'], ['list', [1]]])]])]]);
    const out = flattenValue(undefined, value, { delimiter: '#' });
    expect(out.valueSchema).toBeUndefined();
    expect(out.value).toEqual(new Map<string, unknown>([['A#B#int', 32n], ['A#B#string', 'stringy'], ['A#B#list', [1]]]));
  });

  it('flattens plain objects into a plain object', () => {
    expect(flattenValue(undefined, { a: { b: 1, c: null } }).value).toEqual({ 'a.b': 1, 'a.c': null });
  });

  it('flattens the key with Flatten$Key', () => {
    const src = sourceRecord({ topic: 't', sourcePartition: null, sourceOffset: null, key: new Map([['A', new Map([['B', 12]])]]), value: null });
    const out = configured(flatten, 'Flatten$Key', {}).apply(src);
    expect(out?.key).toEqual(new Map([['A.B', 12]]));
    expect(out?.value).toBeNull();
  });

  it('keeps null fields of maps and Structs in place', () => {
    const map = new Map<string, unknown>([['firstNull', null], ['firstNonNull', 'nonNull'], ['secondNull', null]]);
    expect(flattenValue(undefined, map).value).toEqual(map);
    const schema = SchemaBuilder.struct().field('a', Schemas.OPTIONAL_STRING).field('b', Schemas.OPTIONAL_STRING).build();
    const struct = new Struct(schema).put('a', null).put('b', 'x');
    expect(flattenValue(schema, struct).value).toEqual(struct);
  });

  it('leaves arrays, even of Structs, as they are', () => {
    const inner = SchemaBuilder.struct().field('baz', SchemaBuilder.struct().field('lfg', Schemas.STRING)).build();
    const schema = SchemaBuilder.struct().field('foo', SchemaBuilder.array(inner).doc('durk')).build();
    const value = new Struct(schema).put('foo', [new Struct(inner).put('baz', new Struct(inner.fields?.[0]?.schema as Schema).put('lfg', 'lfg'))]);
    const out = flattenValue(schema, value);
    expect(out.valueSchema).toEqual(schema);
    expect(out.value).toEqual(value);
    const map = new Map<string, unknown>([['foo', ['bar', new Map([['baz', 1]])]]]);
    expect(flattenValue(undefined, map).value).toEqual(map);
  });

  it('makes fields optional under an optional struct and carries defaults down', () => {
    const childBuilder = SchemaBuilder.struct()
      .optional()
      .field('req_field', Schemas.STRING)
      .field('opt_field', SchemaBuilder.string().optional().defaultValue('child_default'));
    const childDefault = new Struct(childBuilder.build()).put('req_field', 'req_default');
    const child = childBuilder.defaultValue(childDefault).build();
    const out = flattenValue(child, new Struct(child));
    expect(out.valueSchema?.fields?.find((f) => f.name === 'req_field')?.schema).toEqual(SchemaBuilder.string().optional().defaultValue('req_default').build());
    expect(out.valueSchema?.fields?.find((f) => f.name === 'opt_field')?.schema).toEqual(SchemaBuilder.string().optional().defaultValue('child_default').build());
  });

  it('leaves the fields of a null nested struct null', () => {
    const inner = SchemaBuilder.struct().optional().field('opt_int32', Schemas.OPTIONAL_INT32).build();
    const schema = SchemaBuilder.struct().field('B', inner).build();
    const out = flattenValue(schema, new Struct(schema).put('B', null));
    expect((out.value as Struct).get('B.opt_int32')).toBeNull();
    expect(out.valueSchema?.fields?.[0]?.schema.optional).toBe(true);
  });

  it('passes tombstones through, with or without a schema', () => {
    const schema = SchemaBuilder.struct().name('name').version(1).doc('doc').field('magic', Schemas.OPTIONAL_INT64).optional().build();
    const withSchema = record(schema, null);
    expect(configured(flatten, 'Flatten$Value', {}).apply(withSchema)).toBe(withSchema);
    const without = record(undefined, null);
    expect(configured(flatten, 'Flatten$Value', {}).apply(without)).toBe(without);
  });

  it('keeps the name, version and doc of the top-level schema and reuses the output schema', () => {
    const schema = SchemaBuilder.struct().name('n').version(2).doc('d').field('a', SchemaBuilder.struct().field('b', Schemas.INT32)).build();
    const transform = configured(flatten, 'Flatten$Value', {});
    const value = new Struct(schema).put('a', new Struct(schema.fields?.[0]?.schema as Schema).put('b', 1));
    const first = transform.apply(record(schema, value));
    const second = transform.apply(record(schema, value));
    expect(first?.valueSchema).toMatchObject({ name: 'n', version: 2, doc: 'd' });
    expect(second?.valueSchema).toBe(first?.valueSchema);
  });

  it('needs a Struct or a map at the top', () => {
    assertErrorCode(() => flattenValue(Schemas.INT32, 42), 'DATA');
    assertErrorCode(() => flattenValue(undefined, 42), 'DATA');
  });

  it('rejects MAP fields in Structs and values Connect does not know in maps', () => {
    const schema = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING)).build();
    expect(assertErrorCode(() => flattenValue(schema, new Struct(schema).put('m', new Map())), 'DATA').message).toMatch(/MAP.*`m`/);
    expect(assertErrorCode(() => flattenValue(undefined, new Map([['d', new Date(0)]])), 'DATA').message).toMatch(/Date.*`d`/);
  });
});
