import { errorCodeOf } from '@sluice/core';
import type { SourceRecord } from '@sluice/core';
import { inspect } from 'node:util';
import { JsonConverter, jsonConverterConfig } from '../converters/json-converter.ts';
import type { KafkaClient, KafkaHeader, KafkaProducer, ProducerRecord } from '../kafka/port.ts';
import { stringifyJson } from '../storage/json.ts';
import type { Failure, FailureSink } from './error-handler.ts';
import { toProducerRecord } from './record-conversion.ts';
import type { RecordConverters } from './record-conversion.ts';

/** Kafka Connect's context header names (`DeadLetterQueueReporter`). */
export const ERROR_HEADER = Object.freeze({
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connector: '__connect.errors.connector.name',
  task: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  component: '__connect.errors.class.name',
  exceptionClass: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  exceptionStacktrace: '__connect.errors.exception.stacktrace',
  /** Sluice only: where a source record came from, as JSON, so its dead letter can be traced back. */
  sourcePartition: '__connect.errors.source.partition',
  sourceOffset: '__connect.errors.source.offset',
});

/** Bytes for a source record that failed: its key, value and headers as the connector's converters (or a fallback) write them. */
export type SourceEncoder = (record: SourceRecord) => Pick<ProducerRecord, 'key' | 'value' | 'headers'>;

export interface DeadLetterQueueOptions {
  readonly topic: string;
  readonly replicationFactor: number;
  readonly contextHeaders: boolean;
  readonly connector: string;
  readonly taskId: number;
  readonly encodeSource: SourceEncoder;
  /** Applied to the error's message and stack trace: they may quote a secret. */
  readonly scrub: (text: string) => string;
  /**
   * Writes the queue's records instead of a producer of its own: an exactly-once source task's
   * dead letters go in the transaction of the records they were skipped from.
   */
  readonly send?: ((records: readonly ProducerRecord[]) => Promise<unknown>) | undefined;
}

const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');

/**
 * Writes a failed source record as the connector's converters would; when they are what failed,
 * as JsonConverter with schemas (and, for a value even that cannot write, its inspected text),
 * so the dead letter queue always holds something a person can read.
 */
export function sourceEncoder(converters: RecordConverters): SourceEncoder {
  const json = new JsonConverter();
  json.configure(jsonConverterConfig.parse({ 'schemas.enable': 'true' }), false);
  const fallback = (record: SourceRecord, schema: SourceRecord['keySchema'], value: unknown): Uint8Array | null => {
    try {
      return json.fromConnectData(record.topic, record.headers, schema, value);
    } catch {
      return text(inspect(value, { depth: 6, breakLength: Infinity }));
    }
  };
  return (record) => {
    try {
      const { key, value, headers } = toProducerRecord(record, converters);
      return { key, value, headers: headers ?? [] };
    } catch {
      return { key: fallback(record, record.keySchema, record.key), value: fallback(record, record.valueSchema, record.value), headers: [] };
    }
  };
}

/** The exception class header: the error's name, with its Sluice code (`SluiceError[DATA]`). */
function exceptionClass(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = errorCodeOf(error);
  return code ? `${name}[${code}]` : name;
}

/**
 * The dead letter queue of one task (`errors.deadletterqueue.*`): a topic, created on open with
 * one partition and the configured replication factor when missing, and a producer of its own.
 * A sink's failed record is written as consumed (key, value, headers, timestamp); a source's
 * as its connector's converters would have written it, with its source partition and offset
 * in headers. Context headers are added when enabled. Failures of one batch of records go out
 * in one produce request.
 */
export class DeadLetterQueue implements FailureSink {
  readonly #options: DeadLetterQueueOptions;
  readonly #producer: KafkaProducer | null;
  /** Failures written since the last send: sent together, in order, once the current batch of records is through. */
  #queue: { readonly record: ProducerRecord; readonly done: PromiseWithResolvers<void> }[] = [];

