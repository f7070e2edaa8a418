// Internal: a config key definition normalised once, with its default parsed.
import { configError } from '../errors.ts';
import { parseValue, toConfigString } from './parse.ts';
import { Secret, isSecret } from './secret.ts';
import type { ConfigKeyDef, ConfigType, Importance, ParsedValues, Width } from './types.ts';
import type { Validator } from './validators.ts';

/**
 * A normalised config key, as a spec holds it.
 *
 * @since 0.1.0
 */
export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  readonly required: boolean;
  /** The parsed default (`null` for "no value"); `undefined` when the key is required. */
  readonly defaultValue: unknown;
  readonly doc: string;
  readonly importance: Importance;
  readonly group: string | null;
  readonly order: number;
  readonly width: Width;
  readonly displayName: string;
  readonly dependents: readonly string[];
  readonly validators: readonly Validator[];
  readonly secret: boolean;
  readonly recommended: ((parsed: ParsedValues) => readonly unknown[]) | undefined;
  readonly visible: ((parsed: ParsedValues) => boolean) | undefined;
}

/** The outcome of reading one key from a raw config. */
export interface KeyResult {
  readonly present: boolean;
  /** The parsed value, or the raw value when it did not parse. */
  readonly value: unknown;
  readonly parsed: boolean;
  readonly errors: string[];
}

const TYPES: ReadonlySet<string> = new Set(['boolean', 'string', 'int', 'short', 'long', 'double', 'list', 'class', 'password']);

function secretOf(value: unknown): unknown {
  if (value === null || isSecret(value)) return value;
  return new Secret(toConfigString(value) ?? '');
}

/** A secret's reason must not quote the value: drop the "got …" part and any copy of the text. */
function hideSecret(key: Pick<ConfigKey, 'secret'>, reason: string, raw: unknown): string {
  if (!key.secret) return reason;
  const text = isSecret(raw) ? raw.reveal() : typeof raw === 'string' ? raw : undefined;
  const withoutValue = reason.replace(/,? got .*$/s, '');
  return text === undefined || text === '' ? withoutValue : withoutValue.split(text).join(Secret.HIDDEN);
}

/** Checks a parsed, non-null value against the key's validators; returns the error messages. */
function runValidators(key: ConfigKey, parsed: unknown): string[] {
  const value = isSecret(parsed) ? parsed.reveal() : parsed;
  const errors: string[] = [];
  for (const validator of key.validators) {
    let reason: string | undefined;
    try {
      reason = validator.check(value);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    if (reason !== undefined) errors.push(configError(key.name, hideSecret(key, reason, value)).message);
  }
  return errors;
}

/** Normalises a definition; an invalid type or default is a `CONFIG` error naming the key. */
export function normaliseKey(name: string, def: ConfigKeyDef): ConfigKey {
  if (name === '') throw configError(name, 'a config key needs a non-empty name');
  if (!TYPES.has(def.type)) throw configError(name, `unknown config type \`${String(def.type)}\``);
  const validators = def.validate === undefined ? [] : Array.isArray(def.validate) ? [...(def.validate as Validator[])] : [def.validate as Validator];
  const recommended = def.recommended;
  const base = {
    name,
    type: def.type,
    required: !('default' in def) || def.default === undefined,
    defaultValue: undefined as unknown,
    doc: def.doc ?? '',
    importance: def.importance ?? 'medium',
    group: def.group ?? null,
    order: def.order ?? -1,
    width: def.width ?? 'none',
    displayName: def.displayName ?? name,
    dependents: Object.freeze([...(def.dependents ?? [])]),
    validators: Object.freeze(validators),
    secret: def.type === 'password' || def.secret === true,
    recommended: typeof recommended === 'function' ? recommended : recommended === undefined ? undefined : () => recommended,
    visible: def.visible,
  };
  if (!base.required && def.default !== null && def.default !== undefined) {
    const parsed = parseValue(def.type, def.default);
    if (!parsed.ok) throw configError(name, `invalid default: ${hideSecret(base, parsed.reason, def.default)}`);
    const errors = runValidators(base, parsed.value);
    if (errors.length > 0) throw configError(name, `invalid default: ${errors.join('; ')}`);
    base.defaultValue = base.secret ? secretOf(parsed.value) : parsed.value;
  } else if (!base.required) {
    base.defaultValue = null;
  }
  return Object.freeze(base);
}

/** Reads one key from a raw config: presence, parsing, default, validators. Never throws. */
export function readKey(key: ConfigKey, raw: Readonly<Record<string, unknown>>): KeyResult {
  const given = Object.hasOwn(raw, key.name) ? raw[key.name] : undefined;
  if (given === undefined || given === null) {
    if (key.required) {
      return { present: false, value: null, parsed: false, errors: [configError(key.name, 'is required and has no default value').message] };
    }
    return { present: false, value: key.defaultValue, parsed: true, errors: [] };
  }
  const unwrapped = isSecret(given) && key.type !== 'password' ? given.reveal() : given;
  const parsed = parseValue(key.type, unwrapped);
  if (!parsed.ok) {
    return { present: true, value: given, parsed: false, errors: [configError(key.name, hideSecret(key, parsed.reason, unwrapped)).message] };
  }
  const errors = runValidators(key, parsed.value);
  return { present: true, value: key.secret ? secretOf(parsed.value) : parsed.value, parsed: errors.length === 0, errors };
}
