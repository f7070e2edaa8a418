import { hasErrorCode, noopLogger } from '@sluice/core';
import type { SourceConnectorContext } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import plugin, { fileSink, fileSource } from './index.ts';

const pkg = (await import('../package.json', { with: { type: 'json' } })) as { default: { version: string } };

function connectorContext(raw: Record<string, string>): SourceConnectorContext {
  return {
    logger: noopLogger,
    configs: () => raw,
    requestTaskReconfiguration: () => undefined,
    raiseError: () => undefined,
    offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) },
  };
}

function configError(parse: () => unknown): { code: boolean; message: string; key: unknown } {
  try {
    parse();
  } catch (error) {
    return { code: hasErrorCode(error, 'CONFIG'), message: (error as Error).message, key: (error as { context?: { key?: unknown } }).context?.key };
  }
  throw new Error('expected a CONFIG error');
}

describe('the plugin', () => {
  it('is named after the package, with its version and both connectors', () => {
    expect(plugin).toMatchObject({ kind: 'plugin', name: '@sluice/connector-file', version: pkg.default.version });
    expect(plugin.connectors).toEqual([fileSource, fileSink]);
    expect([fileSource.type, fileSink.type]).toEqual(['source', 'sink']);
  });

  it('resolves Apache Kafka’s class names and short names to the connectors', () => {
    const byName = new Map(plugin.connectors.map((c) => [c.name, c]));
    const resolve = (name: string) => byName.get(plugin.aliases[name] ?? name);
    expect(resolve('FileStreamSource')).toBe(fileSource);
    expect(resolve('org.apache.kafka.connect.file.FileStreamSourceConnector')).toBe(fileSource);
    expect(resolve('file-source')).toBe(fileSource);
    expect(resolve('FileStreamSink')).toBe(fileSink);
    expect(resolve('org.apache.kafka.connect.file.FileStreamSinkConnector')).toBe(fileSink);
    expect(resolve('file-sink')).toBe(fileSink);
  });
});

describe('FileStreamSource config', () => {
  it('rejects a config without `topic`, naming the key', () => {
    const error = configError(() => fileSource.config.parse({ file: 'in.txt' }));
    expect(error).toEqual({ code: true, key: 'topic', message: 'config key `topic`: is required and has no default value' });
  });

  it('rejects batch.size=0, naming the key and the reason', () => {
    const error = configError(() => fileSource.config.parse({ topic: 't', 'batch.size': '0' }));
    expect(error).toEqual({ code: true, key: 'batch.size', message: 'config key `batch.size`: must be at least 1, got `0`' });
  });

  it('defaults batch.size to 2000 and file to stdin (null)', () => {
    expect(fileSource.config.parse({ topic: 't' })).toEqual({ file: null, topic: 't', 'batch.size': 2000 });
  });

  it('reports both problems in Kafka’s ConfigInfos for the validate endpoint', () => {
    const infos = fileSource.config.configInfos('org.apache.kafka.connect.file.FileStreamSourceConnector', { 'batch.size': '0' });
    expect(infos.error_count).toBe(2);
    expect(infos.configs.find((c) => c.value.name === 'batch.size')?.value.errors).toEqual(['config key `batch.size`: must be at least 1, got `0`']);
  });

  it('makes exactly one task config, the connector config, whatever tasks.max is', async () => {
    const raw = { name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '4', file: 'test.txt', topic: 'connect-test' };
    const connector = fileSource.create();
    await connector.start(fileSource.config.parse(raw), connectorContext(raw));
    expect(await connector.taskConfigs(4)).toEqual([raw]);
    await connector.stop();
  });

  it('supports exactly-once with a file but not with stdin, and validates altered offsets as Apache does', async () => {
    const withFile = fileSource.config.parse({ topic: 't', file: 'in.txt' });
    const stdin = fileSource.config.parse({ topic: 't' });
    expect(await fileSource.exactlyOnceSupport?.(withFile)).toBe('supported');
    expect(await fileSource.exactlyOnceSupport?.(stdin)).toBe('unsupported');
    const alter: NonNullable<typeof fileSource.alterOffsets> = (config, offsets) => fileSource.alterOffsets!(config, offsets);
    expect(await alter(withFile, [{ partition: { filename: 'in.txt' }, offset: { position: 10 } }, { partition: { other: 1 }, offset: null }])).toBe(true);
    await expect(async () => alter(withFile, [{ partition: { filename: 'in.txt' }, offset: { position: -1 } }])).rejects.toThrow('non-negative integer');
    await expect(async () => alter(withFile, [{ partition: { filename: 'in.txt' }, offset: { pos: 1 } }])).rejects.toThrow("contain the key 'position'");
    await expect(async () => alter(withFile, [{ partition: { file: 'x' }, offset: { position: 1 } }])).rejects.toThrow("contain the key 'filename'");
    await expect(async () => alter(stdin, [])).rejects.toThrow("'file' is unset");
  });
});

describe('FileStreamSink config', () => {
  it('defaults file to stdout (null) and makes tasks.max identical task configs', async () => {
    expect(fileSink.config.parse({ topics: 'a' })).toEqual({ file: null });
    const raw = { name: 'sink', 'connector.class': 'FileStreamSink', 'tasks.max': '3', file: 'out.txt', topics: 'a' };
    const connector = fileSink.create();
    await connector.start(fileSink.config.parse(raw), connectorContext(raw));
    expect(await connector.taskConfigs(3)).toEqual([raw, raw, raw]);
  });
});
