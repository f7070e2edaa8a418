import { configError } from '@sluice/core';
import type { ConfigProvider, ConfigProviderFactory } from './config-provider.ts';
import { directoryConfigProvider } from './directory-config-provider.ts';
import { envVarConfigProvider } from './env-var-config-provider.ts';
import { fileConfigProvider } from './file-config-provider.ts';

const PACKAGE = 'org.apache.kafka.common.config.provider';

/** The built-in providers by Kafka's class name; the simple class name is accepted too. */
function builtinProviders(env: NodeJS.ProcessEnv): ReadonlyMap<string, ConfigProviderFactory> {
  const classes: [string, ConfigProviderFactory][] = [
    ['FileConfigProvider', fileConfigProvider],
    ['DirectoryConfigProvider', directoryConfigProvider],
    ['EnvVarConfigProvider', envVarConfigProvider(env)],
  ];
  return new Map(classes.flatMap(([name, factory]) => [[`${PACKAGE}.${name}`, factory] as const, [name, factory] as const]));
}

/** The worker key that lists the providers. */
export const CONFIG_PROVIDERS = 'config.providers';

/** True for the keys that configure providers; their own values are never resolved through providers. */
export function isProviderKey(key: string): boolean {
  return key === CONFIG_PROVIDERS || key.startsWith(`${CONFIG_PROVIDERS}.`);
}

/**
 * The providers a worker config sets up, by name, as Kafka's `AbstractConfig` builds them:
 * `config.providers=file,env`, `config.providers.file.class=FileConfigProvider` and
 * `config.providers.file.param.allowed.paths=/etc/secrets`. A listed name without a class, or a
 * class that is not a built-in provider, is a CONFIG error naming the key (Kafka silently
 * skips a name without a class; here it is surely a typo).
 *
 * @param env the environment the `EnvVarConfigProvider` reads, `process.env` by default
 */
export function configProviders(workerConfig: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): Map<string, ConfigProvider> {
  const names = (workerConfig[CONFIG_PROVIDERS] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const builtins = builtinProviders(env);
  const providers = new Map<string, ConfigProvider>();
  for (const name of names) {
    const classKey = `${CONFIG_PROVIDERS}.${name}.class`;
    const className = workerConfig[classKey]?.trim();
    if (!className) throw configError(classKey, `is missing: \`${CONFIG_PROVIDERS}\` lists provider \`${name}\``);
    const factory = builtins.get(className);
    if (!factory) {
      const known = [...builtins.keys()].filter((c) => c.includes('.')).join(', ');
      throw configError(classKey, `\`${className}\` is not a config provider Sluice knows (built in: ${known})`);
    }
    const prefix = `${CONFIG_PROVIDERS}.${name}.param.`;
    const params = Object.fromEntries(
      Object.entries(workerConfig)
        .filter(([key]) => key.startsWith(prefix) && key.length > prefix.length)
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
    providers.set(name, factory(params, (param) => `${prefix}${param}`));
  }
  return providers;
}
