import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, TimestampLogical, assertErrorCode, sinkRecord, sourceRecord } from '@sluice/core';
import type { RawConfig, Schema } from '@sluice/core';
import { insertField } from './insert-field.ts';
import { configured, structEquality } from './testing.ts';

expect.addEqualityTesters([structEquality]);

const ALL = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
};
const simple = SchemaBuilder.struct().name('name').version(1).doc('doc').field('magic', Schemas.OPTIONAL_INT64).build();

function source(valueSchema: Schema | undefined, value: unknown, extra: { timestamp?: number; kafkaPartition?: number; key?: unknown } = {}) {
  return sourceRecord({ topic: 'test', kafkaPartition: 0, sourcePartition: null, sourceOffset: null, valueSchema, value, ...extra });
}

function insertValue(raw: RawConfig, record: ReturnType<typeof source>) {
  return configured(insertField, 'InsertField$Value', raw).apply(record);
}

describe('InsertField', () => {
  it('copies the schema and adds the configured fields with their optionality', () => {
    const out = insertValue(ALL, source(simple, new Struct(simple).put('magic', 42n), { timestamp: 789 }));
    const schema = out?.valueSchema;
    expect(schema).toMatchObject({ name: 'name', version: 1, doc: 'doc' });
    const fieldSchema = (name: string) => schema?.fields?.find((f) => f.name === name)?.schema;
    expect(fieldSchema('magic')).toEqual(Schemas.OPTIONAL_INT64);
    expect(fieldSchema('topic_field')).toEqual(Schemas.STRING);
    expect(fieldSchema('partition_field')).toEqual(Schemas.OPTIONAL_INT32);
    expect(fieldSchema('timestamp_field')).toEqual(TimestampLogical.builder().optional().build());
    expect(fieldSchema('instance_id')).toEqual(Schemas.OPTIONAL_STRING);
    const struct = out?.value as Struct;
    expect(struct.get('magic')).toBe(42n);
    expect(struct.get('topic_field')).toBe('test');
    expect(struct.get('partition_field')).toBe(0);
    expect(struct.get('timestamp_field')).toEqual(new Date(789));
    expect(struct.get('instance_id')).toBe('my-instance-id');
  });

  it('reuses the output schema for records of the same schema', () => {
    const transform = configured(insertField, 'InsertField$Value', ALL);
    const first = transform.apply(source(simple, new Struct(simple).put('magic', 1n), { timestamp: 1 }));
    const second = transform.apply(source(simple, new Struct(simple), { kafkaPartition: 1 }));
    expect(second?.valueSchema).toBe(first?.valueSchema);
    expect((second?.value as Struct).get('partition_field')).toBe(1);
    expect((second?.value as Struct).get('timestamp_field')).toBeNull();
  });

  it('adds the fields to a schemaless map, the timestamp as INT64 millis', () => {
    const out = insertValue(ALL, source(undefined, new Map([['magic', 42n]]), { timestamp: 123 }));
    expect(out?.value).toEqual(
      new Map<string, unknown>([['magic', 42n], ['topic_field', 'test'], ['partition_field', 0], ['timestamp_field', 123n], ['instance_id', 'my-instance-id']]),
    );
  });

  it('keeps a plain object a plain object', () => {
    expect(insertValue({ 'topic.field': 't' }, source(undefined, { a: 1 }))?.value).toEqual({ a: 1, t: 'test' });
  });

  it('adds the Kafka offset of sink records', () => {
    const record = sinkRecord({ topic: 'test', kafkaPartition: 3, kafkaOffset: 77n, value: new Map([['a', 1]]) });
    const out = configured(insertField, 'InsertField$Value', { 'offset.field': 'offset!' }).apply(record);
    expect(out?.value).toEqual(new Map<string, unknown>([['a', 1], ['offset', 77n]]));
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    const withSchema = sinkRecord({ topic: 'test', kafkaPartition: 3, kafkaOffset: 77n, valueSchema: schema, value: new Struct(schema).put('a', 1) });
    const struct = configured(insertField, 'InsertField$Value', { 'offset.field': 'offset!' }).apply(withSchema)?.value as Struct;
    expect(struct.schema.fields?.[1]?.schema).toEqual(Schemas.INT64);
    expect(struct.get('offset')).toBe(77n);
  });

  it('fails to add an offset to a source record', () => {
    expect(assertErrorCode(() => insertValue({ 'offset.field': 'offset' }, source(undefined, new Map())), 'DATA').message).toMatch(/sink records/);
  });

  it('inserts into the key of a tombstone with InsertField$Key', () => {
    const record = source(undefined, null, { key: new Map([['magic', 42n]]) });
    const out = configured(insertField, 'InsertField$Key', ALL).apply(record);
    expect(out?.key).toEqual(new Map<string, unknown>([['magic', 42n], ['topic_field', 'test'], ['partition_field', 0], ['instance_id', 'my-instance-id']]));
    expect(out?.value).toBeNull();
  });

  it('leaves a record with a null value, or a null key for $Key, unchanged', () => {
    const withSchema = source(simple, null);
    expect(insertValue(ALL, withSchema)).toBe(withSchema);
    const without = source(undefined, null);
    expect(insertValue(ALL, without)).toBe(without);
    const nullKey = source(undefined, new Map([['magic', 42n]]));
    expect(configured(insertField, 'InsertField$Key', ALL).apply(nullKey)).toBe(nullKey);
  });

  it('needs a Struct when there is a schema', () => {
    expect(assertErrorCode(() => insertValue({ 'topic.field': 't' }, source(Schemas.INT32, 42)), 'DATA').message).toMatch(/Struct.*field insertion/);
  });

  it.each([
    [true, 42n],
    [false, null],
  ])('with replace.null.with.default=%s copies a null field with a default as %s', (replace, expected) => {
    const magic = SchemaBuilder.int64().optional().defaultValue(42n).build();
    const schema = SchemaBuilder.struct().field('magic_with_default', magic).build();
    const out = insertValue({ ...ALL, 'replace.null.with.default': replace }, source(schema, new Struct(schema).put('magic_with_default', null), { timestamp: 1 }));
    expect(out?.valueSchema?.fields?.[0]?.schema).toEqual(magic);
    expect((out?.value as Struct).getWithoutDefault('magic_with_default')).toBe(expected);
  });

  it('rejects a config that inserts nothing, and a static field without a value', () => {
    expect(assertErrorCode(() => configured(insertField, 'InsertField$Value', {}), 'CONFIG').message).toMatch(/`topic.field`.*`static.field`/);
    expect(assertErrorCode(() => configured(insertField, 'InsertField$Value', { 'static.field': 'x' }), 'CONFIG').message).toContain('`static.value`');
  });
});
