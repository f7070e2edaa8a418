// The MQTT source end to end: a standalone worker loading the plugin from plugin.path, the real
// Mosquitto, the real Kafka. Wildcards and headers (MQTT 3.1.1 and 5), 10,000 QoS 1 messages,
// and the worker killed with SIGKILL while QoS 1 messages are published: with a persistent
// session every message reaches Kafka, including those published while it was down.
import { createTopic, readTopic } from '@sluice/testkit';
import type { ReadRecord } from '@sluice/testkit';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { MQTT_URL, eventually, mqttPublisher, mqttWorker, recordCount, run } from './fixtures.ts';

/** Publishes so that at most `ahead` messages wait at the broker for the connector (Mosquitto queues 1,000 per client by default). */
async function publishPaced(client: MqttClient, messages: readonly { topic: string; payload: string }[], inKafka: () => Promise<number>, base: number, ahead = 250): Promise<void> {
  for (let from = 0; from < messages.length; from += ahead) {
    await eventually(async () => (await inKafka()) >= base + from - ahead, 120_000, async () => `${await inKafka()} records in Kafka, ${base + from} published`);
    await Promise.all(messages.slice(from, from + ahead).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })));
  }
}

const headers = (record: ReadRecord) => Object.fromEntries(record.headers.map(([k, v]) => [k, v.toString('utf8')]));

