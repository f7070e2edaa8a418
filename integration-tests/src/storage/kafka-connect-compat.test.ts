import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { partitionForKey, platformaticClient } from '@sluice/worker/kafka';
import {
  KafkaConfigStore,
  KafkaOffsetStore,
  KafkaStatusStore,
  configValues,
  internalTopicSpec,
  offsetKeyText,
  offsetValueText,
  snapshotTaskConfig,
  snapshotTasks,
  statusValue,
  topicStatusValue,
} from '@sluice/worker/storage';
import type { ReadRecord } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// Apache Kafka Connect 4.1.1's own stores, run by stack/connect-stores/StoreInterop.java, write
// and read the same three topics as Sluice's stores: each side must find what the other wrote,
// and Sluice's bytes must be the bytes Kafka Connect writes for the same content.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const lib = `${root}.stack/connect/lib`;
const program = `${root}stack/connect-stores/StoreInterop.java`;
const HOW_TO = 'this test runs Apache Kafka Connect 4.1.1 with Java 17+ and Maven: install a JDK 17 and Maven, then run `stack/stack jars connect` from the repository root';

const bootstrap = inject('kafkaBootstrap');
const client = platformaticClient({ bootstrapServers: bootstrap.split(','), clientId: 'storage-compat' });
const specs = {
  config: internalTopicSpec('config', { 'config.storage.topic': uniqueTopic('compat-configs'), 'config.storage.replication.factor': '1' }),
  offset: internalTopicSpec('offset', { 'offset.storage.topic': uniqueTopic('compat-offsets'), 'offset.storage.replication.factor': '1', 'offset.storage.partitions': '5' }),
  status: internalTopicSpec('status', { 'status.storage.topic': uniqueTopic('compat-status'), 'status.storage.replication.factor': '1', 'status.storage.partitions': '3' }),
};
const stoppers: (() => Promise<void>)[] = [];
const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

async function startStores() {
  const stores = {
    configs: new KafkaConfigStore({ client, topic: specs.config }),
    offsets: new KafkaOffsetStore({ client, topic: specs.offset }),
    statuses: new KafkaStatusStore({ client, topic: specs.status }),
  };
  for (const store of Object.values(stores)) {
    await store.start();
    stoppers.push(() => store.stop());
  }
  return stores;
}

/** What StoreInterop's `read` prints about connector `sluice-files`. */
interface JavaView {
  connectors: string[];
  connectorConfig: Record<string, string> | null;
  targetState: string;
  taskConfigs: Record<string, string>[];
  taskCountRecord: number | null;
  inconsistent: string[];
  sessionKey?: { key: string; algorithm: string; creationTimestamp: number };
  offsets: Record<string, Record<string, unknown> | null>;
  offsetPartitions: Record<string, unknown>[];
  connectorStatus?: Record<string, unknown>;
  taskStatuses: Record<string, unknown>[];
  topics: Record<string, unknown>[];
}

let javaView: JavaView;
const sessionKey = { key: new Uint8Array(32).map((_, i) => (i * 3) & 0xff), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_999 };

