import { join } from 'node:path';
import { uniqueTopic } from '@sluice/testkit';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { inState, startRestWorker } from './rest-worker.ts';
import type { RestWorker } from './rest-worker.ts';

interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: Record<string, unknown>; value: { name: string; value: string | null; errors: string[] } }[];
}

/** `/`, `/health`, `/connector-plugins` and `/admin/loggers` of a standalone worker. */
describe('REST plugins, validation, loggers and health on a standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: RestWorker | undefined;
  afterEach(async () => {
    await worker?.process.stop('SIGKILL');
    worker = undefined;
  });

  it('answers / and /health (KIP-1017), lists plugins of every type and a plugin’s keys, and validates configs with Kafka’s ConfigInfos', async () => {
    worker = await startRestWorker(bootstrap);
    expect((await worker.call('GET', '/')).body).toEqual({ version: expect.any(String) as unknown, commit: expect.any(String) as unknown, kafka_cluster_id: expect.any(String) as unknown });
    expect(await worker.call('GET', '/health')).toMatchObject({
      status: 200,
      body: { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' },
    });

    const connectors = (await worker.call('GET', '/connector-plugins')).body as { class: string; type: string; version: string }[];
    expect(connectors).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: expect.any(String) as unknown });
    expect(connectors).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: expect.any(String) as unknown });
    expect(new Set(connectors.map((p) => p.type))).toEqual(new Set(['source', 'sink']));
    const all = (await worker.call('GET', '/connector-plugins?connectorsOnly=false')).body as { class: string; type: string }[];
    expect(new Set(all.map((p) => p.type))).toEqual(new Set(['source', 'sink', 'converter', 'header_converter', 'transformation', 'predicate']));
    expect(all).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter' }));
    expect(all).toContainEqual(expect.objectContaining({ class: 'org.apache.kafka.connect.transforms.RegexRouter', type: 'transformation' }));

    const keys = (await worker.call('GET', '/connector-plugins/FileStreamSink/config')).body as { name: string }[];
    expect(keys.map((k) => k.name)).toContain('file');
    // Apache's FileStreamSinkConnector defines `file` the same way.
    expect(keys.find((k) => k.name === 'file')).toEqual({
      name: 'file',
      type: 'STRING',
      required: false,
      default_value: null,
      importance: 'HIGH',
      documentation: 'Destination filename. If not specified, the standard output will be used',
      group: null,
      order: -1,
      width: 'NONE',
      display_name: 'file',
      dependents: [],
    });
    expect((await worker.call('GET', '/connector-plugins/NoSuchThing/config')).status).toBe(404);

    // Kafka's documented example: a FileStreamSink without topics has one error, on `topics`.
    const invalid = await worker.call('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSink', name: 'v', file: '/tmp/x' });
    expect(invalid.status).toBe(200);
    const infos = invalid.body as ConfigInfos;
    expect(infos.name).toBe('org.apache.kafka.connect.file.FileStreamSinkConnector');
    expect(infos.error_count).toBe(1);
    expect(infos.groups.slice(0, 4)).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const topics = infos.configs.find((c) => c.definition.name === 'topics')!;
    expect(topics.definition).toMatchObject({ name: 'topics', type: 'LIST', required: false, default_value: '', importance: 'HIGH', group: 'Common', order: 4, width: 'LONG', display_name: 'Topics', dependents: [] });
    expect(topics.value).toMatchObject({ name: 'topics', value: '', recommended_values: [], visible: true });
    expect(topics.value.errors).toHaveLength(1);

    const withTransform = (await worker.call('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'FileStreamSink',
      name: 'v',
      topics: 'orders',
      transforms: 'mask',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
    })).body as ConfigInfos;
    expect(withTransform.groups).toContain('Transforms: mask');
    expect(withTransform.configs.find((c) => c.value.name === 'transforms.mask.fields')?.value.errors[0]).toContain('transforms.mask.fields');
    const mismatch = await worker.call('PUT', '/connector-plugins/FileStreamSink/config/validate', { 'connector.class': 'FileStreamSource', name: 'v' });
    expect(mismatch.status).toBe(400);
  });

  it('reads and sets logger levels per worker and cluster scope, with connectors’ own loggers', async () => {
    worker = await startRestWorker(bootstrap);
    const name = worker.name('logged');
    const topic = uniqueTopic('rest-logged');
    expect((await worker.call('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: join(worker.dir, 'none.txt'), topic } })).status).toBe(201);
    await worker.waitFor(`/connectors/${name}/status`, inState('RUNNING'));

    expect((await worker.call('GET', '/admin/loggers')).body).toEqual({ root: { level: 'INFO', last_modified: null } });
    expect((await worker.call('GET', `/admin/loggers/sluice.connector.${name}.task.0`)).body).toEqual({ level: 'INFO', last_modified: null });
    expect((await worker.call('GET', '/admin/loggers/no.such.logger')).status).toBe(404);

    const before = Date.now();
    const set = await worker.call('PUT', `/admin/loggers/sluice.connector.${name}`, { level: 'DEBUG' });
    expect(set).toMatchObject({ status: 200, body: [`sluice.connector.${name}`, `sluice.connector.${name}.task.0`] });
    const task = (await worker.call('GET', `/admin/loggers/sluice.connector.${name}.task.0`)).body as { level: string; last_modified: number };
    expect(task.level).toBe('DEBUG');
    expect(task.last_modified).toBeGreaterThanOrEqual(before);
    expect(Object.keys((await worker.call('GET', '/admin/loggers')).body as object)).toEqual(['root', `sluice.connector.${name}`, `sluice.connector.${name}.task.0`]);

    expect((await worker.call('PUT', '/admin/loggers/root?scope=cluster', { level: 'warn' })).status).toBe(204);
    expect((await worker.call('GET', '/admin/loggers/root')).body).toMatchObject({ level: 'WARN' });
    expect((await worker.call('PUT', '/admin/loggers/root', { level: 'LOUD' })).body).toEqual({ error_code: 404, message: "invalid log level 'LOUD'." });
    expect((await worker.call('PUT', '/admin/loggers/root', {})).body).toEqual({ error_code: 400, message: "Desired 'level' parameter was not specified in request." });
  });

  it('answers 403 for topics when topic.tracking.enable=false, and for a reset when topic.tracking.allow.reset=false', async () => {
    worker = await startRestWorker(bootstrap, { 'topic.tracking.enable': 'false' });
    const name = worker.name('untracked');
    expect((await worker.call('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: join(worker.dir, 'none.txt'), topic: uniqueTopic('rest-untracked') } })).status).toBe(201);
    expect((await worker.call('GET', `/connectors/${name}/topics`)).body).toEqual({ error_code: 403, message: 'Topic tracking is disabled.' });
    expect((await worker.call('PUT', `/connectors/${name}/topics/reset`)).status).toBe(403);
    await worker.process.stop('SIGKILL');

    worker = await startRestWorker(bootstrap, { 'topic.tracking.allow.reset': 'false' });
    expect((await worker.call('POST', '/connectors', { name, config: { 'connector.class': 'FileStreamSource', file: join(worker.dir, 'none.txt'), topic: uniqueTopic('rest-untracked') } })).status).toBe(201);
    expect((await worker.call('GET', `/connectors/${name}/topics`)).status).toBe(200);
    expect((await worker.call('PUT', `/connectors/${name}/topics/reset`)).body).toEqual({ error_code: 403, message: 'Topic tracking reset is disabled.' });
  });
});
