import { assertErrorCode, Headers, sinkRecord, sourceRecord } from '@sluice/core';
import type { PredicateDefinition } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { hasHeaderKey } from './has-header-key.ts';
import { predicateFamily } from './index.ts';
import { recordIsTombstone } from './record-is-tombstone.ts';
import { topicNameMatches } from './topic-name-matches.ts';

function predicate(definition: PredicateDefinition, raw: Record<string, string>) {
  const p = definition.create();
  p.configure(definition.config.parse(raw));
  return p;
}

const onTopic = (topic: string) => sourceRecord({ topic, value: 'v', sourcePartition: null, sourceOffset: null });
const withHeaders = (...keys: string[]) =>
  sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, value: 'v', headers: keys.reduce((h, k) => h.add(k, null), new Headers()) });

describe('predicate family', () => {
  it('lists the three predicates under their Java class names', () => {
    expect(predicateFamily.predicates.map((p) => p.name)).toEqual(['TopicNameMatches', 'HasHeaderKey', 'RecordIsTombstone']);
    expect(predicateFamily.aliases).toEqual({
      'org.apache.kafka.connect.transforms.predicates.TopicNameMatches': 'TopicNameMatches',
      'org.apache.kafka.connect.transforms.predicates.HasHeaderKey': 'HasHeaderKey',
      'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone': 'RecordIsTombstone',
    });
  });
});

describe('TopicNameMatches', () => {
  it('is true only when the pattern matches the whole topic', () => {
    const p = predicate(topicNameMatches, { pattern: 'my-prefix-.*' });
    expect(p.test(onTopic('my-prefix-'))).toBe(true);
    expect(p.test(onTopic('my-prefix-foo'))).toBe(true);
    expect(p.test(onTopic('x-my-prefix-'))).toBe(false);
    expect(p.test(onTopic('x-my-prefix-foo'))).toBe(false);
    expect(p.test(onTopic('your-prefix-foo'))).toBe(false);
  });

  it('requires a non-empty, valid pattern, naming `pattern`', () => {
    for (const raw of [{}, { pattern: '' }, { pattern: '[' }, { pattern: '*' }]) {
      expect(assertErrorCode(() => topicNameMatches.config.parse(raw), 'CONFIG').context['key']).toBe('pattern');
    }
    expect(topicNameMatches.config.validate({ pattern: '*' })[0]?.errors[0]).toMatch(/invalid regex/);
  });
});

describe('HasHeaderKey', () => {
  it('is true when any header has the name', () => {
    const p = predicate(hasHeaderKey, { name: 'foo' });
    expect(p.test(withHeaders('foo'))).toBe(true);
    expect(p.test(withHeaders('foo', 'bar'))).toBe(true);
    expect(p.test(withHeaders('bar', 'foo', 'bar', 'foo'))).toBe(true);
    expect(p.test(withHeaders('bar'))).toBe(false);
    expect(p.test(withHeaders('bar', 'bar'))).toBe(false);
    expect(p.test(withHeaders())).toBe(false);
  });

  it('requires a non-empty name, naming `name`', () => {
    expect(assertErrorCode(() => hasHeaderKey.config.parse({}), 'CONFIG').context['key']).toBe('name');
    expect(assertErrorCode(() => hasHeaderKey.config.parse({ name: '' }), 'CONFIG').context['key']).toBe('name');
  });
});

describe('RecordIsTombstone', () => {
  it('is true when the value is null, whatever the key', () => {
    const p = predicate(recordIsTombstone, {});
    expect(p.test(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: 'k', value: null }))).toBe(true);
    expect(p.test(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, key: null, value: '' }))).toBe(false);
    expect(p.test(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0n, value: 0 }))).toBe(false);
  });
});
