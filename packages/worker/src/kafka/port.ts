/**
 * The Kafka client port: the only way the runtime talks to Kafka. Two adapters implement it
 * (`@platformatic/kafka` and `kafkajs`) and both pass the same conformance suite against a
 * real broker (integration-tests/src/kafka-port). Keys, values and header values are raw
 * bytes: converters live above this port, never inside it.
 *
 * Concurrency: every method may be called from any async context, but a consumer's `poll`,
 * `commit`, `seek`, `pause` and `resume` are meant for one owner (the task runner) and are not
 * safe to interleave from several owners.
 */

/** @since 0.1.0 */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** @since 0.1.0 */
export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read, as Kafka commits it (last processed + 1). */
  readonly offset: bigint;
}

/** @since 0.1.0 */
export interface KafkaHeader {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** @since 0.1.0 */
export interface ProducerRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly KafkaHeader[];
  /** Milliseconds since the epoch; the broker's time when absent. */
  readonly timestamp?: bigint;
}

/** What the broker acknowledged for one record, in the order the records were sent. */
export interface RecordMetadata extends TopicPartition {
  readonly offset: bigint;
}

/** @since 0.1.0 */
export interface ConsumedRecord extends TopicPartition {
  readonly offset: bigint;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly KafkaHeader[];
  readonly timestamp: bigint;
}

