import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineConfig } from './config/spec.ts';
import { atLeast } from './config/validators.ts';
import { defineSinkConnector, defineSourceConnector } from './connector.ts';
import { noopLogger, type SourceTaskContext } from './context.ts';
import { defineConverter, defineHeaderConverter } from './converter.ts';
import { definePlugin } from './plugin.ts';
import { sourceRecord, type SourceRecord } from './records.ts';
import { Schemas } from './schema-builder.ts';
import { assertErrorCode } from './testing.ts';
import { definePredicate, defineTransform } from './transform.ts';

const sourceSpec = defineConfig({
  topic: { type: 'string', importance: 'high' },
  'batch.size': { type: 'int', default: 10, validate: atLeast(1) },
});
const taskSpec = defineConfig({ topic: { type: 'string' }, index: { type: 'int' } });

const counterSource = defineSourceConnector({
  name: 'counter-source',
  config: sourceSpec,
  create: () => {
    let topic = '';
    return {
      start(config) {
        expectTypeOf(config.topic).toEqualTypeOf<string>();
        topic = config.topic;
      },
      taskConfigs: (maxTasks) => Array.from({ length: maxTasks }, (_, i) => ({ topic, index: String(i) })),
      stop() {},
    };
  },
  task: {
    config: taskSpec,
    create: () => {
      let n = 0;
      let topic = '';
      return {
        start(config) {
          expectTypeOf(config.index).toEqualTypeOf<number>();
          topic = config.topic;
        },
        poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
          if (signal.aborted) return Promise.resolve(null);
          n += 1;
          return Promise.resolve([
            sourceRecord({ topic, sourcePartition: { counter: 'c' }, sourceOffset: { n }, value: n, valueSchema: Schemas.INT32 }),
          ]);
        },
        stop() {},
      };
    },
  },
});

const passthrough = defineTransform({
  name: 'Passthrough',
  config: defineConfig({}),
  create: () => ({ configure() {}, apply: (r) => r }),
});

describe('define* and definePlugin', () => {
  it('returns frozen, typed values with a kind discriminant', async () => {
    expect(counterSource).toMatchObject({ kind: 'connector', type: 'source', name: 'counter-source' });
    expect(Object.isFrozen(counterSource)).toBe(true);
    const connector = counterSource.create();
    await connector.start(sourceSpec.parse({ topic: 'numbers' }), {
      logger: noopLogger,
      configs: () => ({}),
      requestTaskReconfiguration() {},
      raiseError() {},
      offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) },
    });
    const taskConfigs = await connector.taskConfigs(2);
    expect(taskConfigs).toEqual([
      { topic: 'numbers', index: '0' },
      { topic: 'numbers', index: '1' },
    ]);
    const task = counterSource.task.create();
    const ctx: SourceTaskContext = { logger: noopLogger, configs: () => taskConfigs[0] ?? {}, offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) } };
    await task.start(taskSpec.parse(taskConfigs[0] ?? {}), ctx);
    const batch = await task.poll(new AbortController().signal);
    expect(batch?.[0]).toMatchObject({ topic: 'numbers', value: 1, sourceOffset: { n: 1 } });
    const aborted = new AbortController();
    aborted.abort();
    expect(await task.poll(aborted.signal)).toBeNull();
  });

  it('builds a plugin value with aliases', () => {
    const plugin = definePlugin({
      name: '@sluice/connector-counter',
      version: '0.1.0',
      connectors: [counterSource],
      transforms: [passthrough],
      aliases: { CounterSource: 'counter-source' },
    });
    expect(plugin).toMatchObject({ kind: 'plugin', name: '@sluice/connector-counter', predicates: [], converters: [] });
    expect(Object.isFrozen(plugin.connectors)).toBe(true);
    expect(plugin.aliases).toEqual({ CounterSource: 'counter-source' });
  });

  it('rejects invalid connector definitions, naming what is missing', () => {
    const base = { name: 'x', config: sourceSpec, create: () => ({ start() {}, taskConfigs: () => [], stop() {} }), task: { create: () => ({}) as never } };
    const msg = (def: unknown) => assertErrorCode(() => defineSourceConnector(def as never), 'CONFIG').message;
    expect(msg({ ...base, name: '' })).toBe('defineSourceConnector: `name` is missing: give a non-empty string without whitespace');
    expect(msg({ ...base, create: undefined })).toBe('defineSourceConnector(`x`): `create` must be a function');
    expect(msg({ ...base, task: undefined })).toBe('defineSourceConnector(`x`): `task` is missing: give `{ create: () => task }`');
    expect(msg({ ...base, task: {} })).toBe('defineSourceConnector(`x`): `task.create` must be a function');
    expect(msg({ ...base, config: { topic: {} } })).toBe('defineSourceConnector(`x`): `config` must be a config spec made with defineConfig');
    expect(msg({ ...base, check: 'yes' })).toBe('defineSourceConnector(`x`): `check` must be a function when given');
    expect(assertErrorCode(() => defineSinkConnector({ ...base, name: 'y', create: 1 } as never), 'CONFIG').message).toBe(
      'defineSinkConnector(`y`): `create` must be a function',
    );
    expect(assertErrorCode(() => defineTransform({ name: 'T', create: () => ({}) } as never), 'CONFIG').message).toMatch(/`config` must be a config spec/);
    expect(assertErrorCode(() => definePredicate({ name: 'P', config: defineConfig({}) } as never), 'CONFIG').message).toMatch(/`create` must be a function/);
    expect(assertErrorCode(() => defineConverter({ config: defineConfig({}), create: () => ({}) } as never), 'CONFIG').message).toMatch(/^defineConverter: `name` is missing/);
  });

  it('rejects invalid plugins: wrong component kind, duplicates, dangling aliases', () => {
    const msg = (def: unknown) => assertErrorCode(() => definePlugin(def as never), 'CONFIG').message;
    expect(msg({ name: 'p' })).toBe('definePlugin(`p`): `version` is missing: give the package version');
    expect(msg({ name: 'p', version: '1', connectors: [passthrough] })).toMatch(/`connectors\[0\]` must be made with the matching define function/);
    expect(msg({ name: 'p', version: '1', connectors: [counterSource, counterSource] })).toMatch(/`connectors\[1\]` duplicates the name `counter-source`/);
    expect(msg({ name: 'p', version: '1', connectors: [counterSource], aliases: { Foo: 'bar' } })).toBe(
      'definePlugin(`p`): `aliases.Foo` points at `bar`, which this plugin does not define',
    );
    const json = defineConverter({ name: 'json', config: defineConfig({}), create: () => ({ configure() {}, fromConnectData: () => null, toConnectData: () => ({ value: null }) }) });
    const jsonHeaders = defineHeaderConverter({ name: 'json', config: defineConfig({}), create: () => ({ configure() {}, fromConnectHeader: () => null, toConnectHeader: () => ({ value: null }) }) });
    expect(definePlugin({ name: 'p', version: '1', converters: [json, jsonHeaders] }).converters).toHaveLength(2);
  });
});
