import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, assertErrorCode, sinkRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { setSchemaMetadata } from './set-schema-metadata.ts';
import { configured } from './testing.ts';

function setValue(raw: RawConfig, valueSchema: Schema | undefined, value: unknown) {
  return configured(setSchemaMetadata, 'SetSchemaMetadata$Value', raw).apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, valueSchema, value }));
}

const ORIGINAL = SchemaBuilder.struct().name('my.orig.SchemaDefn').field('f1', SchemaBuilder.string().optional().defaultValue('default')).field('f2', Schemas.INT32).build();

describe('SetSchemaMetadata', () => {
  it('sets the name, the version or both', () => {
    const empty = SchemaBuilder.struct().build();
    expect(setValue({ 'schema.name': 'foo' }, empty, null)?.valueSchema).toMatchObject({ name: 'foo', type: 'STRUCT' });
    expect(setValue({ 'schema.version': 42 }, empty, null)?.valueSchema?.version).toBe(42);
    expect(setValue({ 'schema.name': 'foo', 'schema.version': '42' }, empty, null)?.valueSchema).toMatchObject({ name: 'foo', version: 42 });
  });

  it('keeps what it does not set', () => {
    const schema = SchemaBuilder.int64().name('old').version(1).doc('d').optional().build();
    expect(setValue({ 'schema.version': 2 }, schema, 5n)?.valueSchema).toEqual(SchemaBuilder.int64().name('old').version(2).doc('d').optional().build());
  });

  it('rebuilds a Struct value on the renamed schema', () => {
    const out = setValue({ 'schema.name': 'foo', 'schema.version': 42 }, ORIGINAL, new Struct(ORIGINAL).put('f1', 'value1').put('f2', 1));
    const struct = out?.value as Struct;
    expect(struct.schema).toBe(out?.valueSchema);
    expect(struct.schema).toMatchObject({ name: 'foo', version: 42 });
    expect(struct.schema.fields).toEqual(ORIGINAL.fields);
    expect([struct.get('f1'), struct.get('f2')]).toEqual(['value1', 1]);
  });

  it.each([
    [true, 'default'],
    [false, null],
  ])('with replace.null.with.default=%s a null field with a default becomes %s', (replace, expected) => {
    const out = setValue({ 'schema.name': 'foo', 'replace.null.with.default': replace }, ORIGINAL, new Struct(ORIGINAL).put('f1', null).put('f2', 1));
    expect((out?.value as Struct).getWithoutDefault('f1')).toBe(expected);
  });

  it('gives records of one schema the same output schema object', () => {
    const transform = configured(setSchemaMetadata, 'SetSchemaMetadata$Value', { 'schema.name': 'foo' });
    const apply = (schema: Schema, value: unknown) => transform.apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, valueSchema: schema, value }))?.valueSchema;
    const first = apply(ORIGINAL, new Struct(ORIGINAL).put('f1', 'a').put('f2', 1));
    const second = apply(ORIGINAL, new Struct(ORIGINAL).put('f1', 'b').put('f2', 2));
    expect(first).toMatchObject({ name: 'foo' });
    expect(second).toBe(first);
    expect(apply(Schemas.INT32, 1)).toBe(apply(Schemas.INT32, 2));
    expect(apply(Schemas.INT32, 1)).not.toBe(first);
  });

  it('sets the key schema with SetSchemaMetadata$Key', () => {
    const record = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, keySchema: Schemas.STRING, key: 'k', valueSchema: Schemas.STRING, value: 'v' });
    const out = configured(setSchemaMetadata, 'SetSchemaMetadata$Key', { 'schema.name': 'Key' }).apply(record);
    expect(out?.keySchema).toEqual(SchemaBuilder.string().name('Key').build());
    expect(out?.valueSchema).toBe(Schemas.STRING);
  });

  it('needs a schema unless the value is null too', () => {
    expect(assertErrorCode(() => setValue({ 'schema.name': 'x' }, undefined, 42), 'DATA').message).toMatch(/Schema required/);
    const tombstone = sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, value: null });
    expect(configured(setSchemaMetadata, 'SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(tombstone)).toBe(tombstone);
  });

  it('rejects a config that sets neither, and a version that is not an integer', () => {
    expect(assertErrorCode(() => configured(setSchemaMetadata, 'SetSchemaMetadata$Value', {}), 'CONFIG').message).toMatch(/`schema.name`.*`schema.version`/);
    expect(assertErrorCode(() => configured(setSchemaMetadata, 'SetSchemaMetadata$Value', { 'schema.version': 'one' }), 'CONFIG').message).toContain('`schema.version`');
  });
});
