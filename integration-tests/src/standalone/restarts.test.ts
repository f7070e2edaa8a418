import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, produceRaw, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { quickstartDir } from './fixtures.ts';
import { FLAKY_PLUGIN } from './flaky-plugin.ts';
import { testPlugins } from './test-plugins.ts';
import { REST, allRunning, waitForLines, workersPerTest } from './worker-process.ts';

const plugins = testPlugins();

describe('automatic restarts', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(['standalone', 'connect-standalone.properties', 'flaky.properties']);

  it('restarts a task that fails twice, which then runs RUNNING with no record lost', async () => {
    const topic = uniqueTopic('flaky');
    await createTopic(bootstrap, topic, 1);
    const total = 5_000;
    await produceRaw(bootstrap, topic, Array.from({ length: total }, (_, i) => `record ${i}`));
    const dir = quickstartDir(bootstrap, { worker: { 'plugin.path': plugins.add('flaky', FLAKY_PLUGIN) } });
    const out = join(dir, 'offsets.txt');
    writeFileSync(
      join(dir, 'flaky.properties'),
      [
        'name=flaky',
        'connector.class=flaky-sink',
        `topics=${topic}`,
        `file=${out}`,
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
        'sluice.restart.on.failure=true',
        'sluice.restart.backoff.ms=200',
        '',
      ].join('\n'),
    );
    const worker = workers.start(dir);

    const written = (await waitForLines(out, total)).split('\n').slice(0, -1);
    expect(new Set(written).size).toBe(total);
    expect([...new Set(written)].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    await worker.waitFor(`${REST}/connectors/flaky/status`, allRunning);
    expect(worker.output).toContain('task flaky-0 failed; restart 1 of 5 in');
    expect(worker.output).toContain('task flaky-0 failed; restart 2 of 5 in');
  });

  it('leaves a failing task FAILED when restarts are off (the default), as Kafka Connect does', async () => {
    const topic = uniqueTopic('flaky');
    await createTopic(bootstrap, topic, 1);
    await produceRaw(bootstrap, topic, ['one']);
    const dir = quickstartDir(bootstrap, { worker: { 'plugin.path': plugins.add('flaky', FLAKY_PLUGIN) } });
    // A connector (and consumer group) of its own: the previous test's killed worker may still be a member of `connect-flaky`.
    writeFileSync(join(dir, 'flaky.properties'), [`name=${topic}`, 'connector.class=flaky-sink', `topics=${topic}`, `file=${join(dir, 'out.txt')}`, 'value.converter=org.apache.kafka.connect.storage.StringConverter', ''].join('\n'));
    const worker = workers.start(dir);
    const status = (await worker.waitFor(`${REST}/connectors/${topic}/status`, (body) => (body as { tasks?: { state: string }[] }).tasks?.[0]?.state === 'FAILED')) as { tasks: { trace: string }[] };
    expect(status.tasks[0]!.trace).toContain('flaky-sink failure 1');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(worker.output).not.toContain('restart 1');
  });

  it('shows a failed connector as RESTARTING with the failure in its trace, then restarts it', async () => {
    const topic = uniqueTopic('shaky');
    await createTopic(bootstrap, topic, 1);
    const dir = quickstartDir(bootstrap, { worker: { 'plugin.path': plugins.add('flaky', FLAKY_PLUGIN) } });
    writeFileSync(join(dir, 'flaky.properties'), [`name=${topic}`, 'connector.class=shaky-sink', `topics=${topic}`, 'sluice.restart.on.failure=true', 'sluice.restart.backoff.ms=3000', ''].join('\n'));
    const worker = workers.start(dir);
    const restarting = (await worker.waitFor(`${REST}/connectors/${topic}/status`, (body) => (body as { connector?: { state: string } }).connector?.state === 'RESTARTING')) as {
      connector: { trace: string };
    };
    expect(restarting.connector.trace).toMatch(/^restart 1 of 5 in \d+ ms after:\nError: shaky-sink could not reach its database/);
    await worker.waitFor(`${REST}/connectors/${topic}/status`, allRunning, 15_000);
  });
});
