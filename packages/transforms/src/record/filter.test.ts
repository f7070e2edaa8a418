import { sinkRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { filter } from './filter.ts';

describe('Filter', () => {
  it('drops every record, tombstones included', () => {
    const definition = filter.transforms[0]!;
    const transform = definition.create();
    transform.configure(definition.config.parse({}));
    expect(transform.apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 1n, value: 'v' }))).toBeNull();
    expect(transform.apply(sinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 2n, value: null }))).toBeNull();
  });

  it('answers to the Java class name and takes no config', () => {
    expect(filter.aliases).toEqual({ 'org.apache.kafka.connect.transforms.Filter': 'Filter' });
    expect(filter.transforms[0]?.config.keys()).toEqual([]);
  });
});
