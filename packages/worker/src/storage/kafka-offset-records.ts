import type { OffsetMap } from '@sluice/core';
import { parseJson, stringifyJson } from './json.ts';

/**
 * The offsets topic's records as Kafka Connect writes them (OffsetStorageWriter through
 * JsonConverter, schemas disabled): the key `["<connector>",{partition}]`, the value the offset
 * object, a tombstone for a removed offset.
 *
 * Kafka Connect finds an offset by the exact bytes of its key: it serializes the partition map
 * it is asked for and looks those bytes up. The key order of those bytes is the iteration order
 * of the connector's Java map, and connectors mostly build a `HashMap`, so keys are written here
 * in HashMap order (bucket by String.hashCode, then insertion order) — the bytes a Java
 * connector's partition would get — unless the topic already holds the partition under other
 * bytes, which the store then reuses.
 */

/** Java's `String.hashCode`: over UTF-16 code units, wrapping at 32 bits. */
export function javaStringHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** The iteration order of a `java.util.HashMap` that had `keys` put into it, in this order, from empty. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string) => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  // Array.prototype.sort is stable: keys of one bucket keep their insertion order, as HashMap's chains do.
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** JSON of an object with its keys in the given order (JavaScript objects would put integer-like keys first). */
function objectJson(map: OffsetMap, keys: readonly string[]): string {
  return `{${keys.map((key) => `${JSON.stringify(key)}:${stringifyJson(map[key])}`).join(',')}}`;
}

/** The key Kafka Connect would write for this partition of a Java connector. */
export function offsetKeyText(connector: string, partition: OffsetMap): string {
  return `[${JSON.stringify(connector)},${objectJson(partition, javaHashMapOrder(Object.keys(partition)))}]`;
}

/** The value: the offset object in the order the connector gave it, as Kafka Connect does. */
export function offsetValueText(offset: OffsetMap): string {
  return objectJson(offset, Object.keys(offset));
}

/** A key read from the topic; `null` when it is not `["<connector>",{…}]`. */
export function parseOffsetKey(text: string): { connector: string; partition: OffsetMap } | null {
  let key: unknown;
  try {
    key = parseJson(text);
  } catch {
    return null;
  }
  if (!Array.isArray(key) || key.length !== 2 || typeof key[0] !== 'string') return null;
  const partition: unknown = key[1];
  if (typeof partition !== 'object' || partition === null || Array.isArray(partition)) return null;
  return { connector: key[0], partition: partition as OffsetMap };
}

/** A value read from the topic: the offset object, `null` for a tombstone, `undefined` when it is not an object. */
export function parseOffsetValue(text: string | null): OffsetMap | null | undefined {
  if (text === null) return null;
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    return undefined;
  }
  if (value === null) return null;
  return typeof value === 'object' && !Array.isArray(value) ? (value as OffsetMap) : undefined;
}
