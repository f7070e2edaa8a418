import { randomUUID } from 'node:crypto';
import { defineConfig, defineSourceConnector, noopLogger, sourceRecord } from '@sluice/core';
import type { SourceRecord, SourceTaskContext } from '@sluice/core';
import { createTopic, readTopic, uniqueTopic } from '@sluice/testkit';
import { SimpleHeaderConverter, StringConverter, stringConverterConfig } from '@sluice/worker/converters';
import { fenceTaskGeneration, sourceConnectorConfig, startTaskRunner } from '@sluice/worker/distributed';
import type { TaskRunner, WorkerServices } from '@sluice/worker/distributed';
import { platformaticClient } from '@sluice/worker/kafka';
import { PluginRegistry } from '@sluice/worker/plugins';
import { KafkaOffsetStore, internalTopicSpec } from '@sluice/worker/storage';
import { afterAll, describe, expect, inject, it } from 'vitest';

/**
 * Exactly-once source tasks (KIP-618) against the broker, run in-process as a distributed
 * herder runs them: `startTaskRunner` with `TaskStart.exactlyOnce`, the worker's offsets in a
 * KafkaOffsetStore, and a counting source task that resumes from its committed offset.
 */
const bootstrap = inject('kafkaBootstrap');
const client = platformaticClient({ bootstrapServers: bootstrap.split(','), clientId: 'exactly-once-source' });
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const SOURCE = { source: 'counter' };

/** How the counting task behaves: records `r<n>` for n from its committed offset + 1 up to `total`, `batch` per poll. */
interface Script {
  total: number;
  batch: number;
  /** After emitting this many records (counting from 0), `poll` hangs until stopped: the process froze mid-transaction. */
  freezeAt?: number;
  pollDelayMs?: number;
}

function counter(script: Script) {
  return defineSourceConnector({
    name: 'counter',
    config: defineConfig({}),
    create: () => ({ start: () => undefined, taskConfigs: () => [{}], stop: () => undefined }),
    task: {
      create: () => {
        let next = 0;
        let topic = '';
        return {
          async start(config: Readonly<Record<string, string>>, context: SourceTaskContext) {
            topic = config.topic!;
            const committed = await context.offsetReader.offset(SOURCE);
            next = committed === null ? 0 : Number(committed.n) + 1;
          },
          async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
            await new Promise((resolve) => setTimeout(resolve, script.pollDelayMs ?? 20));
            if (script.freezeAt !== undefined && next >= script.freezeAt) {
              await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
              return null;
            }
            if (next >= script.total) return null;
            const records: SourceRecord[] = [];
            const end = Math.min(script.total, next + script.batch, script.freezeAt ?? Number.POSITIVE_INFINITY);
            for (; next < end; next++) records.push(sourceRecord({ sourcePartition: SOURCE, sourceOffset: { n: next }, topic, value: `r${next}` }));
            return records;
          },
          stop: () => undefined,
        };
      },
    },
  });
}

function stringConverters() {
  const key = new StringConverter();
  key.configure(stringConverterConfig.parse({}), true);
  const value = new StringConverter();
  value.configure(stringConverterConfig.parse({}), false);
  const header = new SimpleHeaderConverter();
  header.configure();
  return { key, value, header, names: { key: 'StringConverter', value: 'StringConverter', header: 'SimpleHeaderConverter' } };
}

/** A fresh offsets topic read by a fresh store, as a worker that (re)starts reads it. */
async function offsetStore(topic: string): Promise<KafkaOffsetStore> {
  const store = new KafkaOffsetStore({
    client,
    topic: internalTopicSpec('offset', { 'offset.storage.topic': topic, 'offset.storage.replication.factor': '1', 'offset.storage.partitions': '3' }),
    timeoutMs: 15_000,
  });
  await store.start();
  cleanups.push(() => store.stop());
  return store;
}

interface Run {
  readonly runner: TaskRunner;
  readonly statuses: string[];
  readonly store: KafkaOffsetStore;
}

async function run(options: { groupId: string; connector: string; outTopic: string; offsetsTopic: string; script: Script; keys?: Record<string, string> }): Promise<Run> {
  const store = await offsetStore(options.offsetsTopic);
  const services: WorkerServices = {
    kafka: client,
    offsets: store,
    converters: stringConverters,
    registry: new PluginRegistry([]),
    offsetFlushIntervalMs: 60_000,
    shutdownTimeoutMs: 4_000,
    maxPollRecords: 500,
    logger: noopLogger,
    scrub: (text) => text,
  };
  const config = { name: options.connector, 'connector.class': 'counter', ...options.keys };
  const statuses: string[] = [];
  const runner = await startTaskRunner({
    connector: options.connector,
    definition: counter(options.script),
    config,
    settings: sourceConnectorConfig.parse(config),
    services,
    logger: noopLogger,
    offsetReader: { offset: (partition) => store.get(options.connector, partition), offsets: () => Promise.reject(new Error('not used')) },
    id: 0,
    taskConfig: { topic: options.outTopic },
    paused: false,
    onStatus: (status) => statuses.push(status.trace ? `${status.state}: ${status.trace.split('\n')[0]}` : status.state),
    onTopics: () => undefined,
    exactlyOnce: { groupId: options.groupId, offsets: store },
  });
  cleanups.push(() => runner.stop());
  return { runner, statuses, store };
}

