import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, produceRaw, readTopic, uniqueTopic } from '@sluice/testkit';
import type { ReadRecord } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { WORKER_ARGS, quickstartDir } from './fixtures.ts';
import { testPlugins } from './test-plugins.ts';
import { REST, allRunning, waitForLines, workersPerTest } from './worker-process.ts';

const header = (record: ReadRecord, name: string): string | undefined => record.headers.find(([key]) => key === name)?.[1].toString('utf8');

interface Status {
  connector: { state: string };
  tasks: { state: string; trace?: string }[];
}

/** A sink that hands records holding `reject` to Kafka Connect's errant record reporter and appends the rest to a file. */
const PICKY_PLUGIN = `
import { appendFileSync } from 'node:fs';
import { defineConfig, definePlugin, defineSinkConnector } from '@sluice/core';

const config = defineConfig({ file: { type: 'string', importance: 'high', doc: 'where accepted values go' } });
const picky = defineSinkConnector({
  name: 'picky-sink',
  config,
  create: () => {
    let file;
    return { start(parsed) { file = parsed.file; }, taskConfigs: () => [{ file }], stop() {} };
  },
  task: {
    config,
    create: () => {
      let file;
      let reporter;
      return {
        start(parsed, context) {
          file = parsed.file;
          reporter = context.errantRecordReporter;
        },
        async put(records) {
          for (const record of records) {
            if (String(record.value).includes('reject')) await reporter.report(record, new Error('picky-sink refuses ' + record.value));
            else appendFileSync(file, record.value + '\\n');
          }
        },
        stop() {},
      };
    },
  },
});
export default definePlugin({ name: 'picky-plugin', version: '1.0.0', connectors: [picky] });
`;

/** The worker keeps no source offsets of its own: the quickstart's file sink is fed only by the test. */
const quietSource = (dir: string) => writeFileSync(join(dir, 'test.txt'), '');

