// The MQTT source's keys, named as Confluent's MqttSourceConnector names them, plus
// `mqtt.client.id`, `mqtt.protocol.version` and `mqtt.session.expiry.interval.seconds` in the
// same style. Every key here is read by the task.
import { atLeast, between, configError, custom, defineConfig, nonEmptyString } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';

/** The schemes a broker URI may have: Confluent's `tcp://` and MQTT.js' `mqtt://`. */
const SCHEMES = ['tcp:', 'mqtt:'];

/** Why `uri` is not a broker address, or `undefined` when it is one. */
export function uriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `\`${uri}\` is not a URI; write it as tcp://host:1883`;
  }
  if (!SCHEMES.includes(url.protocol)) return `\`${uri}\` has the scheme \`${url.protocol.slice(0, -1)}\`; only tcp:// and mqtt:// are supported`;
  if (url.hostname === '') return `\`${uri}\` names no host`;
  return undefined;
}

/** Why `filter` is not an MQTT topic filter, or `undefined` when it is one. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter === '') return 'a topic filter must not be empty';
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level === '#' && i !== levels.length - 1) return `\`${filter}\`: \`#\` must be the last level`;
    if (level !== '#' && level !== '+' && /[#+]/.test(level)) return `\`${filter}\`: a wildcard (\`+\`, \`#\`) must fill a whole level`;
  }
  return undefined;
}

const each = (problem: (s: string) => string | undefined) => (value: unknown) => {
  for (const item of value as string[]) {
    const reason = problem(item);
    if (reason !== undefined) return reason;
  }
  return undefined;
};

export const sourceConfig = defineConfig({
  'mqtt.server.uri': {
    type: 'list',
    validate: [nonEmptyString(), custom('tcp:// or mqtt:// URIs', each(uriProblem))],
    importance: 'high',
    group: 'MQTT',
    doc: 'The MQTT brokers to connect to, as `tcp://host:port` (or `mqtt://host:port`; port 1883 when omitted). With several, the task connects to the first and moves to the next one when a connection fails.',
  },
  'mqtt.topics': {
    type: 'list',
    validate: [nonEmptyString(), custom('MQTT topic filters', each(topicFilterProblem))],
    importance: 'high',
    group: 'MQTT',
    doc: 'The MQTT topic filters to subscribe to; `+` matches one level, `#` (last) any number of levels, e.g. `sensors/+/temp`.',
  },
  'kafka.topic': {
    type: 'string',
    validate: nonEmptyString(),
    importance: 'high',
    group: 'Kafka',
    doc: 'The Kafka topic every message is written to.',
  },
  'mqtt.qos': {
    type: 'int',
    default: 0,
    validate: between(0, 2),
    importance: 'medium',
    group: 'MQTT',
    doc: 'The QoS of the subscriptions. With 1 (and 2 under MQTT 5) a message is acknowledged to the broker only after Kafka acknowledged its record, so nothing is lost; with 0 the broker does not redeliver. QoS 2 needs `mqtt.protocol.version=5`.',
  },
  'mqtt.clean.session.enabled': {
    type: 'boolean',
    default: true,
    importance: 'medium',
    group: 'MQTT',
    doc: 'Start each connection with a clean session. Set false (with a stable `mqtt.client.id`, the default) to keep the session and its subscriptions on the broker, so QoS 1/2 messages published while the worker is down are delivered after it restarts.',
  },
  'mqtt.client.id': {
    type: 'string',
    default: null,
    importance: 'medium',
    group: 'MQTT',
    doc: 'The MQTT client id. Defaults to `sluice-<connector name>-<task id>`: stable across restarts, never random, so a persistent session is found again.',
  },
  'mqtt.protocol.version': {
    type: 'int',
    default: 4,
    validate: between(4, 5),
    importance: 'medium',
    group: 'MQTT',
    doc: 'The MQTT protocol version: 4 (MQTT 3.1.1) or 5 (MQTT 5, with user properties as headers and session expiry).',
  },
  'mqtt.session.expiry.interval.seconds': {
    type: 'long',
    default: 86400,
    validate: between(1, 4294967295),
    importance: 'low',
    group: 'MQTT',
    doc: 'MQTT 5 only, with `mqtt.clean.session.enabled=false`: how long the broker keeps the session after the connection closes (4294967295 = never expires). MQTT 3.1.1 has no such field; the broker keeps a persistent session by its own settings.',
  },
  'mqtt.username': {
    type: 'string',
    default: null,
    importance: 'medium',
    group: 'MQTT',
    doc: 'The user name to connect with.',
  },
  'mqtt.password': {
    type: 'password',
    default: null,
    importance: 'medium',
    group: 'MQTT',
    doc: 'The password to connect with.',
  },
  'mqtt.connect.timeout.seconds': {
    type: 'int',
    default: 30,
    validate: atLeast(1),
    importance: 'low',
    group: 'MQTT',
    doc: 'How long a connection attempt may take before it fails.',
  },
  'mqtt.keepalive.interval.seconds': {
    type: 'int',
    default: 60,
    validate: atLeast(0),
    importance: 'low',
    group: 'MQTT',
    doc: 'The keep-alive interval sent to the broker; 0 turns keep-alive off.',
  },
  'records.buffer.queue.size': {
    type: 'int',
    default: 10000,
    validate: atLeast(1),
    importance: 'low',
    group: 'Buffering',
    doc: 'How many received messages the task holds before `poll` takes them. When it is full the task stops reading from the broker connection until `poll` made room.',
  },
  'records.buffer.queue.max.batch.size': {
    type: 'int',
    default: 4096,
    validate: atLeast(1),
    importance: 'low',
    group: 'Buffering',
    doc: 'The most records one `poll` returns.',
  },
  'records.buffer.queue.empty.timeout': {
    type: 'int',
    default: 100,
    validate: atLeast(0),
    importance: 'low',
    group: 'Buffering',
    doc: 'How long, in milliseconds, `poll` waits for a message when none is buffered.',
  },
});

export type SourceConfig = ConfigOf<typeof sourceConfig>;

/** The checks across keys the spec cannot make; a `CONFIG` error naming the key. */
export function checkSourceConfig(config: SourceConfig): void {
  if (config['mqtt.qos'] === 2 && config['mqtt.protocol.version'] !== 5) {
    throw configError(
      'mqtt.qos',
      'QoS 2 needs `mqtt.protocol.version=5`: under MQTT 3.1.1 the client must answer PUBREC before the record reaches Kafka and would lose it in a crash; use QoS 1 or MQTT 5',
    );
  }
}

/** The client id of task `task` of connector `connector`: stable across restarts, never random. */
export function defaultClientId(connector: string, task: number): string {
  return `sluice-${connector}-${task}`;
}
