import {
  Admin,
  ConfigResourceTypes,
  Connection,
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  ResponseError,
  findCoordinatorV6,
  heartbeatV4,
  joinGroupV9,
  leaveGroupV5,
  syncGroupV5,
} from '@platformatic/kafka';
import type { Message, MessagesStream, ProduceResult, SendOptions } from '@platformatic/kafka';
import { ConsumerBuffer } from './consumer-buffer.ts';
import { KafkaPortError, checkClientOptions, withinTimeout } from './errors.ts';
import { assignPartitions, recordOffsets } from './partitioner.ts';
import type {
  ConsumedRecord,
  ConsumerOptions,
  GroupMember,
  GroupMemberOptions,
  JoinResult,
  KafkaAdmin,
  KafkaClient,
  KafkaClientOptions,
  KafkaConsumer,
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

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The port over `@platformatic/kafka`: pure TypeScript, and it exposes the raw group APIs. */
export function platformaticClient(options: KafkaClientOptions): KafkaClient {
  checkClientOptions(options);
  const brokers = [...options.bootstrapServers];
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const base = {
    clientId: options.clientId,
    bootstrapBrokers: brokers,
    connectTimeout,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    retries: 3,
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
        ...(producerOptions.transactionalId ? { transactionalId: producerOptions.transactionalId } : {}),
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
      return platformaticAdmin(admin);
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

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function platformaticProducer(producer: Producer): KafkaProducer {
  type Sender = { send(options: SendOptions<Buffer, Buffer, Buffer, Buffer>): Promise<ProduceResult> };
  async function send(records: readonly ProducerRecord[], via: Sender): Promise<RecordMetadata[]> {
    if (records.length === 0) return [];
    const topics = [...new Set(records.map((r) => r.topic))];
    const metadata = await producer.metadata({ topics });
    const partitions = assignPartitions(records, (topic) => metadata.topics.get(topic)?.partitionsCount ?? 1);
    const result: ProduceResult = await via.send({
      messages: records.map((record, i) => ({
        topic: record.topic,
        partition: partitions[i]!,
        ...(record.key === null ? {} : { key: toBuffer(record.key) }),
        ...(record.value === null ? {} : { value: toBuffer(record.value) }),
        headers: new Map((record.headers ?? []).map((h) => [Buffer.from(h.key), h.value === null ? Buffer.alloc(0) : toBuffer(h.value)])),
        ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
      })),
    });
    const bases = new Map((result.offsets ?? []).map((o) => [`${o.topic}:${o.partition}`, o.offset]));
    const offsets = recordOffsets(partitions, records.map((r) => r.topic), (topic, partition) => bases.get(`${topic}:${partition}`) ?? -1n);
    return records.map((record, i) => ({ topic: record.topic, partition: partitions[i]!, offset: offsets[i]! }));
  }
  return {
    send: (records) => send(records, producer),
    async beginTransaction() {
      const transaction = await producer.beginTransaction();
      return {
        send: (records) => send(records, transaction),
        commit: () => transaction.commit(),
        abort: () => transaction.abort(),
      };
    },
    close: () => producer.close(),
  };
}

class PlatformaticConsumer implements KafkaConsumer {
  readonly #consumer: Consumer;
  readonly #options: ConsumerOptions;
  readonly #buffer: ConsumerBuffer;
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;
  #assignment: TopicPartition[] = [];
  #failure: Error | null = null;

  constructor(consumer: Consumer, options: ConsumerOptions) {
    this.#consumer = consumer;
    this.#options = options;
    this.#buffer = new ConsumerBuffer((tp, offset) => this.#stream?.offsetsToFetch.set(`${tp.topic}:${tp.partition}`, offset), options.maxBufferedRecords ?? 10_000);
    this.#buffer.onDrain = () => this.#stream?.resume();
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener = {}): Promise<void> {
    this.#consumer.on('consumer:group:join', (payload) => {
      // The join event also fires before the assignment is known; only a sync carries one.
      if (!payload.assignments) return;
      const next = payload.assignments.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
      void this.#rebalanced(next, listener);
    });
    const stream = await this.#consumer.consume({
      topics: [...topics],
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.#options.autoOffsetReset === 'latest' ? MessagesStreamFallbackModes.LATEST : MessagesStreamFallbackModes.EARLIEST,
      autocommit: false,
    });
    this.#stream = stream;
    stream.on('data', (message: Message<Buffer, Buffer, Buffer, Buffer>) => {
      this.#buffer.push(fromMessage(message));
      if (this.#buffer.full) stream.pause();
    });
    stream.on('error', (error: Error) => {
      this.#failure = error;
      this.#buffer.wakeup();
    });
    const joined = this.#consumer.assignments ?? [];
    await this.#rebalanced(joined.flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition }))), listener);
  }

  async #rebalanced(next: TopicPartition[], listener: RebalanceListener): Promise<void> {
    const before = new Set(this.#assignment.map((tp) => `${tp.topic}:${tp.partition}`));
    const after = new Set(next.map((tp) => `${tp.topic}:${tp.partition}`));
    const revoked = this.#assignment.filter((tp) => !after.has(`${tp.topic}:${tp.partition}`));
    const assigned = next.filter((tp) => !before.has(`${tp.topic}:${tp.partition}`));
    this.#assignment = next;
    this.#buffer.retain(next);
    if (revoked.length > 0) await listener.onRevoked?.(revoked);
    if (assigned.length > 0) await listener.onAssigned?.(assigned);
  }

  async poll(maxWaitMs: number, maxRecords = 500): Promise<ConsumedRecord[]> {
    const records = await this.#buffer.poll(maxWaitMs, maxRecords);
    if (this.#failure) throw new KafkaPortError('KAFKA', `consumer of group ${this.#options.groupId} failed: ${this.#failure.message}`, this.#failure);
    return records;
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

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#buffer.pause(tp);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#buffer.resume(tp);
  }

  paused(): TopicPartition[] {
    return this.#buffer.paused();
  }

  seek(partition: TopicPartition, offset: bigint): void {
    this.#buffer.seek(partition, offset);
  }

  assignment(): TopicPartition[] {
    return [...this.#assignment];
  }

  async close(): Promise<void> {
    this.#buffer.wakeup();
    await this.#stream?.close();
    await this.#consumer.close(true);
  }
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

function platformaticAdmin(admin: Admin): KafkaAdmin {
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
          .filter((t) => t.name === topic)
          .flatMap((t) => t.partitions.filter((p) => p.committedOffset >= 0n).map((p) => ({ topic, partition: p.partitionIndex, offset: p.committedOffset }))),
      );
    },
    close: () => admin.close(),
  };
}

