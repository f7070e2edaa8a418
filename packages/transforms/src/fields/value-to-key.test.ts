import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode, sinkRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { valueToKey } from './value-to-key.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

function toKey(raw: RawConfig, valueSchema: Schema | undefined, value: unknown) {
  return configured(valueToKey, 'ValueToKey', raw).apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, keySchema: Schemas.STRING, key: 'old', valueSchema, value }));
}

describe('ValueToKey', () => {
  it('makes a schemaless key of the chosen fields', () => {
    const value = new Map([['a', 1], ['b', 2], ['c', 3]]);
    const out = toKey({ fields: 'a,b' }, undefined, value);
    expect(out?.keySchema).toBeUndefined();
    expect(out?.key).toEqual(new Map([['a', 1], ['b', 2]]));
    expect(out?.value).toBe(value);
  });

  it('makes a plain-object key from a plain-object value, with null for a missing field', () => {
    expect(toKey({ fields: 'a,z' }, undefined, { a: 1 })?.key).toEqual({ a: 1, z: null });
  });

  it('makes a Struct key with the fields schemas', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).field('c', Schemas.INT32).build();
    const out = toKey({ fields: 'a,b' }, schema, new Struct(schema).put('a', 1).put('b', 2).put('c', 3));
    const keySchema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).build();
    expect(out?.keySchema).toEqual(keySchema);
    expect(out?.key).toEqual(new Struct(keySchema).put('a', 1).put('b', 2));
    expect(out?.valueSchema).toBe(schema);
  });

  it('fails on a field the value schema lacks', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    expect(assertErrorCode(() => toKey({ fields: 'not_exist' }, schema, new Struct(schema).put('a', 1)), 'DATA').message).toBe('Field does not exist: not_exist');
  });

  it('fails on a null value, as Kafka does', () => {
    assertErrorCode(() => toKey({ fields: 'a' }, undefined, null), 'DATA');
  });

  it.each([
    [true, 42],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %s', (replace, expected) => {
    const schema = SchemaBuilder.struct().field('optional_with_default', SchemaBuilder.int32().optional().defaultValue(42)).build();
    const out = toKey({ fields: 'optional_with_default', 'replace.null.with.default': replace }, schema, new Struct(schema).put('optional_with_default', null));
    expect((out?.key as Struct).getWithoutDefault('optional_with_default')).toBe(expected);
  });

  it('has no variants and answers to its Java class name', () => {
    expect(valueToKey.transforms.map((t) => t.name)).toEqual(['ValueToKey']);
    expect(valueToKey.aliases).toEqual({ 'org.apache.kafka.connect.transforms.ValueToKey': 'ValueToKey' });
  });

  it('requires a non-empty field list', () => {
    expect(assertErrorCode(() => configured(valueToKey, 'ValueToKey', {}), 'CONFIG').message).toContain('`fields`');
    expect(assertErrorCode(() => configured(valueToKey, 'ValueToKey', { fields: '' }), 'CONFIG').message).toContain('`fields`');
  });
});
