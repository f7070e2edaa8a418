import { dataError, validateOffsetMap } from '@sluice/core';
import type { ConnectorDefinition, SinkOffsetChange, SourceOffsetChange } from '@sluice/core';
import type { ConnectorOffset, ConnectorOffsets } from '../herder/herder.ts';
import type { KafkaClient, TopicPartition, TopicPartitionOffset } from '../kafka/port.ts';
import type { OffsetStore } from '../storage/offset-store.ts';

/** The keys of a sink connector's offsets in the REST API, as Kafka Connect's `SinkUtils` names them. */
export const KAFKA_TOPIC = 'kafka_topic';
export const KAFKA_PARTITION = 'kafka_partition';
export const KAFKA_OFFSET = 'kafka_offset';

/** Where a connector's offsets live: its source offsets in the store, its sink offsets in group `connect-<name>`. */
export interface OffsetsPlace {
  readonly connector: string;
  readonly offsets: OffsetStore;
  readonly kafka: KafkaClient;
}

/** Kafka Connect's consumer group of a sink connector. */
export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}

/** A connector's offsets in KIP-875's shape, sink partitions in topic and partition order. */
export async function readOffsets(type: 'source' | 'sink', place: OffsetsPlace): Promise<ConnectorOffsets> {
  if (type === 'source') {
    const stored = await place.offsets.all(place.connector);
    return { offsets: stored.map(({ partition, offset }) => ({ partition: { ...partition }, offset: offset && { ...offset } })) };
  }
  const admin = await place.kafka.admin();
  try {
    const committed = await admin.groupOffsets(sinkGroupId(place.connector));
    const sorted = [...committed].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    return { offsets: sorted.map((o) => ({ partition: { [KAFKA_TOPIC]: o.topic, [KAFKA_PARTITION]: o.partition }, offset: { [KAFKA_OFFSET]: Number(o.offset) } })) };
  } finally {
    await admin.close();
  }
}

/** Source offsets as given over REST, checked as Kafka's `OffsetUtils` checks them (a `DATA` error names the problem). */
export function parseSourceOffsets(offsets: readonly ConnectorOffset[]): SourceOffsetChange[] {
  return offsets.map(({ partition, offset }) => {
    if (partition === null || partition === undefined) throw dataError('the partition of a source connector offset cannot be null or missing');
    validateOffsetMap(partition, 'source partition');
    const value = offset ?? null;
    validateOffsetMap(value, 'source offset');
    return { partition, offset: value };
  });
}

/** An integer given as a JSON number or string, as Kafka accepts both `"10"` and `10`. */
function integer(value: unknown, what: string, max: bigint): bigint {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d+$/.test(text) || BigInt(text) > max || BigInt(text) < -max - 1n) {
    throw dataError(`Failed to parse the following Kafka ${what} value in the provided offsets: '${String(value)}'. ${what === 'partition' ? 'Partition' : 'Offset'} values for sink connectors need to be integers.`);
  }
  return BigInt(text);
}

/** Sink offsets as given over REST (`{"kafka_topic","kafka_partition"}` → `{"kafka_offset"}`), with Kafka's `SinkUtils` checks. */
export function parseSinkOffsets(offsets: readonly ConnectorOffset[]): SinkOffsetChange[] {
  return offsets.map(({ partition, offset }) => {
    if (partition === null || partition === undefined) throw dataError('The partition for a sink connector offset cannot be null or missing');
    if (!(KAFKA_TOPIC in partition) || !(KAFKA_PARTITION in partition)) {
      throw dataError(`The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC}' and '${KAFKA_PARTITION}'`);
    }
    const topic = partition[KAFKA_TOPIC];
    if (typeof topic !== 'string' || topic === '') throw dataError('Kafka topic names must be valid strings and may not be null');
    if (partition[KAFKA_PARTITION] === null) throw dataError('Kafka partitions must be valid numbers and may not be null');
    const number = Number(integer(partition[KAFKA_PARTITION], 'partition', 2_147_483_647n));
    if (offset === null || offset === undefined) return { topic, partition: number, offset: null };
    if (!(KAFKA_OFFSET in offset)) throw dataError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET}'`);
    const position = integer(offset[KAFKA_OFFSET], 'offset', 9_223_372_036_854_775_807n);
    if (position < 0n) throw dataError(`Kafka offsets must be zero or greater, got ${position} for ${topic}-${number}`);
    return { topic, partition: number, offset: position };
  });
}

/**
 * Alters (or with `'reset'`, removes) a stopped connector's offsets, as Kafka Connect's
 * `Worker.modifyConnectorOffsets`: the changes are checked, the connector's `alterOffsets` is
 * asked first (it may refuse by throwing), then the store or the consumer group is written.
 * Resolves with what `alterOffsets` answered: `true` when the connector handled them too.
 */
export async function modifyOffsets(
  definition: ConnectorDefinition,
  config: Readonly<Record<string, string>>,
  place: OffsetsPlace,
  change: readonly ConnectorOffset[] | 'reset',
): Promise<boolean> {
  const current = change === 'reset' ? (await readOffsets(definition.type, place)).offsets.map((o) => ({ partition: o.partition, offset: null })) : change;
  if (definition.type === 'source') {
    const changes = parseSourceOffsets(current);
    const handled = definition.alterOffsets ? await definition.alterOffsets(definition.config.parse(config), changes) : false;
    await place.offsets.set(place.connector, changes);
    return handled;
  }
  const changes = parseSinkOffsets(current);
  const handled = definition.alterOffsets ? await definition.alterOffsets(definition.config.parse(config), changes) : false;
  const admin = await place.kafka.admin();
  try {
    const group = sinkGroupId(place.connector);
    const altered: TopicPartitionOffset[] = changes.flatMap((c) => (c.offset === null ? [] : [{ topic: c.topic, partition: c.partition, offset: c.offset }]));
    const removed: TopicPartition[] = changes.filter((c) => c.offset === null).map((c) => ({ topic: c.topic, partition: c.partition }));
    if (altered.length > 0) await admin.alterGroupOffsets(group, altered);
    if (removed.length > 0) await admin.deleteGroupOffsets(group, removed);
  } finally {
    await admin.close();
  }
  return handled;
}
