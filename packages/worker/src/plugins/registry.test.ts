import { assertErrorCode, defineConfig, definePlugin, defineSinkConnector, defineSourceConnector } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from './registry.ts';

const config = defineConfig({});
const source = defineSourceConnector({
  name: 'file-source',
  config,
  create: () => ({ start() {}, taskConfigs: () => [{}], stop() {} }),
  task: { create: () => ({ start() {}, poll: () => Promise.resolve(null), stop() {} }) },
});
const sink = defineSinkConnector({
  name: 'file-sink',
  config,
  create: () => ({ start() {}, taskConfigs: () => [{}], stop() {} }),
  task: { create: () => ({ start() {}, put() {}, stop() {} }) },
});
const filePlugin = definePlugin({
  name: '@sluice/connector-file',
  version: '1.2.3',
  connectors: [source, sink],
  aliases: { 'org.apache.kafka.connect.file.FileStreamSourceConnector': 'file-source', 'org.apache.kafka.connect.file.FileStreamSinkConnector': 'file-sink' },
});

describe('PluginRegistry', () => {
  const registry = new PluginRegistry([filePlugin]);

  it('resolves a connector by its name, its Java class name, the simple class name and the name without `Connector`', () => {
    for (const name of ['file-source', 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSourceConnector', 'FileStreamSource']) {
      expect(registry.resolve('connector', name)).toBe(source);
    }
    expect(registry.resolve('connector', 'FileStreamSink')).toBe(sink);
  });

  it('names connector.class and lists the known connectors when asked for an unknown one', () => {
    const error = assertErrorCode(() => registry.resolve('connector', 'io.confluent.connect.jdbc.JdbcSourceConnector'), 'CONFIG');
    expect(error.message).toBe(
      'config key `connector.class`: `io.confluent.connect.jdbc.JdbcSourceConnector` is not a known connector; known: ' +
        'file-source (org.apache.kafka.connect.file.FileStreamSourceConnector, FileStreamSourceConnector, FileStreamSource); ' +
        'file-sink (org.apache.kafka.connect.file.FileStreamSinkConnector, FileStreamSinkConnector, FileStreamSink)',
    );
  });

  it('says that nothing is installed when the registry is empty', () => {
    expect(() => new PluginRegistry([]).resolve('converter', 'JsonConverter', 'value.converter')).toThrow(
      'config key `value.converter`: `JsonConverter` is not a known converter; known: none — no plugin providing a converter is installed',
    );
  });

  it('lists components with their plugin and version', () => {
    expect(registry.list('connector').map((c) => [c.name, c.plugin, c.version])).toEqual([
      ['file-source', '@sluice/connector-file', '1.2.3'],
      ['file-sink', '@sluice/connector-file', '1.2.3'],
    ]);
    expect(registry.list('transform')).toEqual([]);
  });

  it('does not count a short alias equal to the component’s own name as a second claim', () => {
    const json = defineSourceConnector({ ...source, name: 'JsonSource' });
    const plugin = definePlugin({ name: 'p', version: '1', connectors: [json], aliases: { 'org.example.JsonSource': 'JsonSource' } });
    expect(new PluginRegistry([plugin]).list('connector')[0]!.aliases).toEqual(['org.example.JsonSource']);
  });

  it('refuses two plugins claiming one name, naming both', () => {
    const copy = definePlugin({ name: 'other-files', version: '0.0.1', connectors: [source] });
    expect(() => new PluginRegistry([filePlugin, copy])).toThrow('connector name `file-source` is claimed by both @sluice/connector-file and other-files');
  });
});
