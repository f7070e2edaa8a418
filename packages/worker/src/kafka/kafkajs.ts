import kafkajs from 'kafkajs';
import type { Admin, Consumer, EachBatchPayload, IHeaders, KafkaMessage, Message, Producer, ProducerBatch, RecordMetadata as SentBatch } from 'kafkajs';
import { BufferedConsumer } from './buffered-consumer.ts';
import { KafkaPortError, checkClientOptions, withinTimeout } from './errors.ts';
import { KafkajsGroupMember } from './kafkajs-group.ts';
import { assignPartitions, recordOffsets } from './partitioner.ts';
import { sendInRequests } from './produce-requests.ts';
import type {
  ConsumedRecord,
  ConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaClientOptions,
  KafkaHeader,
  KafkaProducer,
  NewTopic,
  ProducerOptions,
  ProducerRecord,
  RebalanceListener,
  RecordMetadata,
  TopicDescription,
  TopicPartition,
  TopicPartitionOffset,
} from './port.ts';
import { byTopic, partitionKey } from './port.ts';

const { ConfigResourceTypes, Kafka, Partitioners, logLevel } = kafkajs;

/** The port over `kafkajs`: the long-established pure-JavaScript client. */
export function kafkajsClient(options: KafkaClientOptions): KafkaClient {
  const { brokers, connectTimeoutMs: connectTimeout, requestTimeoutMs: requestTimeout } = checkClientOptions(options);
  // A Kafka instance shares a cache of committed offsets between its consumers of one group;
  // a fresh one per client object keeps every consumer reading the broker's truth.
  const newKafka = () =>
    new Kafka({
      clientId: options.clientId,
      brokers,
      connectionTimeout: connectTimeout,
      requestTimeout,
      // KafkaJS's default backoff spans ~30 s; few quick retries keep an unreachable broker within connectTimeoutMs.
      retry: { retries: 2, initialRetryTime: 100 },
      logLevel: logLevel.NOTHING,
    });
  const ready = async (clients: readonly (Producer | Consumer | Admin)[], admin: Admin, what: string) => {
    const connect = async () => {
      for (const client of clients) await client.connect();
      await admin.describeCluster();
    };
    try {
      await withinTimeout(connect(), connectTimeout, brokers, what);
    } catch (error) {
      for (const client of clients) await client.disconnect().catch(() => undefined);
      throw error;
    }
  };

  return {
    name: 'kafkajs',
    async producer(producerOptions: ProducerOptions = {}) {
      const kafka = newKafka();
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // Every record carries the partition assignPartitions chose; this only silences KafkaJS's v2 migration warning.
        createPartitioner: Partitioners.DefaultPartitioner,
        ...(producerOptions.transactionalId ? { transactionalId: producerOptions.transactionalId } : {}),
      });
      const admin = kafka.admin();
      await ready([producer, admin], admin, 'a metadata request from the producer');
      return kafkajsProducer(producer, admin);
    },
    async consumer(consumerOptions: ConsumerOptions) {
      const kafka = newKafka();
      const consumer = kafka.consumer({
        groupId: consumerOptions.groupId,
        sessionTimeout: consumerOptions.sessionTimeoutMs ?? 10_000,
        heartbeatInterval: consumerOptions.heartbeatIntervalMs ?? 1_000,
        rebalanceTimeout: consumerOptions.rebalanceTimeoutMs ?? 30_000,
        maxWaitTimeInMs: 500,
      });
      const admin = kafka.admin();
      await ready([consumer, admin], admin, 'a metadata request from the consumer');
      return new KafkajsConsumer(consumer, admin, consumerOptions);
    },
    async admin() {
      const admin = newKafka().admin();
      await ready([admin], admin, 'a metadata request from the admin client');
      return kafkajsAdmin(admin, (ids) => fenceProducers(newKafka(), ids));
    },
    async groupMember(memberOptions) {
      const member = new KafkajsGroupMember(newKafka().logger(), { clientId: options.clientId, brokers, connectTimeout, requestTimeout }, memberOptions);
      await member.connect();
      return member;
    },
  };
}

/**
 * KafkaJS has no FenceProducers admin call; a throwaway producer per id does what it does: its
 * first transaction sends InitProducerId, which bumps the id's epoch (aborting whatever the
 * fenced producer had open); the empty transaction ends without a request.
 */