/** Connection settings shared by every client an adapter makes. */
export interface KafkaClientOptions {
  /** `host:port` pairs; use 127.0.0.1 rather than localhost for loopback brokers. */
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  /** How long to wait for a broker to accept a connection; an unreachable address fails after it. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** How long to wait for a broker's answer. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

/** @since 0.1.0 */
export interface ProducerOptions {
  /** Enables transactions; records sent outside a transaction are then refused by the broker. */
  readonly transactionalId?: string;
}

/**
 * Always acks=all and idempotent: a record `send` resolved for is durable on every in-sync
 * replica and written once even when the adapter retried.
 */
export interface KafkaProducer {
  /** Resolves once the broker acknowledged every record; the metadata is in input order. */
  send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
  /** Only for producers created with a `transactionalId`. */
  beginTransaction(): Promise<ProducerTransaction>;
  close(): Promise<void>;
}

/** @since 0.1.0 */
export interface ProducerTransaction {
  send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Called when the group gives this consumer partitions or takes them away. */
export interface RebalanceListener {
  onAssigned?(partitions: readonly TopicPartition[]): void | Promise<void>;
  onRevoked?(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/** @since 0.1.0 */
export interface ConsumerOptions {
  readonly groupId: string;
  /** Where a partition without a committed offset starts. Default `earliest`, as Kafka Connect's sinks do. */
  readonly autoOffsetReset?: 'earliest' | 'latest';
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /** Records buffered ahead of `poll` before fetching stops (backpressure). */
  readonly maxBufferedRecords?: number;
}

/**
 * A group member with manual commits only: offsets move when, and only when, `commit` is
 * called, so a runner commits exactly what its task made durable.
 */
export interface KafkaConsumer {
  /** Joins the group; resolves once the first assignment arrived. */
  subscribe(topics: readonly string[], listener?: RebalanceListener): Promise<void>;
  /**
   * Records fetched since the last poll, in offset order per partition, at most `maxRecords`;
   * waits up to `maxWaitMs` when none are ready. Never returns records of paused partitions.
   */
  poll(maxWaitMs: number, maxRecords?: number): Promise<ConsumedRecord[]>;
  /** Commits the given next-offsets for the group. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** The group's committed next-offsets for the partitions that have one. */
  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]>;
  /** Stops returning records for the partitions until `resume`; nothing is skipped. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  paused(): TopicPartition[];
  /** The next `poll` returns the partition's records from `offset` on. */
  seek(partition: TopicPartition, offset: bigint): void;
  /**
   * The offset of the next record `poll` would return for an assigned partition, as Kafka's
   * consumer `position`: past transaction markers and aborted records the client skipped, so a
   * reader of a transactionally written topic can tell it reached the end (the high watermark).
   * `null` while nothing was fetched for the partition yet.
   */
  position(partition: TopicPartition): bigint | null;
  assignment(): TopicPartition[];
  /** Leaves the group without committing. */
  close(): Promise<void>;
}

/** @since 0.1.0 */
export interface NewTopic {
  readonly name: string;
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Topic-level configs such as `cleanup.policy=compact`. */
  readonly configs?: Readonly<Record<string, string>>;
}

/** @since 0.1.0 */
export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /** Every config the broker reports for the topic, defaults included. */
  readonly configs: Readonly<Record<string, string>>;
}

/** @since 0.1.0 */
export interface KafkaAdmin {
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  createTopics(topics: readonly NewTopic[]): Promise<void>;
  describeTopics(names: readonly string[]): Promise<TopicDescription[]>;
  deleteTopics(names: readonly string[]): Promise<void>;
  /** Earliest or latest (high-watermark) offset of every partition of the topic. */
  listOffsets(topic: string, at: 'earliest' | 'latest'): Promise<TopicPartitionOffset[]>;
  /** The group's committed offsets for the topic, or for every topic when none is given. */
  groupOffsets(groupId: string, topic?: string): Promise<TopicPartitionOffset[]>;
  /** Commits next-offsets for a group that has no active members (Kafka's `alterConsumerGroupOffsets`). */
  alterGroupOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Removes a group's committed offsets of the partitions; the group must have no active members. */
  deleteGroupOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<void>;
  /** The cluster's id, as `GET /` reports it in `kafka_cluster_id`. */
  clusterId(): Promise<string>;
  /**
   * Fences the producers of these transactional ids (Kafka's `Admin.fenceProducers`): each id's
   * epoch is bumped, so a producer still using it fails its next send or commit, and the
   * transaction it had open is aborted. Ids never used before are initialised.
   */
  fenceProducers(transactionalIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** @since 0.1.0 */
export interface GroupMemberOptions {
  readonly groupId: string;
  /** Free protocol type, e.g. `connect` for distributed workers. */
  readonly protocolType: string;
  /** Protocols this member supports, preferred first, each with its own metadata bytes. */
  readonly protocols: readonly { readonly name: string; readonly metadata: Uint8Array }[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
}

/** @since 0.1.0 */
export interface JoinResult {
  readonly generationId: number;
  readonly memberId: string;
  readonly leaderId: string;
  readonly isLeader: boolean;
  /** The protocol the coordinator chose. */
  readonly protocol: string;
  /** Every member with its metadata; empty for followers. */
  readonly members: readonly { readonly memberId: string; readonly metadata: Uint8Array }[];
}

/**
 * Raw membership of a Kafka group with a custom protocol type, driven by the caller: the
 * owner runs join → sync → heartbeat… and joins again when `heartbeat` or `sync` rejects with
 * code `REBALANCE`.
 */
export interface GroupMember {
  /**
   * Joins the group, or joins again after a rebalance. `protocols` replace the options' for this
   * join: a member's metadata may change between joins (Kafka Connect's carries the worker's
   * config offset and current assignment).
   */
  join(protocols?: GroupMemberOptions['protocols']): Promise<JoinResult>;
  /** The leader passes every member's assignment; followers pass none. Resolves with this member's bytes. */
  sync(assignments?: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array>;
  heartbeat(): Promise<void>;
  leave(): Promise<void>;
  /**
   * Closes the connections without LeaveGroup, as a crashed process would: the coordinator drops
   * the member only once `sessionTimeoutMs` passed without a heartbeat.
   */
  abandon(): Promise<void>;
}

/** One Kafka client library behind the port. */
export interface KafkaClient {
  readonly name: string;
  producer(options?: ProducerOptions): Promise<KafkaProducer>;
  consumer(options: ConsumerOptions): Promise<KafkaConsumer>;
  admin(): Promise<KafkaAdmin>;
  groupMember(options: GroupMemberOptions): Promise<GroupMember>;
}

export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}:${tp.partition}`;
}

/** Partitions grouped by topic, in first-seen order: the shape admin requests take. */
export function byTopic<T extends TopicPartition>(partitions: readonly T[]): Map<string, T[]> {
  const topics = new Map<string, T[]>();
  for (const tp of partitions) {
    const list = topics.get(tp.topic);
    if (list) list.push(tp);
    else topics.set(tp.topic, [tp]);
  }
  return topics;
}
