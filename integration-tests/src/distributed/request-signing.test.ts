import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { clustersPerTest, eventually } from './cluster.ts';
import type { Answer, Cluster } from './cluster.ts';

const SIGNATURE = 'X-Connect-Authorization';
const ALGORITHM = 'X-Connect-Request-Signature-Algorithm';

/** The worker that last logged assigning as the group's leader. */
function leader(cluster: Cluster): number {
  const last = (i: number) => [...cluster.output(i).matchAll(/^\[([^\]]+)\] INFO assigned connectors and tasks as the group leader$/gm)].map((m) => m[1]!).pop() ?? '';
  const [first] = cluster.running().sort((a, b) => last(b).localeCompare(last(a)));
  if (first === undefined || last(first) === '') throw new Error(`no worker logged being the group leader\n${cluster.logs()}`);
  return first;
}

/** A raw internal `POST /connectors/{c}/tasks` with these exact body bytes and headers. */
async function postTasks(cluster: Cluster, on: number, connector: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${cluster.url(on)}/connectors/${encodeURIComponent(connector)}/tasks?forward=false`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

const hmac = (key: Uint8Array, body: string) => createHmac('sha256', key).update(body).digest('base64');

/** A FileStreamSource connector reading its own empty file. */
function sourceConfig(cluster: Cluster, name: string): Record<string, string> {
  const file = join(cluster.dir, `${name}.in.txt`);
  writeFileSync(file, '');
  return { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file, topic: uniqueTopic('signed') };
}

describe('signed internal requests between the workers of a cluster (KIP-507)', () => {
  const bootstrap = inject('kafkaBootstrap');
  const clusters = clustersPerTest(bootstrap);

  it('publishes a follower’s task configs to the leader signed with the session key from the config topic, and refuses unsigned or badly signed ones, changing nothing', { timeout: 90_000 }, async () => {
    const cluster = await clusters.create(2);
    await cluster.startAll();
    const lead = leader(cluster);
    const follower = lead === 0 ? 1 : 0;

    // The leader wrote a session key when it started leading: the config topic's first record, in Kafka Connect's format.
    const [record] = await readTopic(bootstrap, `${cluster.group}-configs`, 1);
    expect(record!.key?.toString('utf8')).toBe('session-key');
    const value = JSON.parse(record!.value!.toString('utf8')) as { key: string; algorithm: string; 'creation-timestamp': number };
    expect(value.algorithm).toBe('HmacSHA256');
    expect(Math.abs(value['creation-timestamp'] - Date.now())).toBeLessThan(60_000);
    const sessionKey = Buffer.from(value.key, 'base64');
    expect(sessionKey).toHaveLength(32);

    // Connectors until one runs on the follower: its task configs reach the config topic only through the leader.
    let onFollower: string | undefined;
    for (let n = 0; n < 4 && onFollower === undefined; n++) {
      const name = uniqueTopic('signed-source');
      await cluster.createConnector(n % 2, name, sourceConfig(cluster, name));
      const [status] = await cluster.waitForRunning(lead, [name]);
      if (status!.connector.worker_id === cluster.id(follower)) onFollower = name;
    }
    if (onFollower === undefined) throw new Error(`no connector ran on the follower\n${cluster.logs()}`);
    const connector = onFollower;
    const tasks = async (i: number) => (await cluster.call(i, 'GET', `/connectors/${connector}/tasks`)).body as { id: unknown; config: Record<string, string> }[];
    const before = await tasks(lead);
    expect(before).toHaveLength(1);
    expect(await tasks(follower)).toEqual(before);
    expect(cluster.output(lead), 'the leader refused none of the follower’s requests').not.toContain('refused task configs');

    // Requests that would point the task at another file.
    const evil = JSON.stringify([{ ...before[0]!.config, file: '/etc/passwd' }]);
    const unsigned = await postTasks(cluster, lead, connector, evil);
    expect(unsigned.status, JSON.stringify(unsigned.body)).toBe(400);
    expect(unsigned.body).toMatchObject({ error_code: 400, message: expect.stringContaining('Internal request missing required signature') as unknown });
    const wrongKey = await postTasks(cluster, lead, connector, evil, { [SIGNATURE]: hmac(randomBytes(32), evil), [ALGORITHM]: 'HmacSHA256' });
    expect(wrongKey.status, JSON.stringify(wrongKey.body)).toBe(403);
    // The cluster's own key, but over other bytes than those sent.
    const tampered = await postTasks(cluster, lead, connector, evil, { [SIGNATURE]: hmac(sessionKey, JSON.stringify([before[0]!.config])), [ALGORITHM]: 'HmacSHA256' });
    expect(tampered.status, JSON.stringify(tampered.body)).toBe(403);
    const unknownAlgorithm = await postTasks(cluster, lead, connector, evil, { [SIGNATURE]: hmac(sessionKey, evil), [ALGORITHM]: 'HmacRot13' });
    expect(unknownAlgorithm.status, JSON.stringify(unknownAlgorithm.body)).toBe(400);
    // A follower refuses it too.
    expect((await postTasks(cluster, follower, connector, evil)).status).toBe(400);

    // Nothing changed, on either worker, and the task still runs.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await tasks(lead)).toEqual(before);
    expect(await tasks(follower)).toEqual(before);
    await cluster.waitForRunning(follower, [connector]);

    // Signed with the key from the config topic over the exact bytes sent, the leader takes it.
    const same = JSON.stringify([before[0]!.config]);
    const signed = await postTasks(cluster, lead, connector, same, { [SIGNATURE]: hmac(sessionKey, same), [ALGORITHM]: 'HmacSHA256' });
    expect(signed.status, JSON.stringify(signed.body)).toBe(204);
  });

  it('neither signs nor verifies when the group runs the compatible protocol, and says so', { timeout: 60_000 }, async () => {
    const cluster = await clusters.create(1);
    appendFileSync(join(cluster.dir, 'worker-0.properties'), 'connect.protocol=compatible\n');
    await cluster.start(0);
    const name = uniqueTopic('compatible-source');
    const config = sourceConfig(cluster, name);
    await cluster.createConnector(0, name, config);
    await cluster.waitForRunning(0, [name]);
    expect(cluster.output(0)).toContain('internal requests between workers are neither signed nor verified');
    expect(cluster.output(0)).not.toContain('wrote a new session key');

    const other = join(cluster.dir, 'other.in.txt');
    writeFileSync(other, '');
    const [task] = (await cluster.call(0, 'GET', `/connectors/${name}/tasks`)).body as { config: Record<string, string> }[];
    const unsigned = await postTasks(cluster, 0, name, JSON.stringify([{ ...task!.config, file: other }]));
    expect(unsigned.status, JSON.stringify(unsigned.body)).toBe(204);
    await eventually(
      'the unsigned task config applied',
      async () => (((await cluster.call(0, 'GET', `/connectors/${name}/tasks`)).body as { config: { file?: string } }[])[0]?.config.file === other ? true : undefined),
      () => cluster.logs(),
      10_000,
    );
  });
});