async function fenceProducers(kafka: InstanceType<typeof Kafka>, ids: readonly string[]): Promise<void> {
  for (const transactionalId of ids) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, transactionalId, createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await producer.connect();
      const transaction = await producer.transaction();
      await transaction.abort();
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * KafkaJS takes headers as an object of key → values, so repeated keys keep their order but
 * keys are grouped by first appearance. Its encoder cannot size a null header value, so null
 * goes out empty, as the platformatic adapter writes it too.
 */
function toHeaders(headers: readonly KafkaHeader[]): IHeaders {
  const grouped = new Map<string, Buffer[]>();
  for (const header of headers) {
    const values = grouped.get(header.key) ?? [];
    values.push(header.value === null ? Buffer.alloc(0) : toBuffer(header.value));
    grouped.set(header.key, values);
  }
  return Object.fromEntries(grouped);
}

function toMessage(record: ProducerRecord, partition: number): Message {
  return {
    partition,
    key: record.key === null ? null : toBuffer(record.key),
    value: record.value === null ? null : toBuffer(record.value),
    headers: toHeaders(record.headers ?? []),
    ...(record.timestamp === undefined ? {} : { timestamp: String(record.timestamp) }),
  };
}

function kafkajsProducer(producer: Producer, admin: Admin): KafkaProducer {
  type Sender = { sendBatch(batch: ProducerBatch): Promise<SentBatch[]> };
  async function send(records: readonly ProducerRecord[], via: Sender): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const unplaced = [...new Set(records.filter((r) => r.partition === undefined).map((r) => r.topic))];
    const metadata = unplaced.length > 0 ? await admin.fetchTopicMetadata({ topics: unplaced }) : { topics: [] };
    const counts = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
    const partitions = assignPartitions(records, (topic) => counts.get(topic) ?? 1);
    const byTopic = new Map<string, Message[]>();
    records.forEach((record, i) => {
      const messages = byTopic.get(record.topic) ?? [];
      messages.push(toMessage(record, partitions[i]!));
      byTopic.set(record.topic, messages);
    });
    const result = await via.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    const bases = new Map(result.map((r) => [partitionKey({ topic: r.topicName, partition: r.partition }), BigInt(r.baseOffset ?? '-1')]));
    const offsets = recordOffsets(partitions, records.map((r) => r.topic), (topic, partition) => bases.get(partitionKey({ topic, partition })) ?? -1n);
    return records.map((record, i) => ({ topic: record.topic, partition: partitions[i]!, offset: offsets[i]! }));
  }
  return {
    send: (records) => sendInRequests(records, (request) => send(request, producer)),
    async beginTransaction() {
      const transaction = await producer.transaction();
      return {
        send: (records) => sendInRequests(records, (request) => send(request, transaction)),
        commit: () => transaction.commit(),
        abort: () => transaction.abort(),
      };
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

class KafkajsConsumer extends BufferedConsumer {
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  readonly #options: ConsumerOptions;
  #joined: Promise<void> | null = null;
  #drained: (() => void) | null = null;

  constructor(consumer: Consumer, admin: Admin, options: ConsumerOptions) {
    super(options.groupId, options.maxBufferedRecords ?? 10_000);
    this.#consumer = consumer;
    this.#admin = admin;
    this.#options = options;
    this.buffer.onDrain = () => this.#drained?.();
  }

  protected fetchFrom(tp: TopicPartition, offset: bigint): void {
    this.#consumer.seek({ topic: tp.topic, partition: tp.partition, offset: String(offset) });
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener = {}): Promise<void> {
    const { CRASH, END_BATCH_PROCESS, GROUP_JOIN } = this.#consumer.events;
    // KafkaJS emits GROUP_JOIN after every sync, with the assignment it got.
    this.#consumer.on(GROUP_JOIN, (event) => {
      const next = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
      const done = this.rebalanced(next, listener);
      if (this.#joined) done.catch((error: unknown) => this.fail(error));
      else this.#joined = done;
    });
    // A batch of only transaction markers or aborted records never reaches eachBatch; KafkaJS
    // still moves past it and says so here.
    this.#consumer.on(END_BATCH_PROCESS, (event) => {
      const { topic, partition, batchSize, lastOffset } = event.payload;
      // firstOffset is null (despite its type) when the batch held only records before the fetch offset.
      const firstOffset = event.payload.firstOffset as string | null;
      if (batchSize === 0 && firstOffset !== null) this.buffer.fetchedTo({ topic, partition }, BigInt(lastOffset) + 1n);
    });
    this.#consumer.on(CRASH, (event) => {
      // KafkaJS restarts itself after retriable crashes; only a final one, or one before the first join, ends this consumer.
      if (!event.payload.restart || !this.#joined) this.fail(event.payload.error);
    });
    await this.#consumer.subscribe({ topics: [...topics], fromBeginning: this.#options.autoOffsetReset !== 'latest' });
    // run() returns once the first join and sync succeeded or crashed.
    await this.#consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.#take(payload) });
    if (!this.#joined) {
      await this.#consumer.stop();
      throw new KafkaPortError('KAFKA', `consumer of group ${this.groupId} could not join: ${this.failure?.message ?? 'no assignment'}`, this.failure ?? undefined);
    }
    await this.#joined;
  }

  async #take(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    for (const message of batch.messages) this.buffer.push(fromMessage(batch.topic, batch.partition, message));
    // The batch's last offset counts the transaction markers and aborted records KafkaJS left out.
    this.buffer.fetchedTo({ topic: batch.topic, partition: batch.partition }, BigInt(batch.lastOffset()) + 1n);
    // Resolving only moves KafkaJS's fetch position (autoCommit is off); a pending seek overrides it.
    payload.resolveOffset(batch.lastOffset());
    const interval = this.#options.heartbeatIntervalMs ?? 1_000;
    while (this.buffer.full && payload.isRunning() && !payload.isStale()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#drained = null;
      // Blocking here must not cost the membership; a rebalance error propagates so KafkaJS rejoins.
      await payload.heartbeat();
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })));
  }

  async committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    const result = await this.#admin.fetchOffsets({ groupId: this.#options.groupId, topics });
    const offsets = new Map(result.flatMap((t) => t.partitions.map((p) => [partitionKey({ topic: t.topic, partition: p.partition }), BigInt(p.offset)])));
    return partitions.flatMap((tp) => {
      const offset = offsets.get(partitionKey(tp));
      return offset !== undefined && offset >= 0n ? [{ ...tp, offset }] : [];
    });
  }

  async close(): Promise<void> {
    this.buffer.wakeup();
    this.#drained?.();
    await this.#consumer.stop();
    await this.#consumer.disconnect();
    await this.#admin.disconnect();
  }
}

