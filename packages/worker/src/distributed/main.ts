import { hostname } from 'node:os';
import type { Logger } from '@sluice/core';
import { SecretScrubber } from '../config/secret-scrubber.ts';
import { RequestSigner } from '../rest/request-signing.ts';
import { parseListener } from '../rest/server.ts';
import { KafkaConfigStore, KafkaOffsetStore, KafkaStatusStore, internalTopicSpec } from '../storage/index.ts';
import type { ConfigUpdateListener } from '../storage/index.ts';
import { readConfigFile } from '../standalone/files.ts';
import { VERSION, setUpWorker } from '../worker-setup.ts';
import { distributedWorkerConfig } from './distributed-config.ts';
import { DistributedHerder } from './herder.ts';
import { WorkerGroup } from './worker-group.ts';
import { workerGroupConfig } from './worker-group-config.ts';

export interface DistributedWorker {
  readonly herder: DistributedHerder;
  readonly restUrls: readonly string[];
  /** Leaves the group, stops this worker's connectors and tasks, then the REST listeners and stores. */
  stop(): Promise<void>;
}

/** The URL other workers reach this one at: `rest.advertised.*`, else the first listener. */
function advertisedUrl(config: { 'rest.advertised.host.name': string | null; 'rest.advertised.port': number | null; 'rest.advertised.listener': string | null; listeners: string[] }): string {
  const first = parseListener(config.listeners[0] ?? 'http://:8083');
  const host = config['rest.advertised.host.name'] ?? (first.host === '0.0.0.0' ? hostname() : first.host);
  return `${config['rest.advertised.listener'] ?? first.protocol}://${host}:${config['rest.advertised.port'] ?? first.port}`;
}

/**
 * `sluice distributed worker.properties`: joins the Connect cluster named by `group.id` — Sluice
 * and Kafka Connect workers alike — with configs, offsets and statuses in Kafka Connect's
 * compacted topics, and serves the REST API. Connectors are created over REST.
 */
export async function startDistributed(workerFile: string, logger: Logger, secrets: SecretScrubber = new SecretScrubber()): Promise<DistributedWorker> {
  const base = await setUpWorker(await readConfigFile(workerFile), distributedWorkerConfig, logger, secrets, 'sluice-distributed');
  const config = distributedWorkerConfig.parse(base.raw);
  // Before anything starts: Kafka refuses inconsistent inter.worker.* settings at startup too.
  const signer = new RequestSigner(config);
  const url = advertisedUrl(config);
  const kafka = base.kafka;
  // Filled in once the herder exists; the config store calls it only after its start.
  const listener: ConfigUpdateListener = {};
  const configs = new KafkaConfigStore({ client: kafka, topic: internalTopicSpec('config', base.raw), listener, logger });
  const offsets = new KafkaOffsetStore({ client: kafka, topic: internalTopicSpec('offset', base.raw), logger });
  const statuses = new KafkaStatusStore({ client: kafka, topic: internalTopicSpec('status', base.raw), logger });
  await Promise.all([configs.start(), offsets.start(), statuses.start()]);

  const workerId = url.replace(/^https?:\/\//, '');
  const exactlyOnce = config['exactly.once.source.support'] === 'enabled' ? { groupId: config['group.id'], offsets } : null;
  const herder = new DistributedHerder({
    registry: base.registry,
    services: base.services(offsets),
    secrets: base.secrets,
    logLevels: base.logLevels,
    configs,
    statuses,
    workerId,
    logger,
    exactlyOnce,
    signer,
    keyTtlMs: config['inter.worker.key.ttl.ms'],
  });
  Object.assign(listener, herder.configListener);
  const rest = await base.serveRest(herder);
  const group = new WorkerGroup({
    client: kafka,
    config: workerGroupConfig.parse(base.raw),
    url,
    configs: {
      configSnapshot: () => {
        const snapshot = configs.snapshot();
        return { offset: snapshot.offset, connectors: new Map([...snapshot.connectorConfigs.keys()].map((c) => [c, snapshot.taskCounts.get(c) ?? 0])) };
      },
    },
    listener: { onRevoked: (revoked) => herder.onRevoked(revoked), onAssigned: (assignment, leaderUrl, generation) => herder.onAssigned(assignment, leaderUrl, generation) },
    logger,
  });
  herder.attach(group);
  await group.start();
  herder.ready();
  logger.info(`Sluice ${VERSION} distributed worker ${workerId} ready in group ${config['group.id']}; REST API on ${rest.urls.join(', ')}${base.basicAuth ? ' (basic auth)' : ''}`);
  return {
    herder,
    restUrls: rest.urls,
    async stop() {
      await group.stop();
      await herder.stop();
      await rest.close();
      await Promise.all([configs.stop(), offsets.stop(), statuses.stop()]);
    },
  };
}
