import { Headers, sinkRecord } from '@sluice/core';
import type { ConnectRecord, Converter, HeaderConverter, SinkRecord } from '@sluice/core';
import type { ConsumedRecord, KafkaHeader, ProducerRecord } from '../kafka/port.ts';
import type { Stage } from './error-handler.ts';

/** The converters of one connector: its key, value and header converters, configured, and the names the config gave them. */
export interface RecordConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
  readonly names: { readonly key: string; readonly value: string; readonly header: string };
}

/** How far a conversion got: the stage and component running, so a failure can name them. */
export interface StageMarker {
  stage: Stage;
  component: string;
}

function enter(at: StageMarker | undefined, stage: Stage, component: string): void {
  if (at) {
    at.stage = stage;
    at.component = component;
  }
}

/** Shared by every record without headers (most source records), rather than an array each. */
const NO_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

/** The Kafka headers of a record, through the header converter. */
export function toKafkaHeaders(record: ConnectRecord, converters: RecordConverters): readonly KafkaHeader[] {
  if (record.headers.isEmpty()) return NO_HEADERS;
  const headers: KafkaHeader[] = [];
  for (const header of record.headers) {
    headers.push({ key: header.key, value: converters.header.fromConnectHeader(record.topic, header.key, header.schema, header.value) });
  }
  return headers;
}

/** Connect data → Kafka bytes, for a record a source task returned (or a sink record written back). */
export function toProducerRecord(record: ConnectRecord, converters: RecordConverters, at?: StageMarker): ProducerRecord {
  enter(at, 'HEADER_CONVERTER', converters.names.header);
  const headers = toKafkaHeaders(record, converters);
  enter(at, 'KEY_CONVERTER', converters.names.key);
  const key = converters.key.fromConnectData(record.topic, record.headers, record.keySchema, record.key);
  enter(at, 'VALUE_CONVERTER', converters.names.value);
  const value = converters.value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
  if (record.kafkaPartition === undefined && record.timestamp === undefined) return { topic: record.topic, key, value, headers };
  return {
    topic: record.topic,
    ...(record.kafkaPartition === undefined ? {} : { partition: record.kafkaPartition }),
    key,
    value,
    headers,
    ...(record.timestamp === undefined ? {} : { timestamp: BigInt(record.timestamp) }),
  };
}

/** Kafka bytes → Connect data, for a record a sink task will receive. */
export function toSinkRecord(consumed: ConsumedRecord, converters: RecordConverters, at?: StageMarker): SinkRecord {
  const { topic, partition, offset } = consumed;
  enter(at, 'HEADER_CONVERTER', converters.names.header);
  const headers = new Headers();
  for (const header of consumed.headers) {
    const converted = converters.header.toConnectHeader(topic, header.key, header.value);
    headers.add(header.key, converted.value, converted.schema);
  }
  enter(at, 'KEY_CONVERTER', converters.names.key);
  const key = converters.key.toConnectData(topic, headers, consumed.key);
  enter(at, 'VALUE_CONVERTER', converters.names.value);
  const value = converters.value.toConnectData(topic, headers, consumed.value);
  return sinkRecord({
    topic,
    kafkaPartition: partition,
    kafkaOffset: offset,
    key: key.value,
    keySchema: key.schema,
    value: value.value,
    valueSchema: value.schema,
    timestamp: Number(consumed.timestamp),
    timestampType: 'CreateTime',
    headers,
  });
}
