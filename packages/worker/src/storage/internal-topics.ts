import { configError } from '@sluice/core';
import type { KafkaAdmin } from '../kafka/port.ts';

/** Which internal topic: the prefix of its worker keys (`config.storage.*`, …). */
export type InternalTopicKind = 'config' | 'offset' | 'status';

/** How one internal topic must look, from the distributed worker's config. */
export interface InternalTopicSpec {
  readonly kind: InternalTopicKind;
  /** The worker key that names the topic, e.g. `config.storage.topic`; errors name it. */
  readonly topicKey: string;
  readonly name: string;
  /** -1 lets the broker choose (`num.partitions`). */
  readonly partitions: number;
  /** -1 lets the broker choose (`default.replication.factor`). */
  readonly replicationFactor: number;
  /** Topic configs for creation: the user's `<prefix>.*` settings, then `cleanup.policy=compact`. */
  readonly configs: Readonly<Record<string, string>>;
  /** What the topic keeps, for messages. */
  readonly purpose: string;
}

const PURPOSE: Record<InternalTopicKind, string> = {
  config: 'connector configurations',
  offset: 'source connector offsets',
  status: 'connector and task statuses',
};

/** Kafka Connect's defaults (DistributedConfig): the config topic always has one partition. */
const DEFAULT_PARTITIONS: Record<InternalTopicKind, number> = { config: 1, offset: 25, status: 5 };

/** Keys under a storage prefix that are not topic configs (DistributedConfig.topicSettings). */
const NOT_TOPIC_CONFIGS = new Set(['topic', 'replication.factor', 'partitions', 'cleanup.policy']);

function positiveOrMinusOne(key: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!Number.isInteger(value) || value > max || (value < 1 && value !== -1)) {
    throw configError(key, `must be a positive whole number, or -1 to use the broker's default, got \`${raw}\``);
  }
  return value;
}

/**
 * The spec of one internal topic from worker properties: `<kind>.storage.topic` (required),
 * `.partitions` (offset 25, status 5; the config topic always 1), `.replication.factor`
 * (default 3) and any other `<kind>.storage.<topic config>` passed on to topic creation.
 */
export function internalTopicSpec(kind: InternalTopicKind, worker: Readonly<Record<string, string | undefined>>): InternalTopicSpec {
  const prefix = `${kind}.storage.`;
  const topicKey = `${prefix}topic`;
  const name = worker[topicKey]?.trim();
  if (!name) throw configError(topicKey, `is required in distributed mode: the compacted topic that keeps ${PURPOSE[kind]}`);
  const partitions = kind === 'config' ? 1 : positiveOrMinusOne(`${prefix}partitions`, worker[`${prefix}partitions`], DEFAULT_PARTITIONS[kind], 2 ** 31 - 1);
  const replicationFactor = positiveOrMinusOne(`${prefix}replication.factor`, worker[`${prefix}replication.factor`], 3, 32_767);
  const configs: Record<string, string> = {};
  for (const [key, value] of Object.entries(worker)) {
    if (!key.startsWith(prefix) || value === undefined) continue;
    const setting = key.slice(prefix.length);
    if (!NOT_TOPIC_CONFIGS.has(setting)) configs[setting] = value;
  }
  configs['cleanup.policy'] = 'compact';
  return { kind, topicKey, name, partitions, replicationFactor, configs, purpose: PURPOSE[kind] };
}

/**
 * Creates the topic when it is missing, then checks it as Kafka Connect does: its cleanup
 * policy must be exactly `compact` (KafkaTopicBasedBackingStore), and the config topic must
 * have one partition (KafkaConfigBackingStore.start). A mismatch is a CONFIG error naming the
 * worker key. Returns the topic's partition count.
 */
export async function ensureInternalTopic(admin: KafkaAdmin, spec: InternalTopicSpec): Promise<number> {
  try {
    await admin.createTopics([{ name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: spec.configs }]);
  } catch (error) {
    // Another worker may have created it in between; the description below settles it.
    const exists = await admin.describeTopics([spec.name]).then(
      () => true,
      () => false,
    );
    if (!exists) throw error;
  }
  const [description] = await admin.describeTopics([spec.name]);
  checkInternalTopic(spec, description!.partitions, description!.configs['cleanup.policy']);
  return description!.partitions;
}

/** The checks of {@link ensureInternalTopic} on a topic's description. */
export function checkInternalTopic(spec: InternalTopicSpec, partitions: number, cleanupPolicy: string | undefined): void {
  const policies = new Set((cleanupPolicy ?? '').split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
  // Kafka Connect skips the check when the policy cannot be read (old broker, no describe ACL).
  if (policies.size > 0 && (policies.size !== 1 || !policies.has('compact'))) {
    throw configError(
      spec.topicKey,
      `topic '${spec.name}' must have 'cleanup.policy=compact' to keep ${spec.purpose} durable, but it has 'cleanup.policy=${[...policies].join(',')}'; ` +
        `losing records would lose ${spec.purpose} on restart. Point ${spec.topicKey} at a topic with 'cleanup.policy=compact'.`,
    );
  }
  if (spec.kind === 'config' && partitions > 1) {
    throw configError(
      spec.topicKey,
      `topic '${spec.name}' must have a single partition so that connector configurations are read in the order they were written, but it has ${partitions} partitions`,
    );
  }
}
