import { hasErrorCode } from '@sluice/core';
import { createTopic, readTopic, uniqueTopic } from '@sluice/testkit';
import { kafkajsClient, partitionForKey, platformaticClient } from '@sluice/worker/kafka';
import type { KafkaClient } from '@sluice/worker/kafka';
import { KafkaConfigStore, KafkaLog, KafkaOffsetStore, KafkaStatusStore, internalTopicSpec, snapshotTaskConfig, snapshotTasks } from '@sluice/worker/storage';
import type { InternalTopicKind } from '@sluice/worker/storage';
import { afterAll, describe, expect, inject, it } from 'vitest';

const bootstrap = inject('kafkaBootstrap');
const client = platformaticClient({ bootstrapServers: bootstrap.split(','), clientId: 'storage-round-trip' });
const stoppers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
});

/** Worker properties for one kind of internal topic, on a fresh topic, replication 1 for the one-broker stack. */
function spec(kind: InternalTopicKind, extra: Record<string, string> = {}) {
  return internalTopicSpec(kind, {
    [`${kind}.storage.topic`]: uniqueTopic(`sluice-${kind}s`),
    [`${kind}.storage.replication.factor`]: '1',
    ...(kind === 'config' ? {} : { [`${kind}.storage.partitions`]: '3' }),
    ...extra,
  });
}

