import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { Headers } from './headers.ts';
import { newRecord, sinkRecord, sourceRecord, validateOffsetMap } from './records.ts';
import { Schemas } from './schema-builder.ts';

describe('records', () => {
  it('builds a source record with partition and offset', () => {
    const r = sourceRecord({
      topic: 'lines',
      sourcePartition: { filename: '/tmp/a.txt' },
      sourceOffset: { position: 42, big: 2n ** 60n, done: false, note: null },
      value: 'hello',
      valueSchema: Schemas.STRING,
    });
    expect(r.key).toBeNull();
    expect(r.headers.size).toBe(0);
    expect(r.kafkaPartition).toBeUndefined();
    expect('kafkaPartition' in r).toBe(false);
    expect(r.sourceOffset).toEqual({ position: 42, big: 2n ** 60n, done: false, note: null });
  });

  it('rejects nested values in source offsets, naming the key', () => {
    const e = assertErrorCode(
      () => sourceRecord({ topic: 't', value: 1, sourcePartition: { file: 'a' }, sourceOffset: { pos: { line: 1 } } as never }),
      'DATA',
    );
    expect(e.message).toBe('source offset key `pos`: value must be null, a string, a finite number, a boolean or a bigint, got object');
    expect(e.context['key']).toBe('pos');
    expect(assertErrorCode(() => validateOffsetMap({ list: [1] }, 'source partition'), 'DATA').message).toMatch(/^source partition key `list`/);
    expect(assertErrorCode(() => validateOffsetMap({ n: Number.NaN }), 'DATA').message).toMatch(/key `n`/);
    expect(assertErrorCode(() => validateOffsetMap(new Map()), 'DATA').message).toMatch(/plain object/);
    expect(() => validateOffsetMap(null)).not.toThrow();
  });

  it('builds a sink record with original topic-partition-offset', () => {
    const r = sinkRecord({ topic: 'orders', kafkaPartition: 3, kafkaOffset: 17n, key: 'k', value: 'v', timestamp: 1000 });
    expect(r).toMatchObject({
      originalTopic: 'orders',
      originalKafkaPartition: 3,
      originalKafkaOffset: 17n,
      timestampType: 'CreateTime',
    });
  });

  it('newRecord keeps the kind-specific fields and copies headers', () => {
    const headers = new Headers().addString('h', '1');
    const r = sinkRecord({ topic: 'orders', kafkaPartition: 0, kafkaOffset: 5n, value: 'v', valueSchema: Schemas.STRING, headers });
    const renamed = newRecord(r, { topic: 'orders-v2', valueSchema: undefined, value: 'V' });
    expect(renamed.topic).toBe('orders-v2');
    expect(renamed.originalTopic).toBe('orders');
    expect(renamed.kafkaOffset).toBe(5n);
    expect(renamed.value).toBe('V');
    expect('valueSchema' in renamed).toBe(false);
    renamed.headers.addString('added', 'x');
    expect(r.headers.size).toBe(1);
    expect(r.topic).toBe('orders');
    const src = sourceRecord({ topic: 't', value: 1, sourcePartition: { p: 1 }, sourceOffset: { o: 2 } });
    expect(newRecord(src, { key: 'k' })).toMatchObject({ key: 'k', sourceOffset: { o: 2 }, sourcePartition: { p: 1 } });
  });
});