beforeAll(async () => {
  if (spawnSync('java', ['-version']).status !== 0) throw new Error(`java was not found: ${HOW_TO}`);
  // Fetched once from Maven Central (a few seconds with a warm ~/.m2), as the stack fetches Kafka's.
  if (!existsSync(`${lib}/connect-runtime-4.1.1.jar`)) {
    const fetched = spawnSync(`${root}stack/stack`, ['jars', 'connect'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
    if (fetched.status !== 0 || !existsSync(`${lib}/connect-runtime-4.1.1.jar`)) throw new Error(`${lib} has no connect-runtime-4.1.1.jar and \`stack/stack jars connect\` failed: ${HOW_TO}`);
  }

  // Sluice writes first (creating the topics), then one JVM reads what Sluice wrote and writes its own.
  const { configs, offsets, statuses } = await startStores();
  await configs.putConnectorConfig('sluice-files', { 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/sluice-in.txt', topic: 'sluice-lines' });
  await configs.putTaskConfigs('sluice-files', [{ 'task.class': 'FileStreamSourceTask', n: '0' }, { 'task.class': 'FileStreamSourceTask', n: '1' }]);
  await configs.putTargetState('sluice-files', 'PAUSED');
  await configs.putTaskCountRecord('sluice-files', 2);
  await configs.putSessionKey(sessionKey);
  await offsets.set('sluice-files', [
    { partition: { filename: '/tmp/sluice-in.txt' }, offset: { position: 2048 } },
    { partition: { table: 'orders', protocol: '1' }, offset: { incrementing: 9_223_372_036_854_775_806n, timestamp: 1_700_000_000_000 } },
    { partition: { filename: '/tmp/sluice-gone.txt' }, offset: { position: 1 } },
  ]);
  await offsets.set('sluice-files', [{ partition: { filename: '/tmp/sluice-gone.txt' }, offset: null }]);
  await statuses.putConnector({ connector: 'sluice-files', state: 'RUNNING', trace: null, workerId: 'sluice:8083', generation: 2 });
  await statuses.putTask({ connector: 'sluice-files', task: 0, state: 'FAILED', trace: 'Error: boom\n    at poll', workerId: 'sluice:8083', generation: 2, version: '0.1.0' });
  await statuses.putTopic({ topic: 'sluice-lines', connector: 'sluice-files', task: 0, discoverTimestamp: 1_700_000_000_456 });

  const { stdout } = await promisify(execFile)(
    'java',
    ['-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', `${lib}/*`, program, 'exchange', bootstrap, specs.config.name, specs.offset.name, specs.status.name],
    { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  // Integers beyond 2^53 (Java longs) are read exactly, as bigint.
  const exact = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source) ? BigInt(context.source) : value;
  javaView = JSON.parse(stdout.trim().split('\n').at(-1)!, exact) as JavaView;
}, 180_000);

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
});

describe('Kafka Connect 4.1.1 reads what Sluice writes', () => {
  it('finds the connector config, the committed task configs, the target state, the fencing count and the session key', () => {
    expect(javaView.connectors).toContain('sluice-files');
    expect(javaView.connectorConfig).toEqual({ 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/sluice-in.txt', topic: 'sluice-lines' });
    expect(javaView.taskConfigs).toEqual([{ 'task.class': 'FileStreamSourceTask', n: '0' }, { 'task.class': 'FileStreamSourceTask', n: '1' }]);
    expect(javaView.targetState).toBe('PAUSED');
    expect(javaView.taskCountRecord).toBe(2);
    expect(javaView.inconsistent).toEqual([]);
    expect(javaView.sessionKey).toEqual({ key: Buffer.from(sessionKey.key).toString('base64'), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_999 });
  });

  it('finds source offsets by the partition maps a Java connector builds, and not the tombstoned one', () => {
    expect(javaView.offsets).toEqual({
      file: { position: 2048 },
      table: { incrementing: 9_223_372_036_854_775_806n, timestamp: 1_700_000_000_000 },
      gone: null,
    });
    expect(javaView.offsetPartitions).toHaveLength(2);
  });

  it('finds connector, task and topic statuses', () => {
    expect(javaView.connectorStatus).toEqual({ state: 'RUNNING', trace: null, workerId: 'sluice:8083', generation: 2, version: null });
    expect(javaView.taskStatuses).toEqual([{ state: 'FAILED', trace: 'Error: boom\n    at poll', workerId: 'sluice:8083', generation: 2, version: '0.1.0', task: 0 }]);
    expect(javaView.topics).toEqual([{ topic: 'sluice-lines', connector: 'sluice-files', task: 0, discoverTimestamp: 1_700_000_000_456 }]);
  });
});

describe('Sluice reads what Kafka Connect 4.1.1 writes', () => {
  it('sees the same connectors, task configs, target states, fencing counts, offsets and statuses', async () => {
    const { configs, offsets, statuses } = await startStores();
    const snapshot = configs.snapshot();
    expect([...snapshot.connectorConfigs.keys()].sort()).toEqual(['java-files', 'sluice-files']);
    expect(snapshot.connectorConfigs.get('java-files')).toEqual({ 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/java-in.txt', topic: 'java-lines' });
    expect(snapshotTasks(snapshot, 'java-files')).toHaveLength(2);
    expect(snapshotTaskConfig(snapshot, { connector: 'java-files', task: 1 })).toEqual({ 'task.class': 'FileStreamSourceTask', file: '/tmp/java-in-2.txt' });
    expect(snapshot.targetStates.get('java-files')).toBe('STOPPED');
    expect(snapshot.taskCountRecords.get('java-files')).toBe(2);
    expect(snapshot.pendingFencing.has('java-files')).toBe(false);
    expect(snapshot.sessionKey).toEqual({ key: new Uint8Array(32).map((_, i) => (i * 7) & 0xff), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_000 });

    expect(await offsets.get('java-files', { filename: '/tmp/java-in.txt' })).toEqual({ position: 4096 });
    expect(await offsets.get('java-files', { protocol: '1', table: 'orders' })).toEqual({ incrementing: 9_223_372_036_854_775_807n });
    expect(await offsets.get('java-files', { filename: '/tmp/java-gone.txt' })).toBeNull();

    expect(statuses.connector('java-files')).toEqual({ connector: 'java-files', state: 'RUNNING', trace: null, workerId: 'java-worker:8083', generation: 3, version: '4.1.1' });
    expect(statuses.tasks('java-files')).toEqual([
      { connector: 'java-files', task: 0, state: 'FAILED', trace: 'java.lang.RuntimeException: boom', workerId: 'java-worker:8083', generation: 3, version: null },
    ]);
    expect(statuses.topics('java-files')).toEqual([{ topic: 'java-lines', connector: 'java-files', task: 0, discoverTimestamp: 1_700_000_000_123 }]);
  });

  it('writes byte for byte what Kafka Connect wrote for the same content, to the same partitions', async () => {
    const byKey = (records: ReadRecord[], key: string) => records.filter((r) => text(r.key) === key).map((r) => text(r.value));
    const configRecords = await readTopic(bootstrap, specs.config.name, 19);
    expect(byKey(configRecords, 'target-state-java-files')).toEqual([configValues.targetState('STARTED'), configValues.targetState('STOPPED')]);
    expect(byKey(configRecords, 'commit-java-files')).toEqual([configValues.commit(2)]);
    expect(byKey(configRecords, 'restart-connector-java-files')).toEqual([configValues.restart({ connector: 'java-files', onlyFailed: true, includeTasks: false })]);
    expect(byKey(configRecords, 'tasks-fencing-java-files')).toEqual([configValues.taskCount(2)]);
    expect(byKey(configRecords, 'connector-java-files')).toEqual([
      configValues.properties({ 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/java-in.txt', topic: 'java-lines' }),
    ]);
    expect(byKey(configRecords, 'task-java-files-0')).toEqual([configValues.properties({ 'task.class': 'FileStreamSourceTask', file: '/tmp/java-in.txt' })]);
    expect(byKey(configRecords, 'connector-java-gone')).toEqual([configValues.properties({ 'connector.class': 'FileStreamSink' }), null]);
    expect(byKey(configRecords, 'target-state-java-gone')).toEqual([null]);
    expect(byKey(configRecords, 'session-key').at(-1)).toBe(
      configValues.sessionKey({ key: new Uint8Array(32).map((_, i) => (i * 7) & 0xff), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_000 }),
    );

    const offsetRecords = await readTopic(bootstrap, specs.offset.name, 8);
    const javaOffsets = offsetRecords.filter((r) => text(r.key)!.startsWith('["java-files"'));
    expect(javaOffsets.map((r) => [text(r.key), text(r.value)]).sort()).toEqual(
      [
        [offsetKeyText('java-files', { filename: '/tmp/java-gone.txt' }), offsetValueText({ position: 1 })],
        [offsetKeyText('java-files', { filename: '/tmp/java-gone.txt' }), null],
        [offsetKeyText('java-files', { filename: '/tmp/java-in.txt' }), offsetValueText({ position: 4096 })],
        // A Java HashMap of `table` and `protocol`, in its own order.
        [offsetKeyText('java-files', { table: 'orders', protocol: '1' }), offsetValueText({ incrementing: 9_223_372_036_854_775_807n })],
      ].sort(),
    );
    for (const record of offsetRecords) expect(record.partition).toBe(partitionForKey(record.key!, 5));

    const statusRecords = await readTopic(bootstrap, specs.status.name, 6);
    expect(byKey(statusRecords, 'status-connector-java-files')).toEqual([
      statusValue({ connector: 'java-files', state: 'RUNNING', trace: null, workerId: 'java-worker:8083', generation: 3, version: '4.1.1' }),
    ]);
    expect(byKey(statusRecords, 'status-task-java-files-0')).toEqual([
      statusValue({ connector: 'java-files', task: 0, state: 'FAILED', trace: 'java.lang.RuntimeException: boom', workerId: 'java-worker:8083', generation: 3 }),
    ]);
    expect(byKey(statusRecords, 'status-topic-java-lines:connector-java-files')).toEqual([
      topicStatusValue({ topic: 'java-lines', connector: 'java-files', task: 0, discoverTimestamp: 1_700_000_000_123 }),
    ]);
    for (const record of statusRecords) expect(record.partition).toBe(partitionForKey(record.key!, 3));
  });
});
