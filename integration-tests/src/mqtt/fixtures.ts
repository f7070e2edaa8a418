// What the MQTT end-to-end suites share: the Mosquitto on 127.0.0.1:1883 (or MQTT_URL), reached
// from the test with MQTT.js directly; a standalone worker that loads the MQTT plugin from its
// package folder as `plugin.path`; and the count of records in a Kafka topic.
import { fileURLToPath } from 'node:url';
import { platformaticClient } from '@sluice/worker/kafka';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { eventually, pluginWorker } from '../standalone/worker-process.ts';
import type { PluginWorker } from '../standalone/worker-process.ts';

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

export type MqttWorker = PluginWorker;

/**
 * A standalone worker with string keys and byte-array values (the records as the MQTT source
 * makes them), the MQTT plugin on `plugin.path`, and these connectors.
 */
export function mqttWorker(bootstrap: string, connectors: Readonly<Record<string, Readonly<Record<string, string>>>>): Promise<MqttWorker> {
  return pluginWorker(
    MQTT_PLUGIN,
    { 'bootstrap.servers': bootstrap, 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' },
    connectors,
  );
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

export { eventually };