  private constructor(options: DeadLetterQueueOptions, producer: KafkaProducer | null) {
    this.#options = options;
    this.#producer = producer;
  }

  static async open(kafka: KafkaClient, options: DeadLetterQueueOptions): Promise<DeadLetterQueue> {
    const admin = await kafka.admin();
    try {
      await admin.createTopics([{ name: options.topic, partitions: 1, replicationFactor: options.replicationFactor }]);
    } catch (error) {
      throw new Error(
        `could not create the dead letter queue topic ${options.topic} (errors.deadletterqueue.topic.replication.factor=${options.replicationFactor}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    } finally {
      await admin.close();
    }
    return new DeadLetterQueue(options, options.send ? null : await kafka.producer());
  }

  write(failure: Failure): Promise<void> {
    const done = Promise.withResolvers<void>();
    if (this.#queue.length === 0) setImmediate(() => this.#send());
    this.#queue.push({ record: deadLetterRecord(failure, this.#options), done });
    return done.promise;
  }

  #send(): void {
    const batch = this.#queue;
    this.#queue = [];
    const records = batch.map((entry) => entry.record);
    (this.#producer ? this.#producer.send(records) : this.#options.send!(records)).then(
      () => batch.forEach((entry) => entry.done.resolve()),
      (error: unknown) => batch.forEach((entry) => entry.done.reject(error)),
    );
  }

  close(): Promise<void> {
    return this.#producer?.close() ?? Promise.resolve();
  }
}

/** The record a dead letter queue writes for a failure. */
export function deadLetterRecord(failure: Failure, options: Omit<DeadLetterQueueOptions, 'replicationFactor'>): ProducerRecord {
  const { consumed, source } = failure;
  const base: Pick<ProducerRecord, 'key' | 'value' | 'headers' | 'timestamp'> = consumed
    ? { key: consumed.key, value: consumed.value, headers: consumed.headers, timestamp: consumed.timestamp }
    : source
      ? { ...options.encodeSource(source), ...(source.timestamp === undefined ? {} : { timestamp: BigInt(source.timestamp) }) }
      : { key: null, value: null, headers: [] };
  const headers: KafkaHeader[] = [...(base.headers ?? [])];
  if (source) {
    headers.push({ key: ERROR_HEADER.sourcePartition, value: text(stringifyJson(source.sourcePartition)) });
    headers.push({ key: ERROR_HEADER.sourceOffset, value: text(stringifyJson(source.sourceOffset)) });
  }
  if (options.contextHeaders) headers.push(...contextHeaders(failure, options));
  return { ...base, topic: options.topic, headers };
}

function contextHeaders(failure: Failure, options: Pick<DeadLetterQueueOptions, 'connector' | 'taskId' | 'scrub'>): KafkaHeader[] {
  const headers: [string, string][] = [];
  if (failure.consumed) {
    headers.push([ERROR_HEADER.topic, failure.consumed.topic], [ERROR_HEADER.partition, String(failure.consumed.partition)], [ERROR_HEADER.offset, String(failure.consumed.offset)]);
  } else if (failure.source) {
    headers.push([ERROR_HEADER.topic, failure.source.topic]);
  }
  headers.push(
    [ERROR_HEADER.connector, options.connector],
    [ERROR_HEADER.task, String(options.taskId)],
    [ERROR_HEADER.stage, failure.stage],
    [ERROR_HEADER.component, failure.component],
    [ERROR_HEADER.exceptionClass, exceptionClass(failure.error)],
    [ERROR_HEADER.exceptionMessage, options.scrub(failure.error instanceof Error ? failure.error.message : String(failure.error))],
  );
  if (failure.error instanceof Error && failure.error.stack) headers.push([ERROR_HEADER.exceptionStacktrace, options.scrub(failure.error.stack)]);
  return headers.map(([key, value]) => ({ key, value: text(value) }));
}
