// Internal: parsing raw config values into typed values, and back to Kafka's string form.
import { quote } from '../describe.ts';
import { Secret, isSecret } from './secret.ts';
import type { ConfigType } from './types.ts';

const INTEGER = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const INT_RANGES = {
  int: [-2147483648, 2147483647],
  short: [-32768, 32767],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/** The result of parsing: a value, or the reason the raw value is invalid. */
export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

function bad(type: ConfigType, raw: unknown): Parsed {
  return { ok: false, reason: `expected ${type.toUpperCase()}, got ${quote(raw)}` };
}

function parseInteger(type: 'int' | 'short' | 'long', raw: unknown): Parsed {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'bigint') n = Number(raw);
  else if (typeof raw === 'string' && INTEGER.test(raw.trim())) n = Number(raw.trim());
  else return bad(type, raw);
  if (!Number.isInteger(n)) return bad(type, raw);
  const [min, max] = INT_RANGES[type];
  const exact = typeof raw === 'bigint' ? raw >= BigInt(min) && raw <= BigInt(max) : n >= min && n <= max;
  if (!exact) {
    const note = type === 'long' ? ' (Sluice keeps LONG values as safe JS integers)' : '';
    return { ok: false, reason: `${type.toUpperCase()} out of range [${min}, ${max}], got ${quote(raw)}${note}` };
  }
  return { ok: true, value: n };
}

/** Parses a non-null raw value as Kafka's `ConfigDef.parseType` does (see `ConfigType`). */
export function parseValue(type: ConfigType, raw: unknown): Parsed {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (type) {
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (text?.toLowerCase() === 'true') return { ok: true, value: true };
      if (text?.toLowerCase() === 'false') return { ok: true, value: false };
      return { ok: false, reason: `expected BOOLEAN (\`true\` or \`false\`), got ${quote(raw)}` };
    case 'string':
    case 'class':
      return text === undefined ? bad(type, raw) : { ok: true, value: text };
    case 'password':
      if (isSecret(raw)) return { ok: true, value: raw };
      return text === undefined ? { ok: false, reason: 'expected PASSWORD as a string' } : { ok: true, value: new Secret(text) };
    case 'int':
    case 'short':
    case 'long':
      return parseInteger(type, raw);
    case 'double':
      if (typeof raw === 'number') return { ok: true, value: raw };
      if (text !== undefined && DOUBLE.test(text)) return { ok: true, value: Number(text) };
      return bad(type, raw);
    case 'list':
      if (Array.isArray(raw)) {
        return raw.every((v) => typeof v === 'string') ? { ok: true, value: raw.map((v: string) => v.trim()) } : bad(type, raw);
      }
      if (text === undefined) return bad(type, raw);
      return { ok: true, value: text === '' ? [] : text.split(/\s*,\s*/) };
  }
}

/** Kafka's `ConfigDef.convertToString`: the REST form of a parsed value. */
export function toConfigString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (isSecret(value)) return Secret.HIDDEN;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value) ?? '';
}
