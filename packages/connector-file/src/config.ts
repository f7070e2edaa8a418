// The config specs of both connectors: keys, defaults, docs and importance as Apache Kafka's
// FileStreamSourceConnector and FileStreamSinkConnector define them.
import { atLeast, defineConfig, nonEmptyString } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';

/** FileStreamSource's keys; its task config is parsed with the same spec. */
export const sourceConfig = defineConfig({
  file: {
    type: 'string',
    default: null,
    importance: 'high',
    doc: 'Source filename. If not specified, the standard input will be used',
  },
  topic: {
    type: 'string',
    validate: nonEmptyString(),
    importance: 'high',
    doc: 'The topic to publish data to',
  },
  'batch.size': {
    type: 'int',
    default: 2000,
    validate: atLeast(1),
    importance: 'low',
    doc: 'The maximum number of records the source task can read from the file each time it is polled',
  },
});

/** FileStreamSink's keys (`topics`/`topics.regex` belong to the worker). */
export const sinkConfig = defineConfig({
  file: {
    type: 'string',
    default: null,
    importance: 'high',
    doc: 'Destination filename. If not specified, the standard output will be used',
  },
});

export type SourceConfig = ConfigOf<typeof sourceConfig>;
export type SinkConfig = ConfigOf<typeof sinkConfig>;

/** `file` unset or empty means the standard stream, as in Apache's connectors. */
export function fileOf(config: { readonly file: string | null }): string | null {
  return config.file === null || config.file === '' ? null : config.file;
}
