import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '@sluice/core';
import { checkInternalTopic, internalTopicSpec } from './internal-topics.ts';

const worker = {
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('internal topic specs', () => {
  it('uses Kafka Connect’s defaults: 1, 25 and 5 partitions, replication 3, compacted', () => {
    expect(internalTopicSpec('config', worker)).toMatchObject({ name: 'connect-configs', partitions: 1, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' } });
    expect(internalTopicSpec('offset', worker)).toMatchObject({ name: 'connect-offsets', partitions: 25, replicationFactor: 3 });
    expect(internalTopicSpec('status', worker)).toMatchObject({ name: 'connect-status', partitions: 5, replicationFactor: 3 });
  });

  it('takes partitions, replication factor (-1 = broker default) and extra topic settings, never another cleanup policy', () => {
    const spec = internalTopicSpec('offset', {
      ...worker,
      'offset.storage.partitions': '3',
      'offset.storage.replication.factor': '-1',
      'offset.storage.min.insync.replicas': '2',
      'offset.storage.cleanup.policy': 'delete',
    });
    expect(spec).toMatchObject({ partitions: 3, replicationFactor: -1, configs: { 'min.insync.replicas': '2', 'cleanup.policy': 'compact' } });
    // The config topic always has one partition, whatever is asked.
    expect(internalTopicSpec('config', { ...worker, 'config.storage.partitions': '4' }).partitions).toBe(1);
  });

  it('names the key of a missing topic or a bad number', () => {
    expect(thrown(() => internalTopicSpec('status', { ...worker, 'status.storage.topic': ' ' })).message).toMatch(/^config key `status\.storage\.topic`: is required/);
    const zero = thrown(() => internalTopicSpec('offset', { ...worker, 'offset.storage.replication.factor': '0' }));
    expect(zero.message).toBe("config key `offset.storage.replication.factor`: must be a positive whole number, or -1 to use the broker's default, got `0`");
    expect(hasErrorCode(zero, 'CONFIG')).toBe(true);
    expect(thrown(() => internalTopicSpec('status', { ...worker, 'status.storage.partitions': 'five' })).message).toMatch(/`status\.storage\.partitions`.*`five`/);
  });
});

describe('internal topic checks', () => {
  it('accepts a compacted topic, and one whose policy cannot be read', () => {
    expect(() => checkInternalTopic(internalTopicSpec('offset', worker), 25, 'compact')).not.toThrow();
    expect(() => checkInternalTopic(internalTopicSpec('offset', worker), 25, undefined)).not.toThrow();
  });

  it('refuses delete or compact,delete naming the key, and a config topic with several partitions', () => {
    const deleting = thrown(() => checkInternalTopic(internalTopicSpec('status', worker), 5, 'compact,delete'));
    expect(hasErrorCode(deleting, 'CONFIG')).toBe(true);
    expect(deleting.message).toMatch(/^config key `status\.storage\.topic`: topic 'connect-status' must have 'cleanup\.policy=compact'.*'cleanup\.policy=compact,delete'/);
    const partitioned = thrown(() => checkInternalTopic(internalTopicSpec('config', worker), 3, 'compact'));
    expect(partitioned.message).toMatch(/^config key `config\.storage\.topic`: topic 'connect-configs' must have a single partition.*3 partitions/);
  });
});
