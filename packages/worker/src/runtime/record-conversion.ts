import { Headers, SluiceError, dataError, isSluiceError, sinkRecord } from '@sluice/core';
import type { Converter, HeaderConverter, SinkRecord, SourceRecord } from '@sluice/core';
import type { ConsumedRecord, KafkaHeader, ProducerRecord } from '../kafka/port.ts';
import { stringifyJson } from '../storage/json.ts';

/** The converters of one connector: its key, value and header converters, configured. */
export interface RecordConverters {
  readonly key: Converter;
  readonly value: Converter;
  readonly header: HeaderConverter;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connect data → Kafka bytes, for a record a source task returned. */
export function toProducerRecord(record: SourceRecord, converters: RecordConverters): ProducerRecord {
  try {
    const headers: KafkaHeader[] = [];
    for (const header of record.headers) {
      headers.push({ key: header.key, value: converters.header.fromConnectHeader(record.topic, header.key, header.schema, header.value) });
    }
    return {
      topic: record.topic,
      ...(record.kafkaPartition === undefined ? {} : { partition: record.kafkaPartition }),
      key: converters.key.fromConnectData(record.topic, record.headers, record.keySchema, record.key),
      value: converters.value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value),
      headers,
      ...(record.timestamp === undefined ? {} : { timestamp: BigInt(record.timestamp) }),
    };
  } catch (error) {
    const at = record.sourceOffset ? ` at source offset ${stringifyJson(record.sourceOffset)}` : '';
    throw conversionError(`could not convert the record for topic ${record.topic}${at}`, error);
  }
}

/** Kafka bytes → Connect data, for a record a sink task will receive. */
export function toSinkRecord(consumed: ConsumedRecord, converters: RecordConverters): SinkRecord {
  const { topic, partition, offset } = consumed;
  try {
    const headers = new Headers();
    for (const header of consumed.headers) {
      const converted = converters.header.toConnectHeader(topic, header.key, header.value);
      headers.add(header.key, converted.value, converted.schema);
    }
    const key = converters.key.toConnectData(topic, headers, consumed.key);
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
  } catch (error) {
    throw conversionError(`could not convert the record at topic ${topic}, partition ${partition}, offset ${offset}`, error, { topic, partition, offset: offset.toString() });
  }
}

function conversionError(what: string, cause: unknown, context: Record<string, unknown> = {}): SluiceError {
  const code = isSluiceError(cause) ? cause.code : 'DATA';
  return code === 'DATA' ? dataError(`${what}: ${reason(cause)}`, { cause, context }) : new SluiceError(code, `${what}: ${reason(cause)}`, { cause, context });
}
