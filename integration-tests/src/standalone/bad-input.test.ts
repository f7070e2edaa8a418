import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, produceRaw, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { WORKER_ARGS, quickstartDir } from './fixtures.ts';
import { REST, workersPerTest } from './worker-process.ts';

describe('bad input to the standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(WORKER_ARGS);

  async function startupError(changes: Parameters<typeof quickstartDir>[1]): Promise<string> {
    const worker = workers.start(quickstartDir(bootstrap, changes));
    expect(await worker.exited).toBe(1);
    return worker.output;
  }

  it('stops start-up naming a missing connector key', async () => {
    expect(await startupError({ source: { topic: '' } })).toContain('config key `topic`');
  });

  it('stops start-up naming an invalid key and the reason', async () => {
    expect(await startupError({ sink: { 'tasks.max': 'many' } })).toMatch(/config key `tasks\.max`: .*many/);
  });

  it('lists the known connectors when connector.class is unknown', async () => {
    const output = await startupError({ source: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector' } });
    expect(output).toContain('config key `connector.class`: `io.confluent.connect.jdbc.JdbcSourceConnector` is not a known connector; known:');
    expect(output).toContain('FileStreamSource');
  });

  it('fails the sink task on a record the converter cannot read, naming topic, partition and offset', async () => {
    const topic = uniqueTopic('garbage');
    await createTopic(bootstrap, topic, 1);
    await produceRaw(bootstrap, topic, ['{"schema":{"type":"string","optional":false},"payload":"ok"}', 'not json at all']);
    const dir = quickstartDir(bootstrap, { sink: { topics: topic } });
    writeFileSync(join(dir, 'test.txt'), '');
    const worker = workers.start(dir);
    const status = (await worker.waitFor(`${REST}/connectors/local-file-sink/status`, (body) => (body as { tasks?: { state: string }[] }).tasks?.[0]?.state === 'FAILED')) as {
      tasks: { trace: string }[];
    };
    expect(status.tasks[0]!.trace).toContain(`topic ${topic}, partition 0, offset 1`);
  });
});