async function setup(prefix: string) {
  const outTopic = uniqueTopic(`${prefix}-out`);
  await createTopic(bootstrap, outTopic, 2);
  return { groupId: `eos-${randomUUID().slice(0, 8)}`, connector: uniqueTopic(prefix), outTopic, offsetsTopic: uniqueTopic(`${prefix}-offsets`) };
}

const values = (records: readonly { value: Buffer | null }[]) => records.map((r) => r.value?.toString() ?? 'null');
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${from + i}`);
const byNumber = (a: string, b: string) => Number(a.slice(1)) - Number(b.slice(1));

/** Reads exactly `count` committed records, and checks that no more follow. */
async function readCommitted(topic: string, count: number): Promise<string[]> {
  const read = values(await readTopic(bootstrap, topic, count, 20_000));
  await expect(readTopic(bootstrap, topic, count + 1, 2_000)).rejects.toThrow(`read ${count} of ${count + 1}`);
  return read.sort(byNumber);
}

describe('exactly-once source tasks', () => {
  it('commits records and their offsets together, one transaction per poll: a read_committed consumer sees each record once', async () => {
    const names = await setup('eos-poll');
    const { runner, statuses, store } = await run({ ...names, script: { total: 30, batch: 7 } });
    await expect.poll(() => store.get(names.connector, SOURCE), { timeout: 15_000 }).toEqual({ n: 29 });
    await runner.stop();
    expect(statuses).toEqual(['RUNNING', 'UNASSIGNED']);
    expect(await readCommitted(names.outTopic, 30)).toEqual(range(0, 30));
    // A worker starting afresh reads the offsets from the topic, past its transaction markers.
    expect(await (await offsetStore(names.offsetsTopic)).get(names.connector, SOURCE)).toEqual({ n: 29 });
  });

  it('a task that froze mid-transaction is fenced by its successor, which resumes from the committed offsets: every record once, none missing', async () => {
    const names = await setup('eos-crash');
    const keys = { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '300' };
    const zombie = await run({ ...names, keys, script: { total: 120, batch: 3, freezeAt: 70, pollDelayMs: 30 } });
    // Some transactions committed, and the frozen one holds records that are sent but not committed.
    await readTopic(bootstrap, names.outTopic, 70, 15_000, { isolation: 'read_uncommitted' });
    const committedBefore = Number((await zombie.store.get(names.connector, SOURCE))?.n ?? -1);
    expect(committedBefore).toBeGreaterThanOrEqual(0);
    expect(committedBefore).toBeLessThan(69);

    const successor = await run({ ...names, keys, script: { total: 120, batch: 3 } });
    await expect.poll(() => successor.store.get(names.connector, SOURCE), { timeout: 20_000 }).toEqual({ n: 119 });
    await successor.runner.stop();
    expect(await readCommitted(names.outTopic, 120)).toEqual(range(0, 120));
    // The zombie's uncommitted records were written, and aborted when its successor's producer fenced it.
    const everything = await readTopic(bootstrap, names.outTopic, 120 + 69 - committedBefore, 10_000, { isolation: 'read_uncommitted' });
    expect(values(everything).filter((v) => v === 'r69')).toHaveLength(2);

    // The zombie learns it was fenced at its final commit; nothing it does lands.
    await zombie.runner.stop();
    expect(zombie.statuses).toEqual(['RUNNING', 'UNASSIGNED']);
    expect(await readCommitted(names.outTopic, 120)).toHaveLength(120);
    await expect.poll(() => zombie.store.get(names.connector, SOURCE), { timeout: 10_000 }).toEqual({ n: 119 });
  });

  it('fencing the task generation makes the running task fail at its next commit; a new task resumes after what was committed', async () => {
    const names = await setup('eos-fence');
    const first = await run({ ...names, script: { total: 100_000, batch: 5, pollDelayMs: 30 } });
    await expect.poll(() => first.store.get(names.connector, SOURCE), { timeout: 15_000 }).toBeTruthy();
    const admin = await client.admin();
    cleanups.push(() => admin.close());
    await fenceTaskGeneration(admin, names.groupId, names.connector, 1);
    await expect.poll(() => first.statuses.at(-1), { timeout: 15_000 }).toMatch(/^FAILED: .*fenced by a newer producer with transactional id eos-\w+-eos-fence-\w+-0/);
    await first.runner.stop();
    const committed = Number((await first.store.get(names.connector, SOURCE))!.n);
    expect(await readCommitted(names.outTopic, committed + 1)).toEqual(range(0, committed + 1));

    const second = await run({ ...names, script: { total: committed + 11, batch: 5 } });
    await expect.poll(() => second.store.get(names.connector, SOURCE), { timeout: 15_000 }).toEqual({ n: committed + 10 });
    await second.runner.stop();
    expect(await readCommitted(names.outTopic, committed + 11)).toEqual(range(0, committed + 11));
  });
});
