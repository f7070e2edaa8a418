import { dataError, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { deadLetterRecord, ERROR_HEADER } from './dead-letter-queue.ts';

const options = { topic: 'dlq', contextHeaders: true, connector: 'orders-sink', taskId: 3, encodeSource: () => ({ key: null, value: Buffer.from('"x"'), headers: [] }), scrub: (t: string) => t.replaceAll('hunter2', '[hidden]') };
const text = (headers: readonly { key: string; value: Uint8Array | null }[] | undefined) =>
  Object.fromEntries((headers ?? []).map((h) => [h.key, h.value === null ? null : Buffer.from(h.value).toString('utf8')]));

describe('deadLetterRecord', () => {
  const consumed = { topic: 'orders', partition: 1, offset: 99n, key: Buffer.from('k'), value: Buffer.from('{oops'), headers: [{ key: 'trace', value: Buffer.from('abc') }], timestamp: 1234n };

  it('writes a sink record as consumed, with Kafka Connect’s context headers', () => {
    const error = dataError('Unexpected character');
    const record = deadLetterRecord({ stage: 'VALUE_CONVERTER', component: 'org.apache.kafka.connect.json.JsonConverter', error, consumed }, options);
    expect(record).toMatchObject({ topic: 'dlq', key: consumed.key, value: consumed.value, timestamp: 1234n });
    expect(text(record.headers)).toEqual({
      trace: 'abc',
      [ERROR_HEADER.topic]: 'orders',
      [ERROR_HEADER.partition]: '1',
      [ERROR_HEADER.offset]: '99',
      [ERROR_HEADER.connector]: 'orders-sink',
      [ERROR_HEADER.task]: '3',
      [ERROR_HEADER.stage]: 'VALUE_CONVERTER',
      [ERROR_HEADER.component]: 'org.apache.kafka.connect.json.JsonConverter',
      [ERROR_HEADER.exceptionClass]: 'SluiceError[DATA]',
      [ERROR_HEADER.exceptionMessage]: 'Unexpected character',
      [ERROR_HEADER.exceptionStacktrace]: error.stack,
    });
  });

  it('hides known secrets in the error message and stack trace headers', () => {
    const record = deadLetterRecord({ stage: 'TASK_PUT', component: 'jdbc-sink', error: new Error('login hunter2 refused'), consumed }, options);
    const headers = text(record.headers);
    expect(headers[ERROR_HEADER.exceptionMessage]).toBe('login [hidden] refused');
    expect(headers[ERROR_HEADER.exceptionStacktrace]).not.toContain('hunter2');
  });

  it('leaves the context headers out unless enabled', () => {
    const record = deadLetterRecord({ stage: 'VALUE_CONVERTER', component: 'JsonConverter', error: new Error('x'), consumed }, { ...options, contextHeaders: false });
    expect(text(record.headers)).toEqual({ trace: 'abc' });
  });

  it('writes a source record through the encoder, always with its source partition and offset', () => {
    const source = sourceRecord({ topic: 'lines', value: 'x', timestamp: 5, sourcePartition: { filename: 'in.txt' }, sourceOffset: { position: 12n } });
    const record = deadLetterRecord({ stage: 'TRANSFORMATION', component: 'Cast$Value', error: new Error('x'), source }, { ...options, contextHeaders: false });
    expect(record).toMatchObject({ topic: 'dlq', value: Buffer.from('"x"'), timestamp: 5n });
    expect(text(record.headers)).toEqual({ [ERROR_HEADER.sourcePartition]: '{"filename":"in.txt"}', [ERROR_HEADER.sourceOffset]: '{"position":12}' });
  });
});
