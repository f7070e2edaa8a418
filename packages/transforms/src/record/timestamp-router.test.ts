import { assertErrorCode, sinkRecord, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { timestampRouter } from './timestamp-router.ts';

const definition = timestampRouter.transforms[0]!;

function routing(raw: Record<string, string> = {}) {
  const transform = definition.create();
  transform.configure(definition.config.parse(raw));
  return transform;
}

const at = (timestamp: number | undefined, topic = 'test') => sinkRecord({ topic, kafkaPartition: 0, kafkaOffset: 0n, value: 'v', timestamp });

describe('TimestampRouter', () => {
  it('defaults to `${topic}-${timestamp}` with the date as yyyyMMdd in UTC', () => {
    expect(routing().apply(at(1483425001864))?.topic).toBe('test-20170103');
    expect(definition.config.key('topic.format')?.defaultValue).toBe('${topic}-${timestamp}');
    expect(definition.config.key('timestamp.format')?.defaultValue).toBe('yyyyMMdd');
  });

  it('uses the configured formats, placeholders any number of times', () => {
    const transform = routing({ 'topic.format': 'archive.${topic}.${timestamp}.${topic}', 'timestamp.format': "yyyy-MM'm'-HH" });
    expect(transform.apply(at(Date.UTC(2024, 1, 29, 23, 59), 'orders'))?.topic).toBe('archive.orders.2024-02m-23.orders');
  });

  it('keeps the rest of the record', () => {
    const record = sourceRecord({ topic: 't', key: 'k', value: 'v', timestamp: 0, sourcePartition: null, sourceOffset: null });
    const out = routing().apply(record);
    expect(out?.topic).toBe('t-19700101');
    expect(out).toMatchObject({ key: 'k', value: 'v', timestamp: 0, sourcePartition: null });
  });

  it('fails a record without a timestamp with a DATA error naming the topic', () => {
    const error = assertErrorCode(() => routing().apply(at(undefined)), 'DATA');
    expect(error.message).toMatch(/timestamp/);
    expect(error.message).toMatch(/`test`/);
  });

  it('rejects a bad timestamp.format, naming the key', () => {
    const error = assertErrorCode(() => definition.config.parse({ 'timestamp.format': 'yyyy-bb' }), 'CONFIG');
    expect(error.context['key']).toBe('timestamp.format');
  });
});
