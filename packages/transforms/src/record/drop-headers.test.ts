import { assertErrorCode, Headers, Schemas, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { dropHeaders } from './drop-headers.ts';

const definition = dropHeaders.transforms[0]!;

function dropping(headers: string | string[]) {
  const transform = definition.create();
  transform.configure(definition.config.parse({ headers }));
  return transform;
}

const record = (headers: Headers) =>
  sourceRecord({ topic: 'topic', kafkaPartition: 0, key: 'key', value: 'value', timestamp: 0, headers, sourcePartition: { foo: 'bar' }, sourceOffset: { baz: 'quxx' } });

const keysOf = (headers: Headers | undefined): string[] => [...(headers ?? [])].map((h) => `${h.key}=${String(h.value)}`);

describe('DropHeaders', () => {
  it('is named after the Java class', () => {
    expect(dropHeaders.aliases).toEqual({ 'org.apache.kafka.connect.transforms.DropHeaders': 'DropHeaders' });
  });

  it('removes every header with a listed name and keeps the others in order', () => {
    const headers = new Headers().addString('a', '1').addString('to-drop', 'x').addString('b', '2').addString('to-drop', 'y');
    const original = record(headers);
    const out = dropping('to-drop').apply(original);
    expect(keysOf(out?.headers)).toEqual(['a=1', 'b=2']);
    expect(out?.headers.lastWithName('a')?.schema).toEqual(Schemas.OPTIONAL_STRING);
    expect({ ...out, headers: undefined }).toEqual({ ...original, headers: undefined });
  });

  it('takes several names, as a list or comma-separated text', () => {
    const headers = new Headers().addString('a', '1').addString('b', '2').addString('c', '3');
    expect(keysOf(dropping(['a', 'c']).apply(record(headers))?.headers)).toEqual(['b=2']);
    expect(keysOf(dropping('a, b').apply(record(headers))?.headers)).toEqual(['c=3']);
  });

  it('leaves records without those headers as they were', () => {
    const headers = new Headers().addString('existing', 'existing-value');
    expect(keysOf(dropping('to-drop').apply(record(headers))?.headers)).toEqual(['existing=existing-value']);
  });

  it('never changes the headers of the record it was given', () => {
    const headers = new Headers().addString('to-drop', 'x');
    const original = record(headers);
    dropping('to-drop').apply(original);
    expect(keysOf(original.headers)).toEqual(['to-drop=x']);
  });

  it('rejects an empty or missing list, naming `headers`', () => {
    expect(assertErrorCode(() => definition.config.parse({ headers: [] }), 'CONFIG').context['key']).toBe('headers');
    expect(assertErrorCode(() => definition.config.parse({ headers: '' }), 'CONFIG').context['key']).toBe('headers');
    expect(assertErrorCode(() => definition.config.parse({}), 'CONFIG').context['key']).toBe('headers');
  });
});
