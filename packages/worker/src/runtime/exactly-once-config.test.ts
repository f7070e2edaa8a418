import { defineConfig, defineSourceConnector } from '@sluice/core';
import type { ConnectorTransactionBoundaries, ExactlyOnceSupport, SourceConnectorInit } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { sourceConnectorConfig } from './connector-config.ts';
import { exactlyOnceErrors, exactlyOnceSettings, exactlyOnceWorkerConfig, taskTransactionalId } from './exactly-once-config.ts';

const spec = defineConfig({ mode: { type: 'string', default: 'file', importance: 'high', doc: 'How it reads.' } });
type Hooks = Pick<SourceConnectorInit<typeof spec, undefined>, 'exactlyOnceSupport' | 'canDefineTransactionBoundaries'>;

function connector(hooks: Hooks) {
  return defineSourceConnector({
    name: 'eos-test',
    config: spec,
    create: () => ({ start: () => undefined, taskConfigs: () => [{}], stop: () => undefined }),
    task: { create: () => ({ start: () => undefined, poll: () => Promise.resolve(null), stop: () => undefined }) },
    ...hooks,
  });
}

const raw = (keys: Record<string, string>) => ({ name: 'c', 'connector.class': 'eos-test', ...keys });

describe('exactly-once connector keys', () => {
  it('names task producers as Kafka Connect does, and takes the interval from the worker unless set', () => {
    expect(taskTransactionalId('connect-cluster', 'orders', 2)).toBe('connect-cluster-orders-2');
    expect(exactlyOnceSettings(sourceConnectorConfig.parse(raw({})), 60_000)).toEqual({ boundary: 'poll', intervalMs: 60_000, offsetsTopic: null });
    const interval = sourceConnectorConfig.parse(raw({ 'transaction.boundary': 'INTERVAL', 'transaction.boundary.interval.ms': '250', 'offsets.storage.topic': 'orders-offsets' }));
    expect(exactlyOnceSettings(interval, 60_000)).toEqual({ boundary: 'interval', intervalMs: 250, offsetsTopic: 'orders-offsets' });
    expect(() => sourceConnectorConfig.parse(raw({ 'transaction.boundary': 'batch' }))).toThrow(/transaction\.boundary/);
    expect(exactlyOnceWorkerConfig.parse({})['exactly.once.source.support']).toBe('disabled');
    expect(() => exactlyOnceWorkerConfig.parse({ 'exactly.once.source.support': 'on' })).toThrow(/exactly\.once\.source\.support/);
  });

  it('refuses exactly.once.support=required unless the worker has it enabled and the connector says supported', async () => {
    const says = (support: ExactlyOnceSupport | undefined) => connector({ exactlyOnceSupport: () => support });
    const required = raw({ 'exactly.once.support': 'required' });
    expect(await exactlyOnceErrors(says('supported'), required, true)).toEqual(new Map());
    expect(await exactlyOnceErrors(says('supported'), raw({}), false)).toEqual(new Map());
    expect(await exactlyOnceErrors(says('supported'), required, false)).toEqual(new Map([['exactly.once.support', ['This worker does not have exactly-once source support enabled.']]]));
    expect((await exactlyOnceErrors(says('unsupported'), required, true)).get('exactly.once.support')).toEqual(['The connector does not support exactly-once semantics with the provided configuration.']);
    expect((await exactlyOnceErrors(says(undefined), required, true)).get('exactly.once.support')?.[0]).toMatch(/^The connector does not implement the API required for preflight validation/);
    expect((await exactlyOnceErrors(connector({}), required, true)).get('exactly.once.support')?.[0]).toMatch(/does not implement the API/);
    const throwing = connector({ exactlyOnceSupport: () => Promise.reject(new Error('cannot reach the database ')) });
    expect((await exactlyOnceErrors(throwing, required, true)).get('exactly.once.support')).toEqual(['An unexpected error occurred during validation: cannot reach the database']);
  });

  it('refuses transaction.boundary=connector unless the connector can define boundaries', async () => {
    const says = (answer: ConnectorTransactionBoundaries) => connector({ canDefineTransactionBoundaries: (config) => (config.mode === 'file' ? answer : 'unsupported') });
    const byConnector = raw({ 'transaction.boundary': 'connector' });
    expect(await exactlyOnceErrors(says('supported'), byConnector, true)).toEqual(new Map());
    expect(await exactlyOnceErrors(says('supported'), { ...byConnector, mode: 'stdin' }, true)).toEqual(
      new Map([['transaction.boundary', ['The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.']]]),
    );
    expect((await exactlyOnceErrors(connector({}), byConnector, true)).has('transaction.boundary')).toBe(true);
    // A value that fails its own validation is reported by the spec, not asked about.
    expect(await exactlyOnceErrors(connector({}), raw({ 'transaction.boundary': 'nope' }), true)).toEqual(new Map());
  });
});
