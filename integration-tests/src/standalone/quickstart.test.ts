import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { WORKER_ARGS, quickstartDir } from './fixtures.ts';
import { REST, allRunning, waitForLines, workersPerTest } from './worker-process.ts';

describe('Apache Kafka’s file quickstart on the standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const workers = workersPerTest(WORKER_ARGS);

  it('copies a file through Kafka with the quickstart’s property files, JsonConverter bytes and REST shapes as Kafka Connect’s', async () => {
    const topic = uniqueTopic('connect-test');
    // A converter credential in the connector file must not come back over REST.
    const dir = quickstartDir(bootstrap, { source: { topic }, sink: { topics: topic, 'value.converter.basic.auth.user.info': 'user:s3cret' } });
    const lines = ['foo', 'bar', 'héllo wörld ☃', ''];
    writeFileSync(join(dir, 'test.txt'), lines.map((l) => `${l}\n`).join(''));

    const worker = workers.start(dir);
    await worker.waitFor(`${REST}/connectors/local-file-source/status`, allRunning);
    expect(await waitForLines(join(dir, 'test.sink.txt'), lines.length)).toBe(readFileSync(join(dir, 'test.txt'), 'utf8'));

    const [record] = await readTopic(bootstrap, topic, 1);
    expect(record!.key).toBeNull();
    expect(record!.value!.toString()).toBe('{"schema":{"type":"string","optional":false},"payload":"foo"}');

    const root = (await (await fetch(`${REST}/`)).json()) as Record<string, unknown>;
    expect(Object.keys(root)).toEqual(['version', 'commit', 'kafka_cluster_id']);
    expect((await (await fetch(`${REST}/connectors`)).json()) as string[]).toEqual(expect.arrayContaining(['local-file-source', 'local-file-sink']));
    expect(await (await fetch(`${REST}/connectors/local-file-sink`)).json()).toEqual({
      name: 'local-file-sink',
      config: { name: 'local-file-sink', 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: 'test.sink.txt', topics: topic, 'value.converter.basic.auth.user.info': '[hidden]' },
      tasks: [{ connector: 'local-file-sink', task: 0 }],
      type: 'sink',
    });
    const status = (await (await fetch(`${REST}/connectors/local-file-source/status`)).json()) as { connector: { worker_id: string } };
    expect(status).toEqual({
      name: 'local-file-source',
      connector: { state: 'RUNNING', worker_id: status.connector.worker_id },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: status.connector.worker_id }],
      type: 'source',
    });
    expect(await (await fetch(`${REST}/connectors/local-file-source/tasks`)).json()).toEqual([
      { id: { connector: 'local-file-source', task: 0 }, config: expect.objectContaining({ file: 'test.txt', topic }) as unknown },
    ]);
    expect(await (await fetch(`${REST}/connector-plugins`)).json()).toEqual(
      expect.arrayContaining([
        { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: expect.any(String) as unknown },
        { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: expect.any(String) as unknown },
      ]),
    );
    const missing = await fetch(`${REST}/connectors/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });

    // SIGTERM stops the tasks and commits the source offset: the byte position after the last line.
    expect(await worker.stop('SIGTERM')).toBe(0);
    const offsets = JSON.parse(readFileSync(join(dir, 'connect.offsets'), 'utf8')) as unknown;
    expect(offsets).toEqual([{ key: ['local-file-source', { filename: 'test.txt' }], value: { position: Buffer.byteLength(readFileSync(join(dir, 'test.txt'))) } }]);
    expect(worker.output).toContain('plugin.path entry libs/connect-file-4.1.1.jar is not a folder of plugin packages; skipped (a Java jar');
  });
});