function fromMessage(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  // KafkaJS folds repeated header keys into arrays, in record order.
  const headers = Object.entries(message.headers ?? {}).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => ({ key, value: typeof v === 'string' ? Buffer.from(v) : (v ?? null) })),
  );
  return {
    topic,
    partition,
    offset: BigInt(message.offset),
    key: message.key ?? null,
    value: message.value,
    headers,
    timestamp: BigInt(message.timestamp),
  };
}

function kafkajsAdmin(admin: Admin, fence: (ids: readonly string[]) => Promise<void>): KafkaAdmin {
  return {
    async createTopics(topics: readonly NewTopic[]) {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions ?? 1,
          replicationFactor: topic.replicationFactor ?? -1,
          configEntries: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    },
    async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
      const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      });
      return names.map((name) => {
        const topic = metadata.topics.find((t) => t.name === name);
        if (!topic) throw new KafkaPortError('KAFKA', `topic ${name} does not exist`);
        const description = configs.resources.find((r) => r.resourceName === name);
        return {
          name,
          partitions: topic.partitions.length,
          configs: Object.fromEntries((description?.configEntries ?? []).map((c) => [c.configName, c.configValue ?? ''])),
        };
      });
    },
    deleteTopics: (names) => admin.deleteTopics({ topics: [...names] }),
    async listOffsets(topic, at) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.map((o) => ({ topic, partition: o.partition, offset: BigInt(at === 'earliest' ? o.low : o.high) }));
    },
    async groupOffsets(groupId, topic) {
      const result = await admin.fetchOffsets({ groupId, ...(topic === undefined ? {} : { topics: [topic] }) });
      return result.flatMap((t) =>
        t.partitions.filter((p) => BigInt(p.offset) >= 0n).map((p) => ({ topic: t.topic, partition: p.partition, offset: BigInt(p.offset) })),
      );
    },
    async alterGroupOffsets(groupId, offsets) {
      // kafkajs commits through a short-lived group member per topic: seconds per topic, not milliseconds.
      for (const [topic, partitions] of byTopic(offsets)) {
        await admin.setOffsets({ groupId, topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })) });
      }
    },
    async deleteGroupOffsets(groupId, partitions) {
      // kafkajs has no OffsetDelete request: the group (empty, as this requires) is deleted and
      // the offsets of the other partitions are written back, which leaves the same committed state.
      const removed = new Set(partitions.map(partitionKey));
      const before = await admin.fetchOffsets({ groupId });
      const kept = before.flatMap((t) =>
        t.partitions.filter((p) => BigInt(p.offset) >= 0n && !removed.has(partitionKey({ topic: t.topic, partition: p.partition }))).map((p) => ({ topic: t.topic, partition: p.partition, offset: BigInt(p.offset) })),
      );
      if (before.every((t) => t.partitions.every((p) => BigInt(p.offset) < 0n))) return;
      await admin.deleteGroups([groupId]);
      for (const [topic, tps] of byTopic(kept)) {
        await admin.setOffsets({ groupId, topic, partitions: tps.map((p) => ({ partition: p.partition, offset: String(p.offset) })) });
      }
    },
    clusterId: async () => (await admin.describeCluster()).clusterId,
    fenceProducers: fence,
    close: () => admin.disconnect(),
  };
}
