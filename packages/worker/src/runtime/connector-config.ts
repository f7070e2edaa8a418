import { atLeast, configError, defineConfig, nonEmptyString, oneOf } from '@sluice/core';
import type { ConfigOf, RawConfig } from '@sluice/core';

/** Kafka Connect's keys every connector config has (ConnectorConfig), in its groups and order. */
export const commonConnectorConfig = defineConfig({
  name: { type: 'string', importance: 'high', group: 'Common', order: 1, width: 'medium', displayName: 'Connector name', doc: 'Globally unique name of the connector.' },
  'connector.class': {
    type: 'string',
    importance: 'high',
    group: 'Common',
    order: 2,
    width: 'long',
    displayName: 'Connector class',
    doc: 'The connector: its name, its Java class name, the simple class name, or the simple name without `Connector`.',
  },
  'tasks.max': { type: 'int', default: 1, validate: atLeast(1), importance: 'high', group: 'Common', order: 3, width: 'short', displayName: 'Tasks max', doc: 'Most tasks to run for this connector.' },
  'key.converter': { type: 'class', default: null, importance: 'low', group: 'Common', order: 4, width: 'short', displayName: 'Key converter class', doc: 'Overrides the worker’s key converter.' },
  'value.converter': { type: 'class', default: null, importance: 'low', group: 'Common', order: 5, width: 'short', displayName: 'Value converter class', doc: 'Overrides the worker’s value converter.' },
  'header.converter': { type: 'class', default: null, importance: 'low', group: 'Common', order: 6, width: 'short', displayName: 'Header converter class', doc: 'Overrides the worker’s header converter.' },
  transforms: { type: 'list', default: '', importance: 'low', group: 'Transforms', order: 1, width: 'long', displayName: 'Transforms', doc: 'Aliases of the transforms to apply to records, in order; each is set up by `transforms.<alias>.type` and its own keys.' },
  predicates: { type: 'list', default: '', importance: 'low', group: 'Predicates', order: 1, width: 'long', displayName: 'Predicates', doc: 'Aliases of the predicates transforms may name in `transforms.<alias>.predicate`; each is set up by `predicates.<alias>.type`.' },
}).merge(errorHandlingConfig()).merge(restartConfig());

/** Kafka Connect's `errors.*` keys; Sluice also honours the dead letter queue keys for source connectors. */
function errorHandlingConfig() {
  const group = 'Error Handling';
  return defineConfig({
    'errors.retry.timeout': { type: 'long', default: 0, validate: atLeast(-1), importance: 'medium', group, order: 1, width: 'medium', displayName: 'Retry Timeout for Errors', doc: 'How long, in milliseconds, to retry an operation that failed with a retriable error; 0 means no retries, -1 retries forever.' },
    'errors.retry.delay.max.ms': { type: 'long', default: 60_000, validate: atLeast(1), importance: 'medium', group, order: 2, width: 'medium', displayName: 'Maximum Delay Between Retries for Errors', doc: 'The longest wait between two retries; waits start at 300 ms and double, with jitter once they reach this cap.' },
    'errors.tolerance': { type: 'string', default: 'none', validate: oneOf('none', 'all'), importance: 'medium', group, order: 3, width: 'short', displayName: 'Error Tolerance', doc: '`none`: the first failed record fails the task. `all`: a record that fails conversion or a transform is skipped (and reported) and the task goes on.' },
    'errors.log.enable': { type: 'boolean', default: false, importance: 'medium', group, order: 4, width: 'short', displayName: 'Log Errors', doc: 'Log each failed record with the stage, the component and the record’s topic, partition and offset (or source partition and offset).' },
    'errors.log.include.messages': { type: 'boolean', default: false, importance: 'medium', group, order: 5, width: 'short', displayName: 'Log Error Details', doc: 'Also log the failed record’s key, value and headers. They may hold sensitive data.' },
    'errors.deadletterqueue.topic.name': { type: 'string', default: '', importance: 'medium', group, order: 6, width: 'medium', displayName: 'Dead Letter Queue Topic Name', doc: 'Topic that receives records skipped under `errors.tolerance=all`: for a sink, the record as consumed; for a source (a Sluice addition), the record as the task returned it, with its source partition and offset in headers.' },
    'errors.deadletterqueue.topic.replication.factor': { type: 'short', default: 3, validate: atLeast(1), importance: 'medium', group, order: 7, width: 'medium', displayName: 'Dead Letter Queue Topic Replication Factor', doc: 'Replication factor of the dead letter queue topic when Sluice creates it.' },
    'errors.deadletterqueue.context.headers.enable': { type: 'boolean', default: false, importance: 'medium', group, order: 8, width: 'medium', displayName: 'Enable Error Context Headers', doc: 'Add `__connect.errors.*` headers to dead letter queue records: original topic, partition and offset, connector, task, stage, component and the error.' },
  });
}