/** Kafka's REBALANCE_IN_PROGRESS, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, MEMBER_ID_REQUIRED. */
const REJOIN_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);

function protocolErrorId(error: unknown): string | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const first = (error.errors as unknown[])[0] as { apiId?: string } | undefined;
  return first?.apiId;
}

class PlatformaticGroupMember implements GroupMember {
  readonly #clientId: string;
  readonly #brokers: string[];
  readonly #connectTimeout: number;
  readonly #requestTimeout: number;
  readonly #options: GroupMemberOptions;
  #coordinator: Connection | null = null;
  #memberId = '';
  #generationId = -1;
  #protocol = '';

  constructor(clientId: string, brokers: string[], connectTimeout: number, requestTimeout: number, options: GroupMemberOptions) {
    this.#clientId = clientId;
    this.#brokers = brokers;
    this.#connectTimeout = connectTimeout;
    this.#requestTimeout = requestTimeout;
    this.#options = options;
  }

  async #open(address: string): Promise<Connection> {
    const connection = new Connection(this.#clientId, { connectTimeout: this.#connectTimeout, requestTimeout: this.#requestTimeout });
    const separator = address.lastIndexOf(':');
    await withinTimeout(
      Promise.resolve(connection.connect(address.slice(0, separator), Number(address.slice(separator + 1)))),
      this.#connectTimeout,
      [address],
      'a connection',
    );
    return connection;
  }

