import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { waitForLines } from '../standalone/worker-process.ts';
import { inState, restWorkerPerFile } from './rest-worker.ts';

/** The `/connectors` resource of a standalone worker, call by call, against Kafka Connect's shapes and status codes. */
describe('REST /connectors on a standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const worker = restWorkerPerFile(bootstrap);

  function sourceConfig(name: string, topic: string, lines: string[]): Record<string, string> {
    const file = join(worker().dir, `${name}.txt`);
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    return { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic };
  }

  it('creates, lists, describes, reconfigures, patches and deletes a connector', async () => {
    const name = worker().name('life');
    const topic = uniqueTopic('rest-life');
    const config = sourceConfig(name, topic, ['a', 'b']);

    const created = await worker().call('POST', '/connectors', { name, config });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${worker().url}/connectors/${name}`);
    expect(created.body).toEqual({ name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type: 'source' });
    expect((await worker().call('POST', '/connectors', { name, config })).status).toBe(409);

    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    expect((await worker().call('GET', '/connectors')).body).toContain(name);
    const expanded = (await worker().call('GET', '/connectors?expand=status&expand=info')).body as Record<string, { status: unknown; info: unknown }>;
    expect(expanded[name]).toEqual({
      status: { name, connector: { state: 'RUNNING', worker_id: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown }, tasks: [{ id: 0, state: 'RUNNING', worker_id: expect.any(String) as unknown }], type: 'source' },
      info: { name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type: 'source' },
    });
    expect((await worker().call('GET', `/connectors/${name}`)).body).toEqual(created.body);
    expect((await worker().call('GET', `/connectors/${name}/config`)).body).toEqual({ ...config, name });
    expect((await worker().call('GET', `/connectors/${name}/tasks`)).body).toEqual([{ id: { connector: name, task: 0 }, config: { ...config, name } }]);
    expect((await worker().call('GET', `/connectors/${name}/tasks-config`)).body).toEqual({ [`${name}-0`]: { ...config, name } });
    expect((await worker().call('GET', `/connectors/${name}/tasks/0/status`)).body).toEqual({ id: 0, state: 'RUNNING', worker_id: expect.any(String) as unknown });
    expect((await worker().call('GET', `/connectors/${name}/tasks/7/status`)).status).toBe(404);

    // PUT: 200 for an existing connector, 400 when the body names another.
    const updated = await worker().call('PUT', `/connectors/${name}/config`, { ...config, 'tasks.max': '2' });
    expect(updated.status).toBe(200);
    expect((updated.body as { config: Record<string, string> }).config['tasks.max']).toBe('2');
    const mismatch = await worker().call('PUT', `/connectors/${name}/config`, { ...config, name: 'other' });
    expect(mismatch).toMatchObject({ status: 400, body: { error_code: 400, message: `Connector name configuration (other) doesn't match connector name in the URL (${name})` } });

    // PATCH: null removes a key, others are set.
    const patched = await worker().call('PATCH', `/connectors/${name}/config`, { 'tasks.max': null, 'batch.size': '100' });
    expect(patched.status).toBe(200);
    const patchedConfig = (patched.body as { config: Record<string, string> }).config;
    const { 'tasks.max': _removed, ...kept } = config;
    expect(patchedConfig).toEqual({ ...kept, name, 'batch.size': '100' });

    // PUT of a new name creates: 201 with Location.
    const other = worker().name('put');
    const put = await worker().call('PUT', `/connectors/${other}/config`, sourceConfig(other, topic, ['x']));
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe(`${worker().url}/connectors/${other}`);

    expect((await worker().call('DELETE', `/connectors/${name}`)).status).toBe(204);
    expect((await worker().call('DELETE', `/connectors/${other}`)).status).toBe(204);
    const gone = await worker().call('GET', `/connectors/${name}`);
    expect(gone).toMatchObject({ status: 404, body: { error_code: 404, message: `Connector ${name} not found` } });
    expect((await worker().call('GET', '/connectors')).body).not.toContain(name);
  });

  it('pauses (tasks PAUSED, nothing produced), resumes, stops (STOPPED, no tasks) and resumes a stopped connector', async () => {
    const name = worker().name('pause');
    const topic = uniqueTopic('rest-pause');
    const config = sourceConfig(name, topic, ['one']);
    expect((await worker().call('POST', '/connectors', { name, config })).status).toBe(201);
    await readTopic(bootstrap, topic, 1);

    expect((await worker().call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
    expect((await worker().call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
    await worker().waitFor(`/connectors/${name}/status`, inState('PAUSED'));
    // A poll already under way when the pause came ends within a second, as Kafka Connect lets it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    writeFileSync(config.file!, 'one\ntwo\n');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await expect(readTopic(bootstrap, topic, 2, 1500)).rejects.toThrow('read 1 of 2');

    expect((await worker().call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    expect((await readTopic(bootstrap, topic, 2)).map((r) => r.value?.toString())).toEqual(['one', 'two']);

    expect((await worker().call('PUT', `/connectors/${name}/stop`)).status).toBe(204);
    expect((await worker().call('GET', `/connectors/${name}/status`)).body).toEqual({ name, connector: { state: 'STOPPED', worker_id: expect.any(String) as unknown }, tasks: [], type: 'source' });
    expect((await worker().call('GET', `/connectors/${name}`)).body).toMatchObject({ tasks: [] });
    expect((await worker().call('PUT', `/connectors/${name}/resume`)).status).toBe(202);
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    expect((await worker().call('PUT', `/connectors/${name}/pause`)).status).toBe(202);
    expect((await worker().call('PUT', `/connectors/nobody-${name}/pause`)).status).toBe(404);
    await worker().call('DELETE', `/connectors/${name}`);
  });

  it('creates connectors in the initial_state asked (KIP-980), and refuses an unknown one', async () => {
    const topic = uniqueTopic('rest-initial');
    const paused = worker().name('paused');
    const stopped = worker().name('stopped');
    expect((await worker().call('POST', '/connectors', { name: paused, config: sourceConfig(paused, topic, ['p']), initial_state: 'PAUSED' })).status).toBe(201);
    expect((await worker().call('POST', '/connectors', { name: stopped, config: sourceConfig(stopped, topic, ['s']), initial_state: 'STOPPED' })).status).toBe(201);
    expect((await worker().call('GET', `/connectors/${paused}/status`)).body).toMatchObject({ connector: { state: 'PAUSED' }, tasks: [] });
    expect((await worker().call('GET', `/connectors/${stopped}/status`)).body).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
    const bad = await worker().call('POST', '/connectors', { name: worker().name('bad'), config: sourceConfig('bad', topic, []), initial_state: 'SLEEPING' });
    expect(bad.status).toBe(400);
    expect((await worker().call('PUT', `/connectors/${paused}/resume`)).status).toBe(202);
    await worker().waitFor(`/connectors/${paused}/status`, inState('RUNNING'));
    await worker().call('DELETE', `/connectors/${paused}`);
    await worker().call('DELETE', `/connectors/${stopped}`);
  });

  it('restarts the connector (204), connector and tasks (202 with RESTARTING), and one task (204)', async () => {
    const name = worker().name('restart');
    const topic = uniqueTopic('rest-restart');
    expect((await worker().call('POST', '/connectors', { name, config: sourceConfig(name, topic, ['r']) })).status).toBe(201);
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));

    expect((await worker().call('POST', `/connectors/${name}/restart`)).status).toBe(204);
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    const both = await worker().call('POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=false`);
    expect(both.status).toBe(202);
    expect(both.body).toEqual({ name, connector: { state: 'RESTARTING', worker_id: expect.any(String) as unknown }, tasks: [{ id: 0, state: 'RESTARTING', worker_id: expect.any(String) as unknown }], type: 'source' });
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    const onlyFailed = await worker().call('POST', `/connectors/${name}/restart?includeTasks=true&onlyFailed=true`);
    expect(onlyFailed.status).toBe(202);
    expect(onlyFailed.body).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });

    expect((await worker().call('POST', `/connectors/${name}/tasks/0/restart`)).status).toBe(204);
    await worker().waitFor(`/connectors/${name}/status`, inState('RUNNING'));
    expect((await worker().call('POST', `/connectors/${name}/tasks/3/restart`)).status).toBe(404);
    expect((await worker().call('POST', `/connectors/nobody-${name}/restart`)).status).toBe(404);
    await worker().call('DELETE', `/connectors/${name}`);
  });

  it('tracks the topics a source produced to and a sink consumed from, and resets them', async () => {
    const topic = uniqueTopic('rest-topics');
    const source = worker().name('topics-src');
    const sink = worker().name('topics-sink');
    const out = join(worker().dir, `${sink}.out`);
    expect((await worker().call('POST', '/connectors', { name: source, config: sourceConfig(source, topic, ['t1', 't2']) })).status).toBe(201);
    expect((await worker().call('POST', '/connectors', { name: sink, config: { 'connector.class': 'FileStreamSink', file: out, topics: topic } })).status).toBe(201);
    await waitForLines(out, 2);

    await worker().waitFor(`/connectors/${source}/topics`, (body) => JSON.stringify(body) === JSON.stringify({ [source]: { topics: [topic] } }));
    expect((await worker().call('GET', `/connectors/${sink}/topics`)).body).toEqual({ [sink]: { topics: [topic] } });
    expect((await worker().call('PUT', `/connectors/${source}/topics/reset`)).status).toBe(202);
    expect((await worker().call('GET', `/connectors/${source}/topics`)).body).toEqual({ [source]: { topics: [] } });
    expect((await worker().call('GET', `/connectors/nobody-${source}/topics`)).status).toBe(404);
    await worker().call('DELETE', `/connectors/${source}`);
    await worker().call('DELETE', `/connectors/${sink}`);
  });
});
