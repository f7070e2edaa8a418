import { assertErrorCode, Headers, Schemas, TimestampLogical, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { insertHeader } from './insert-header.ts';

const definition = insertHeader.transforms[0]!;

function inserting(header: string, literal: string) {
  const transform = definition.create();
  transform.configure(definition.config.parse({ header, 'value.literal': literal }));
  return transform;
}

const record = (headers = new Headers()) =>
  sourceRecord({ topic: 'topic', kafkaPartition: 0, key: 'key', value: 'value', timestamp: 0, headers, sourcePartition: { foo: 'bar' }, sourceOffset: { baz: 'quxx' } });

describe('InsertHeader', () => {
  it('is named after the Java class', () => {
    expect(insertHeader.aliases).toEqual({ 'org.apache.kafka.connect.transforms.InsertHeader': 'InsertHeader' });
  });

  it('puts `.5` in the header as a string, since Kafka reads a number only from a digit or sign', () => {
    expect(inserting('h', '.5').apply(record())?.headers.toArray()).toEqual([{ key: 'h', value: '.5', schema: Schemas.STRING }]);
    expect(inserting('h', '-.5').apply(record())?.headers.toArray()).toEqual([{ key: 'h', value: -0.5, schema: Schemas.FLOAT32 }]);
  });

  it('adds the header after the existing ones, keeping the rest of the record', () => {
    const original = record(new Headers().addString('existing', 'existing-value'));
    const out = inserting('inserted', 'inserted-value').apply(original);
    expect(out?.headers.toArray()).toEqual([
      { key: 'existing', value: 'existing-value', schema: Schemas.OPTIONAL_STRING },
      { key: 'inserted', value: 'inserted-value', schema: Schemas.STRING },
    ]);
    expect({ ...out, headers: undefined }).toEqual({ ...original, headers: undefined });
    expect(original.headers.size).toBe(1);
  });

  it('keeps an existing header of the same name', () => {
    const out = inserting('existing', 'new').apply(record(new Headers().addString('existing', 'old')));
    expect(out?.headers.allWithName('existing').map((h) => h.value)).toEqual(['old', 'new']);
  });

  it('types the literal as Kafka does', () => {
    const added = (literal: string) => inserting('h', literal).apply(record())?.headers.lastWithName('h');
    expect(added('1')).toEqual({ key: 'h', value: 1, schema: Schemas.INT8 });
    expect(added('true')).toEqual({ key: 'h', value: true, schema: Schemas.BOOLEAN });
    expect(added('2.5')).toEqual({ key: 'h', value: 2.5, schema: Schemas.FLOAT32 });
    expect(added('2019-01-02T03:04:05.006Z')).toEqual({ key: 'h', value: new Date('2019-01-02T03:04:05.006Z'), schema: TimestampLogical.schema() });
    expect(added('null')).toEqual({ key: 'h', value: null });
  });

  it('requires both keys, naming the missing one', () => {
    expect(assertErrorCode(() => definition.config.parse({ 'value.literal': '1' }), 'CONFIG').context['key']).toBe('header');
    expect(assertErrorCode(() => definition.config.parse({ header: 'h' }), 'CONFIG').context['key']).toBe('value.literal');
  });
});
