// The task against a real Mosquitto (MQTT_URL, default tcp://127.0.0.1:1883): the broker
// redelivers a QoS 1/2 message whose record was polled but never reported written, and does
// not once `commitRecord` acknowledged it; logins refused and brokers unreachable fail `start`.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { hasErrorCode, noopLogger } from '@sluice/core';
import type { SourceRecord, SourceTaskContext } from '@sluice/core';
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sourceConfig } from './config.ts';
import { MqttSourceTask } from './source-task.ts';

const MQTT_URL = process.env.MQTT_URL ?? 'tcp://127.0.0.1:1883';

function context(name: string): SourceTaskContext {
  return { logger: noopLogger, configs: () => ({ name }), offsetReader: { offset: () => Promise.resolve(null), offsets: () => Promise.resolve([]) } };
}

const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function publish(url: string, topic: string, payload: string, qos: 0 | 1 | 2, protocolVersion: 4 | 5 = 4): Promise<void> {
  const client = await mqtt.connectAsync(url.replace(/^tcp:/, 'mqtt:'), { protocolVersion });
  await client.publishAsync(topic, payload, { qos });
  await client.endAsync();
}

/** Polls until a record arrives or `ms` passed. */
async function pollOne(task: MqttSourceTask, ms: number): Promise<SourceRecord | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const records = await task.poll(new AbortController().signal);
    if (records && records.length > 0) return records[0];
  }
  return undefined;
}

const header = (record: SourceRecord, key: string) => [...record.headers].find((h) => h.key === key)?.value;

describe('the MQTT source task against Mosquitto', () => {
  const tasks: MqttSourceTask[] = [];
  const started = async (raw: Record<string, string>): Promise<MqttSourceTask> => {
    const task = new MqttSourceTask();
    tasks.push(task);
    await task.start(sourceConfig.parse(raw), context('unit'));
    return task;
  };
  beforeAll(async () => {
    try {
      await publish(MQTT_URL, `sluice/probe/${unique()}`, 'x', 0);
    } catch (error) {
      throw new Error(`Mosquitto is not reachable at ${MQTT_URL} (${(error as Error).message}): start it (apt-get install mosquitto) or set MQTT_URL`);
    }
  });
  afterEach(async () => {
    for (const task of tasks.splice(0)) await task.stop();
  });

  it.each([
    [4, 1],
    [5, 1],
    [5, 2],
  ] as const)('MQTT %i, QoS %i: a message polled but not committed comes again after a restart; once committed it does not', async (version, qos) => {
    const topic = `sluice/ack/${unique()}`;
    const raw = {
      'mqtt.server.uri': MQTT_URL,
      'mqtt.topics': `${topic}/#`,
      'kafka.topic': 'k',
      'mqtt.qos': String(qos),
      'mqtt.protocol.version': String(version),
      'mqtt.clean.session.enabled': 'false',
      'mqtt.client.id': `sluice-unit-${unique()}`,
    };
    await (await started(raw)).stop(); // the persistent session and its subscription now exist
    await publish(MQTT_URL, `${topic}/a`, 'reading-1', qos, version);

    const first = await started(raw);
    const record = await pollOne(first, 5000);
    expect(record?.value).toEqual(Buffer.from('reading-1'));
    expect(header(record!, 'mqtt.qos')).toBe(qos);
    await first.stop(); // no commitRecord: Kafka never had it

    const second = await started(raw);
    const again = await pollOne(second, 5000);
    expect(again?.value).toEqual(Buffer.from('reading-1'));
    expect(header(again!, 'mqtt.duplicate')).toBe(true);
    second.commitRecord(again!, { topic: 'k', partition: 0, offset: 0n });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await second.stop();

    const third = await started(raw);
    expect(await pollOne(third, 1500)).toBeUndefined();
  });

  it('subscribes to the configured filters when it starts, also where the broker kept a session with other filters', async () => {
    const topic = `sluice/changed/${unique()}`;
    const clientId = `sluice-unit-${unique()}`;
    const raw = { 'mqtt.server.uri': MQTT_URL, 'kafka.topic': 'k', 'mqtt.qos': '1', 'mqtt.clean.session.enabled': 'false', 'mqtt.client.id': clientId };
    await (await started({ ...raw, 'mqtt.topics': `${topic}/old` })).stop();
    const task = await started({ ...raw, 'mqtt.topics': `${topic}/new` });
    await publish(MQTT_URL, `${topic}/new`, 'fresh', 1);
    const record = await pollOne(task, 5000);
    expect(record?.key).toBe(`${topic}/new`);
    task.commitRecord(record!, { topic: 'k', partition: 0, offset: 0n });
  });

  it('fails start naming the broker and the reason when nothing listens there', async () => {
    const error = await started({ 'mqtt.server.uri': 'tcp://127.0.0.1:1', 'mqtt.topics': 'a', 'kafka.topic': 'k' }).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'CONNECTION')).toBe(true);
    expect((error as Error).message).toMatch(/^cannot connect to MQTT broker 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });

  describe('with a broker that requires a password', () => {
    let broker: ChildProcess | undefined;
    let url = '';
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sluice-mosquitto-'));
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = server.address() as { port: number };
          server.close(() => resolve(free));
        });
      });
      execFileSync('mosquitto_passwd', ['-c', '-b', join(dir, 'passwd'), 'sensor', 'right-password']);
      // `user`: started as root, mosquitto would switch to user mosquitto, which cannot read the private folder
      writeFileSync(join(dir, 'mosquitto.conf'), `user ${userInfo().username}\nlistener ${port} 127.0.0.1\nallow_anonymous false\npassword_file ${join(dir, 'passwd')}\n`);
      broker = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let output = '';
      broker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      url = `tcp://127.0.0.1:${port}`;
      const deadline = Date.now() + 5000;
      for (;;) {
        const up = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'sensor', password: 'right-password', reconnectPeriod: 0 }).then(
          (c) => c.endAsync().then(() => true),
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error(`a private mosquitto with a password file did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
    afterAll(() => {
      broker?.kill();
    });

    it('fails start on a wrong password, naming the broker and the refusal but not the password', async () => {
      const error = await started({ 'mqtt.server.uri': url, 'mqtt.topics': 'a', 'kafka.topic': 'k', 'mqtt.username': 'sensor', 'mqtt.password': 'wrong-secret' }).catch((e: unknown) => e);
      expect(hasErrorCode(error, 'CONNECTION')).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^cannot connect to MQTT broker ${url.slice('tcp://'.length)}: Connection refused: Not authorized`));
      expect((error as Error).message).not.toContain('wrong-secret');
    });

    it('connects with the right one', async () => {
      const task = await started({ 'mqtt.server.uri': url, 'mqtt.topics': 'a', 'kafka.topic': 'k', 'mqtt.username': 'sensor', 'mqtt.password': 'right-password' });
      expect(await task.poll(new AbortController().signal)).toBeNull();
    });
  });
});
