import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { rememberCallers } from '../rest/caller.ts';
import { forwardToLeader } from './forward.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A stand-in leader that answers 201 and remembers the headers it got. */
async function fakeLeader(status = 201): Promise<{ url: string; headers: Record<string, string | string[] | undefined>[] }> {
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server = createServer((request, response) => {
    headers.push(request.headers);
    response.writeHead(status, { 'content-type': 'application/json' }).end(status < 400 ? '{"name":"c"}' : '{"error_code":401,"message":"User cannot access the resource."}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers };
}

/** A follower's REST endpoint that forwards what it gets, as the distributed herder does. */
async function follower(leaderUrl: string): Promise<string> {
  const app = Fastify();
  rememberCallers(app);
  app.post('/connectors', async (request, reply) => {
    const forwarded = await forwardToLeader(leaderUrl, 'POST', '/connectors', request.body);
    return reply.status(forwarded.status).send(forwarded.body);
  });
  app.setErrorHandler((error: { message: string; context?: { status?: number } }, _request, reply) => void reply.status(error.context?.status ?? 500).send({ message: error.message }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return url;
}

describe('forwardToLeader', () => {
  it('passes the caller’s Authorization header on to the leader, as Kafka Connect does, so basic auth works from any worker', async () => {
    const leader = await fakeLeader();
    const url = await follower(leader.url);
    const response = await fetch(`${url}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic YWxpY2U6czNjcmV0' }, body: '{"name":"c","config":{}}' });
    expect(response.status).toBe(201);
    expect(leader.headers[0]?.authorization).toBe('Basic YWxpY2U6czNjcmV0');
  });

  it('sends no Authorization header when the caller gave none, and answers the leader’s 401 as 401', async () => {
    const leader = await fakeLeader(401);
    const url = await follower(leader.url);
    const response = await fetch(`${url}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"c","config":{}}' });
    expect(response.status).toBe(401);
    expect(leader.headers[0]?.authorization).toBeUndefined();
  });
});
