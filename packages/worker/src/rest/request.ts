import { notFoundError } from '@sluice/core';
import type { SluiceError } from '@sluice/core';
import { herderError } from '../herder/errors.ts';

/** A 400 for a request body or parameter the API cannot take, as Kafka's `BadRequestException`. */
export function badRequest(message: string): SluiceError {
  return herderError(400, message);
}

/** A JSON object's entries as Kafka's `Map<String, String>` reads them: numbers and booleans as their text. */
export function stringMap(body: unknown, what: string, allowNull: true): Record<string, string | null>;
export function stringMap(body: unknown, what: string, allowNull?: false): Record<string, string>;
export function stringMap(body: unknown, what: string, allowNull = false): Record<string, string | null> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`${what} must be a JSON object of string values`);
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null && allowNull) out[key] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else throw badRequest(`${what}: the value of \`${key}\` must be a string`);
  }
  return out;
}

/** A `{task}` path segment; one that is not a task number names no task (404, as JAX-RS answers). */
export function taskId(connector: string, text: string): number {
  if (!/^\d+$/.test(text)) throw notFoundError(`Task ${connector}-${text} not found`);
  return Number(text);
}

/** A boolean query parameter with its default; anything but `true`/`false` (any case) is a 400. */
export function booleanParam(value: string | string[] | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const text = Array.isArray(value) ? (value[value.length - 1] ?? '') : value;
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  throw badRequest(`query parameter ${name} must be true or false, got \`${text}\``);
}

/** A repeatable query parameter's values. */
export function listParam(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
