import { hasErrorCode, isRetriable } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { KafkaPortError, checkClientOptions, isRecordRefusal, kafkaErrorCode, withinTimeout } from './errors.ts';
import { kafkaClient } from './select.ts';

describe('Kafka port errors', () => {
  it('are core errors: rebalances are retriable, unreachable brokers are CONNECTION', () => {
    const rebalance = new KafkaPortError('REBALANCE', 'join again');
    expect(kafkaErrorCode(rebalance)).toBe('REBALANCE');
    expect(isRetriable(rebalance)).toBe(true);
    expect(hasErrorCode(new KafkaPortError('CONNECTION', 'x'), 'CONNECTION')).toBe(true);
  });

  it('time out naming every broker address', async () => {
    const never = new Promise<never>(() => undefined);
    const error = await withinTimeout(never, 20, ['127.0.0.1:9092', '127.0.0.1:9093'], 'a metadata request').catch((e: unknown) => e);
    expect(kafkaErrorCode(error)).toBe('CONNECTION');
    expect((error as Error).message).toBe('Kafka at 127.0.0.1:9092,127.0.0.1:9093 did not answer a metadata request within 20 ms');
  });

  it('turn a client failure into CONNECTION with its reason', async () => {
    const error = await withinTimeout(Promise.reject(new Error('ECONNREFUSED')), 1_000, ['h:1'], 'a connection').catch((e: unknown) => e);
    expect((error as Error).message).toBe('Kafka at h:1 could not be reached for a connection: ECONNREFUSED');
    expect((error as Error).cause).toEqual(new Error('ECONNREFUSED'));
  });

  it('reject bad client options naming the key', () => {
    expect(() => checkClientOptions({ bootstrapServers: ['[::1]:9092', 'broker.internal:9092'] })).not.toThrow();
    expect(() => checkClientOptions({ bootstrapServers: ['broker:99999'] })).toThrow('config key `bootstrap.servers`: `broker:99999` is not a host:port address');
    expect(() => checkClientOptions({ bootstrapServers: ['b:1'], requestTimeoutMs: 1.5 })).toThrow('config key `request.timeout.ms`');
  });

  it('name the known clients when asked for an unknown one', () => {
    expect(() => kafkaClient({ bootstrapServers: ['b:1'], clientId: 'x' }, 'rdkafka')).toThrow(
      'config key `kafka.client`: `rdkafka` is not a known Kafka client; choose one of platformatic, kafkajs',
    );
  });
});

describe('isRecordRefusal', () => {
  it('finds a record-level Kafka error code in either client’s error shape', () => {
    const response = Object.assign(new Error('Received response with error'), { cause: Object.assign(new Error('too large'), { apiCode: 10 }) });
    const platformatic = new AggregateError([response], 'Producing messages failed.');
    const kafkajs = Object.assign(new Error('The request included a message larger than the max message size'), { name: 'KafkaJSProtocolError', code: 10 });
    expect(isRecordRefusal(platformatic)).toBe(true);
    expect(isRecordRefusal(kafkajs)).toBe(true);
  });

  it('does not take an unavailable broker or another error for a refusal', () => {
    expect(isRecordRefusal(Object.assign(new Error('not leader'), { apiCode: 6 }))).toBe(false);
    expect(isRecordRefusal(new Error('Connection closed'))).toBe(false);
    expect(isRecordRefusal(Object.assign(new Error('x'), { name: 'KafkaJSNumberOfRetriesExceeded', code: 10 }))).toBe(false);
  });
});
