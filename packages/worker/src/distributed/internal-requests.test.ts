import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { noopLogger } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { herderStatusOf } from '../herder/errors.ts';
import { RequestSigner, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, interWorkerKeyConfig } from '../rest/request-signing.ts';
import type { SessionKey } from '../rest/request-signing.ts';
import { forwardToLeader } from './forward.ts';
import { DistributedHerder } from './herder.ts';
import type { DistributedHerderParts } from './herder.ts';
import type { WorkerGroup } from './worker-group.ts';

const signer = new RequestSigner(interWorkerKeyConfig.parse({}));
const BODY = '[{"task.class":"x","file":"/tmp/in"}]';
const CONFIGS = [{ 'task.class': 'x', file: '/tmp/in' }];

/** A leader's herder over a config store that holds connector `c` and `key`; `written` collects the task configs it writes. */
function leader(key: SessionKey | null, protocol: 'sessioned' | 'compatible' = 'sessioned') {
  const written: unknown[] = [];
  const configs = {
    snapshot: () => ({ offset: 0, connectorConfigs: new Map([['c', { name: 'c', 'connector.class': 'X' }]]), sessionKey: key, taskCounts: new Map(), taskCountRecords: new Map() }),
    putTaskConfigs: (_connector: string, taskConfigs: unknown) => {
      written.push(taskConfigs);
      return Promise.resolve();
    },
  };
  const parts = {
    registry: { resolve: () => ({ type: 'sink' }) },
    services: { logger: noopLogger },
    secrets: {},
    logLevels: undefined,
    configs,
    statuses: {},
    workerId: 'w',
    logger: noopLogger,
    exactlyOnce: null,
    signer,
    keyTtlMs: 3_600_000,
  } as unknown as DistributedHerderParts;
  const herder = new DistributedHerder(parts);
  herder.attach({ isLeader: true, protocol, leaderUrl: 'http://leader:8083' } as unknown as WorkerGroup);
  return { herder, written };
}

async function refusal(call: Promise<unknown>): Promise<{ status: number | undefined; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('expected a refusal');
  return { status: herderStatusOf(error), message: (error as Error).message };
}

describe('the leader checks internal task config requests (sessioned protocol)', () => {
  const key = signer.generateKey();

  it('writes task configs signed with the session key', async () => {
    const { herder, written } = leader(key);
    await herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: signer.sign(key, BODY) });
    expect(written).toEqual([CONFIGS]);
    await herder.stop();
  });

  it('refuses an unsigned request with 400 (Kafka’s "Internal request missing required signature") and writes nothing', async () => {
    const { herder, written } = leader(key);
    const unsigned = await refusal(herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: {} }));
    expect(unsigned.status).toBe(400);
    expect(unsigned.message).toContain('Internal request missing required signature');
    expect(await refusal(herder.putTaskConfigs('c', CONFIGS))).toMatchObject({ status: 400 });
    expect(written).toEqual([]);
    await herder.stop();
  });

  it('refuses a signature by another key or over another body with 403, and an unknown algorithm with 400', async () => {
    const { herder, written } = leader(key);
    const other = signer.generateKey();
    expect(await refusal(herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: signer.sign(other, BODY) }))).toMatchObject({ status: 403 });
    const tampered = BODY.replace('/tmp/in', '/etc/passwd');
    expect(await refusal(herder.putTaskConfigs('c', [{ 'task.class': 'x', file: '/etc/passwd' }], { body: Buffer.from(tampered), headers: signer.sign(key, BODY) }))).toMatchObject({ status: 403 });
    const unknown = { ...signer.sign(key, BODY), [SIGNATURE_ALGORITHM_HEADER]: 'HmacRot13' };
    expect(await refusal(herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: unknown }))).toMatchObject({ status: 400 });
    expect(written).toEqual([]);
    await herder.stop();
  });

  it('answers 503 while it has read no session key', async () => {
    const { herder, written } = leader(null);
    expect(await refusal(herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: signer.sign(key, BODY) }))).toMatchObject({ status: 503 });
    expect(written).toEqual([]);
    await herder.stop();
  });

  it('takes unsigned requests when the group runs the compatible protocol, as Kafka Connect does', async () => {
    const { herder, written } = leader(null, 'compatible');
    await herder.putTaskConfigs('c', CONFIGS, { body: Buffer.from(BODY), headers: {} });
    expect(written).toEqual([CONFIGS]);
    await herder.stop();
  });
});

describe('forwardToLeader', () => {
  it('signs the bytes it sends: the receiver verifies them against the key', async () => {
    const key = signer.generateKey();
    const received: { body: Buffer; headers: Record<string, string | string[] | undefined>; url: string }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: request.headers, url: request.url ?? '' });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const configs = [{ 'task.class': 'x', note: 'café 🚀' }];
      await forwardToLeader(url, 'POST', '/connectors/c/tasks', configs, { sign: (body) => signer.sign(key, body) });
      await forwardToLeader(url, 'PUT', '/connectors/c/pause');
      const [signed, plain] = received;
      expect(signed!.url).toBe('/connectors/c/tasks?forward=false');
      expect(JSON.parse(signed!.body.toString('utf8'))).toEqual(configs);
      expect(signed!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeDefined();
      expect(signer.verify({ body: signed!.body, headers: signed!.headers }, key)).toEqual({ ok: true });
      // REST writes forwarded for a user are not internal requests: no signature.
      expect(plain!.headers[SIGNATURE_HEADER.toLowerCase()]).toBeUndefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
