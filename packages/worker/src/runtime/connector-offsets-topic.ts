import type { Logger, OffsetMap, OffsetReader } from '@sluice/core';
import type { KafkaClient } from '../kafka/port.ts';
import { internalTopicSpec } from '../storage/internal-topics.ts';
import { KafkaOffsetStore } from '../storage/kafka-offset-store.ts';
import type { OffsetStore } from '../storage/offset-store.ts';

/**
 * The offsets store of a connector with its own `offsets.storage.topic` (KIP-618): the topic is
 * created like the worker's offsets topic (its `offset.storage.*` partitions, replication factor
 * and topic settings), compacted, and read to its end. The caller starts and stops it.
 */
export function connectorOffsetStore(client: KafkaClient, worker: Readonly<Record<string, string | undefined>>, topic: string, logger?: Logger): KafkaOffsetStore {
  return new KafkaOffsetStore({ client, topic: internalTopicSpec('offset', { ...worker, 'offset.storage.topic': topic }), ...(logger ? { logger } : {}) });
}

/**
 * What a task of a connector with its own offsets topic reads (Kafka Connect's
 * ConnectorOffsetBackingStore): the connector's topic first, then the worker's for partitions the
 * connector's topic has no offset for, so offsets written before the connector got its own topic
 * still count. Unlike Kafka Connect, a reset (tombstone) in the connector's topic falls back to
 * the worker's topic too: the store does not tell a tombstone from a missing partition.
 */
export function mergedOffsetReader(connector: string, own: OffsetStore, worker: OffsetStore): OffsetReader {
  const offset = async (partition: OffsetMap): Promise<OffsetMap | null> => (await own.get(connector, partition)) ?? worker.get(connector, partition);
  return {
    offset,
    offsets: (partitions) => Promise.all(partitions.map(async (partition) => ({ partition, offset: await offset(partition) }))),
  };
}
