import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode, sinkRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { replaceField } from './replace-field.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

const SCHEMA = SchemaBuilder.struct().field('dont', Schemas.STRING).field('abc', Schemas.INT32).field('foo', Schemas.BOOLEAN).field('etc', Schemas.STRING).build();

function replaceValue(raw: RawConfig, valueSchema: Schema | undefined, value: unknown) {
  return configured(replaceField, 'ReplaceField$Value', raw).apply(sinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 0n, valueSchema, value }));
}

describe('ReplaceField', () => {
  it('drops excluded fields and renames others in a schemaless map, keeping their order', () => {
    const value = new Map<string, unknown>([['dont', 'whatever'], ['abc', 42], ['foo', true], ['etc', 'etc']]);
    const out = replaceValue({ exclude: 'dont', renames: 'abc:xyz,foo:bar' }, undefined, value);
    expect(out?.value).toEqual(new Map<string, unknown>([['xyz', 42], ['bar', true], ['etc', 'etc']]));
    expect([...(out?.value as Map<string, unknown>).keys()]).toEqual(['xyz', 'bar', 'etc']);
  });

  it('keeps only included fields of a Struct, renamed', () => {
    const value = new Struct(SCHEMA).put('dont', 'whatever').put('abc', 42).put('foo', true).put('etc', 'etc');
    const out = replaceValue({ include: 'abc,foo', renames: 'abc:xyz,foo:bar' }, SCHEMA, value);
    const expectedSchema = SchemaBuilder.struct().field('xyz', Schemas.INT32).field('bar', Schemas.BOOLEAN).build();
    expect(out?.valueSchema).toEqual(expectedSchema);
    expect(out?.value).toEqual(new Struct(expectedSchema).put('xyz', 42).put('bar', true));
  });

  it('lets exclude win over include', () => {
    expect(replaceValue({ include: 'a,b', exclude: 'b' }, undefined, { a: 1, b: 2, c: 3 })?.value).toEqual({ a: 1 });
  });

  it('keeps the schema name, version and doc, and reuses the output schema', () => {
    const named = SchemaBuilder.struct().name('n').version(3).doc('d').field('a', Schemas.INT32).field('b', Schemas.INT32).build();
    const transform = configured(replaceField, 'ReplaceField$Value', { exclude: 'b' });
    const record = () => sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, valueSchema: named, value: new Struct(named).put('a', 1).put('b', 2) });
    const first = transform.apply(record());
    expect(first?.valueSchema).toMatchObject({ name: 'n', version: 3, doc: 'd' });
    expect(transform.apply(record())?.valueSchema).toBe(first?.valueSchema);
  });

  it('works on the key with ReplaceField$Key', () => {
    const key = new Map([['id', 1], ['tmp', 2]]);
    const out = configured(replaceField, 'ReplaceField$Key', { exclude: 'tmp' }).apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key, value: 'v' }));
    expect(out?.key).toEqual(new Map([['id', 1]]));
    expect(out?.value).toBe('v');
  });

  it('passes tombstones through, with or without a schema', () => {
    const transform = configured(replaceField, 'ReplaceField$Value', { include: 'abc,foo', renames: 'abc:xyz,foo:bar' });
    for (const schema of [SCHEMA, undefined]) {
      const record = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, valueSchema: schema, value: null });
      expect(transform.apply(record)).toBe(record);
    }
  });

  it.each([
    [true, 42],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %s', (replace, expected) => {
    const schema = SchemaBuilder.struct().field('abc', SchemaBuilder.int32().optional().defaultValue(42)).build();
    const raw = { include: 'abc', renames: 'abc:optional_with_default', 'replace.null.with.default': replace };
    const out = replaceValue(raw, schema, new Struct(schema).put('abc', null));
    expect(out?.valueSchema?.fields?.length).toBe(1);
    expect((out?.value as Struct).getWithoutDefault('optional_with_default')).toBe(expected);
  });

  it('needs a Struct with a schema and a map without one', () => {
    assertErrorCode(() => replaceValue({}, Schemas.STRING, 'x'), 'DATA');
    assertErrorCode(() => replaceValue({}, undefined, 'x'), 'DATA');
  });

  it.each([['abc'], ['abc:xyz:extra'], ['abc:']])('rejects the rename %j, naming the key', (renames) => {
    expect(assertErrorCode(() => configured(replaceField, 'ReplaceField$Value', { renames }), 'CONFIG').message).toContain('`renames`');
  });
});
