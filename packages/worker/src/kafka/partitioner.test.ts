import { describe, expect, it } from 'vitest';
import { assignPartitions, murmur2, partitionForKey, recordOffsets } from './partitioner.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

// Computed with Apache Kafka 4.1.1's org.apache.kafka.common.utils.Utils (murmur2, toPositive).
const JAVA = [
  { key: '21', hash: -973932308, of3: 0, of7: 3 },
  { key: 'foobar', hash: -790332482, of3: 0, of7: 0 },
  { key: 'a-little-bit-long-string', hash: -985981536, of3: 2, of7: 1 },
  { key: 'a-little-bit-longer-string', hash: -1486304829, of3: 2, of7: 0 },
  { key: 'lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', hash: -58897971, of3: 2, of7: 3 },
  { key: 'user-1', hash: 1404122828, of3: 2, of7: 3 },
  { key: '', hash: 275646681, of3: 0, of7: 2 },
  { key: 'héllo', hash: 614509002, of3: 0, of7: 2 },
];

describe('partitioning like the Java producer', () => {
  it.each(JAVA)('key `$key` hashes and lands as in Java', ({ key, hash, of3, of7 }) => {
    expect(murmur2(utf8(key))).toBe(hash);
    expect(partitionForKey(utf8(key), 3)).toBe(of3);
    expect(partitionForKey(utf8(key), 7)).toBe(of7);
  });

  it('keeps an explicit partition, hashes keys, and sends unkeyed records of one send to one partition', () => {
    const records = [
      { topic: 't', key: null, value: null, partition: 5 },
      { topic: 't', key: utf8('foobar'), value: null },
      { topic: 't', key: null, value: null },
      { topic: 't', key: null, value: null },
    ];
    const partitions = assignPartitions(records, () => 7);
    expect(partitions.slice(0, 2)).toEqual([5, 0]);
    expect(partitions[2]).toBe(partitions[3]);
    expect(partitions[2]).toBeLessThan(7);
  });

  it('numbers records of a partition consecutively from the base offset the broker returned', () => {
    const offsets = recordOffsets([0, 1, 0, 0], ['a', 'a', 'a', 'b'], (topic, partition) => (topic === 'a' ? (partition === 0 ? 100n : 7n) : 0n));
    expect(offsets).toEqual([100n, 7n, 101n, 0n]);
    expect(recordOffsets([3, 3, 3], ['a', 'a', 'a'], () => 40n)).toEqual([40n, 41n, 42n]);
    expect(recordOffsets([], [], () => 40n)).toEqual([]);
  });
});
