import { defineConfig } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { exactlyOnceWorkerConfig } from '../runtime/exactly-once-config.ts';
import { workerConfig } from '../runtime/worker-config.ts';
import { interWorkerKeyConfig } from '../rest/request-signing.ts';
import { workerGroupConfig } from './worker-group-config.ts';

const topic = (what: string) => ({ type: 'string', importance: 'high', doc: `The compacted topic that keeps ${what}; created when missing.` }) as const;
const replication = { type: 'short', default: 3, importance: 'low', doc: 'Replication factor of the topic when the worker creates it; -1 means the broker’s default.' } as const;

/**
 * A distributed worker's keys (Kafka Connect's `DistributedConfig`): the common worker keys, the
 * group's, the internal topics', where other workers reach this one, and how internal requests
 * between them are signed (`inter.worker.*`).
 */
export const distributedWorkerConfig = workerConfig.merge(workerGroupConfig).merge(exactlyOnceWorkerConfig).merge(interWorkerKeyConfig).merge(
  defineConfig({
    'config.storage.topic': topic('connector and task configs'),
    'offset.storage.topic': topic('source connectors’ offsets'),
    'status.storage.topic': topic('connector and task statuses'),
    'config.storage.replication.factor': replication,
    'offset.storage.replication.factor': replication,
    'status.storage.replication.factor': replication,
    'offset.storage.partitions': { type: 'int', default: 25, importance: 'low', doc: 'Partitions of the offsets topic when the worker creates it.' },
    'status.storage.partitions': { type: 'int', default: 5, importance: 'low', doc: 'Partitions of the status topic when the worker creates it.' },
    'rest.advertised.host.name': { type: 'string', default: null, importance: 'low', doc: 'The host other workers reach this one at; the first listener’s host by default.' },
    'rest.advertised.port': { type: 'int', default: null, importance: 'low', doc: 'The port other workers reach this one at; the first listener’s port by default.' },
    'rest.advertised.listener': { type: 'string', default: null, importance: 'low', doc: '`http` or `https`: the protocol other workers use; the first listener’s by default.' },
  }),
);

export type DistributedWorkerConfig = ConfigOf<typeof distributedWorkerConfig>;
