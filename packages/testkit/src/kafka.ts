import { randomUUID } from 'node:crypto';
import { Admin, Consumer, FetchIsolationLevels, MessagesStreamModes, Producer } from '@platformatic/kafka';
import type { ServiceDefinition } from './services.ts';

declare module 'vitest' {
  /** What the testkit's globalSetup hands to tests through `inject`. */
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

/**
 * Kafka for tests. The helpers here use `@platformatic/kafka` directly, not Sluice's own
 * Kafka port, so what a test reads back does not depend on the code under test.
 */
export const kafkaService: ServiceDefinition = {
  name: 'Kafka',
  envVar: 'KAFKA_BOOTSTRAP_SERVERS',
  localAddress: '127.0.0.1:9092',
  stackService: 'kafka',
  async probe(address) {
    const admin = new Admin({ clientId: 'sluice-testkit-probe', bootstrapBrokers: address.split(','), connectTimeout: 2_000, requestTimeout: 5_000, retries: 0 });
    try {
      await admin.metadata({ topics: [] });
    } finally {
      await admin.close();
    }
  },
  async container() {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('apache/kafka:4.1.1')
      .withExposedPorts({ container: 9092, host: 9092 })
      .withEnvironment({ KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://localhost:9093' })
      .withWaitStrategy(Wait.forLogMessage('Kafka Server started'))
      .start();
    return `${container.getHost()}:9092`;
  },
  howToStart:
    'run `bash stack/stack up` (needs Java 17 and Maven: it fetches Apache Kafka from Maven Central and starts it on 127.0.0.1:9092), or `docker compose -f docker/compose.yaml up -d kafka`, or set KAFKA_BOOTSTRAP_SERVERS to a broker you run.',
};

/** A topic name no other test uses. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export async function createTopic(bootstrap: string, name: string, partitions = 1, configs: Record<string, string> = {}): Promise<void> {
  const admin = new Admin({ clientId: 'sluice-testkit', bootstrapBrokers: bootstrap.split(',') });
  try {
    await admin.createTopics({ topics: [name], partitions, replicas: -1, configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })) });
  } finally {
    await admin.close();
  }
}

/** One record for {@link produceRecords}: a `null` value is a tombstone. */
export interface RawRecord {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Writes raw values (e.g. bytes no converter can read) to one partition of a topic. */
export async function produceRaw(bootstrap: string, topic: string, values: readonly (string | Buffer)[], partition = 0): Promise<void> {
  await produceRecords(bootstrap, topic, values.map((value) => ({ value })), partition);
}

/** Writes records with keys, headers and tombstones to one partition of a topic. */
export async function produceRecords(bootstrap: string, topic: string, records: readonly RawRecord[], partition = 0): Promise<void> {
  const producer = new Producer({ clientId: 'sluice-testkit-writer', bootstrapBrokers: bootstrap.split(',') });
  const bytes = (value: string | Buffer) => Buffer.from(value);
  try {
    await producer.send({
      messages: records.map((record) => ({
        topic,
        partition,
        ...(record.key == null ? {} : { key: bytes(record.key) }),
        ...(record.value === null ? {} : { value: bytes(record.value) }),
        ...(record.headers ? { headers: new Map(Object.entries(record.headers).map(([k, v]) => [bytes(k), bytes(v)])) } : {}),
      })),
    });
  } finally {
    await producer.close();
  }
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly (readonly [string, Buffer])[];
}

/** How {@link readTopic} reads. */
export interface ReadOptions {
  /**
   * `read_committed` (the default, as Kafka Connect's own readers): records of aborted or still
   * open transactions are skipped. `read_uncommitted` shows them too.
   */
  readonly isolation?: 'read_committed' | 'read_uncommitted';
}

/**
 * Reads a topic from the beginning until `count` records arrived, failing after `timeoutMs`
 * with how many did.
 */
export async function readTopic(bootstrap: string, topic: string, count: number, timeoutMs = 20_000, options: ReadOptions = {}): Promise<ReadRecord[]> {
  const isolationLevel = options.isolation === 'read_uncommitted' ? FetchIsolationLevels.READ_UNCOMMITTED : FetchIsolationLevels.READ_COMMITTED;
  const consumer = new Consumer({ clientId: 'sluice-testkit-reader', groupId: `sluice-testkit-${randomUUID()}`, bootstrapBrokers: bootstrap.split(','), maxWaitTime: 200, isolationLevel });
  const records: ReadRecord[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false });
    const timer = setTimeout(() => stream.destroy(new Error(`read ${records.length} of ${count} records from ${topic} within ${timeoutMs} ms`)), timeoutMs);
    try {
      for await (const message of stream) {
        records.push({
          partition: message.partition,
          offset: message.offset,
          key: message.key ?? null,
          value: message.value ?? null,
          headers: message.headerEntries.map(([k, v]) => [k.toString('utf8'), v] as const),
        });
        if (records.length >= count) break;
      }
    } finally {
      clearTimeout(timer);
    }
    return records;
  } finally {
    await consumer.close(true);
  }
}
