import type { Logger } from '@sluice/core';
import { SecretScrubber } from '../config/secret-scrubber.ts';
import { standaloneWorkerConfig } from '../runtime/worker-config.ts';
import { FileOffsetStore } from '../storage/offset-store.ts';
import { VERSION, setUpWorker } from '../worker-setup.ts';
import { readConfigFile } from './files.ts';
import { StandaloneHerder } from './herder.ts';

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
  const worker = await setUpWorker(await readConfigFile(workerFile), standaloneWorkerConfig, logger, secrets, 'sluice-standalone');
  const config = standaloneWorkerConfig.parse(worker.raw);
  const connectorConfigs = await Promise.all(connectorFiles.map(readConfigFile));
  const herder = new StandaloneHerder(worker.registry, worker.services(new FileOffsetStore(config['offset.storage.file.filename'])), worker.workerId, {
    secrets: worker.secrets,
    logLevels: worker.logLevels,
    topicTracking: { enable: config['topic.tracking.enable'], allowReset: config['topic.tracking.allow.reset'] },
  });
  for (const connector of connectorConfigs) await herder.validate(connector);

  const rest = await worker.serveRest(herder);
  const restUrl = rest.urls[0]!;
  for (const connector of connectorConfigs) {
    await herder.create(connector);
    logger.info(`connector ${connector.name} started`);
  }
  herder.ready();
  logger.info(`Sluice ${VERSION} standalone worker ready; REST API on ${rest.urls.join(', ')}${worker.basicAuth ? ' (basic auth)' : ''}`);
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
