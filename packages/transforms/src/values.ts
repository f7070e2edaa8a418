import { dataError, isSluiceError, isStruct } from '@sluice/core';
import type { Struct } from '@sluice/core';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Map) return 'Map';
  if (Array.isArray(value)) return 'Array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The value as a Struct, or a DATA error like Kafka's `Requirements.requireStruct`: "Only Struct
 * objects supported for [field extraction], found: string".
 */
export function requireStruct(value: unknown, purpose: string): Struct {
  if (!isStruct(value)) throw dataError(`Only Struct objects supported for [${purpose}], found: ${typeName(value)}`);
  return value;
}

/**
 * A schemaless map value: Kafka Connect's `Map` (what the JsonConverter yields without
 * schemas), or a plain object a TypeScript connector built. Anything else is a DATA error like
 * Kafka's `Requirements.requireMap`.
 */
export function requireMap(value: unknown, purpose: string): Map<string, unknown> {
  if (value instanceof Map) return value as Map<string, unknown>;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !isStruct(value) && !(value instanceof Date)) {
    return new Map(Object.entries(value));
  }
  throw dataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${typeName(value)}`);
}

/** `map` in the same shape as `original`: a `Map` stays a `Map`, a plain object stays a plain object. */
export function likeOriginal(original: unknown, map: Map<string, unknown>): unknown {
  return original instanceof Map ? map : Object.fromEntries(map);
}

/**
 * Runs the work on one field, turning anything it throws into a DATA error that names the
 * field (message `<transform>: field \`name\`: …`, context `field`), with the original as cause.
 */
export function forField<T>(transform: string, field: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const inner = error instanceof Error ? error.message : String(error);
    const message = inner.startsWith(`${transform}: `) ? inner.slice(transform.length + 2) : inner;
    const context = isSluiceError(error) ? error.context : {};
    throw dataError(`${transform}: field \`${field}\`: ${message}`, { cause: error, context: { ...context, field } });
  }
}
