import { quote } from '../describe.ts';
import { SluiceError, configError } from '../errors.ts';
import { normaliseKey, readKey, type ConfigKey } from './key.ts';
import { renderMarkdown } from './markdown.ts';
import { toConfigString } from './parse.ts';
import { Secret, isSecret } from './secret.ts';
import type {
  ConfigDefs,
  ConfigInfos,
  ConfigKeyInfo,
  ConfigOfDefs,
  ConfigValue,
  ConfigValueInfo,
  ParsedValues,
  RawConfig,
} from './types.ts';

/**
 * A config spec: one definition that gives the TypeScript type ({@link ConfigOf}), parsing and
 * validation, Kafka Connect's `ConfigInfos`/`ConfigKeyInfo` REST JSON and markdown docs.
 * Build one with {@link defineConfig}. Immutable; `merge` returns a new spec.
 *
 * Keys that the spec does not define are allowed (Kafka passes them through): `parse` ignores
 * them and {@link ConfigSpec.unknown} returns them.
 *
 * @since 0.1.0
 */
export class ConfigSpec<D extends ConfigDefs = ConfigDefs> {
  /** The definitions as written. */
  readonly definitions: D;
  readonly #keys: ReadonlyMap<string, ConfigKey>;

  constructor(definitions: D, keys?: ReadonlyMap<string, ConfigKey>) {
    this.definitions = Object.freeze({ ...definitions });
    this.#keys = keys ?? new Map(Object.entries(definitions).map(([name, def]) => [name, normaliseKey(name, def)]));
    Object.freeze(this);
  }

