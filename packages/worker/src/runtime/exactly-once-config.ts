import { defineConfig, oneOf } from '@sluice/core';
import type { ConfigOf, ConfigValue, SourceConnectorDefinition } from '@sluice/core';
import { sourceConnectorConfig } from './connector-config.ts';
import type { SourceConnectorConfig } from './connector-config.ts';

/**
 * The distributed worker's exactly-once key (DistributedConfig's `exactly.once.source.support`),
 * for the distributed worker's spec to merge.
 */
export const exactlyOnceWorkerConfig = defineConfig({
  'exactly.once.source.support': {
    type: 'string',
    default: 'disabled',
    validate: oneOf('disabled', 'preparing', 'enabled'),
    importance: 'high',
    doc:
      'Whether source tasks write their records and source offsets in one Kafka transaction each, and old task generations are fenced before new ones start. ' +
      'A new cluster sets `enabled`; an existing one first sets `preparing` on every worker (a rolling restart), then `enabled`.',
  },
});

export type ExactlyOnceWorkerConfig = ConfigOf<typeof exactlyOnceWorkerConfig>;

/** Where a task's transactions end (`transaction.boundary`). */
export type TransactionBoundary = 'poll' | 'interval' | 'connector';

/** A source connector's exactly-once settings, from its config and the worker's. */
export interface ExactlyOnceSettings {
  readonly boundary: TransactionBoundary;
  /** How long an `interval` transaction stays open. */
  readonly intervalMs: number;
  /** The connector's own offsets topic (`offsets.storage.topic`), or `null` for the worker's. */
  readonly offsetsTopic: string | null;
}

/** The transactional id of a source task's producer, as Kafka Connect names it. */
export function taskTransactionalId(groupId: string, connector: string, task: number): string {
  return `${groupId}-${connector}-${task}`;
}

/** The settings of one connector; `offsetFlushIntervalMs` is the worker's default interval. */
export function exactlyOnceSettings(config: SourceConnectorConfig, offsetFlushIntervalMs: number): ExactlyOnceSettings {
  return {
    boundary: config['transaction.boundary'].toLowerCase() as TransactionBoundary,
    intervalMs: config['transaction.boundary.interval.ms'] ?? offsetFlushIntervalMs,
    offsetsTopic: config['offsets.storage.topic'],
  };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message.trim() : '';
  return message === '' ? 'An unexpected error occurred during validation; please see the worker logs for more details.' : `An unexpected error occurred during validation: ${message}`;
}

/**
 * The exactly-once preflight of a source connector's config (DistributedHerder's
 * validateSourceConnectorConfig), as errors per key for ConfigInfos: `exactly.once.support=required`
 * needs the worker to have it enabled and the connector to answer `supported`;
 * `transaction.boundary=connector` needs the connector to answer `supported` to
 * `canDefineTransactionBoundaries`. Keys that fail their own validation are not asked about.
 */
export async function exactlyOnceErrors(
  definition: SourceConnectorDefinition,
  raw: Readonly<Record<string, string>>,
  workerEnabled: boolean,
): Promise<Map<string, string[]>> {
  const errors = new Map<string, string[]>();
  const add = (key: string, message: string) => errors.set(key, [...(errors.get(key) ?? []), message]);
  const values = new Map<string, ConfigValue>(sourceConnectorConfig.validate(raw).map((v) => [v.name, v]));
  const valueOf = (key: string) => {
    const value = values.get(key);
    return value && value.errors.length === 0 && typeof value.value === 'string' ? value.value.toLowerCase() : null;
  };
  // The connector's hooks take its parsed config; a config that does not parse is reported by its own keys.
  const parsed = () => definition.config.parse(raw);
  if (valueOf('exactly.once.support') === 'required') {
    if (!workerEnabled) add('exactly.once.support', 'This worker does not have exactly-once source support enabled.');
    try {
      const support = definition.exactlyOnceSupport ? await definition.exactlyOnceSupport(parsed()) : undefined;
      if (support === undefined) {
        add(
          'exactly.once.support',
          'The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once semantics, ' +
            'and then consider reconfiguring the connector to use the value "requested" for this property (which will disable this preflight check and allow the connector to be created).',
        );
      } else if (support !== 'supported') {
        add('exactly.once.support', 'The connector does not support exactly-once semantics with the provided configuration.');
      }
    } catch (error) {
      add('exactly.once.support', reason(error));
    }
  }
  if (valueOf('transaction.boundary') === 'connector') {
    try {
      const boundaries = definition.canDefineTransactionBoundaries ? await definition.canDefineTransactionBoundaries(parsed()) : 'unsupported';
      if (boundaries !== 'supported') {
        add('transaction.boundary', 'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.');
      }
    } catch (error) {
      add('transaction.boundary', reason(error));
    }
  }
  return errors;
}
