import { defineConfig, definePlugin, definePredicate, defineTransform, newRecord, sinkRecord } from '@sluice/core';
import type { SinkRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { PluginRegistry } from '../plugins/registry.ts';
import { TransformChain } from './transform-chain.ts';

const suffix = defineTransform({
  name: 'Suffix',
  config: defineConfig({ text: { type: 'string' }, times: { type: 'int', default: 1 } }),
  create: () => {
    let text = '';
    return {
      configure: (config) => {
        text = config.text.repeat(config.times);
      },
      apply: (record) => newRecord(record, { value: `${String(record.value)}${text}` }),
    };
  },
});
const drop = defineTransform({ name: 'Drop', config: defineConfig({}), create: () => ({ configure() {}, apply: () => null }) });
const topicIs = definePredicate({
  name: 'TopicIs',
  config: defineConfig({ topic: { type: 'string' } }),
  create: () => {
    let topic = '';
    return {
      configure: (config) => {
        topic = config.topic;
      },
      test: (record) => record.topic === topic,
    };
  },
});
const registry = new PluginRegistry([
  definePlugin({ name: 'test-transforms', version: '1.0.0', transforms: [suffix, drop], predicates: [topicIs], aliases: { 'com.example.Suffix': 'Suffix' } }),
]);

const record = (topic: string, value: string): SinkRecord => sinkRecord({ topic, kafkaPartition: 0, kafkaOffset: 0n, value });

function chain(config: Record<string, string>): TransformChain {
  const list = (key: string) => (config[key] ?? '').split(',').filter((s) => s !== '');
  return TransformChain.build(registry, config, list('transforms'), list('predicates'));
}

describe('TransformChain', () => {
  it('applies the transforms in the order listed, each with its own keys, by name or Java class name', () => {
    const c = chain({ transforms: 'a,b', 'transforms.a.type': 'Suffix', 'transforms.a.text': '-a', 'transforms.b.type': 'com.example.Suffix', 'transforms.b.text': '!', 'transforms.b.times': '2' });
    expect(c.apply(record('t', 'x'))?.value).toBe('x-a!!');
  });

  it('applies a transform only where its predicate matches, or does not with negate=true', () => {
    const c = chain({
      transforms: 'only,except',
      'transforms.only.type': 'Suffix',
      'transforms.only.text': '+orders',
      'transforms.only.predicate': 'isOrders',
      'transforms.except.type': 'Suffix',
      'transforms.except.text': '+other',
      'transforms.except.predicate': 'isOrders',
      'transforms.except.negate': 'true',
      predicates: 'isOrders',
      'predicates.isOrders.type': 'TopicIs',
      'predicates.isOrders.topic': 'orders',
    });
    expect(c.apply(record('orders', 'x'))?.value).toBe('x+orders');
    expect(c.apply(record('users', 'x'))?.value).toBe('x+other');
  });

  it('stops at a transform that drops the record and returns null', () => {
    const c = chain({ transforms: 'd,s', 'transforms.d.type': 'Drop', 'transforms.s.type': 'Suffix', 'transforms.s.text': '?' });
    expect(c.apply(record('t', 'x'))).toBeNull();
  });

  it('is empty without transforms and returns records unchanged', () => {
    const c = chain({});
    const r = record('t', 'x');
    expect(c.empty).toBe(true);
    expect(c.apply(r)).toBe(r);
  });

  it('names the transform that ran last, for error reports', () => {
    const c = chain({ transforms: 'a', 'transforms.a.type': 'com.example.Suffix', 'transforms.a.text': '-' });
    c.apply(record('t', 'x'));
    expect(c.currentType).toBe('com.example.Suffix');
  });

  describe('rejects bad configs naming the transform alias and key', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['a missing type', { transforms: 'a' }, 'config key `transforms.a.type`: is missing'],
      ['an unknown type', { transforms: 'a', 'transforms.a.type': 'Nope' }, 'config key `transforms.a.type`: `Nope` is not a known transformation'],
      ['a missing required key', { transforms: 'a', 'transforms.a.type': 'Suffix' }, 'config key `transforms.a.text`'],
      ['a wrong type', { transforms: 'a', 'transforms.a.type': 'Suffix', 'transforms.a.text': '-', 'transforms.a.times': 'many' }, 'config key `transforms.a.times`'],
      ['a bad negate', { transforms: 'a', 'transforms.a.type': 'Drop', 'transforms.a.negate': 'maybe' }, 'config key `transforms.a.negate`'],
      ['an unlisted predicate', { transforms: 'a', 'transforms.a.type': 'Drop', 'transforms.a.predicate': 'p' }, 'config key `transforms.a.predicate`: names `p`, which is not listed in `predicates`'],
      ['a predicate without type', { transforms: '', predicates: 'p' }, 'config key `predicates.p.type`: is missing'],
      ['a predicate missing its key', { predicates: 'p', 'predicates.p.type': 'TopicIs' }, 'config key `predicates.p.topic`'],
    ];
    it.each(cases)('%s', (_what, config, message) => {
      expect(() => chain(config)).toThrow(message);
    });
  });
});