describe('the MQTT source in a worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: WorkerProcess | undefined;
  const clients: MqttClient[] = [];
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
    for (const client of clients.splice(0)) await client.endAsync();
  });
  const publisher = async (version: 4 | 5 = 4) => {
    const client = await mqttPublisher(version);
    clients.push(client);
    return client;
  };

  it('writes what `+` and `#` filters match, keyed by the MQTT topic, with the MQTT headers and MQTT 5 user properties', { timeout: 120_000 }, async () => {
    const prefix = `sluice-it/${run()}`;
    const plusTopic = `mqtt-plus-${run()}`;
    const hashTopic = `mqtt-hash-${run()}`;
    await createTopic(bootstrap, plusTopic);
    await createTopic(bootstrap, hashTopic);
    const setup = await mqttWorker(bootstrap, {
      plus: { 'connector.class': 'io.confluent.connect.mqtt.MqttSourceConnector', 'mqtt.server.uri': MQTT_URL, 'mqtt.topics': `${prefix}/sensors/+/temp`, 'kafka.topic': plusTopic, 'mqtt.qos': '1', 'mqtt.protocol.version': '5' },
      hash: { 'connector.class': 'MqttSourceConnector', 'mqtt.server.uri': MQTT_URL, 'mqtt.topics': `${prefix}/#`, 'kafka.topic': hashTopic, 'mqtt.qos': '1' },
    });
    worker = setup.start();
    await setup.running(worker, 'plus');
    await setup.running(worker, 'hash');

    const v5 = await publisher(5);
    await v5.publishAsync(`${prefix}/sensors/a/temp`, '21.5', { qos: 1, properties: { userProperties: { site: 'north', unit: ['C', 'celsius'] } } });
    await v5.publishAsync(`${prefix}/sensors/b/temp`, Buffer.from([0, 255, 7]), { qos: 1 });
    await v5.publishAsync(`${prefix}/sensors/a/humidity`, '40', { qos: 0 });
    await v5.publishAsync(`${prefix}/sensors/a/b/temp`, '19', { qos: 1 });

    const plus = await readTopic(bootstrap, plusTopic, 2, 30_000);
    expect(plus.map((r) => [r.key?.toString(), r.value])).toEqual([
      [`${prefix}/sensors/a/temp`, Buffer.from('21.5')],
      [`${prefix}/sensors/b/temp`, Buffer.from([0, 255, 7])],
    ]);
    expect(plus[0]!.headers.map(([k, v]) => [k, v.toString()])).toEqual([
      ['mqtt.topic', `${prefix}/sensors/a/temp`],
      ['mqtt.message.id', expect.stringMatching(/^[1-9]\d*$/)],
      ['mqtt.qos', '1'],
      ['mqtt.retained', 'false'],
      ['mqtt.duplicate', 'false'],
      ['mqtt.user.property.site', 'north'],
      ['mqtt.user.property.unit', 'C'],
      ['mqtt.user.property.unit', 'celsius'],
    ]);

    const hash = await readTopic(bootstrap, hashTopic, 4, 30_000);
    expect(hash.map((r) => r.key?.toString()).sort()).toEqual([`${prefix}/sensors/a/b/temp`, `${prefix}/sensors/a/humidity`, `${prefix}/sensors/a/temp`, `${prefix}/sensors/b/temp`]);
    const humidity = hash.find((r) => r.key?.toString().endsWith('humidity'))!;
    expect(headers(humidity)).toMatchObject({ 'mqtt.topic': `${prefix}/sensors/a/humidity`, 'mqtt.message.id': '0', 'mqtt.qos': '0', 'mqtt.retained': 'false', 'mqtt.duplicate': 'false' });
    // MQTT 3.1.1 has no user properties
    expect(Object.keys(headers(hash.find((r) => r.key?.toString().endsWith('a/temp'))!))).toEqual(['mqtt.topic', 'mqtt.message.id', 'mqtt.qos', 'mqtt.retained', 'mqtt.duplicate']);
  });

  it('writes 10,000 QoS 1 messages, every one', { timeout: 300_000 }, async () => {
    const topic = `mqtt-10k-${run()}`;
    const prefix = `sluice-it/${run()}`;
    await createTopic(bootstrap, topic);
    const setup = await mqttWorker(bootstrap, {
      bulk: { 'connector.class': 'mqtt-source', 'mqtt.server.uri': MQTT_URL, 'mqtt.topics': `${prefix}/+`, 'kafka.topic': topic, 'mqtt.qos': '1' },
    });
    worker = setup.start();
    await setup.running(worker, 'bulk');
    const client = await publisher();
    const messages = Array.from({ length: 10_000 }, (_, i) => ({ topic: `${prefix}/d${i % 10}`, payload: `m-${i}` }));
    const started = Date.now();
    await publishPaced(client, messages, () => recordCount(bootstrap, topic), 0);
    await eventually(async () => (await recordCount(bootstrap, topic)) >= 10_000, 120_000, async () => `${await recordCount(bootstrap, topic)} of 10000 records in Kafka`);
    console.log(`mqtt source: 10,000 QoS 1 messages in Kafka after ${Date.now() - started} ms`);
    const records = await readTopic(bootstrap, topic, 10_000, 60_000);
    expect(new Set(records.map((r) => r.value!.toString())).size).toBe(10_000);
  });

  it('loses nothing when the worker is killed with SIGKILL, and delivers what was published while it was down', { timeout: 600_000 }, async () => {
    const TOTAL = 3000;
    const topic = `mqtt-crash-${run()}`;
    const prefix = `sluice-it/${run()}`;
    await createTopic(bootstrap, topic);
    const name = `crash-${run()}`;
    const setup = await mqttWorker(bootstrap, {
      [name]: { 'connector.class': 'mqtt-source', 'mqtt.server.uri': MQTT_URL, 'mqtt.topics': `${prefix}/#`, 'kafka.topic': topic, 'mqtt.qos': '1', 'mqtt.clean.session.enabled': 'false' },
    });
    const inKafka = () => recordCount(bootstrap, topic);
    const client = await publisher();
    const messages = Array.from({ length: TOTAL }, (_, i) => ({ topic: `${prefix}/dev${i % 7}/reading`, payload: `id-${i}` }));

    worker = setup.start();
    await setup.running(worker, name);
    await publishPaced(client, messages.slice(0, 1000), inKafka, 0);
    await eventually(async () => (await inKafka()) >= 900, 60_000, async () => `${await inKafka()} of 1000 in Kafka`);
    // killed with messages still on the way: published, some polled, not all in Kafka
    await Promise.all(messages.slice(1000, 1200).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })));
    expect(await worker.stop('SIGKILL')).toBeNull();
    const atKill = await inKafka();
    // published while no worker runs: the broker keeps them in the persistent session (fewer than
    // the 1,000 Mosquitto queues per client by default, counting those left over at the kill)
    await Promise.all(messages.slice(1200, 1600).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })));

    worker = setup.start();
    await setup.running(worker, name);
    await publishPaced(client, messages.slice(1600), inKafka, 1600);
    await eventually(async () => (await inKafka()) >= TOTAL, 180_000, async () => `${await inKafka()} of ${TOTAL} in Kafka; worker output:\n${worker?.output.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // anything redelivered after the last one
    const count = await inKafka();
    const records = await readTopic(bootstrap, topic, count, 60_000);
    const seen = new Map<string, number>();
    for (const record of records) seen.set(record.value!.toString(), (seen.get(record.value!.toString()) ?? 0) + 1);
    const missing = messages.map((m) => m.payload).filter((id) => !seen.has(id));
    const duplicates = records.length - seen.size;
    const whileDown = messages.slice(1200, 1600).filter((m) => seen.has(m.payload)).length;
    console.log(`mqtt crash test: ${atKill} records in Kafka at the SIGKILL; ${records.length} records for ${TOTAL} messages, ${duplicates} duplicates, ${missing.length} lost`);
    expect(missing).toEqual([]);
    expect(whileDown).toBe(400);
    expect(seen.size).toBe(TOTAL);
  });
});
