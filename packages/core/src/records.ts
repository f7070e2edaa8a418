import { describeValue } from './describe.ts';
import { dataError } from './errors.ts';
import { Headers } from './headers.ts';
import type { Schema } from './schema.ts';

/**
 * A value allowed in a source partition or source offset: Kafka's `OffsetUtils` accepts only
 * null and primitive types. A `bigint` is stored by the runtime as a JSON number.
 *
 * @since 0.1.0
 */
export type OffsetValue = string | number | boolean | bigint | null;

/**
 * A source partition or source offset: a flat object with string keys and {@link OffsetValue}
 * values, owned by the connector (e.g. `{ filename: '/var/log/app.log' }` → `{ position: 4096 }`).
 *
 * @since 0.1.0
 */
export type OffsetMap = Readonly<Record<string, OffsetValue>>;

/**
 * What both record directions share. Records are read-only by contract (not frozen at runtime,
 * for speed); a transform returns a new record made with {@link newRecord}.
 *
 * @since 0.1.0
 */
export interface ConnectRecord {
  readonly topic: string;
  /** The Kafka partition, or `undefined` to let the producer's partitioner choose. */
  readonly kafkaPartition?: number | undefined;
  readonly key: unknown;
  readonly keySchema?: Schema | undefined;
  readonly value: unknown;
  readonly valueSchema?: Schema | undefined;
  /** Milliseconds since the epoch. */
  readonly timestamp?: number | undefined;
  readonly headers: Headers;
}

/**
 * A record produced by a source task.
 *
 * @since 0.1.0
 */
export interface SourceRecord extends ConnectRecord {
  /** Where the data came from (a file, a table); `null` when the connector tracks no offsets. */
  readonly sourcePartition: OffsetMap | null;
  /** How far into that partition this record is; `null` when the connector tracks no offsets. */
  readonly sourceOffset: OffsetMap | null;
}

/** Kafka's timestamp types. @since 0.1.0 */
export type TimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

/**
 * A record consumed from Kafka and delivered to a sink task.
 *
 * @since 0.1.0
 */
export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly timestampType: TimestampType;
  /** The topic as consumed, before any transform renamed it. Offsets are committed against it. */
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: bigint;
}

/** The fields a caller supplies to build a record; `headers` may be omitted. @since 0.1.0 */
export type ConnectRecordInit = Omit<ConnectRecord, 'headers' | 'key'> & {
  readonly key?: unknown;
  readonly headers?: Headers | Iterable<{ key: string; value: unknown; schema?: Schema | undefined }>;
};

/** @since 0.1.0 */
export type SourceRecordInit = ConnectRecordInit & {
  readonly sourcePartition: OffsetMap | null;
  readonly sourceOffset: OffsetMap | null;
};

/** @since 0.1.0 */
export type SinkRecordInit = ConnectRecordInit & {
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly timestampType?: TimestampType;
  readonly originalTopic?: string;
  readonly originalKafkaPartition?: number;
  readonly originalKafkaOffset?: bigint;
};

/**
 * Checks a source partition or offset as Kafka's `OffsetUtils` does: a plain object with string
 * keys whose values are null, string, finite number, boolean or bigint. Throws a `DATA` error
 * naming the key, e.g. ``source offset key `pos`: value must be null, a string, a number, a
 * boolean or a bigint, got object``.
 *
 * @param what `'source partition'` or `'source offset'`, used in the message
 * @since 0.1.0
 */
export function validateOffsetMap(map: unknown, what = 'source offset'): asserts map is OffsetMap | null {
  if (map === null) return;
  if (typeof map !== 'object' || Array.isArray(map) || map instanceof Map) {
    throw dataError(`${what} must be a plain object with string keys, got ${describeValue(map)}`);
  }
  // for…in rather than Object.entries: no array per entry, for two maps of every source record
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const value: unknown = (map as Record<string, unknown>)[key];
    const ok =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      typeof value === 'bigint' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw dataError(`${what} key \`${key}\`: value must be null, a string, a finite number, a boolean or a bigint, got ${describeValue(value)}`, {
        context: { key },
      });
    }
  }
}

function toHeaders(headers: ConnectRecordInit['headers']): Headers {
  if (headers === undefined) return new Headers();
  if (headers instanceof Headers) return headers;
  return new Headers(headers);
}

function base(init: ConnectRecordInit): ConnectRecord {
  const record: { -readonly [K in keyof ConnectRecord]: ConnectRecord[K] } = {
    topic: init.topic,
    key: init.key ?? null,
    value: init.value,
    headers: toHeaders(init.headers),
  };
  if (init.kafkaPartition !== undefined) record.kafkaPartition = init.kafkaPartition;
  if (init.keySchema !== undefined) record.keySchema = init.keySchema;
  if (init.valueSchema !== undefined) record.valueSchema = init.valueSchema;
  if (init.timestamp !== undefined) record.timestamp = init.timestamp;
  return record;
}

/**
 * Builds a source record, validating its source partition and offset.
 *
 * @since 0.1.0
 */
export function sourceRecord(init: SourceRecordInit): SourceRecord {
  if (typeof init.topic !== 'string' || init.topic === '') throw dataError('a source record needs a non-empty `topic`');
  validateOffsetMap(init.sourcePartition, 'source partition');
  validateOffsetMap(init.sourceOffset, 'source offset');
  return { ...base(init), sourcePartition: init.sourcePartition, sourceOffset: init.sourceOffset };
}

/**
 * Builds a sink record. The `original…` fields default to the current topic, partition and
 * offset; `timestampType` defaults to `'CreateTime'` when a timestamp is given.
 *
 * @since 0.1.0
 */
export function sinkRecord(init: SinkRecordInit): SinkRecord {
  return {
    ...base(init),
    kafkaPartition: init.kafkaPartition,
    kafkaOffset: init.kafkaOffset,
    timestampType: init.timestampType ?? (init.timestamp === undefined ? 'NoTimestampType' : 'CreateTime'),
    originalTopic: init.originalTopic ?? init.topic,
    originalKafkaPartition: init.originalKafkaPartition ?? init.kafkaPartition,
    originalKafkaOffset: init.originalKafkaOffset ?? init.kafkaOffset,
  };
}

/**
 * What a transform may change. A property that is present (even as `undefined`) replaces the
 * old one; an absent property keeps it.
 *
 * @since 0.1.0
 */
export interface RecordChanges {
  readonly topic?: string;
  readonly kafkaPartition?: number | undefined;
  readonly key?: unknown;
  readonly keySchema?: Schema | undefined;
  readonly value?: unknown;
  readonly valueSchema?: Schema | undefined;
  readonly timestamp?: number | undefined;
  readonly headers?: Headers;
}

/**
 * A copy of `record` with `changes` applied, keeping the record's kind: source partition and
 * offset, sink offsets and the `original…` fields survive. The headers are duplicated unless
 * `changes.headers` is given, so the new record never shares a mutable `Headers` with the old.
 *
 * @since 0.1.0
 */
export function newRecord<R extends ConnectRecord>(record: R, changes: RecordChanges): R {
  const next = { ...record, headers: changes.headers ?? record.headers.duplicate() } as unknown as Record<string, unknown>;
  for (const key of ['topic', 'kafkaPartition', 'key', 'keySchema', 'value', 'valueSchema', 'timestamp'] as const) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value === undefined && key !== 'key' && key !== 'value') delete next[key];
    else next[key] = value;
  }
  if (typeof next['topic'] !== 'string' || next['topic'] === '') throw dataError('a record needs a non-empty `topic`');
  return next as R;
}
