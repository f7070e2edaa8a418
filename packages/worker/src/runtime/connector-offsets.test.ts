import { assertErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { parseSinkOffsets, parseSourceOffsets } from './connector-offsets.ts';

describe('parseSinkOffsets', () => {
  it('reads Kafka Connect’s sink offsets, numbers given as JSON numbers or strings, null resetting', () => {
    expect(
      parseSinkOffsets([
        { partition: { kafka_topic: 'orders', kafka_partition: 2 }, offset: { kafka_offset: 1000 } },
        { partition: { kafka_topic: 'orders', kafka_partition: '3' }, offset: { kafka_offset: '7' } },
        { partition: { kafka_topic: 'orders', kafka_partition: 4 }, offset: null },
      ]),
    ).toEqual([
      { topic: 'orders', partition: 2, offset: 1000n },
      { topic: 'orders', partition: 3, offset: 7n },
      { topic: 'orders', partition: 4, offset: null },
    ]);
  });

  it('refuses what Kafka Connect refuses, with its words', () => {
    const refused = (partition: Record<string, unknown>, offset: Record<string, unknown> | null) => assertErrorCode(() => parseSinkOffsets([{ partition, offset }]), 'DATA').message;
    expect(refused({ kafka_topic: 'orders' }, null)).toBe("The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'");
    expect(refused({ kafka_topic: 'orders', kafka_partition: 'x' }, null)).toContain("Failed to parse the following Kafka partition value in the provided offsets: 'x'");
    expect(refused({ kafka_topic: 'orders', kafka_partition: 0 }, { offset: 1 })).toBe("The offset for a sink connector should either be null or contain the key 'kafka_offset'");
    expect(refused({ kafka_topic: 'orders', kafka_partition: 0 }, { kafka_offset: 1.5 })).toContain('Offset values for sink connectors need to be integers');
    expect(refused({ kafka_topic: 'orders', kafka_partition: 0 }, { kafka_offset: -1 })).toContain('Kafka offsets must be zero or greater');
  });
});

describe('parseSourceOffsets', () => {
  it('takes the connector’s own maps and null offsets', () => {
    expect(parseSourceOffsets([{ partition: { filename: '/tmp/a' }, offset: { position: 10 } }, { partition: { filename: '/tmp/b' }, offset: null }])).toEqual([
      { partition: { filename: '/tmp/a' }, offset: { position: 10 } },
      { partition: { filename: '/tmp/b' }, offset: null },
    ]);
  });

  it('refuses nested values, naming the key', () => {
    const error = assertErrorCode(() => parseSourceOffsets([{ partition: { filename: '/tmp/a' }, offset: { position: { deep: 1 } } }]), 'DATA');
    expect(error.message).toContain('source offset key `position`');
  });
});
