import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode, sinkRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { extractField } from './extract-field.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

function keyRecord(keySchema: Schema | undefined, key: unknown) {
  return sinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 0n, keySchema, key, value: null });
}

function extractKey(raw: RawConfig, keySchema: Schema | undefined, key: unknown) {
  const out = configured(extractField, 'ExtractField$Key', raw).apply(keyRecord(keySchema, key));
  if (out === null) throw new Error('dropped');
  return out;
}

const foo = SchemaBuilder.struct().field('foo', Schemas.INT32).build();
const nested = SchemaBuilder.struct().field('magic', foo).build();
const V2 = { 'field.syntax.version': 'V2' };

describe('ExtractField', () => {
  it('extracts a field of a schemaless map', () => {
    const out = extractKey({ field: 'magic' }, undefined, new Map([['magic', 42]]));
    expect(out.keySchema).toBeUndefined();
    expect(out.key).toBe(42);
  });

  it('extracts a field of a plain object', () => {
    expect(extractKey({ field: 'magic' }, undefined, { magic: 'x' }).key).toBe('x');
  });

  it('extracts a field of a Struct with its schema', () => {
    const schema = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
    const out = extractKey({ field: 'magic' }, schema, new Struct(schema).put('magic', 42));
    expect(out.keySchema).toEqual(Schemas.INT32);
    expect(out.key).toBe(42);
  });

  it('extracts the value with ExtractField$Value', () => {
    const schema = SchemaBuilder.struct().field('magic', Schemas.STRING).build();
    const record = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: 'k', valueSchema: schema, value: new Struct(schema).put('magic', 'v') });
    const out = configured(extractField, 'ExtractField$Value', { field: 'magic' }).apply(record);
    expect(out?.value).toBe('v');
    expect(out?.key).toBe('k');
  });

  it('follows dotted paths with V2, in maps and Structs', () => {
    expect(extractKey({ field: 'magic.foo', ...V2 }, undefined, new Map([['magic', new Map([['foo', 42]])]])).key).toBe(42);
    const out = extractKey({ field: 'magic.foo', ...V2 }, nested, new Struct(nested).put('magic', new Struct(foo).put('foo', 42)));
    expect(out.keySchema).toEqual(Schemas.INT32);
    expect(out.key).toBe(42);
  });

  it('reads a dotted name as one name with V1 (the default)', () => {
    expect(extractKey({ field: 'magic.foo' }, undefined, new Map([['magic.foo', 1]])).key).toBe(1);
  });

  it('reads backticks around names that contain dots with V2', () => {
    const map = new Map<string, unknown>([['a.b', new Map([['c', 7]])]]);
    expect(extractKey({ field: '`a.b`.c', ...V2 }, undefined, map).key).toBe(7);
    expect(extractKey({ field: '`a\\`.b`', ...V2 }, undefined, new Map([['a`.b', 8]])).key).toBe(8);
  });

  it('rejects an unclosed backtick when configured, naming the key', () => {
    const error = assertErrorCode(() => configured(extractField, 'ExtractField$Key', { field: '`foo.bar', ...V2 }), 'CONFIG');
    expect(error.message).toContain('`field`');
  });

  it('rejects an unknown syntax version', () => {
    expect(assertErrorCode(() => configured(extractField, 'ExtractField$Key', { field: 'a', 'field.syntax.version': 'V3' }), 'CONFIG').message).toContain(
      '`field.syntax.version`',
    );
  });

  it('requires field', () => {
    expect(assertErrorCode(() => configured(extractField, 'ExtractField$Key', {}), 'CONFIG').message).toContain('`field`');
  });

  it('passes null through, keeping the field schema when there is one', () => {
    expect(extractKey({ field: 'magic' }, undefined, null).key).toBeNull();
    const optional = SchemaBuilder.struct().field('magic', Schemas.INT32).optional().build();
    const out = extractKey({ field: 'magic' }, optional, null);
    expect(out.keySchema).toEqual(Schemas.INT32);
    expect(out.key).toBeNull();
  });

  it('gives null for a missing field without a schema', () => {
    expect(extractKey({ field: 'nonexistent' }, undefined, new Map([['magic', 42]])).key).toBeNull();
    expect(extractKey({ field: 'magic.nonexistent', ...V2 }, undefined, new Map([['magic', new Map([['foo', 42]])]])).key).toBeNull();
  });

  it('fails on a field missing from the schema', () => {
    const schema = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
    expect(assertErrorCode(() => extractKey({ field: 'nonexistent' }, schema, new Struct(schema).put('magic', 42)), 'DATA').message).toBe(
      'Unknown field: nonexistent',
    );
    const value = new Struct(nested).put('magic', new Struct(foo).put('foo', 42));
    expect(assertErrorCode(() => extractKey({ field: 'magic.nonexistent', ...V2 }, nested, value), 'DATA').message).toBe(
      'Unknown field: magic.nonexistent',
    );
  });

  it('fails on a value that is neither a map nor a Struct', () => {
    expect(assertErrorCode(() => extractKey({ field: 'a' }, undefined, 'text'), 'DATA').message).toMatch(/field extraction/);
    expect(assertErrorCode(() => extractKey({ field: 'a' }, Schemas.STRING, 'text'), 'DATA').message).toMatch(/Only Struct objects/);
  });

  it.each([
    [true, 42],
    [false, null],
  ])('with replace.null.with.default=%s a null field with a default reads %s', (replace, expected) => {
    const schema = SchemaBuilder.struct().field('optional_with_default', SchemaBuilder.int32().optional().defaultValue(42)).build();
    const key = new Struct(schema).put('optional_with_default', null);
    expect(extractKey({ field: 'optional_with_default', 'replace.null.with.default': replace }, schema, key).key).toBe(expected);
  });
});
