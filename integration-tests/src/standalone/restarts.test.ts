import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopic, produceRaw, uniqueTopic } from '@sluice/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { quickstartDir } from './fixtures.ts';
import { REST, allRunning, waitForLines, workersPerTest } from './worker-process.ts';

// Inside the repository, so the plugin package resolves @sluice/core as an installed one would.
const pluginRoot = mkdtempSync(fileURLToPath(new URL('../../.plugins-', import.meta.url)));
afterAll(() => rmSync(pluginRoot, { recursive: true, force: true }));

/**
 * A sink whose `put` fails (not retriably) the first two times it gets records, in the whole
 * worker process — so only a restarted task gets further — and then appends each record's
 * offset to a file.
 */
const FLAKY_PLUGIN = `
import { appendFileSync } from 'node:fs';
import { defineConfig, definePlugin, defineSinkConnector } from '@sluice/core';

let failures = 0;
const config = defineConfig({ file: { type: 'string', importance: 'high', doc: 'where offsets go' } });
const flaky = defineSinkConnector({
  name: 'flaky-sink',
  config,
  create: () => {
    let file;
    return { start(parsed) { file = parsed.file; }, taskConfigs: (max) => Array.from({ length: max }, () => ({ file })), stop() {} };
  },
  task: {
    config,
    create: () => {
      let file;
      return {
        start(parsed) { file = parsed.file; },
        put(records) {
          if (records.length === 0) return;
          if (failures < 2) {
            failures += 1;
            throw new Error('flaky-sink failure ' + failures);
          }
          appendFileSync(file, records.map((r) => r.kafkaOffset + '\\n').join(''));
        },
        stop() {},
      };
    },
  },
});
export default definePlugin({ name: 'flaky-plugin', version: '1.0.0', connectors: [flaky] });
`;

function installPlugin(): string {
  const dir = join(pluginRoot, 'flaky');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'flaky', version: '1.0.0', type: 'module', exports: { '.': { default: './main.js' } } }));
  writeFileSync(join(dir, 'main.js'), FLAKY_PLUGIN);
  return pluginRoot;
}

describe('automatic restarts', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(['standalone', 'connect-standalone.properties', 'flaky.properties']);

  it('restarts a task that fails twice, which then runs RUNNING with no record lost', async () => {
    const topic = uniqueTopic('flaky');
    await createTopic(bootstrap, topic, 1);
    const total = 5_000;
    await produceRaw(bootstrap, topic, Array.from({ length: total }, (_, i) => `record ${i}`));
    const dir = quickstartDir(bootstrap, { worker: { 'plugin.path': installPlugin() } });
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
    const dir = quickstartDir(bootstrap, { worker: { 'plugin.path': installPlugin() } });
    writeFileSync(join(dir, 'flaky.properties'), ['name=flaky', 'connector.class=flaky-sink', `topics=${topic}`, `file=${join(dir, 'out.txt')}`, 'value.converter=org.apache.kafka.connect.storage.StringConverter', ''].join('\n'));
    const worker = workers.start(dir);
    const status = (await worker.waitFor(`${REST}/connectors/flaky/status`, (body) => (body as { tasks?: { state: string }[] }).tasks?.[0]?.state === 'FAILED')) as { tasks: { trace: string }[] };
    expect(status.tasks[0]!.trace).toContain('flaky-sink failure 1');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(worker.output).not.toContain('restart 1');
  });
});
