import { assertErrorCode, Headers, SchemaBuilder, Schemas, Struct, sourceRecord } from '@sluice/core';
import type { ConnectRecord, Schema, SourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import type { Side } from '../variant.ts';
import { headerFrom } from './header-from.ts';

function transform(side: Side, raw: Record<string, string | boolean | string[]>) {
  const definition = headerFrom.transforms.find((t) => t.name === `HeaderFrom$${side === 'key' ? 'Key' : 'Value'}`)!;
  const t = definition.create();
  t.configure(definition.config.parse(raw));
  return t;
}

function record(side: Side, schema: Schema | undefined, data: unknown): SourceRecord {
  const headers = new Headers().addString('existing', 'existing-value');
  const base = { topic: 'topic', kafkaPartition: 0, timestamp: 0, headers, sourcePartition: { foo: 'bar' }, sourceOffset: { baz: 'quxx' } };
  return side === 'key'
    ? sourceRecord({ ...base, keySchema: schema, key: data, value: 'value' })
    : sourceRecord({ ...base, key: 'key', valueSchema: schema, value: data });
}

const part = (r: ConnectRecord | null, side: Side) => (side === 'key' ? { schema: r?.keySchema, data: r?.key } : { schema: r?.valueSchema, data: r?.value });
const added = (r: ConnectRecord | null) => (r?.headers.toArray() ?? []).slice(1);

const schema = SchemaBuilder.struct()
  .name('Row')
  .field('field1', Schemas.STRING)
  .field('field2', Schemas.STRING)
  .build();
const row = () => new Struct(schema).put('field1', 'field1-value').put('field2', 'field2-value');

describe.each(['key', 'value'] as const)('HeaderFrom on the %s', (side) => {
  it('copies a field into a header with its schema, keeping it in place', () => {
    const original = record(side, schema, row());
    const out = transform(side, { fields: 'field1', headers: 'inserted1', operation: 'copy' }).apply(original);
    expect(added(out)).toEqual([{ key: 'inserted1', value: 'field1-value', schema: Schemas.STRING }]);
    expect(part(out, side)).toEqual(part(original, side));
    expect(out?.headers.lastWithName('existing')?.value).toBe('existing-value');
    expect(original.headers.size).toBe(1);
  });

  it('moves a field into a header, dropping it from the schema and the struct', () => {
    const out = transform(side, { fields: 'field1', headers: 'inserted1', operation: 'move' }).apply(record(side, schema, row()));
    const expectedSchema = SchemaBuilder.struct().name('Row').field('field2', Schemas.STRING).build();
    expect(part(out, side)).toEqual({ schema: expectedSchema, data: new Struct(expectedSchema).put('field2', 'field2-value') });
    expect(added(out)).toEqual([{ key: 'inserted1', value: 'field1-value', schema: Schemas.STRING }]);
  });

  it('adds after an existing header of the same name', () => {
    const out = transform(side, { fields: 'field1', headers: 'existing', operation: 'copy' }).apply(record(side, schema, row()));
    expect(out?.headers.allWithName('existing').map((h) => h.value)).toEqual(['existing-value', 'field1-value']);
  });

  it('copies a struct field as a struct header', () => {
    const inner = SchemaBuilder.struct().field('foo', Schemas.STRING).build();
    const outer = SchemaBuilder.struct().field('field1', inner).field('field2', Schemas.STRING).build();
    const value = new Struct(outer).put('field1', new Struct(inner).put('foo', 'foo-value')).put('field2', 'x');
    const out = transform(side, { fields: 'field1', headers: 'inserted1', operation: 'move' }).apply(record(side, outer, value));
    expect(added(out)).toEqual([{ key: 'inserted1', value: new Struct(inner).put('foo', 'foo-value'), schema: inner }]);
  });

  it('puts one field in two headers, and two fields in one header name', () => {
    const one = transform(side, { fields: 'field1,field1', headers: 'inserted1,inserted2', operation: 'move' }).apply(record(side, schema, row()));
    expect(added(one).map((h) => [h.key, h.value])).toEqual([['inserted1', 'field1-value'], ['inserted2', 'field1-value']]);
    const two = transform(side, { fields: 'field1,field2', headers: 'inserted1,inserted1', operation: 'move' }).apply(record(side, schema, row()));
    expect(added(two).map((h) => [h.key, h.value])).toEqual([['inserted1', 'field1-value'], ['inserted1', 'field2-value']]);
    expect(part(two, side).schema?.fields).toEqual([]);
  });

  it('reads a null field as its default unless replace.null.with.default is false', () => {
    const withDefault = SchemaBuilder.string().optional().defaultValue('default').build();
    const s = SchemaBuilder.struct().field('field1', withDefault).field('field2', withDefault).build();
    const value = new Struct(s).put('field1', 'field1-value').put('field2', null);
    const config = { fields: 'field1,field2', headers: 'inserted1,inserted2', operation: 'copy' };
    const replaced = transform(side, config).apply(record(side, s, value));
    expect(added(replaced).map((h) => h.value)).toEqual(['field1-value', 'default']);
    const kept = transform(side, { ...config, 'replace.null.with.default': false }).apply(record(side, s, value));
    expect(added(kept)).toEqual([
      { key: 'inserted1', value: 'field1-value', schema: withDefault },
      { key: 'inserted2', value: null, schema: withDefault },
    ]);
    const moved = transform(side, { ...config, operation: 'move', 'replace.null.with.default': false }).apply(record(side, s, value));
    expect(added(moved).map((h) => h.value)).toEqual(['field1-value', null]);
  });

  it('copies and moves schemaless map entries into headers without schema', () => {
    const map = new Map<string, unknown>([['field1', 'field1-value'], ['field2', 7n]]);
    const copied = transform(side, { fields: 'field1,field2', headers: 'h1,h2', operation: 'copy' }).apply(record(side, undefined, map));
    expect(added(copied)).toEqual([{ key: 'h1', value: 'field1-value' }, { key: 'h2', value: 7n }]);
    expect(part(copied, side)).toEqual({ schema: undefined, data: map });
    const moved = transform(side, { fields: 'field1', headers: 'h1', operation: 'move' }).apply(record(side, undefined, map));
    expect(part(moved, side).data).toEqual(new Map([['field2', 7n]]));
    expect(map.size).toBe(2);
  });

  it('keeps a plain object a plain object, and gives a missing entry a null header', () => {
    const out = transform(side, { fields: 'a,missing', headers: 'h1,h2', operation: 'move' }).apply(record(side, undefined, { a: 1, b: 2 }));
    expect(part(out, side).data).toEqual({ b: 2 });
    expect(added(out)).toEqual([{ key: 'h1', value: 1 }, { key: 'h2', value: null }]);
  });

  it('fails, like Kafka, on a null or non-struct value, saying what it found', () => {
    const t = transform(side, { fields: 'field1', headers: 'h', operation: 'copy' });
    expect(assertErrorCode(() => t.apply(record(side, schema, null)), 'DATA').message).toMatch(/Only Struct objects supported for \[header copy\], found: null/);
    expect(assertErrorCode(() => t.apply(record(side, undefined, 'text')), 'DATA').message).toMatch(/Only Map objects supported .*found: string/);
  });

  it('fails on a struct without a listed field, naming the field', () => {
    const t = transform(side, { fields: 'nope', headers: 'h', operation: 'copy' });
    expect(assertErrorCode(() => t.apply(record(side, schema, row())), 'DATA').message).toMatch(/`nope`/);
  });
});

describe('HeaderFrom config', () => {
  it('answers to both Java class names', () => {
    expect(headerFrom.aliases).toEqual({
      'org.apache.kafka.connect.transforms.HeaderFrom$Key': 'HeaderFrom$Key',
      'org.apache.kafka.connect.transforms.HeaderFrom$Value': 'HeaderFrom$Value',
    });
  });

  it('rejects lists of different lengths, naming `headers`', () => {
    expect(assertErrorCode(() => transform('value', { fields: 'foo,bar', headers: 'foo', operation: 'copy' }), 'CONFIG').context['key']).toBe('headers');
    expect(assertErrorCode(() => transform('key', { fields: 'foo', headers: 'foo,bar', operation: 'copy' }), 'CONFIG').context['key']).toBe('headers');
  });

  it('rejects empty lists and unknown operations', () => {
    expect(assertErrorCode(() => transform('value', { fields: '', headers: '', operation: 'copy' }), 'CONFIG').context['key']).toBe('fields');
    expect(assertErrorCode(() => transform('value', { fields: 'a', headers: 'b', operation: 'swap' }), 'CONFIG').context['key']).toBe('operation');
    expect(assertErrorCode(() => transform('value', { fields: 'a', headers: 'b' }), 'CONFIG').context['key']).toBe('operation');
  });

  it('takes `operation` only in lower case, as Kafka does', () => {
    for (const operation of ['MOVE', 'Copy']) {
      const error = assertErrorCode(() => transform('value', { fields: 'a', headers: 'b', operation }), 'CONFIG');
      expect(error.context['key']).toBe('operation');
      expect(error.message).toMatch(/must be one of `move`, `copy`.*case matters/);
    }
  });
});