  async connect(): Promise<void> {
    const bootstrap = await this.#open(this.#brokers[0]!);
    try {
      const found = await withinTimeout(findCoordinatorV6.api.async(bootstrap, 0, [this.#options.groupId]), this.#connectTimeout, this.#brokers, 'FindCoordinator');
      const coordinator = found.coordinators[0];
      if (!coordinator || coordinator.errorCode !== 0) throw new KafkaPortError('KAFKA', `no coordinator for group ${this.#options.groupId}`);
      this.#coordinator = await this.#open(`${coordinator.host}:${coordinator.port}`);
    } finally {
      await bootstrap.close();
    }
  }

  async join(): Promise<JoinResult> {
    const coordinator = this.#connection();
    const protocols = this.#options.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    const send = () =>
      joinGroupV9.api.async(coordinator, this.#options.groupId, this.#options.sessionTimeoutMs, this.#options.rebalanceTimeoutMs, this.#memberId, null, this.#options.protocolType, protocols, null);
    let response;
    try {
      response = await send();
    } catch (error) {
      // A new member first learns its id from a MEMBER_ID_REQUIRED answer, then joins with it.
      if (protocolErrorId(error) !== 'MEMBER_ID_REQUIRED') throw this.#translate(error, 'JoinGroup');
      this.#memberId = ((error as ResponseError).response as { memberId: string }).memberId;
      response = await send().catch((e: unknown) => {
        throw this.#translate(e, 'JoinGroup');
      });
    }
    this.#memberId = response.memberId;
    this.#generationId = response.generationId;
    this.#protocol = response.protocolName ?? '';
    return {
      generationId: response.generationId,
      memberId: response.memberId,
      leaderId: response.leader,
      isLeader: response.leader === response.memberId,
      protocol: this.#protocol,
      members: response.members.map((m) => ({ memberId: m.memberId, metadata: new Uint8Array(m.metadata) })),
    };
  }

  async sync(assignments: ReadonlyMap<string, Uint8Array> = new Map()): Promise<Uint8Array> {
    const list = [...assignments].map(([memberId, bytes]) => ({ memberId, assignment: Buffer.from(bytes) }));
    try {
      const response = await syncGroupV5.api.async(this.#connection(), this.#options.groupId, this.#generationId, this.#memberId, null, this.#options.protocolType, this.#protocol, list);
      return new Uint8Array(response.assignment);
    } catch (error) {
      throw this.#translate(error, 'SyncGroup');
    }
  }

  async heartbeat(): Promise<void> {
    try {
      await heartbeatV4.api.async(this.#connection(), this.#options.groupId, this.#generationId, this.#memberId, null);
    } catch (error) {
      throw this.#translate(error, 'Heartbeat');
    }
  }

  async leave(): Promise<void> {
    const coordinator = this.#coordinator;
    if (!coordinator) return;
    try {
      if (this.#memberId) {
        await leaveGroupV5.api.async(coordinator, this.#options.groupId, [{ memberId: this.#memberId, groupInstanceId: null, reason: null }]);
      }
    } finally {
      this.#coordinator = null;
      this.#memberId = '';
      await coordinator.close();
    }
  }

  #connection(): Connection {
    if (!this.#coordinator) throw new KafkaPortError('KAFKA', `group ${this.#options.groupId}: this member has left`);
    return this.#coordinator;
  }

  #translate(error: unknown, api: string): KafkaPortError {
    const id = protocolErrorId(error);
    if (id && REJOIN_ERRORS.has(id)) {
      if (id !== 'REBALANCE_IN_PROGRESS') this.#memberId = '';
      return new KafkaPortError('REBALANCE', `group ${this.#options.groupId}: ${api} answered ${id}; join again`, error);
    }
    return new KafkaPortError('KAFKA', `group ${this.#options.groupId}: ${api} failed: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
