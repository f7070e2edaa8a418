import { configError } from '@sluice/core';
import type { ConfigProvider } from './config-provider.ts';

/**
 * Kafka's variable syntax `${provider:[path:]key}` (its `ConfigTransformer.DEFAULT_PATTERN`):
 * the path is optional and ends at the first `:` after the provider name, so
 * `${file:/etc/a.properties:db.password}` has path `/etc/a.properties` and key `db.password`.
 */
const VARIABLE = /\$\{([^}]*?):(?:([^}]*?):)?([^}]*?)\}/g;

interface Variable {
  readonly configKey: string;
  readonly text: string;
  readonly provider: string;
  readonly path: string;
  readonly key: string;
}

function variablesOf(configKey: string, value: string): Variable[] {
  return [...value.matchAll(VARIABLE)].map((m) => ({ configKey, text: m[0], provider: m[1]!, path: m[2] ?? '', key: m[3]! }));
}

export interface TransformResult {
  /** The config with every variable of a configured provider replaced by its value. */
  readonly config: Record<string, string>;
  /** Every value a provider put into `config`: secrets, whatever key holds them. */
  readonly provided: readonly string[];
  /** The keys whose values held at least one resolved variable. */
  readonly resolvedKeys: ReadonlySet<string>;
}

/**
 * Replaces config variables by the values of the worker's config providers, as Kafka's
 * `ConfigTransformer`: each provider is asked once per path for all the keys used there, and a
 * variable naming a provider the worker does not have is left as it is written. Unlike Kafka,
 * which also leaves a variable alone when its provider lacks the key, a missing key, file or
 * variable is a CONFIG error naming the config key and the reason, so a connector never
 * starts with `${file:…}` as its password.
 */
export class ConfigTransformer {
  readonly #providers: ReadonlyMap<string, ConfigProvider>;

  constructor(providers: ReadonlyMap<string, ConfigProvider> = new Map()) {
    this.#providers = providers;
  }

  /** True when `value` is nothing but variables of this worker's providers: a reference, no literal text. */
  isReference(value: string): boolean {
    const variables = variablesOf('', value);
    return variables.length > 0 && variables.every((v) => this.#providers.has(v.provider)) && value.replace(VARIABLE, '') === '';
  }

  /**
   * `config` with its variables resolved.
   *
   * @param skip keys whose values are taken as written (the worker's own provider settings)
   */
  async transform(config: Readonly<Record<string, string>>, skip: (key: string) => boolean = () => false): Promise<TransformResult> {
    const variables = Object.entries(config)
      .filter(([key]) => !skip(key))
      .flatMap(([key, value]) => variablesOf(key, value))
      .filter((variable) => this.#providers.has(variable.provider));
    if (variables.length === 0) return { config: { ...config }, provided: [], resolvedKeys: new Set() };

    const lookups = new Map<string, Variable[]>();
    for (const variable of variables) {
      const id = JSON.stringify([variable.provider, variable.path]);
      lookups.set(id, [...(lookups.get(id) ?? []), variable]);
    }
    const values = new Map<string, ReadonlyMap<string, string>>();
    for (const [id, used] of lookups) {
      const { provider, path, configKey, text } = used[0]!;
      try {
        values.set(id, await this.#providers.get(provider)!.get(path, new Set(used.map((v) => v.key))));
      } catch (error) {
        throw configError(configKey, `\`${text}\`: ${error instanceof Error ? error.message : String(error)}`);
      }
    }

    const valueOf = (variable: Variable): string => {
      const value = values.get(JSON.stringify([variable.provider, variable.path]))?.get(variable.key);
      if (value === undefined) throw configError(variable.configKey, `\`${variable.text}\`: ${this.#providers.get(variable.provider)!.missing(variable.path, variable.key)}`);
      return value;
    };
    for (const variable of variables) valueOf(variable);

    const provided: string[] = [];
    const resolvedKeys = new Set<string>();
    const out: Record<string, string> = { ...config };
    for (const { configKey } of variables) {
      if (resolvedKeys.has(configKey)) continue;
      resolvedKeys.add(configKey);
      out[configKey] = config[configKey]!.replace(VARIABLE, (text: string, ...groups: unknown[]) => {
        const [provider, path, key] = groups as [string, string | undefined, string];
        if (!this.#providers.has(provider)) return text;
        const value = valueOf({ configKey, text, provider, path: path ?? '', key });
        provided.push(value);
        return value;
      });
    }
    return { config: out, provided, resolvedKeys };
  }
}
