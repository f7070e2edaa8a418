import type { ConfigSpec } from '@sluice/core';
import { ConfigTransformer } from './config-transformer.ts';
import type { TransformResult } from './config-transformer.ts';
import { HIDDEN, SecretScrubber } from './secret-scrubber.ts';

/**
 * Names that hold credentials whatever spec they belong to: converter settings
 * (`value.converter.basic.auth.user.info`) and keys a task config passes through travel in
 * the same map but are not in the connector's spec.
 */
const SECRET_NAME = /password|secret|token|credential|user\.info|private\.key|api\.key/i;

function isSecretKey(spec: ConfigSpec | undefined, key: string): boolean {
  return SECRET_NAME.test(key) || spec?.key(key)?.secret === true;
}

/**
 * What a worker knows about the secrets in connector configs: it resolves config-provider
 * variables, remembers every value that is a secret (a provider's value, a secret key's value),
 * and shows configs and text without them. The herder gives tasks the resolved config and
 * everything else — REST, status traces, logs — what this lets through.
 */
export class ConfigSecrets {
  readonly scrubber: SecretScrubber;
  readonly #transformer: ConfigTransformer;

  constructor(transformer: ConfigTransformer = new ConfigTransformer(), scrubber: SecretScrubber = new SecretScrubber()) {
    this.#transformer = transformer;
    this.scrubber = scrubber;
  }

  /** `config` with its provider variables resolved; every value a provider gave becomes a known secret. */
  async resolve(config: Readonly<Record<string, string>>): Promise<TransformResult> {
    const result = await this.#transformer.transform(config);
    for (const value of result.provided) this.scrubber.add(value);
    return result;
  }

  /** Remembers as secrets the values of `spec`'s secret keys and of credential-named keys in `config`. */
  remember(spec: ConfigSpec | undefined, config: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(config)) if (isSecretKey(spec, key)) this.scrubber.add(value);
  }

  /**
   * A config as REST shows it. A secret key shows `[hidden]`, or its variable reference when
   * that is all it holds (`${file:/etc/db.properties:password}` gives nothing away, and is what
   * Kafka Connect shows); any other value that holds a known secret shows `[hidden]`.
   *
   * @param connector for a task config: the connector's raw config and resolution, so a key
   *   the connector got from a provider shows its raw `${…}` text, as Kafka's herder
   *   reverse-transforms task configs
   */
  shown(spec: ConfigSpec | undefined, config: Readonly<Record<string, string>>, connector?: { raw: Readonly<Record<string, string>>; resolved: TransformResult }): Record<string, string> {
    return Object.fromEntries(
      Object.entries(config).map(([key, value]) => {
        const raw = connector?.resolved.resolvedKeys.has(key) ? (connector.raw[key] ?? value) : value;
        if (isSecretKey(spec, key)) return [key, this.#transformer.isReference(raw) ? raw : HIDDEN];
        return [key, this.scrubber.exposes(raw) ? HIDDEN : raw];
      }),
    );
  }

  /** `text` with every known secret replaced by `[hidden]`. */
  scrub(text: string): string {
    return this.scrubber.scrub(text);
  }
}
