/**
 * A source of config values that a worker or connector config refers to as
 * `${name:[path:]key}` (Kafka's `ConfigProvider`, KIP-297). The worker builds one per name
 * listed in `config.providers`, from `config.providers.<name>.class` and the
 * `config.providers.<name>.param.*` keys, and asks it once per path for all the keys used.
 */
export interface ConfigProvider {
  /**
   * The values of `keys` at `path` (`''` when the variable names no path). A key the provider
   * does not have is left out of the result. A path it cannot or may not read throws an `Error`
   * whose message is the reason, in words that never quote a value read; the caller adds the
   * config key and the variable.
   */
  get(path: string, keys: ReadonlySet<string>): Promise<ReadonlyMap<string, string>>;

  /** Why `key` at `path` has no value, in words a user can act on; the caller names the config key. */
  missing(path: string, key: string): string;
}

/** Reads the `param.*` keys of one provider (prefix removed) and builds it; throws a CONFIG error naming the worker key at fault. */
export type ConfigProviderFactory = (params: Readonly<Record<string, string>>, paramKey: (param: string) => string) => ConfigProvider;

