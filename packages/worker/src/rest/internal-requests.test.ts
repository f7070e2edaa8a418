import { describe, expect, it } from 'vitest';
import type { Herder, InternalRequest } from '../herder/herder.ts';
import { BasicAuthenticator } from './basic-auth.ts';
import { RequestSigner, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER, interWorkerKeyConfig } from './request-signing.ts';
import { restServer } from './server.ts';

/** A herder that records the internal requests it is handed. */
function recordingHerder(): { herder: Herder; calls: { connector: string; configs: unknown; request?: InternalRequest }[] } {
  const calls: { connector: string; configs: unknown; request?: InternalRequest }[] = [];
  const herder = {
    putTaskConfigs: (connector: string, configs: unknown, request?: InternalRequest) => {
      calls.push({ connector, configs, ...(request ? { request } : {}) });
      return Promise.resolve();
    },
  } as unknown as Herder;
  return { herder, calls };
}

const OPTIONS = { version: '0', commit: 'x', kafkaClusterId: 'k' };

describe('internal POST /connectors/{c}/tasks', () => {
  it('hands the herder the body bytes exactly as sent, with the signature headers, so the signature can be checked', async () => {
    const { herder, calls } = recordingHerder();
    const app = restServer(herder, OPTIONS);
    const signer = new RequestSigner(interWorkerKeyConfig.parse({}));
    const key = signer.generateKey();
    // Spacing and key order a JSON round trip would not keep.
    const body = '[ {"task.class" : "x",  "file":"/tmp/in \u00e9"} ]';
    const answer = await app.inject({ method: 'POST', url: '/connectors/c%2F1/tasks?forward=false', headers: { 'content-type': 'application/json', ...signer.sign(key, body) }, body });
    expect(answer.statusCode).toBe(204);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.connector).toBe('c/1');
    expect(call!.configs).toEqual([{ 'task.class': 'x', file: '/tmp/in é' }]);
    expect(Buffer.from(call!.request!.body).toString('utf8')).toBe(body);
    expect(call!.request!.headers[SIGNATURE_ALGORITHM_HEADER.toLowerCase()]).toBe('HmacSHA256');
    expect(signer.verify(call!.request!, key)).toEqual({ ok: true });
    await app.close();
  });

  it('refuses a body above the body limit before it reaches the herder', async () => {
    const { herder, calls } = recordingHerder();
    const app = restServer(herder, OPTIONS);
    const body = JSON.stringify([{ big: 'x'.repeat(1024 * 1024 + 1) }]);
    const answer = await app.inject({ method: 'POST', url: '/connectors/c/tasks', headers: { 'content-type': 'application/json' }, body });
    expect(answer.statusCode).toBe(413);
    expect(calls).toHaveLength(0);
    await app.close();
  });

  it('is let through basic auth for the herder to check its signature, as Kafka’s JaasBasicAuthFilter lets it through; other writes are not', async () => {
    const { herder, calls } = recordingHerder();
    const basicAuth = new BasicAuthenticator(new Map([['ann', { kind: 'plain', password: Buffer.from('s3cret') }]]));
    const app = restServer(herder, { ...OPTIONS, security: { basicAuth } });
    const signed = { 'content-type': 'application/json', [SIGNATURE_HEADER]: 'AAAA', [SIGNATURE_ALGORITHM_HEADER]: 'HmacSHA256' };
    expect((await app.inject({ method: 'POST', url: '/connectors/c/tasks', headers: signed, body: '[]' })).statusCode).toBe(204);
    expect(calls).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: '/connectors', headers: signed, body: '{}' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/connectors/c/tasks/0/restart', headers: signed })).statusCode).toBe(401);
    await app.close();
  });
});
