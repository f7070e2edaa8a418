import {
  Admin,
  ConfigResourceTypes,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
} from '@platformatic/kafka';
import type { Message, MessagesStream, ProduceResult, SendOptions } from '@platformatic/kafka';
import { BufferedConsumer } from './buffered-consumer.ts';
import { KafkaPortError, checkClientOptions, withinTimeout } from './errors.ts';
import { assignPartitions, recordOffsets } from './partitioner.ts';
import { sendInRequests } from './produce-requests.ts';
import { PlatformaticGroupMember } from './platformatic-group.ts';
import type {
  ConsumedRecord,
  ConsumerOptions,
  GroupMemberOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaClientOptions,
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
import { byTopic } from './port.ts';

/** The port over `@platformatic/kafka`: pure TypeScript, and it exposes the raw group APIs. */
export function platformaticClient(options: KafkaClientOptions): KafkaClient {
  const { brokers, connectTimeoutMs: connectTimeout, requestTimeoutMs: requestTimeout } = checkClientOptions(options);
  const base = {
    clientId: options.clientId,
    bootstrapBrokers: brokers,
    connectTimeout,
    requestTimeout,
    retries: 3,
    // As Kafka's Java clients (allow.auto.create.topics): a topic the broker may auto-create is
    // created on first use rather than reported unknown.
    autocreateTopics: true,
  };
  const reachable = (client: Producer | Consumer | Admin, what: string) =>
    withinTimeout(client.metadata({ topics: [] }), connectTimeout, brokers, what);

  return {
    name: 'platformatic',
    async producer(producerOptions: ProducerOptions = {}) {
      const producer = new Producer({
        ...base,
        idempotent: true,
        acks: ProduceAcks.ALL,
        ...(producerOptions.transactionalId ? transactional(producerOptions.transactionalId) : {}),
      });
      await closeOnFailure(producer, reachable(producer, 'a metadata request from the producer'));
      return platformaticProducer(producer);
    },
    async consumer(consumerOptions: ConsumerOptions) {
      const consumer = new Consumer({
        ...base,
        groupId: consumerOptions.groupId,
        autocommit: false,
        sessionTimeout: consumerOptions.sessionTimeoutMs ?? 10_000,
        heartbeatInterval: consumerOptions.heartbeatIntervalMs ?? 1_000,
        rebalanceTimeout: consumerOptions.rebalanceTimeoutMs ?? 30_000,
        maxWaitTime: 500,
        // Kafka's Java consumer defaults: 1 MiB per partition, 50 MiB per fetch.
        maxBytesPerPartition: 1_048_576,
        highWaterMark: 8_192,
      });
      await closeOnFailure(consumer, reachable(consumer, 'a metadata request from the consumer'));
      return new PlatformaticConsumer(consumer, consumerOptions);
    },
    async admin() {
      const admin = new Admin(base);
      await closeOnFailure(admin, reachable(admin, 'a metadata request from the admin client'));
      return platformaticAdmin(admin, (ids) => fenceProducers(base, ids));
    },
    async groupMember(memberOptions: GroupMemberOptions) {
      const member = new PlatformaticGroupMember(base.clientId, brokers, connectTimeout, base.requestTimeout, memberOptions);
      await member.connect();
      return member;
    },
  };
}

async function closeOnFailure(client: { close(): Promise<void> }, ready: Promise<unknown>): Promise<void> {
  try {
    await ready;
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/**
 * A transactional id's options. The library's InitProducerId sends producer id 0, epoch 0 unless
 * told otherwise, which the broker reads as "bump the epoch of producer 0" and refuses with
 * PRODUCER_FENCED once the id belongs to another producer id (any second producer of a
 * transactional id); -1, -1 asks for the id's current producer, as Java's client does.
 */
function transactional(transactionalId: string) {
  return { transactionalId, producerId: -1n, producerEpoch: -1 };
}

/**
 * The library has no FenceProducers admin call; a throwaway producer per id does what it does:
 * beginning a transaction finds the id's coordinator and sends InitProducerId, which bumps the
 * epoch (aborting whatever the fenced producer had open, retried while the broker answers
 * CONCURRENT_TRANSACTIONS); the empty transaction is then dropped without a request.
 */
async function fenceProducers(base: ConstructorParameters<typeof Admin>[0], ids: readonly string[]): Promise<void> {
  for (const transactionalId of ids) {
    const producer = new Producer({ ...base, idempotent: true, acks: ProduceAcks.ALL, retries: 20, retryDelay: 250, ...transactional(transactionalId) });
    try {
      const transaction = await producer.beginTransaction();
      await transaction.cancel();
    } finally {
      await producer.close().catch(() => undefined);
    }
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  // the converters' bytes mostly are Buffers already
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

type OutgoingMessage = SendOptions<Buffer, Buffer, Buffer, Buffer>['messages'][number];

/** The library's message for one record, set up with only the properties it has. */
function toMessage(record: ProducerRecord, partition: number): OutgoingMessage {
  const message: { -readonly [K in keyof OutgoingMessage]: OutgoingMessage[K] } = { topic: record.topic, partition };
  if (record.key !== null) message.key = toBuffer(record.key);
  if (record.value !== null) message.value = toBuffer(record.value);
  if (record.headers?.length) message.headers = new Map(record.headers.map((h) => [Buffer.from(h.key), h.value === null ? Buffer.alloc(0) : toBuffer(h.value)]));
  if (record.timestamp !== undefined) message.timestamp = record.timestamp;
  return message;
}

function platformaticProducer(producer: Producer): KafkaProducer {
  type Sender = { send(options: SendOptions<Buffer, Buffer, Buffer, Buffer>): Promise<ProduceResult> };
  async function send(records: readonly ProducerRecord[], via: Sender): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const topics = [...new Set(records.map((r) => r.topic))];
    const metadata = await producer.metadata({ topics });
    const partitions = assignPartitions(records, (topic) => metadata.topics.get(topic)?.partitionsCount ?? 1);
    const result: ProduceResult = await via.send({ messages: records.map((record, i) => toMessage(record, partitions[i]!)) });
    const bases = new Map((result.offsets ?? []).map((o) => [`${o.topic}:${o.partition}`, o.offset]));
    const offsets = recordOffsets(partitions, records.map((r) => r.topic), (topic, partition) => bases.get(`${topic}:${partition}`) ?? -1n);
    return records.map((record, i) => ({ topic: record.topic, partition: partitions[i]!, offset: offsets[i]! }));
  }
  return {
    send: (records) => sendInRequests(records, (request) => send(request, producer)),
    async beginTransaction() {
      const transaction = await producer.beginTransaction();
      // Once fenced, the library forgets its transaction, and a send through this one would be
      // written outside any transaction (visible to read_committed readers): refuse it instead.
      const open = () => (producer.transaction === transaction ? null : Promise.reject(new KafkaPortError('KAFKA', `the transaction of ${producer.transaction === undefined ? 'this producer was ended or fenced' : 'this producer is not this one'}`)));
      return {
        send: (records) => open() ?? sendInRequests(records, (request) => send(request, transaction)),
        commit: () => open() ?? transaction.commit(),
        abort: () => transaction.abort(),
      };
    },
    close: () => producer.close(),
  };
}

class PlatformaticConsumer extends BufferedConsumer {
  readonly #consumer: Consumer;
  readonly #options: ConsumerOptions;
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;

  constructor(consumer: Consumer, options: ConsumerOptions) {
    super(options.groupId, options.maxBufferedRecords ?? 10_000);
    this.#consumer = consumer;
    this.#options = options;
    this.buffer.onDrain = () => this.#stream?.resume();
  }

  protected fetchFrom(tp: TopicPartition, offset: bigint): void {
    this.#stream?.offsetsToFetch.set(`${tp.topic}:${tp.partition}`, offset);
  }

  override position(tp: TopicPartition): bigint | null {
    // The stream moves its fetch offset past control batches and aborted records. Trusted only
    // while the stream holds no undelivered record: then every record before it is in the buffer.
    const stream = this.#stream;
    const fetched = stream?.offsetsToFetch.get(`${tp.topic}:${tp.partition}`);
    if (stream && stream.readableLength === 0 && fetched !== undefined) this.buffer.fetchedTo(tp, fetched);
    return super.position(tp);
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener = {}): Promise<void> {
    this.#consumer.on('consumer:group:join', (payload) => {
      // The join event also fires before the assignment is known; only a sync carries one.
      if (!payload.assignments) return;
      this.rebalanced(toPartitions(payload.assignments), listener).catch((error: unknown) => this.fail(error));
    });
    const stream = await this.#consumer.consume({
      topics: [...topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.#options.autoOffsetReset === 'latest' ? MessagesStreamFallbackModes.LATEST : MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
    });
    this.#stream = stream;
    stream.on('data', (message: Message<Buffer, Buffer, Buffer, Buffer>) => {
      this.buffer.push(fromMessage(message));
      if (this.buffer.full) stream.pause();
    });
    stream.on('error', (error: Error) => this.fail(error));
    await this.rebalanced(toPartitions(this.#consumer.assignments ?? []), listener);
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.#consumer.commit({ offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, leaderEpoch: -1 })) });
  }

  async committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const result = await this.#consumer.listCommittedOffsets({ topics: [...byTopic].map(([topic, parts]) => ({ topic, partitions: parts })) });
    return partitions.flatMap((tp) => {
      const offset = result.get(tp.topic)?.[tp.partition];
      return offset !== undefined && offset >= 0n ? [{ ...tp, offset }] : [];
    });
  }

  async close(): Promise<void> {
    this.buffer.wakeup();
    await this.#stream?.close();
    await this.#consumer.close(true);
  }
}

function toPartitions(assignments: readonly { topic: string; partitions: number[] }[]): TopicPartition[] {
  return assignments.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
}

function fromMessage(message: Message<Buffer, Buffer, Buffer, Buffer>): ConsumedRecord {
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    // A null key or value reaches us as undefined; an empty one as an empty buffer.
    key: message.key ?? null,
    value: message.value ?? null,
    headers: message.headerEntries.map(([key, value]) => ({ key: key.toString('utf8'), value })),
    timestamp: message.timestamp,
  };
}

function platformaticAdmin(admin: Admin, fence: (ids: readonly string[]) => Promise<void>): KafkaAdmin {
  return {
    async createTopics(topics: readonly NewTopic[]) {
      const existing = new Set(await admin.listTopics());
      for (const topic of topics) {
        if (existing.has(topic.name)) continue;
        await admin.createTopics({
          topics: [topic.name],
          partitions: topic.partitions ?? 1,
          replicas: topic.replicationFactor ?? -1,
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        });
      }
    },
    async describeTopics(names: readonly string[]): Promise<TopicDescription[]> {
      const metadata = await admin.metadata({ topics: [...names] });
      const configs = await admin.describeConfigs({
        resources: names.map((name) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: name })),
      });
      return names.map((name) => {
        const topic = metadata.topics.get(name);
        if (!topic) throw new KafkaPortError('KAFKA', `topic ${name} does not exist`);
        const description = configs.find((c) => c.resourceName === name);
        return {
          name,
          partitions: topic.partitionsCount,
          configs: Object.fromEntries((description?.configs ?? []).map((c) => [c.name, c.value ?? ''])),
        };
      });
    },
    deleteTopics: (names) => admin.deleteTopics({ topics: [...names] }),
    async listOffsets(topic, at) {
      const metadata = await admin.metadata({ topics: [topic] });
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      const result = await admin.listOffsets({
        topics: [{ name: topic, partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp: at === 'earliest' ? -2n : -1n })) }],
      });
      return result.flatMap((t) => t.partitions.map((p) => ({ topic, partition: p.partitionIndex, offset: p.offset })));
    },
    async groupOffsets(groupId, topic) {
      const groups = await admin.listConsumerGroupOffsets({ groups: [groupId] });
      return groups.flatMap((g) =>
        g.topics
          .filter((t) => topic === undefined || t.name === topic)
          .flatMap((t) => t.partitions.filter((p) => p.committedOffset >= 0n).map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset }))),
      );
    },
    async alterGroupOffsets(groupId, offsets) {
      const topics = byTopic(offsets);
      await admin.alterConsumerGroupOffsets({
        groupId,
        topics: [...topics].map(([name, partitions]) => ({ name, partitionOffsets: partitions.map((p) => ({ partition: p.partition, offset: p.offset })) })),
      });
    },
    async deleteGroupOffsets(groupId, partitions) {
      const topics = byTopic(partitions);
      await admin.deleteConsumerGroupOffsets({ groupId, topics: [...topics].map(([name, tps]) => ({ name, partitionIndexes: tps.map((p) => p.partition) })) });
    },
    clusterId: async () => (await admin.metadata({ topics: [] })).id,
    fenceProducers: fence,
    close: () => admin.close(),
  };
}
