import { atLeast, custom, defineConfig, nonEmptyString, oneOf } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';

/**
 * The default of `scheduled.rebalance.max.delay.ms`. Kafka's is 300000 (5 minutes); Sluice's
 * is chosen so that a dead worker's work runs elsewhere within 15 s with Kafka's other defaults:
 * the coordinator notices the death after `session.timeout.ms` (10 s), the others learn of it at
 * their next heartbeat (at most `heartbeat.interval.ms`, 3 s), the leader then holds the work
 * for this delay (1 s), and two rebalance round trips add a few hundred milliseconds — at most
 * about 14.5 s. A worker that restarts within the session timeout still gets its own work back:
 * it has rejoined empty by the time the delay ends, and the leader gives the held work to such
 * workers first.
 */
export const DEFAULT_SCHEDULED_REBALANCE_MAX_DELAY_MS = 1_000;

/**
 * The keys of Kafka Connect's `DistributedConfig` that shape group membership, with Kafka's
 * names and defaults except where said. The distributed worker config spreads these definitions
 * into its own.
 */
export const workerGroupConfig = defineConfig({
  'group.id': {
    type: 'string',
    importance: 'high',
    validate: nonEmptyString(),
    doc: 'The Connect cluster this worker belongs to: workers with the same group id share connectors and tasks. It must not be the name of a consumer group.',
  },
  'session.timeout.ms': {
    type: 'int',
    default: 10_000,
    validate: atLeast(1),
    importance: 'high',
    doc: 'How long the group coordinator waits for a heartbeat before it declares the worker dead and rebalances. The broker bounds it with group.min.session.timeout.ms and group.max.session.timeout.ms.',
  },
  'heartbeat.interval.ms': {
    type: 'int',
    default: 3_000,
    validate: atLeast(1),
    importance: 'high',
    doc: 'How often the worker heartbeats to the group coordinator; a worker learns of a rebalance at its next heartbeat. Must be lower than session.timeout.ms, usually a third of it.',
  },
  'rebalance.timeout.ms': {
    type: 'int',
    default: 60_000,
    validate: atLeast(1),
    importance: 'high',
    doc: 'How long the coordinator waits for every worker to rejoin once a rebalance began; a worker still busy stopping revoked work after it is dropped from the group.',
  },
  'scheduled.rebalance.max.delay.ms': {
    type: 'int',
    default: DEFAULT_SCHEDULED_REBALANCE_MAX_DELAY_MS,
    validate: atLeast(0),
    importance: 'low',
    doc:
      'How long the leader holds the connectors and tasks of a worker that left before it gives them to other workers, waiting for the worker to come back. ' +
      '0 reassigns them at once. Sluice’s default (1 s) moves a dead worker’s work within 15 s; Kafka Connect’s is 300000 (5 minutes).',
  },
  'connect.protocol': {
    type: 'string',
    default: 'sessioned',
    validate: custom('[sessioned, compatible]', (value) => {
      const error = oneOf('sessioned', 'compatible').check(value);
      if (error === undefined) return undefined;
      return String(value).toLowerCase() === 'eager' ? 'eager rebalancing is not supported by Sluice; use `sessioned` or `compatible`' : error;
    }),
    importance: 'low',
    doc: 'The group sub-protocols this worker offers: `sessioned` (Kafka 4.1’s default, offers sessioned then compatible) or `compatible` (compatible only). Sluice does not implement `eager`.',
  },
});

export type WorkerGroupConfig = ConfigOf<typeof workerGroupConfig>;
