// One MQTT message → one Kafka record, as Confluent's MQTT source maps it: the MQTT topic as a
// STRING key, the payload as BYTES value, the message's MQTT attributes as headers.
import { Headers, Schemas, sourceRecord } from '@sluice/core';
import type { SourceRecord } from '@sluice/core';
import type { IPublishPacket } from 'mqtt';

/** The prefix of the headers that carry an MQTT 5 message's user properties, one header per value. */
export const USER_PROPERTY_HEADER_PREFIX = 'mqtt.user.property.';

/** The record of a received PUBLISH packet, for `kafkaTopic`. */
export function toRecord(packet: Pick<IPublishPacket, 'topic' | 'payload' | 'qos' | 'retain' | 'dup' | 'messageId' | 'properties'>, kafkaTopic: string): SourceRecord {
  const headers = new Headers()
    .addString('mqtt.topic', packet.topic)
    // QoS 0 messages carry no packet identifier; 0 stands for none, as Paho reports it
    .addInt32('mqtt.message.id', packet.messageId ?? 0)
    .addInt32('mqtt.qos', packet.qos)
    .addBoolean('mqtt.retained', packet.retain)
    .addBoolean('mqtt.duplicate', packet.dup);
  for (const [name, values] of Object.entries(packet.properties?.userProperties ?? {})) {
    for (const value of Array.isArray(values) ? values : [values]) headers.addString(`${USER_PROPERTY_HEADER_PREFIX}${name}`, value);
  }
  return sourceRecord({
    topic: kafkaTopic,
    key: packet.topic,
    keySchema: Schemas.STRING,
    value: typeof packet.payload === 'string' ? Buffer.from(packet.payload, 'utf8') : packet.payload,
    valueSchema: Schemas.BYTES,
    headers,
    // an MQTT subscription cannot be replayed from a position: the broker's session is the offset
    sourcePartition: null,
    sourceOffset: null,
  });
}
