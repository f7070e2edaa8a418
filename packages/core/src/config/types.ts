import type { Secret } from './secret.ts';
import type { Validator } from './validators.ts';

/**
 * The types of Kafka's `ConfigDef`, lowercase (they are uppercase in the REST JSON).
 *
 * Parsing from strings follows Kafka: values are trimmed; `boolean` accepts `true`/`false` in
 * any case; `int` is a 32-bit and `short` a 16-bit integer; `long` is parsed to a `number` and
 * must be a safe integer (|n| ≤ 2^53−1; anything larger is a `CONFIG` error rather than a silent
 * loss); `double` takes decimal or exponent notation; `list` is split on commas with the
 * whitespace around them removed (an empty string is the empty list); `class` is kept as a
 * string (a plugin name or alias); `password` becomes a {@link Secret}.
 *
 * @since 0.1.0
 */
export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'class' | 'password';

/** @since 0.1.0 */
export type Importance = 'high' | 'medium' | 'low';

/** @since 0.1.0 */
export type Width = 'none' | 'short' | 'medium' | 'long';

/** The JS type of a parsed value of each config type. @since 0.1.0 */
export interface ConfigTypeValues {
  boolean: boolean;
  string: string;
  int: number;
  short: number;
  long: number;
  double: number;
  list: string[];
  class: string;
  password: Secret;
}

/** What a default may be written as: the parsed type or its string form. @since 0.1.0 */
export interface ConfigTypeDefaults {
  boolean: boolean | string;
  string: string;
  int: number | string;
  short: number | string;
  long: number | string;
  double: number | string;
  list: readonly string[] | string;
  class: string;
  password: string;
}

/** A parsed config as seen by recommenders and visibility functions. @since 0.1.0 */
export type ParsedValues = Readonly<Record<string, unknown>>;

interface KeyAttributes<T extends ConfigType> {
  readonly type: T;
  /** Omit for a required key; `null` for an optional key without a value. */
  readonly default?: ConfigTypeDefaults[T] | null;
  readonly doc?: string;
  /** Defaults to `'medium'`. */
  readonly importance?: Importance;
  readonly group?: string;
  /** Position inside the group (Kafka's `orderInGroup`); defaults to -1. */
  readonly order?: number;
  /** Defaults to `'none'`. */
  readonly width?: Width;
  /** Defaults to the key. */
  readonly displayName?: string;
  readonly dependents?: readonly string[];
  readonly validate?: Validator | readonly Validator[];
  /** Recommended values shown by the REST API (`recommended_values`). */
  readonly recommended?: readonly unknown[] | ((parsed: ParsedValues) => readonly unknown[]);
  /** Whether the key is shown (`visible` in the REST API); defaults to true. */
  readonly visible?: (parsed: ParsedValues) => boolean;
  /** Never logged, masked as `[hidden]`; the parsed value is a {@link Secret}. Implied by `password`. */
  readonly secret?: boolean;
}

/**
 * The definition of one config key.
 *
 * @since 0.1.0
 */
export type ConfigKeyDef = { [T in ConfigType]: KeyAttributes<T> }[ConfigType];

/** The definitions of a spec, by key. @since 0.1.0 */
export type ConfigDefs = Readonly<Record<string, ConfigKeyDef>>;

type BaseValue<D extends ConfigKeyDef> = D extends { readonly secret: true } ? Secret : ConfigTypeValues[D['type']];

/** The parsed type of one key: `null` is possible only when the default is `null`. @since 0.1.0 */
export type ValueOfKey<D extends ConfigKeyDef> = D extends { readonly default: null } ? BaseValue<D> | null : BaseValue<D>;

/** The parsed config of a set of definitions. @since 0.1.0 */
export type ConfigOfDefs<D extends ConfigDefs> = { readonly [K in keyof D]: ValueOfKey<D[K]> };

/**
 * One key's validation result, as Kafka's `ConfigValue`. A secret's `value` is the string
 * `[hidden]`.
 *
 * @since 0.1.0
 */
export interface ConfigValue {
  readonly name: string;
  value: unknown;
  recommendedValues: unknown[];
  errors: string[];
  visible: boolean;
}

/** Kafka's `ConfigKeyInfo` JSON (`GET /connector-plugins/{p}/config`). @since 0.1.0 */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order: number;
  width: string;
  display_name: string;
  dependents: string[];
}

/** Kafka's `ConfigValueInfo` JSON. @since 0.1.0 */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

/** Kafka's `ConfigInfos` JSON (`PUT /connector-plugins/{p}/config/validate`). @since 0.1.0 */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: { definition: ConfigKeyInfo; value: ConfigValueInfo }[];
}

/** A raw config as it arrives from a `.properties` file, REST JSON or code. @since 0.1.0 */
export type RawConfig = Readonly<Record<string, string | number | boolean | bigint | readonly string[] | null | undefined>>;
