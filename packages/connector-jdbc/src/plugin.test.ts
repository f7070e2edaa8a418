import { hasErrorCode, noopLogger } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import plugin, { jdbcSink, jdbcSource } from './index.ts';
import { checkSourceConfig } from './source-config.ts';
import { groupTables, selectTables } from './tables.ts';

const pkg = (await import('../package.json', { with: { type: 'json' } })) as { default: { version: string } };

function configError(run: () => unknown): { code: boolean; key: unknown; message: string } {
  try {
    run();
  } catch (error) {
    return { code: hasErrorCode(error, 'CONFIG'), key: (error as { context?: { key?: unknown } }).context?.key, message: (error as Error).message };
  }
  throw new Error('expected a CONFIG error');
}

const base = { 'connection.url': 'jdbc:postgresql://localhost/test', mode: 'bulk' };

describe('the plugin', () => {
  it('is named after the package and answers to Confluent’s class name', () => {
    expect(plugin).toMatchObject({ kind: 'plugin', name: '@sluice/connector-jdbc', version: pkg.default.version });
    expect(plugin.connectors).toEqual([jdbcSource, jdbcSink]);
    const byName = new Map(plugin.connectors.map((c) => [c.name, c]));
    for (const name of ['io.confluent.connect.jdbc.JdbcSourceConnector', 'JdbcSourceConnector', 'jdbc-source']) {
      expect(byName.get(plugin.aliases[name] ?? name)).toBe(jdbcSource);
    }
    for (const name of ['io.confluent.connect.jdbc.JdbcSinkConnector', 'JdbcSinkConnector', 'jdbc-sink']) {
      expect(byName.get(plugin.aliases[name] ?? name)).toBe(jdbcSink);
    }
  });
});

describe('the JDBC source config', () => {
  it('takes Confluent’s defaults', () => {
    expect(jdbcSource.config.parse(base)).toMatchObject({ 'poll.interval.ms': 5000, 'batch.max.rows': 1000, 'topic.prefix': '', 'table.whitelist': [], 'connection.user': null, 'connection.password': null });
  });

  it('rejects a missing or unknown mode and incrementing mode without its column, naming the key', () => {
    expect(configError(() => jdbcSource.config.parse({ 'connection.url': base['connection.url'] }))).toMatchObject({ code: true, key: 'mode' });
    expect(configError(() => jdbcSource.config.parse({ ...base, mode: 'sometimes' })).key).toBe('mode');
    expect(configError(() => checkSourceConfig(jdbcSource.config.parse({ ...base, mode: 'incrementing' })))).toEqual({
      code: true,
      key: 'incrementing.column.name',
      message: 'config key `incrementing.column.name`: is required in `incrementing` mode',
    });
    expect(configError(() => checkSourceConfig(jdbcSource.config.parse({ ...base, 'table.whitelist': 'a', 'table.blacklist': 'b' }))).key).toBe('table.blacklist');
    expect(configError(() => checkSourceConfig(jdbcSource.config.parse({ ...base, 'table.include.list': '(' }))).key).toBe('table.include.list');
  });

  it('keeps connection.password secret: masked in ConfigInfos and absent from errors', async () => {
    const infos = jdbcSource.config.configInfos('io.confluent.connect.jdbc.JdbcSourceConnector', { ...base, 'connection.password': 'hunter2' });
    expect(JSON.stringify(infos)).not.toContain('hunter2');
    const connector = jdbcSource.create();
    const raw = { ...base, 'connection.url': 'jdbc:postgresql://127.0.0.1:1/test', 'connection.user': 'nobody', 'connection.password': 'hunter2' };
    const context = { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined, offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) } };
    const error = await Promise.resolve(connector.start(jdbcSource.config.parse(raw), context)).then(() => null, (e: unknown) => e as Error);
    expect(hasErrorCode(error, 'CONNECTION')).toBe(true);
    expect(error?.message).toContain('cannot connect to postgresql at 127.0.0.1:1/test');
    expect(error?.message).not.toContain('hunter2');
  });
});

describe('table selection', () => {
  const tables = [{ schema: 'public', name: 'orders' }, { schema: 'public', name: 'users' }, { schema: 'audit', name: 'log' }];
  const select = (config: Record<string, string>) => selectTables(tables, jdbcSource.config.parse({ ...base, ...config })).map((t) => t.name);

  it('filters by whitelist, blacklist or whole-name regular expressions', () => {
    expect(select({})).toEqual(['orders', 'users', 'log']);
    expect(select({ 'table.whitelist': 'orders, audit.log' })).toEqual(['orders', 'log']);
    expect(select({ 'table.blacklist': 'users' })).toEqual(['orders', 'log']);
    expect(select({ 'table.include.list': 'public\\..*', 'table.exclude.list': '.*users' })).toEqual(['orders']);
    expect(select({ 'table.include.list': 'orders' })).toEqual([]);
  });

  it('fails when two tables would write to one topic', () => {
    const error = configError(() => selectTables([...tables, { schema: 'archive', name: 'orders' }], jdbcSource.config.parse({ ...base, 'topic.prefix': 'db-' })));
    expect(error.message).toContain('`public.orders` and `archive.orders` would both write to topic `db-orders`');
  });

  it('groups tables contiguously into min(tables, tasks.max) tasks', () => {
    expect(groupTables(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    expect(groupTables(['a'], 4)).toEqual([['a']]);
    expect(groupTables([], 4)).toEqual([]);
  });
});
