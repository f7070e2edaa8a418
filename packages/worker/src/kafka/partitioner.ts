import type { ProducerRecord } from './port.ts';

/**
 * Kafka's murmur2 (the Java client's `Utils.murmur2`), so a keyed record lands on the same
 * partition as it would from Apache Kafka Connect: consumers that rely on key → partition keep
 * working when a connector moves to Sluice.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i]! & 0xff) | ((data[i + 1]! & 0xff) << 8) | ((data[i + 2]! & 0xff) << 16) | ((data[i + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= (data[whole + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[whole + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[whole]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition Java's default partitioner picks for a key: `toPositive(murmur2(key)) % partitions`. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * Chooses a partition for every record of one send: the record's own, else by key, else one
 * partition per topic for the whole send (the sticky strategy Kafka's producer uses for
 * unkeyed records, which keeps batches large).
 */
export function assignPartitions(records: readonly ProducerRecord[], partitionCount: (topic: string) => number): number[] {
  const sticky = new Map<string, number>();
  return records.map((record) => {
    if (record.partition !== undefined) return record.partition;
    const partitions = partitionCount(record.topic);
    if (record.key !== null) return partitionForKey(record.key, partitions);
    let chosen = sticky.get(record.topic);
    if (chosen === undefined) {
      chosen = Math.floor(Math.random() * partitions);
      sticky.set(record.topic, chosen);
    }
    return chosen;
  });
}

/**
 * Per-record offsets from the base offset the broker returned for each partition: records of
 * one partition in one produce request get consecutive offsets in send order.
 */
export function recordOffsets(partitions: readonly number[], topics: readonly string[], baseOffset: (topic: string, partition: number) => bigint): bigint[] {
  if (partitions.length === 0) return [];
  // The common request, one topic-partition, without a key string per record.
  if (partitions.every((p, i) => p === partitions[0] && topics[i] === topics[0])) {
    const base = baseOffset(topics[0]!, partitions[0]!);
    return partitions.map((_, i) => base + BigInt(i));
  }
  const seen = new Map<string, bigint>();
  return partitions.map((partition, i) => {
    const key = `${topics[i]}:${partition}`;
    const index = seen.get(key) ?? 0n;
    seen.set(key, index + 1n);
    return baseOffset(topics[i]!, partition) + index;
  });
}
