import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { definePlugin } from '@sluice/core';
import type { Logger } from '@sluice/core';
import { ConfigSecrets } from '../config/config-secrets.ts';
import { configProviders, isProviderKey } from '../config/config-providers.ts';
import { ConfigTransformer } from '../config/config-transformer.ts';
import { SecretScrubber } from '../config/secret-scrubber.ts';
import { builtinConverterAliases, builtinConverters } from '../converters/index.ts';
import { kafkaClient } from '../kafka/select.ts';
import { LogLevels } from '../log-levels.ts';
import { isTextLogger } from '../logging.ts';
import { loadPlugins } from '../plugins/loader.ts';
import { PluginRegistry } from '../plugins/registry.ts';
import { listenAll } from '../rest/listen.ts';
import { restSecurity } from '../rest/security.ts';
import { parseListener, restServer } from '../rest/server.ts';
import { prefixedSslSecrets, tlsSettings } from '../rest/tls.ts';
import { converterFactory } from '../runtime/converters.ts';
import { standaloneWorkerConfig } from '../runtime/worker-config.ts';
import { FileOffsetStore } from '../storage/offset-store.ts';
import { readConfigFile } from './files.ts';
import { StandaloneHerder } from './herder.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface StandaloneWorker {
  readonly herder: StandaloneHerder;
  /** Where the REST API listens, e.g. `http://127.0.0.1:8083`: the first of `listeners`. */
  readonly restUrl: string;
  /** Every listener's address, in the order of `listeners`. */
  readonly restUrls: readonly string[];
  /** Stops every connector (flushing and committing), then the REST listeners. */
  stop(): Promise<void>;
}

/**
 * `sluice standalone worker.properties connector.properties …`: reads Kafka Connect's files
 * unchanged, checks every connector config before starting any, starts them, and serves the
 * REST API. Config-provider variables are resolved in the worker file too, as Kafka resolves
 * them.
 *
 * @param secrets where the worker records the secrets it learns; give the one `logger` scrubs
 *   with, so no log line shows them
 */
export async function startStandalone(
  workerFile: string,
  connectorFiles: readonly string[],
  logger: Logger,
  secrets: SecretScrubber = new SecretScrubber(),
): Promise<StandaloneWorker> {
  const given = await readConfigFile(workerFile);
  const transformer = new ConfigTransformer(configProviders(given));
  const configSecrets = new ConfigSecrets(transformer, secrets);
  const resolved = await transformer.transform(given, isProviderKey);
  for (const value of resolved.provided) secrets.add(value);
  const raw = resolved.config;
  configSecrets.remember(standaloneWorkerConfig, raw);
  const config = standaloneWorkerConfig.parse(raw);
  for (const value of prefixedSslSecrets(raw)) secrets.add(value);
  // REST security is read before anything starts, so a bad key store or users file stops start-up at once.
  const listeners = (config.listeners.length > 0 ? config.listeners : ['http://:8083']).map(parseListener);
  const tls = listeners.some((l) => l.protocol === 'https') ? await tlsSettings(raw) : undefined;
  const security = await restSecurity(config, process.env);
  for (const password of security.basicAuth?.plainPasswords() ?? []) secrets.add(password);
  const connectorConfigs = await Promise.all(connectorFiles.map(readConfigFile));

  const builtin = definePlugin({ name: '@sluice/worker', version: VERSION, converters: builtinConverters, aliases: builtinConverterAliases });
  const registry = new PluginRegistry([builtin, ...(await loadPlugins(config['plugin.path'], logger))]);
  const kafka = kafkaClient({ bootstrapServers: config['bootstrap.servers'], clientId: 'sluice-standalone' }, config['kafka.client']);
  const admin = await kafka.admin();
  const clusterId = await admin.clusterId().finally(() => admin.close());

  const listener = listeners[0]!;
  const workerId = `${listener.host === '0.0.0.0' ? hostname() : listener.host}:${listener.port}`;
  const herder = new StandaloneHerder(
    registry,
    {
      kafka,
      offsets: new FileOffsetStore(config['offset.storage.file.filename']),
      converters: converterFactory(registry, { 'header.converter': config['header.converter'], ...raw }),
      registry,
      scrub: (text) => secrets.scrub(text),
      offsetFlushIntervalMs: config['offset.flush.interval.ms'],
      shutdownTimeoutMs: config['task.shutdown.graceful.timeout.ms'],
      maxPollRecords: config['consumer.max.poll.records'],
      logger,
      // Connectors and tasks log through named loggers whose levels /admin/loggers sets.
      ...(isTextLogger(logger) ? { loggers: (name: string) => logger.named(name) } : {}),
    },
    workerId,
    {
      secrets: configSecrets,
      logLevels: isTextLogger(logger) ? logger.levels : new LogLevels(),
      topicTracking: { enable: config['topic.tracking.enable'], allowReset: config['topic.tracking.allow.reset'] },
    },
  );
  for (const connector of connectorConfigs) await herder.validate(connector);

  const rest = await listenAll(listeners, tls, (https) =>
    restServer(herder, { version: VERSION, commit: 'unknown', kafkaClusterId: clusterId, scrub: (text) => secrets.scrub(text), ...(https ? { https } : {}), security }),
  );
  const restUrl = rest.urls[0]!;
  for (const connector of connectorConfigs) {
    await herder.create(connector);
    logger.info(`connector ${connector.name} started`);
  }
  herder.ready();
  logger.info(`Sluice ${VERSION} standalone worker ready; REST API on ${rest.urls.join(', ')}${security.basicAuth ? ' (basic auth)' : ''}`);
  return {
    herder,
    restUrl,
    restUrls: rest.urls,
    async stop() {
      await herder.stop();
      await rest.close();
    },
  };
}
