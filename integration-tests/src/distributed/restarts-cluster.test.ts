import { join } from 'node:path';
import { createTopic, produceRaw, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { FLAKY_PLUGIN } from '../standalone/flaky-plugin.ts';
import { testPlugins } from '../standalone/test-plugins.ts';
import { clustersPerTest, eventually, linesOf } from './cluster.ts';
import type { Cluster, ConnectorStatus, WorkState } from './cluster.ts';

const plugins = testPlugins();

/** Every state worker `on` shows for the connector and its task 0 until `stop`, in order, without repeats. */
function watchStates(cluster: Cluster, on: number, connector: string): { seen: WorkState[]; stop(): Promise<void> } {
  const seen: WorkState[] = [];
  let running = true;
  const record = (state: WorkState | undefined) => {
    const last = seen.at(-1);
    if (state && (last?.state !== state.state || last.trace !== state.trace)) seen.push(state);
  };
  const loop = (async () => {
    while (running) {
      const status = await cluster.status(on, connector).catch(() => undefined);
      record(status?.tasks[0]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
      // One more look, so what the caller waited for is in `seen` too.
      record((await cluster.status(on, connector))?.tasks[0]);
    },
  };
}

describe('automatic restarts (sluice.restart.*) on a distributed cluster', () => {
  const bootstrap = inject('kafkaBootstrap');
  const clusters = clustersPerTest(bootstrap);

  it('restarts a sink task that fails twice where it runs, which then runs RUNNING with no record lost', { timeout: 90_000 }, async () => {
    const cluster = await clusters.create(2, { 'plugin.path': plugins.add('flaky', FLAKY_PLUGIN) });
    await cluster.startAll();
    const topic = uniqueTopic('flaky');
    await createTopic(bootstrap, topic, 1);
    const total = 3_000;
    await produceRaw(bootstrap, topic, Array.from({ length: total }, (_, i) => `record ${i}`));
    const name = uniqueTopic('flaky-sink');
    const out = join(cluster.dir, 'offsets.txt');
    const watch = watchStates(cluster, 0, name);
    await cluster.createConnector(1, name, {
      'connector.class': 'flaky-sink',
      'tasks.max': '1',
      topics: topic,
      file: out,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'sluice.restart.on.failure': 'true',
      'sluice.restart.backoff.ms': '1000',
    });

    let written: string[] = [];
    await eventually(
      `${out} holds all ${total} offsets`,
      () => {
        written = linesOf(out);
        return new Set(written).size === total ? true : undefined;
      },
      () => `${new Set(written).size} offsets written\n${cluster.logs()}`,
      60_000,
    );
    const [status] = (await cluster.waitForRunning(0, [name])) as [ConnectorStatus];
    await watch.stop();

    // No record lost: every offset of the topic is in the file (a redelivered one may be there twice).
    expect([...new Set(written)].map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    // The worker running the task restarted it twice, showing RESTARTING with the failure while it waited.
    const owner = cluster.indexOf(status.tasks[0]!.worker_id);
    expect(cluster.output(owner)).toContain(`task ${name}-0 failed; restart 1 of 5 in`);
    expect(cluster.output(owner)).toContain(`task ${name}-0 failed; restart 2 of 5 in`);
    const restarting = watch.seen.filter((s) => s.state === 'RESTARTING');
    expect(restarting.length, JSON.stringify(watch.seen)).toBeGreaterThan(0);
    expect(restarting[0]!.trace).toMatch(/^restart [12] of 5 in \d+ ms after:\nError: flaky-sink failure [12]/);
    expect(restarting.every((s) => s.worker_id === status.tasks[0]!.worker_id)).toBe(true);
    expect(watch.seen.at(-1)!.state).toBe('RUNNING');
    expect(watch.seen.some((s) => s.state === 'FAILED')).toBe(false);
  });

  it('restarts a connector whose first start failed, showing it RESTARTING meanwhile', { timeout: 60_000 }, async () => {
    const cluster = await clusters.create(2, { 'plugin.path': plugins.add('flaky', FLAKY_PLUGIN) });
    await cluster.startAll();
    const topic = uniqueTopic('shaky');
    await createTopic(bootstrap, topic, 1);
    const name = uniqueTopic('shaky-sink');
    await cluster.createConnector(0, name, { 'connector.class': 'shaky-sink', topics: topic, 'sluice.restart.on.failure': 'true', 'sluice.restart.backoff.ms': '3000' });
    let last: unknown;
    const restarting = await eventually(
      `${name} RESTARTING`,
      async () => {
        last = await cluster.status(1, name);
        const connector = (last as ConnectorStatus | undefined)?.connector;
        return connector?.state === 'RESTARTING' ? connector : undefined;
      },
      () => `last status ${JSON.stringify(last)}\n${cluster.logs()}`,
      20_000,
    );
    expect(restarting.trace).toMatch(/^restart 1 of 5 in \d+ ms after:\nError: shaky-sink could not reach its database/);
    await cluster.waitForRunning(1, [name], 20_000);
  });
});
