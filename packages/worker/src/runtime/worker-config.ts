import { atLeast, defineConfig, nonEmptyString } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { restSecurityConfig } from '../rest/security-config.ts';

/**
 * The keys every Kafka Connect worker file has, standalone or distributed, that Sluice reads,
 * with Kafka's names and defaults. Other keys (metrics, producer.* …) are accepted and ignored,
 * as Kafka Connect accepts keys it does not use.
 */
export const workerConfig = defineConfig({
  'bootstrap.servers': {
    type: 'list',
    default: 'localhost:9092',
    importance: 'high',
    doc: 'Kafka brokers to connect to, as host:port pairs.',
  },
  'key.converter': { type: 'class', importance: 'high', doc: 'Converter for record keys, unless a connector sets its own.' },
  'value.converter': { type: 'class', importance: 'high', doc: 'Converter for record values, unless a connector sets its own.' },
  'header.converter': {
    type: 'class',
    default: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    importance: 'low',
    doc: 'Converter for header values, unless a connector sets its own.',
  },
  'offset.flush.interval.ms': { type: 'long', default: 60_000, validate: atLeast(1), importance: 'low', doc: 'How often source offsets are committed, and sink offsets too.' },
  'task.shutdown.graceful.timeout.ms': {
    type: 'long',
    default: 5_000,
    validate: atLeast(0),
    importance: 'low',
    doc: 'How long stopping waits for tasks to finish, across all tasks.',
  },
  'plugin.path': {
    type: 'list',
    default: '',
    importance: 'low',
    doc: 'Folders holding plugin packages (each a folder with a package.json), or plugin package folders themselves. Java jars are skipped with a warning.',
  },
  listeners: {
    type: 'list',
    default: 'http://:8083',
    importance: 'low',
    doc: 'Where the REST API listens, as http://host:port or https://host:port (TLS from the `ssl.*` keys, or `listeners.https.ssl.*`), one server each; an empty host means all interfaces.',
  },
  'kafka.client': {
    type: 'string',
    default: 'platformatic',
    importance: 'low',
    doc: 'Sluice only: the Kafka client library, `platformatic` (default, faster in bench/kafka-clients) or `kafkajs`.',
  },
  'config.providers': {
    type: 'list',
    default: '',
    importance: 'low',
    doc:
      'Names of the config providers that worker and connector configs may use as `${name:[path:]key}`. Each needs `config.providers.<name>.class` — ' +
      '`org.apache.kafka.common.config.provider.FileConfigProvider`, `DirectoryConfigProvider` or `EnvVarConfigProvider` (the simple class name works too) — ' +
      'and takes parameters as `config.providers.<name>.param.<param>`: `allowed.paths` for the file and directory providers, `allowlist.pattern` for the environment one.',
  },
  'topic.tracking.enable': {
    type: 'boolean',
    default: true,
    importance: 'low',
    doc: 'Track the topics each connector’s tasks produce to or consume from, shown by GET /connectors/{name}/topics (KIP-558).',
  },
  'topic.tracking.allow.reset': { type: 'boolean', default: true, importance: 'low', doc: 'Allow PUT /connectors/{name}/topics/reset to clear a connector’s tracked topics.' },
  'consumer.max.poll.records': { type: 'int', default: 500, validate: atLeast(1), importance: 'low', doc: 'Most records a sink task receives in one put.' },
}).merge(restSecurityConfig);

/** A standalone worker's keys: the common ones and the offsets file. */
export const standaloneWorkerConfig = workerConfig.merge(
  defineConfig({
    'offset.storage.file.filename': {
      type: 'string',
      importance: 'high',
      validate: nonEmptyString(),
      doc: 'File that keeps the source connectors’ offsets (JSON, replaced atomically on each commit).',
    },
  }),
);

export type WorkerConfig = ConfigOf<typeof workerConfig>;
export type StandaloneWorkerConfig = ConfigOf<typeof standaloneWorkerConfig>;
