import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { definePlugin } from '@sluice/core';
import type { ConfigSpec, Logger } from '@sluice/core';
import { ConfigSecrets } from './config/config-secrets.ts';
import { configProviders, isProviderKey } from './config/config-providers.ts';
import { ConfigTransformer } from './config/config-transformer.ts';
import type { SecretScrubber } from './config/secret-scrubber.ts';
import { builtinConverterAliases, builtinConverters } from './converters/index.ts';
import type { Herder } from './herder/herder.ts';
import type { KafkaClient } from './kafka/port.ts';
import { kafkaClient } from './kafka/select.ts';
import { LogLevels } from './log-levels.ts';
import { isTextLogger } from './logging.ts';
import { loadPlugins } from './plugins/loader.ts';
import { PluginRegistry } from './plugins/registry.ts';
import { listenAll } from './rest/listen.ts';
import { restSecurity } from './rest/security.ts';
import { parseListener, restServer } from './rest/server.ts';
import { prefixedSslSecrets, tlsSettings } from './rest/tls.ts';
import type { WorkerServices } from './runtime/connector-runtime.ts';
import { converterFactory } from './runtime/converters.ts';
import { workerConfig } from './runtime/worker-config.ts';
import type { WorkerConfig } from './runtime/worker-config.ts';
import type { OffsetStore } from './storage/offset-store.ts';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What a standalone and a distributed worker both build from their worker file before their herder. */
export interface WorkerBase {
  /** The worker file, config-provider variables resolved. */
  readonly raw: Readonly<Record<string, string>>;
  readonly config: WorkerConfig;
  readonly secrets: ConfigSecrets;
  readonly registry: PluginRegistry;
  readonly kafka: KafkaClient;
  readonly clusterId: string;
  /** This worker's id in status answers: the first listener's `host:port`. */
  readonly workerId: string;
  readonly logLevels: LogLevels;
  /** The services connectors and tasks share, with the given offset store. */
  services(offsets: OffsetStore): WorkerServices;
  /** Serves the REST API over `herder` on every listener. */
  serveRest(herder: Herder): Promise<{ readonly urls: readonly string[]; close(): Promise<void> }>;
  /** Whether the REST API asks for basic auth, for the start-up line. */
  readonly basicAuth: boolean;
}

/**
 * Reads what every worker needs from its file: config providers (resolved in the worker file
 * too, as Kafka resolves them), REST listeners and their security (read before anything starts,
 * so a bad key store or users file stops start-up at once), plugins, the Kafka client and the
 * cluster id. `spec` is the mode's full worker spec, checked here so a bad key stops start-up.
 *
 * @param secrets where the worker records the secrets it learns; give the one `logger` scrubs with
 */
export async function setUpWorker(given: Readonly<Record<string, string>>, spec: ConfigSpec, logger: Logger, secrets: SecretScrubber, clientId: string): Promise<WorkerBase> {
  const transformer = new ConfigTransformer(configProviders(given));
  const configSecrets = new ConfigSecrets(transformer, secrets);
  const resolved = await transformer.transform(given, isProviderKey);
  for (const value of resolved.provided) secrets.add(value);
  const raw = resolved.config;
  configSecrets.remember(spec, raw);
  spec.parse(raw);
  const config = workerConfig.parse(raw);
  for (const value of prefixedSslSecrets(raw)) secrets.add(value);
  const listeners = (config.listeners.length > 0 ? config.listeners : ['http://:8083']).map(parseListener);
  const tls = listeners.some((l) => l.protocol === 'https') ? await tlsSettings(raw) : undefined;
  const security = await restSecurity(config, process.env);
  for (const password of security.basicAuth?.plainPasswords() ?? []) secrets.add(password);

  const builtin = definePlugin({ name: '@sluice/worker', version: VERSION, converters: builtinConverters, aliases: builtinConverterAliases });
  const registry = new PluginRegistry([builtin, ...(await loadPlugins(config['plugin.path'], logger))]);
  const kafka = kafkaClient({ bootstrapServers: config['bootstrap.servers'], clientId }, config['kafka.client']);
  const admin = await kafka.admin();
  const clusterId = await admin.clusterId().finally(() => admin.close());
  const listener = listeners[0]!;
  const logLevels = isTextLogger(logger) ? logger.levels : new LogLevels();
  return {
    raw,
    config,
    secrets: configSecrets,
    registry,
    kafka,
    clusterId,
    workerId: `${listener.host === '0.0.0.0' ? hostname() : listener.host}:${listener.port}`,
    logLevels,
    basicAuth: security.basicAuth !== undefined,
    services: (offsets) => ({
      kafka,
      offsets,
      converters: converterFactory(registry, { 'header.converter': config['header.converter'], ...raw }),
      registry,
      scrub: (text) => secrets.scrub(text),
      offsetFlushIntervalMs: config['offset.flush.interval.ms'],
      shutdownTimeoutMs: config['task.shutdown.graceful.timeout.ms'],
      maxPollRecords: config['consumer.max.poll.records'],
      logger,
      // Connectors and tasks log through named loggers whose levels /admin/loggers sets.
      ...(isTextLogger(logger) ? { loggers: (name: string) => logger.named(name) } : {}),
    }),
    serveRest: (herder) =>
      listenAll(listeners, tls, (https) =>
        restServer(herder, { version: VERSION, commit: 'unknown', kafkaClusterId: clusterId, scrub: (text) => secrets.scrub(text), ...(https ? { https } : {}), security }),
      ),
  };
}
