import files from '@sluice/connector-file';
import { defineConfig, definePlugin, defineSourceConnector } from '@sluice/core';
import transforms from '@sluice/transforms';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../plugins/registry.ts';
import { connectorConfigInfos } from './validation.ts';

const probe = defineSourceConnector({
  name: 'probe',
  config: defineConfig({ 'db.password': { type: 'password', importance: 'high', doc: 'secret' }, url: { type: 'string', importance: 'high', doc: 'where' } }),
  create: () => ({ start() {}, taskConfigs: () => [], stop() {} }),
  task: { create: () => ({ start() {}, poll: () => Promise.resolve(null), stop() {} }) },
});
const registry = new PluginRegistry([files, transforms, definePlugin({ name: 'probe', version: '1.0.0', connectors: [probe] })]);
const sink = registry.resolve('connector', 'FileStreamSink');
const CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

const entry = (infos: Awaited<ReturnType<typeof connectorConfigInfos>>, name: string) => infos.configs.find((c) => c.definition.name === name);

describe('connectorConfigInfos', () => {
  it('answers Kafka Connect’s ConfigInfos: common and sink keys, then the connector’s own', async () => {
    const infos = await connectorConfigInfos(registry, sink, CLASS, { 'connector.class': 'FileStreamSink', name: 'out', file: '/tmp/out.txt' });
    expect(infos.name).toBe(CLASS);
    expect(infos.groups.slice(0, 4)).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    expect(infos.error_count).toBe(1);
    expect(entry(infos, 'topics')?.definition).toMatchObject({ name: 'topics', type: 'LIST', required: false, default_value: '', importance: 'HIGH', group: 'Common', order: 4, width: 'LONG', display_name: 'Topics', dependents: [] });
    expect(entry(infos, 'topics')?.value).toEqual({ name: 'topics', value: '', recommended_values: [], errors: ['config key `topics`: must configure one of `topics` or `topics.regex`'], visible: true });
    expect(entry(infos, 'file')?.value.value).toBe('/tmp/out.txt');
  });

  it('checks each listed transform and predicate under its alias, errors naming the full key', async () => {
    const infos = await connectorConfigInfos(registry, sink, CLASS, {
      'connector.class': 'FileStreamSink',
      name: 'out',
      topics: 'orders',
      transforms: 'mask,route',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
      'transforms.route.type': 'RegexRouter',
      'transforms.route.regex': '(unclosed',
      'transforms.route.replacement': 'x',
      'transforms.route.predicate': 'nope',
      predicates: 'p',
      'predicates.p.type': 'NoSuchPredicate',
    });
    expect(infos.groups).toEqual(expect.arrayContaining(['Transforms: mask', 'Transforms: route', 'Predicates: p']));
    expect(entry(infos, 'transforms.mask.type')?.definition.group).toBe('Transforms: mask');
    expect(entry(infos, 'transforms.mask.fields')?.value.errors[0]).toContain('config key `transforms.mask.fields`');
    expect(entry(infos, 'transforms.route.regex')?.value.errors[0]).toContain('config key `transforms.route.regex`');
    expect(entry(infos, 'transforms.route.predicate')?.value.errors).toEqual(['config key `transforms.route.predicate`: names `nope`, which is not listed in `predicates`']);
    expect(entry(infos, 'predicates.p.type')?.value.errors[0]).toContain('`NoSuchPredicate` is not a known predicate');
    expect(infos.error_count).toBe(4);
  });

  it('shows password values as [hidden] and provider values as their reference', async () => {
    const definition = registry.resolve('connector', 'probe');
    const infos = await connectorConfigInfos(registry, definition, 'probe', { 'connector.class': 'probe', name: 'p', 'db.password': 'hunter2-secret', url: 'db://real' }, { url: '${env:DB_URL}' });
    expect(entry(infos, 'db.password')?.value.value).toBe('[hidden]');
    expect(entry(infos, 'url')?.value.value).toBe('${env:DB_URL}');
    expect(JSON.stringify(infos)).not.toContain('hunter2-secret');
  });
});