  /** The defined keys, in definition order. */
  keys(): string[] {
    return [...this.#keys.keys()];
  }

  /** The normalised definition of a key. */
  key(name: string): ConfigKey | undefined {
    return this.#keys.get(name);
  }

  /** The keys whose values are secrets (`password` type or `secret: true`). */
  secretKeys(): string[] {
    return [...this.#keys.values()].filter((k) => k.secret).map((k) => k.name);
  }

  /**
   * Parses and validates `raw`. Returns the typed config (frozen, defaults applied, secrets
   * wrapped in {@link Secret}), or throws one `CONFIG` error listing every problem; its
   * `context.errors` holds `{ key, message }` for each, `context.key` the first key.
   */
  parse(raw: RawConfig): ConfigOfDefs<D> {
    const out: Record<string, unknown> = {};
    const problems: { key: string; message: string }[] = [];
    for (const key of this.#keys.values()) {
      const result = readKey(key, raw);
      for (const message of result.errors) problems.push({ key: key.name, message });
      out[key.name] = result.value;
    }
    const first = problems[0];
    if (first !== undefined) {
      const message =
        problems.length === 1 ? first.message : `invalid config (${problems.length} errors): ${problems.map((p) => p.message).join('; ')}`;
      throw new SluiceError('CONFIG', message, { context: { key: first.key, errors: problems } });
    }
    return Object.freeze(out) as ConfigOfDefs<D>;
  }

  /**
   * Validates without throwing, as Kafka's `ConfigDef.validate`: one {@link ConfigValue} per
   * defined key. A secret's value is `[hidden]`; a value that does not parse is kept raw.
   */
  validate(raw: RawConfig): ConfigValue[] {
    const results = [...this.#keys.values()].map((key) => ({ key, result: readKey(key, raw) }));
    const parsed: ParsedValues = Object.fromEntries(
      results.filter(({ result }) => result.parsed).map(({ key, result }) => [key.name, result.value]),
    );
    return results.map(({ key, result }) => {
      const value = key.secret && result.value !== null && result.value !== undefined ? Secret.HIDDEN : result.value;
      return {
        name: key.name,
        value: isSecret(value) ? Secret.HIDDEN : value,
        recommendedValues: [...(safely(() => key.recommended?.(parsed)) ?? [])],
        errors: [...result.errors],
        visible: safely(() => key.visible?.(parsed)) ?? true,
      };
    });
  }

  /** The raw entries whose keys this spec does not define, as strings. */
  unknown(raw: RawConfig): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (this.#keys.has(name) || value === undefined || value === null) continue;
      out[name] = toConfigString(value) ?? '';
    }
    return out;
  }

  /** `raw` with every secret key's value replaced by `[hidden]`: safe to log. */
  redact(raw: RawConfig): Record<string, unknown> {
    const out: Record<string, unknown> = { ...raw };
    for (const key of this.secretKeys()) {
      if (out[key] !== undefined && out[key] !== null) out[key] = Secret.HIDDEN;
    }
    return out;
  }

  /** Kafka's `ConfigKeyInfo` list, as `GET /connector-plugins/{plugin}/config` returns it. */
  configKeyInfos(): ConfigKeyInfo[] {
    return [...this.#keys.values()].map(keyInfo);
  }

  /**
   * Kafka's `ConfigInfos`, as `PUT /connector-plugins/{plugin}/config/validate` returns it.
   *
   * @param name the connector (plugin) name reported as `name`
   * @param groups the `groups` list; defaults to the keys' groups in definition order
   */
  configInfos(name: string, raw: RawConfig, groups?: readonly string[]): ConfigInfos {
    const values = this.validate(raw);
    const configs = values.map((value, i) => {
      const key = [...this.#keys.values()][i] as ConfigKey;
      const info: ConfigValueInfo = {
        name: value.name,
        value: toConfigString(value.value),
        recommended_values: value.recommendedValues.map((v) => toConfigString(v) ?? ''),
        errors: [...value.errors],
        visible: value.visible,
      };
      return { definition: keyInfo(key), value: info };
    });
    return {
      name,
      error_count: values.reduce((n, v) => n + v.errors.length, 0),
      groups: groups === undefined ? this.groups() : [...groups],
      configs,
    };
  }

  /** The distinct groups of the keys, in definition order. */
  groups(): string[] {
    const groups: string[] = [];
    for (const key of this.#keys.values()) if (key.group !== null && !groups.includes(key.group)) groups.push(key.group);
    return groups;
  }

  /** A markdown section documenting every key, grouped. */
  markdown(title: string): string {
    return renderMarkdown(title, [...this.#keys.values()]);
  }

  /**
   * A spec with the keys of both; a key defined in both is a `CONFIG` error naming it.
   */
  merge<E extends ConfigDefs>(other: ConfigSpec<E>): ConfigSpec<D & E> {
    const keys = new Map(this.#keys);
    for (const name of other.keys()) {
      if (keys.has(name)) throw configError(name, 'is defined by both config specs being merged');
      const key = other.key(name);
      if (key !== undefined) keys.set(name, key);
    }
    return new ConfigSpec({ ...this.definitions, ...other.definitions }, keys);
  }
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function keyInfo(key: ConfigKey): ConfigKeyInfo {
  return {
    name: key.name,
    type: key.type.toUpperCase(),
    required: key.required,
    default_value: key.required ? null : toConfigString(key.defaultValue),
    importance: key.importance.toUpperCase(),
    documentation: key.doc,
    group: key.group,
    order: key.order,
    width: key.width.toUpperCase(),
    display_name: key.displayName,
    dependents: [...key.dependents],
  };
}

/**
 * Defines a config spec. Each key gives its type (lowercase Kafka `ConfigDef` type), default
 * (omit for a required key, `null` for "optional without value"), doc, importance, group,
 * order, width, display name, dependents, validators, recommended values and `secret`.
 * Defaults are parsed and validated here; a bad one is a `CONFIG` error naming the key.
 *
 * ```ts
 * const spec = defineConfig({
 *   'batch.size': { type: 'int', default: 2000, validate: atLeast(1), importance: 'low' },
 * });
 * type Cfg = ConfigOf<typeof spec>; // { readonly 'batch.size': number }
 * ```
 *
 * @since 0.1.0
 */
export function defineConfig<const D extends ConfigDefs>(definitions: D): ConfigSpec<D> {
  for (const [name, def] of Object.entries(definitions)) {
    if (typeof def !== 'object' || def === null) throw configError(name, `definition must be an object, got ${quote(def)}`);
  }
  return new ConfigSpec(definitions);
}

/**
 * The parsed config type of a spec.
 *
 * @since 0.1.0
 */
export type ConfigOf<S> = S extends ConfigSpec<infer D> ? ConfigOfDefs<D> : never;
