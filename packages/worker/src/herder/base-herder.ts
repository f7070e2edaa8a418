import { configError, notFoundError } from '@sluice/core';
import type { ConfigInfos, ConfigKeyInfo } from '@sluice/core';
import type { ConfigSecrets } from '../config/config-secrets.ts';
import { LogLevels, parseLevel } from '../log-levels.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { findPlugin, pluginClass, pluginConfigKeys, pluginInfos } from './plugins.ts';
import type { HealthStatus, LoggerLevel, Message, PluginInfo } from './herder.ts';
import { connectorConfigInfos } from './validation.ts';

/** `work`'s result, or its throw, as a promise: the herder's answers are async, whatever computes them. */
export function answer<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

/** The answers of a connector offset change, as Kafka Connect words them. */
export function offsetsMessage(handled: boolean, modification: 'altered' | 'reset'): Message {
  return {
    message: handled
      ? `The offsets for this connector have been ${modification} successfully`
      : `The Connect framework-managed offsets for this connector have been ${modification} successfully. However, if this connector manages offsets externally, they will need to be manually ${modification} in the system that the connector uses.`,
  };
}

/**
 * What the standalone and the distributed herder answer alike: health, the installed plugins
 * and their configs, config validation, and this worker's logger levels.
 */
export abstract class BaseHerder {
  protected readonly registry: PluginRegistry;
  protected readonly secrets: ConfigSecrets;
  protected readonly logLevels: LogLevels;
  #ready = false;

  constructor(registry: PluginRegistry, secrets: ConfigSecrets, logLevels: LogLevels = new LogLevels()) {
    this.registry = registry;
    this.secrets = secrets;
    this.logLevels = logLevels;
  }

  /** Marks start-up done: `/health` answers healthy from now on. */
  ready(): void {
    this.#ready = true;
  }

  health(): Promise<HealthStatus> {
    return Promise.resolve(
      this.#ready
        ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
        : { status: 'starting', message: 'Worker is still starting up.' },
    );
  }

  plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return answer(() => pluginInfos(this.registry, connectorsOnly));
  }

  pluginConfig(plugin: string): Promise<ConfigKeyInfo[]> {
    return answer(() => pluginConfigKeys(this.registry, plugin));
  }

  /**
   * Validates a connector config for `plugin` (Kafka Connect's validate endpoint) with its
   * variables resolved; values that came from a provider show their `${…}` text.
   */
  async validateConnectorConfig(plugin: string, config: Readonly<Record<string, string>>): Promise<ConfigInfos> {
    const { kind, name } = findPlugin(this.registry, plugin);
    if (kind !== 'connector') throw configError('connector.class', `${plugin} is a ${kind}, not a connector`);
    const given = config['connector.class'];
    if (given !== undefined && given !== '' && this.registry.info('connector', given)?.name !== name) {
      throw configError('connector.class', `Included connector type ${given} does not match request type ${plugin}`);
    }
    const definition = this.registry.resolve('connector', name);
    const resolved = await this.secrets.resolve(config);
    this.secrets.remember(definition.config, resolved.config);
    const shown = Object.fromEntries([...resolved.resolvedKeys].map((key) => [key, config[key]!]));
    return connectorConfigInfos(this.registry, definition, pluginClass(this.registry.info('connector', name)!), resolved.config, shown);
  }

  loggerLevels(): Promise<Record<string, LoggerLevel>> {
    return answer(() => this.logLevels.all());
  }

  loggerLevel(logger: string): Promise<LoggerLevel | null> {
    return answer(() => this.logLevels.level(logger) ?? null);
  }

  setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    return answer(() => {
      const parsed = parseLevel(level);
      if (!parsed) throw notFoundError(`invalid log level '${level}'.`);
      return this.logLevels.set(namespace, parsed);
    });
  }
}
