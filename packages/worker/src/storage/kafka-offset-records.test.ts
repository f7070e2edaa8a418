import { describe, expect, it } from 'vitest';
import { javaHashMapOrder, javaStringHash, offsetKeyText, offsetValueText, parseOffsetKey, parseOffsetValue } from './kafka-offset-records.ts';

describe('offsets topic records', () => {
  it('hashes strings as Java does', () => {
    // Values of "…".hashCode() in Java.
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('filename')).toBe(-734768633);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHash('é€')).toBe(15587);
    // A character beyond the BMP counts as its two UTF-16 code units.
    expect(javaStringHash('😀x')).toBe(54959989);
  });

  it('orders keys as a java.util.HashMap iterates them', () => {
    // HashMap buckets by (h ^ h>>>16) & 15: "b" (98 → 2), "a" (97 → 1), "c" (99 → 3).
    expect(javaHashMapOrder(['b', 'c', 'a'])).toEqual(['a', 'b', 'c']);
    // "Aa" and "BB" share a hash: the chain keeps insertion order.
    expect(javaHashMapOrder(['BB', 'Aa'])).toEqual(['BB', 'Aa']);
    expect(javaHashMapOrder(['Aa', 'BB'])).toEqual(['Aa', 'BB']);
    // Printed by Java's `new HashMap<>()` after these puts; 14 keys resize the table to 32 buckets.
    expect(javaHashMapOrder(['table', 'protocol', 'query', '10'])).toEqual(['protocol', 'query', 'table', '10']);
    const fourteen = Array.from({ length: 14 }, (_, i) => `k${i}`);
    expect(javaHashMapOrder(fourteen)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k11', 'k6', 'k10', 'k7', 'k13', 'k8', 'k12', 'k9']);
  });

  it('writes the key and value bytes Kafka Connect writes', () => {
    expect(offsetKeyText('file-source', { filename: '/tmp/in.txt' })).toBe('["file-source",{"filename":"/tmp/in.txt"}]');
    expect(offsetKeyText('c', { table: 'orders', protocol: '1', query: null, '10': 1 })).toBe('["c",{"protocol":"1","query":null,"table":"orders","10":1}]');
    expect(offsetValueText({ position: 9223372036854775807n, file: 'x' })).toBe('{"position":9223372036854775807,"file":"x"}');
  });

  it('reads keys in any key order and keeps int64 values exact; refuses what is not an offset', () => {
    expect(parseOffsetKey('["c",{"b":2,"a":1}]')).toEqual({ connector: 'c', partition: { a: 1, b: 2 } });
    expect(parseOffsetKey('{"c":1}')).toBeNull();
    expect(parseOffsetKey('["c",[1]]')).toBeNull();
    expect(parseOffsetKey('not json')).toBeNull();
    expect(parseOffsetValue('{"position":9223372036854775807}')).toEqual({ position: 9223372036854775807n });
    expect(parseOffsetValue(null)).toBeNull();
    expect(parseOffsetValue('[1]')).toBeUndefined();
  });
});