async function started<T extends { start(): Promise<void>; stop(): Promise<void> }>(store: T): Promise<T> {
  await store.start();
  stoppers.push(() => store.stop());
  return store;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe.each([
  ['platformatic', client],
  ['kafkajs', kafkajsClient({ bootstrapServers: bootstrap.split(','), clientId: 'storage-round-trip' })],
] as [string, KafkaClient][])('compacted-topic log over %s', (_name, logClient) => {
  it('reads a topic from its beginning, sees its own writes after readToEnd, and keeps following the topic', async () => {
    const topic = uniqueTopic('sluice-log');
    await createTopic(bootstrap, topic, 2, { 'cleanup.policy': 'compact' });
    const writer = await logClient.producer();
    stoppers.push(() => writer.close());
    await writer.send([0, 1, 2].map((i) => ({ topic, key: bytes(`k${i}`), value: bytes(`before-${i}`) })));

    const seen: string[] = [];
    const log = new KafkaLog({ client: logClient, topic, onRecord: (r) => seen.push(`${text(r.key)}=${text(r.value)}`) });
    await log.start();
    stoppers.push(() => log.stop());
    expect(seen.sort()).toEqual(['k0=before-0', 'k1=before-1', 'k2=before-2']);
    expect(log.partitionCount).toBe(2);

    const sent = await log.send([{ key: bytes('k1'), value: bytes('mine') }, { key: bytes('k3'), value: null }]);
    expect(sent.map((m) => m.partition)).toEqual([partitionForKey(bytes('k1'), 2), partitionForKey(bytes('k3'), 2)]);
    await log.readToEnd();
    expect(seen.slice(3)).toEqual(expect.arrayContaining(['k1=mine', 'k3=null']));

    // Another writer's record reaches the callback without anyone asking.
    await writer.send([{ topic, key: bytes('k9'), value: bytes('later') }]);
    await expect.poll(() => seen.includes('k9=later'), { timeout: 10_000 }).toBe(true);
    await log.flush();
    expect(seen.filter((s) => s === 'k1=mine')).toHaveLength(1);
  });

  it('reads to the end of a topic written in transactions: past commit markers and aborted records', async () => {
    const topic = uniqueTopic('sluice-log-txn');
    await createTopic(bootstrap, topic, 2, { 'cleanup.policy': 'compact' });
    const writer = await logClient.producer({ transactionalId: uniqueTopic('log-writer') });
    stoppers.push(() => writer.close());
    const committed = await writer.beginTransaction();
    await committed.send([0, 1, 2].map((i) => ({ topic, key: bytes(`k${i}`), value: bytes(`v${i}`) })));
    await committed.commit();
    const aborted = await writer.beginTransaction();
    await aborted.send([{ topic, key: bytes('k0'), value: bytes('aborted') }]);
    await aborted.abort();

    const seen: string[] = [];
    const log = new KafkaLog({ client: logClient, topic, onRecord: (r) => seen.push(`${text(r.key)}=${text(r.value)}`), timeoutMs: 10_000 });
    await log.start();
    stoppers.push(() => log.stop());
    expect(seen.sort()).toEqual(['k0=v0', 'k1=v1', 'k2=v2']);
    const again = await writer.beginTransaction();
    await again.send([{ topic, key: bytes('k3'), value: bytes('v3') }]);
    await again.commit();
    await log.readToEnd();
    expect(seen).toContain('k3=v3');
  });
});

describe('internal topics', () => {
  it('creates missing topics compacted with the partitions asked for', async () => {
    const offsets = spec('offset');
    await started(new KafkaOffsetStore({ client, topic: offsets }));
    const admin = await client.admin();
    stoppers.push(() => admin.close());
    const [description] = await admin.describeTopics([offsets.name]);
    expect(description).toMatchObject({ partitions: 3 });
    expect(description!.configs['cleanup.policy']).toBe('compact');
  });

  it('refuses an existing topic that deletes records, and a config topic with several partitions, naming the key', async () => {
    const statuses = spec('status');
    await createTopic(bootstrap, statuses.name, 1, { 'cleanup.policy': 'delete' });
    const error = await new KafkaStatusStore({ client, topic: statuses }).start().catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CONFIG')).toBe(true);
    expect((error as Error).message).toMatch(/^config key `status\.storage\.topic`: topic '.*' must have 'cleanup\.policy=compact'.*'cleanup\.policy=delete'/);

    const configs = spec('config');
    await createTopic(bootstrap, configs.name, 2, { 'cleanup.policy': 'compact' });
    const partitioned = await new KafkaConfigStore({ client, topic: configs }).start().catch((e: unknown) => e);
    expect((partitioned as Error).message).toMatch(/^config key `config\.storage\.topic`: .* must have a single partition.*2 partitions/);
  });
});

describe('config store', () => {
  it('round-trips connectors, committed task configs, target states, restarts and the session key to a second store', async () => {
    const topic = spec('config');
    const heard: string[] = [];
    const writer = await started(
      new KafkaConfigStore({
        client,
        topic,
        listener: {
          onConnectorConfigUpdate: (c) => heard.push(`config ${c}`),
          onTaskConfigUpdate: (tasks) => heard.push(`tasks ${tasks.map((t) => `${t.connector}/${t.task}`).join(',')}`),
          onConnectorTargetStateChange: (c) => heard.push(`target ${c}`),
          onRestartRequest: (r) => heard.push(`restart ${r.connector} ${r.onlyFailed} ${r.includeTasks}`),
          onSessionKeyUpdate: (k) => heard.push(`key ${k.algorithm}`),
          onConnectorConfigRemove: (c) => heard.push(`removed ${c}`),
        },
      }),
    );
    await writer.putConnectorConfig('files', { 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/in.txt', topic: 'lines' }, 'PAUSED');
    await writer.putTaskConfigs('files', [{ task: '0' }, { task: '1' }]);
    await writer.putTargetState('files', 'STOPPED');
    await writer.putRestartRequest({ connector: 'files', onlyFailed: true, includeTasks: true });
    const sessionKey = { key: new Uint8Array(32).fill(7), algorithm: 'HmacSHA256', creationTimestamp: 1_700_000_000_000 };
    await writer.putSessionKey(sessionKey);
    await writer.putConnectorConfig('doomed', { 'connector.class': 'FileStreamSink' });
    await writer.removeConnectorConfig('doomed');
    await writer.refresh();
    expect(heard).toEqual([
      'config files',
      'tasks files/0,files/1',
      'target files',
      'restart files true true',
      'key HmacSHA256',
      'config doomed',
      'removed doomed',
    ]);

    const reader = await started(new KafkaConfigStore({ client, topic }));
    const snapshot = reader.snapshot();
    expect([...snapshot.connectorConfigs.keys()]).toEqual(['files']);
    expect(snapshot.connectorConfigs.get('files')).toEqual({ 'connector.class': 'FileStreamSource', 'tasks.max': '2', file: '/tmp/in.txt', topic: 'lines' });
    expect(snapshot.targetStates.get('files')).toBe('STOPPED');
    expect(snapshotTasks(snapshot, 'files')).toEqual([{ connector: 'files', task: 0 }, { connector: 'files', task: 1 }]);
    expect(snapshotTaskConfig(snapshot, { connector: 'files', task: 1 })).toEqual({ task: '1' });
    expect(snapshot.sessionKey).toEqual(sessionKey);
    expect(snapshot.offset).toBe(writer.snapshot().offset);
    expect(reader.contains('doomed')).toBe(false);

    const records = await readTopic(bootstrap, topic.name, 11);
    expect(records.map((r) => `${text(r.key)} ${text(r.value)}`).slice(0, 5)).toEqual([
      'target-state-files {"state":"PAUSED","state.v2":"PAUSED"}',
      'connector-files {"properties":{"connector.class":"FileStreamSource","tasks.max":"2","file":"/tmp/in.txt","topic":"lines"}}',
      'task-files-0 {"properties":{"task":"0"}}',
      'task-files-1 {"properties":{"task":"1"}}',
      'commit-files {"tasks":2}',
    ]);
  });
});

describe('offset store', () => {
  it('round-trips offsets through the topic, keyed and partitioned as Kafka Connect does; a null offset is a tombstone', async () => {
    const topic = spec('offset');
    const writer = await started(new KafkaOffsetStore({ client, topic }));
    await writer.set('files', [
      { partition: { filename: '/tmp/a.txt' }, offset: { position: 120 } },
      { partition: { filename: '/tmp/b.txt' }, offset: { position: 9_223_372_036_854_775_807n } },
      { partition: { table: 'orders', protocol: '1' }, offset: { incrementing: 5 } },
    ]);
    expect(await writer.get('files', { filename: '/tmp/a.txt' })).toEqual({ position: 120 });
    await writer.set('files', [{ partition: { filename: '/tmp/a.txt' }, offset: null }]);
    expect(await writer.get('files', { filename: '/tmp/a.txt' })).toBeNull();

    const reader = await started(new KafkaOffsetStore({ client, topic }));
    expect(await reader.get('files', { filename: '/tmp/a.txt' })).toBeNull();
    expect(await reader.get('files', { filename: '/tmp/b.txt' })).toEqual({ position: 9_223_372_036_854_775_807n });
    expect(await reader.get('files', { protocol: '1', table: 'orders' })).toEqual({ incrementing: 5 });
    expect(reader.connectors()).toEqual(['files']);
    expect(await reader.all('files')).toHaveLength(2);

    const records = await readTopic(bootstrap, topic.name, 4);
    for (const record of records) expect(record.partition).toBe(partitionForKey(record.key!, 3));
    expect(records.map((r) => text(r.key)).sort()).toEqual([
      '["files",{"filename":"/tmp/a.txt"}]',
      '["files",{"filename":"/tmp/a.txt"}]',
      '["files",{"filename":"/tmp/b.txt"}]',
      // java.util.HashMap's order of these two keys.
      '["files",{"protocol":"1","table":"orders"}]',
    ]);
    expect(records.find((r) => text(r.key)!.includes('b.txt'))!.value!.toString()).toBe('{"position":9223372036854775807}');
  });
});

describe('status store', () => {
  it('round-trips statuses, and a safe write of an older generation from another worker does not overwrite a newer one', async () => {
    const topic = spec('status');
    const a = await started(new KafkaStatusStore({ client, topic }));
    await a.putConnector({ connector: 'files', state: 'RUNNING', trace: null, workerId: 'a:8083', generation: 4 });
    await a.putTask({ connector: 'files', task: 0, state: 'FAILED', trace: 'java.lang.Boom', workerId: 'a:8083', generation: 4 });
    await a.putTopic({ topic: 'lines', connector: 'files', task: 0, discoverTimestamp: 1_700_000_000_000 });
    await a.refresh();
    expect(a.connector('files')).toMatchObject({ state: 'RUNNING', generation: 4 });

    // Worker b is a generation behind: its safe write is dropped, its plain write is not.
    const b = await started(new KafkaStatusStore({ client, topic }));
    await b.putConnector({ connector: 'files', state: 'UNASSIGNED', trace: null, workerId: 'b:8083', generation: 3 }, { safe: true });
    await b.refresh();
    expect(b.connector('files')).toEqual({ connector: 'files', state: 'RUNNING', trace: null, workerId: 'a:8083', generation: 4, version: null });
    expect(b.tasks('files')).toEqual([{ connector: 'files', task: 0, state: 'FAILED', trace: 'java.lang.Boom', workerId: 'a:8083', generation: 4, version: null }]);
    expect(b.topics('files')).toEqual([{ topic: 'lines', connector: 'files', task: 0, discoverTimestamp: 1_700_000_000_000 }]);

    await b.putConnector({ connector: 'files', state: 'DESTROYED', trace: null, workerId: 'b:8083', generation: 5 });
    await b.deleteTopic('files', 'lines');
    await a.refresh();
    expect(a.connector('files')).toBeUndefined();
    expect(a.tasks('files')).toEqual([]);
    expect(a.topics('files')).toEqual([]);
  });
});