describe('errors.* on the standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(WORKER_ARGS);
  const plugins = testPlugins();

  it('with errors.tolerance=all delivers every good record and puts every bad one in the dead letter queue with context headers, the task RUNNING', async () => {
    const topic = uniqueTopic('orders');
    const dlq = `${topic}-dlq`;
    await createTopic(bootstrap, topic, 1);
    const total = 100_000;
    const bad = (i: number) => i % 100 === 37;
    for (let start = 0; start < total; start += 10_000) {
      const values = Array.from({ length: 10_000 }, (_, j) => start + j).map((i) => (bad(i) ? `not json ${i}` : `{"n":${i}}`));
      await produceRaw(bootstrap, topic, values);
    }
    const dir = quickstartDir(bootstrap, {
      sink: {
        topics: topic,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    quietSource(dir);
    const worker = workers.start(dir);

    const lines = (await waitForLines(join(dir, 'test.sink.txt'), total * 0.99, 120_000)).split('\n').slice(0, -1);
    expect(lines).toHaveLength(99_000);
    expect(lines.slice(35, 38)).toEqual(['{n=35}', '{n=36}', '{n=38}']);

    const dead = await readTopic(bootstrap, dlq, 1_000, 60_000);
    expect(dead.map((r) => r.value?.toString('utf8'))).toEqual(Array.from({ length: 1_000 }, (_, k) => `not json ${k * 100 + 37}`));
    for (const [k, record] of dead.entries()) {
      expect(header(record, '__connect.errors.topic')).toBe(topic);
      expect(header(record, '__connect.errors.partition')).toBe('0');
      expect(header(record, '__connect.errors.offset')).toBe(String(k * 100 + 37));
      expect(header(record, '__connect.errors.stage')).toBe('VALUE_CONVERTER');
      expect(header(record, '__connect.errors.class.name')).toBe('org.apache.kafka.connect.json.JsonConverter');
      expect(header(record, '__connect.errors.exception.class.name')).toBe('SluiceError[DATA]');
      expect(header(record, '__connect.errors.exception.message')).toMatch(/\S/);
    }
    const status = (await worker.waitFor(`${REST}/connectors/local-file-sink/status`, allRunning)) as Status;
    expect(status.tasks[0]!.state).toBe('RUNNING');
  }, 180_000);

  it('with errors.tolerance=none fails the task, its trace naming the topic, partition and offset', async () => {
    const topic = uniqueTopic('orders');
    await createTopic(bootstrap, topic, 1);
    await produceRaw(bootstrap, topic, ['{"n":0}', '{"n":1}', 'not json', '{"n":3}']);
    // A connector (and consumer group) of its own, so no member of an earlier test's group delays the join.
    const dir = quickstartDir(bootstrap, { sink: { name: topic, topics: topic, 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false', 'errors.tolerance': 'none' } });
    quietSource(dir);
    const worker = workers.start(dir);
    const status = (await worker.waitFor(`${REST}/connectors/${topic}/status`, (body) => (body as Status).tasks?.[0]?.state === 'FAILED')) as Status;
    expect(status.tasks[0]!.trace).toContain(`Tolerance exceeded in error handler: stage VALUE_CONVERTER with org.apache.kafka.connect.json.JsonConverter failed on topic ${topic}, partition 0, offset 2`);
    expect(readFileSync(join(dir, 'test.sink.txt'), 'utf8')).not.toContain('{n=3}');
  });

  it('sends source records a transform rejects to the dead letter queue with their source offsets, delivers the rest, and advances the offsets', async () => {
    const topic = uniqueTopic('numbers');
    const dlq = `${topic}-dlq`;
    const dir = quickstartDir(bootstrap, {
      source: {
        topic,
        transforms: 'toInt',
        'transforms.toInt.type': 'org.apache.kafka.connect.transforms.Cast$Value',
        'transforms.toInt.spec': 'int32',
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      worker: { 'offset.flush.interval.ms': '500' },
    });
    const lines = Array.from({ length: 1_000 }, (_, i) => (i % 10 === 4 ? `x${i}` : String(i)));
    const input = join(dir, 'test.txt');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const worker = workers.start(dir);

    const delivered = await readTopic(bootstrap, topic, 900, 60_000);
    expect(delivered.map((r) => JSON.parse(r.value!.toString('utf8')) as unknown)).toEqual(
      lines.filter((l) => !l.startsWith('x')).map((l) => ({ schema: { type: 'int32', optional: false }, payload: Number(l) })),
    );
    const dead = await readTopic(bootstrap, dlq, 100, 30_000);
    expect(dead.map((r) => JSON.parse(r.value!.toString('utf8')) as unknown)).toEqual(lines.filter((l) => l.startsWith('x')).map((l) => ({ schema: { type: 'string', optional: false }, payload: l })));
    const first = dead[0]!;
    expect(JSON.parse(header(first, '__connect.errors.source.partition')!)).toEqual({ filename: 'test.txt' });
    expect(header(first, '__connect.errors.source.offset')).toBe(`{"position":${lines.slice(0, 5).join('\n').length + 1}}`);
    expect(header(first, '__connect.errors.stage')).toBe('TRANSFORMATION');
    expect(header(first, '__connect.errors.class.name')).toBe('org.apache.kafka.connect.transforms.Cast$Value');
    expect(worker.output).toContain('stage TRANSFORMATION with org.apache.kafka.connect.transforms.Cast$Value failed on the source record for topic');
    await worker.waitFor(`${REST}/connectors/local-file-source/status`, allRunning);

    expect(await worker.stop()).toBe(0);
    const offsets = JSON.parse(readFileSync(join(dir, 'connect.offsets'), 'utf8')) as { key: unknown; value: { position: number } }[];
    expect(offsets).toEqual([{ key: ['local-file-source', { filename: 'test.txt' }], value: { position: statSync(input).size } }]);
  });

  it('with errors.tolerance=all skips a source record the broker refuses, sends it to the dead letter queue, and delivers the rest', async () => {
    const topic = uniqueTopic('small');
    const dlq = `${topic}-dlq`;
    await createTopic(bootstrap, topic, 1, { 'max.message.bytes': '2000' });
    const dir = quickstartDir(bootstrap, {
      source: {
        topic,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    const big = 'b'.repeat(5_000);
    writeFileSync(join(dir, 'test.txt'), `a\n${big}\nc\n`);
    const worker = workers.start(dir);
    const delivered = await readTopic(bootstrap, topic, 2, 30_000);
    expect(delivered.map((r) => (JSON.parse(r.value!.toString('utf8')) as { payload: string }).payload)).toEqual(['a', 'c']);
    const [dead] = await readTopic(bootstrap, dlq, 1, 30_000);
    expect((JSON.parse(dead!.value!.toString('utf8')) as { payload: string }).payload).toBe(big);
    expect(header(dead!, '__connect.errors.stage')).toBe('KAFKA_PRODUCE');
    await worker.waitFor(`${REST}/connectors/local-file-source/status`, allRunning);
  });

  it('gives a sink task the errant record reporter, whose records go to the dead letter queue as consumed', async () => {
    const topic = uniqueTopic('picky');
    const dlq = `${topic}-dlq`;
    await createTopic(bootstrap, topic, 1);
    await produceRaw(bootstrap, topic, ['keep 0', 'reject 1', 'keep 2', 'reject 3']);
    const dir = quickstartDir(bootstrap, {
      worker: { 'plugin.path': plugins.add('picky', PICKY_PLUGIN) },
      sink: {
        name: topic,
        'connector.class': 'picky-sink',
        topics: topic,
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    });
    quietSource(dir);
    workers.start(dir);
    const dead = await readTopic(bootstrap, dlq, 2, 30_000);
    expect(dead.map((r) => r.value?.toString('utf8'))).toEqual(['reject 1', 'reject 3']);
    expect(dead.map((r) => [header(r, '__connect.errors.stage'), header(r, '__connect.errors.offset'), header(r, '__connect.errors.exception.message')])).toEqual([
      ['TASK_PUT', '1', 'picky-sink refuses reject 1'],
      ['TASK_PUT', '3', 'picky-sink refuses reject 3'],
    ]);
    expect(await waitForLines(join(dir, 'test.sink.txt'), 2)).toBe('keep 0\nkeep 2\n');
  });
});
