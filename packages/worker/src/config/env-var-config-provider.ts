import { configError } from '@sluice/core';
import type { ConfigProvider, ConfigProviderFactory } from './config-provider.ts';

/**
 * Kafka's `EnvVarConfigProvider` (KIP-887): `${env:DB_PASSWORD}` is that variable of the
 * worker's environment; a path is an error. Parameter `allowlist.pattern`: a regular
 * expression a variable's whole name must match to be readable (default: every variable).
 *
 * @param env the environment, `process.env` unless a test gives its own
 */
export function envVarConfigProvider(env: NodeJS.ProcessEnv = process.env): ConfigProviderFactory {
  return (params, paramKey) => {
    const pattern = params['allowlist.pattern'];
    let allowlist: RegExp;
    try {
      allowlist = new RegExp(`^(?:${pattern ?? '.*'})$`);
    } catch (error) {
      throw configError(paramKey('allowlist.pattern'), `is not a valid regular expression: ${(error as Error).message}`);
    }
    return {
      get(path, keys) {
        if (path !== '') return Promise.reject(new Error(`the environment variable provider takes no path, got \`${path}\`: write \${env:NAME}`));
        const found = [...keys].flatMap((key) => {
          const value = env[key];
          return value !== undefined && allowlist.test(key) ? [[key, value] as const] : [];
        });
        return Promise.resolve(new Map(found));
      },
      missing: (_path, key) =>
        pattern !== undefined && !allowlist.test(key)
          ? `environment variable ${key} does not match allowlist.pattern \`${pattern}\``
          : `environment variable ${key} is not set`,
    } satisfies ConfigProvider;
  };
}