/** Sluice's own keys: restart a failed connector or task by itself, with backoff. */
function restartConfig() {
  const group = 'Restarts';
  return defineConfig({
    'sluice.restart.on.failure': { type: 'boolean', default: false, importance: 'medium', group, order: 1, width: 'short', displayName: 'Restart on failure', doc: 'Sluice only: restart the connector or a task when it fails, after a backoff, instead of leaving it FAILED. While it waits its status is RESTARTING, with the failure in `trace`.' },
    'sluice.restart.max.attempts': { type: 'int', default: 5, validate: atLeast(-1), importance: 'medium', group, order: 2, width: 'short', displayName: 'Restart attempts', doc: 'Sluice only: how many restarts in a row before it stays FAILED; -1 means no limit. The count starts again once it has been RUNNING for `sluice.restart.backoff.max.ms` (at least a second) without failing.' },
    'sluice.restart.backoff.ms': { type: 'long', default: 1_000, validate: atLeast(0), importance: 'low', group, order: 3, width: 'short', displayName: 'First restart delay', doc: 'Sluice only: the wait before the first restart; each further one waits twice as long, with jitter.' },
    'sluice.restart.backoff.max.ms': { type: 'long', default: 60_000, validate: atLeast(0), importance: 'low', group, order: 4, width: 'short', displayName: 'Longest restart delay', doc: 'Sluice only: the longest wait between restarts.' },
  });
}

/** The sink keys (SinkConnectorConfig): which topics to consume. */
export const sinkConnectorConfig = commonConnectorConfig.merge(
  defineConfig({
    topics: { type: 'list', default: '', importance: 'high', group: 'Common', order: 4, width: 'long', displayName: 'Topics', doc: 'List of topics to consume, separated by commas.' },
    'topics.regex': { type: 'string', default: '', importance: 'high', group: 'Common', order: 4, width: 'long', displayName: 'Topics regex', doc: 'Regular expression giving topics to consume. Only one of topics or topics.regex should be specified.' },
  }),
);

/**
 * The source keys (SourceConnectorConfig) of exactly-once delivery (KIP-618). They only take
 * effect on a distributed worker with `exactly.once.source.support=enabled`.
 */
export const sourceConnectorConfig = commonConnectorConfig.merge(exactlyOnceConfig());

function exactlyOnceConfig() {
  const group = 'Exactly Once Support';
  return defineConfig({
    'exactly.once.support': {
      type: 'string',
      default: 'requested',
      validate: oneOf('requested', 'required'),
      importance: 'medium',
      group,
      order: 1,
      width: 'short',
      displayName: 'Exactly once support',
      doc: '`requested`: the connector runs with exactly-once delivery when the worker has it enabled, without asking the connector. `required`: the connector is refused unless it says it supports exactly-once delivery with this config (its `exactlyOnceSupport`) and the worker has it enabled.',
    },
    'transaction.boundary': {
      type: 'string',
      default: 'poll',
      validate: oneOf('poll', 'interval', 'connector'),
      importance: 'medium',
      group,
      order: 2,
      width: 'short',
      displayName: 'Transaction Boundary',
      doc: 'Where a task’s transactions end under exactly-once delivery. `poll`: one per batch of records a poll returns. `interval`: every `transaction.boundary.interval.ms`. `connector`: where the task asks, through its transaction context; the connector must support it (its `canDefineTransactionBoundaries`).',
    },
    'transaction.boundary.interval.ms': {
      type: 'long',
      default: null,
      validate: atLeast(0),
      importance: 'low',
      group,
      order: 3,
      width: 'short',
      displayName: 'Transaction boundary interval',
      doc: 'With `transaction.boundary=interval`, how long a transaction stays open, in milliseconds; the worker’s `offset.flush.interval.ms` when not set. No effect with another boundary.',
    },
    'offsets.storage.topic': {
      type: 'string',
      default: null,
      validate: nonEmptyString(),
      importance: 'low',
      group: 'offsets.topic',
      order: 1,
      width: 'long',
      displayName: 'Offsets topic',
      doc: 'A separate offsets topic for this connector, created (compacted) when missing; the worker’s `offset.storage.topic` when not set. With exactly-once delivery its tasks write their offsets there, in the same transaction as their records, and read them there first, then in the worker’s topic. Distributed mode only.',
    },
  });
}

export type CommonConnectorConfig = ConfigOf<typeof commonConnectorConfig>;
export type SinkConnectorConfig = ConfigOf<typeof sinkConnectorConfig>;
export type SourceConnectorConfig = ConfigOf<typeof sourceConnectorConfig>;


/** Parses a sink connector's keys and checks Kafka Connect's rule: exactly one of `topics` / `topics.regex`. */
export function parseSinkConnectorConfig(raw: RawConfig): SinkConnectorConfig {
  const config = sinkConnectorConfig.parse(raw);
  const hasTopics = config.topics.length > 0;
  const hasRegex = config['topics.regex'] !== '';
  if (hasTopics === hasRegex) {
    throw configError('topics', hasTopics ? 'set only one of `topics` and `topics.regex`' : 'must configure one of `topics` or `topics.regex`');
  }
  if (hasRegex) throw configError('topics.regex', 'subscribing by pattern is not supported yet; list the topics in `topics`');
  const deadLetters = config['errors.deadletterqueue.topic.name'];
  if (deadLetters !== '' && config.topics.includes(deadLetters)) {
    throw configError('errors.deadletterqueue.topic.name', `\`${deadLetters}\` is also in \`topics\`: the connector would consume its own dead letters`);
  }
  return config;
}
