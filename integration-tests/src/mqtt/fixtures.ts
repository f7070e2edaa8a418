// What the MQTT end-to-end suites share: the Mosquitto on 127.0.0.1:1883 (or MQTT_URL), reached
// from the test with MQTT.js directly; a standalone worker that loads the MQTT plugin from its
// package folder as `plugin.path`; and the count of records in a Kafka topic.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformaticClient } from '@sluice/worker/kafka';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { WorkerProcess, allRunning, freePort, propertiesText } from '../standalone/worker-process.ts';

export const MQTT_PLUGIN = fileURLToPath(new URL('../../../packages/connector-mqtt/', import.meta.url));

/** The broker as the connector's `mqtt.server.uri` names it. */
export const MQTT_URL = process.env.MQTT_URL ?? 'tcp://127.0.0.1:1883';

/** A publishing client of the broker; fails saying how to provide one when there is none. */
export async function mqttPublisher(protocolVersion: 4 | 5 = 4): Promise<MqttClient> {
  try {
    return await mqtt.connectAsync(MQTT_URL.replace(/^tcp:/, 'mqtt:'), { protocolVersion, reconnectPeriod: 0, clientId: `sluice-it-publisher-${run()}` });
  } catch (error) {
    throw new Error(`Mosquitto is not reachable at ${MQTT_URL} (${(error as Error).message}): start it (apt-get install mosquitto) or set MQTT_URL`);
  }
}

/** A name no other run uses. */
export function run(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export interface MqttWorker {
  readonly rest: string;
  start(): WorkerProcess;
  /** Resolves when every connector and task of `name` is RUNNING. */
  running(worker: WorkerProcess, name: string, timeoutMs?: number): Promise<unknown>;
}

/**
 * A standalone worker with string keys and byte-array values (the records as the MQTT source
 * makes them), the MQTT plugin on `plugin.path`, and these connectors.
 */
export async function mqttWorker(bootstrap: string, connectors: Readonly<Record<string, Readonly<Record<string, string>>>>): Promise<MqttWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-mqtt-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'worker.properties'),
    propertiesText({
      'bootstrap.servers': bootstrap,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'plugin.path': MQTT_PLUGIN,
      listeners: `http://127.0.0.1:${port}`,
    }),
  );
  const files = Object.entries(connectors).map(([name, config]) => {
    writeFileSync(join(dir, `${name}.properties`), propertiesText({ name, ...config }));
    return `${name}.properties`;
  });
  const rest = `http://127.0.0.1:${port}`;
  return {
    rest,
    start: () => new WorkerProcess(dir, ['standalone', 'worker.properties', ...files]),
    running: (process, name, timeoutMs = 60_000) => process.waitFor(`${rest}/connectors/${encodeURIComponent(name)}/status`, allRunning, timeoutMs),
  };
}

/** How many records `topic` holds (the sum of its partitions' end offsets). */
export async function recordCount(bootstrap: string, topic: string): Promise<number> {
  const admin = await platformaticClient({ bootstrapServers: bootstrap.split(','), clientId: 'sluice-it-mqtt-count' }).admin();
  try {
    return (await admin.listOffsets(topic, 'latest')).reduce((sum, { offset }) => sum + Number(offset), 0);
  } finally {
    await admin.close();
  }
}

/** Polls `probe` until it returns true, failing after `timeoutMs` with what `describe` says. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, describe: () => Promise<string> | string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not reached within ${timeoutMs} ms: ${await describe()}`);
}
