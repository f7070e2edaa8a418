import { atLeast, configError, defineConfig } from '@sluice/core';
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
});

/** The sink keys (SinkConnectorConfig): which topics to consume. */
export const sinkConnectorConfig = commonConnectorConfig.merge(
  defineConfig({
    topics: { type: 'list', default: '', importance: 'high', group: 'Common', order: 4, width: 'long', displayName: 'Topics', doc: 'List of topics to consume, separated by commas.' },
    'topics.regex': { type: 'string', default: '', importance: 'high', group: 'Common', order: 4, width: 'long', displayName: 'Topics regex', doc: 'Regular expression giving topics to consume. Only one of topics or topics.regex should be specified.' },
  }),
);

export type CommonConnectorConfig = ConfigOf<typeof commonConnectorConfig>;
export type SinkConnectorConfig = ConfigOf<typeof sinkConnectorConfig>;

/** Parses a sink connector's keys and checks Kafka Connect's rule: exactly one of `topics` / `topics.regex`. */
export function parseSinkConnectorConfig(raw: RawConfig): SinkConnectorConfig {
  const config = sinkConnectorConfig.parse(raw);
  const hasTopics = config.topics.length > 0;
  const hasRegex = config['topics.regex'] !== '';
  if (hasTopics === hasRegex) {
    throw configError('topics', hasTopics ? 'set only one of `topics` and `topics.regex`' : 'must configure one of `topics` or `topics.regex`');
  }
  if (hasRegex) throw configError('topics.regex', 'subscribing by pattern is not supported yet; list the topics in `topics`');
  return config;
}
