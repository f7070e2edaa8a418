import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BasicAuthenticator } from './basic-auth.ts';
import { corsPolicy } from './cors.ts';
import { applyRestSecurity } from './security.ts';

function app(origin: string, methods = '') {
  const server = Fastify();
  const cors = corsPolicy(origin, methods);
  applyRestSecurity(server, cors ? { cors } : {});
  server.get('/connectors', () => []);
  return server;
}

const preflight = (origin: string, method: string, headers?: string) => ({
  method: 'OPTIONS' as const,
  url: '/connectors',
  headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
});

describe('corsPolicy', () => {
  it('is off without access.control.allow.origin, and allows GET, POST and HEAD by default', () => {
    expect(corsPolicy('', 'PUT')).toBeUndefined();
    expect(corsPolicy(' , ', '')).toBeUndefined();
    expect(corsPolicy('https://ui.example.com', '')).toEqual({ origins: ['https://ui.example.com'], methods: ['GET', 'POST', 'HEAD'] });
    expect(corsPolicy('*', 'get, put ,DELETE')).toEqual({ origins: ['*'], methods: ['GET', 'PUT', 'DELETE'] });
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin for an allowed method with 204 and the allowed methods', async () => {
    const server = app('https://ui.example.com', 'GET,PUT,DELETE');
    const response = await server.inject(preflight('https://ui.example.com', 'PUT', 'Content-Type, Authorization'));
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://ui.example.com',
      'access-control-allow-methods': 'GET,PUT,DELETE',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '1800',
      vary: 'Origin',
    });
    expect(String(response.headers['access-control-allow-headers'])).toContain('Authorization');
  });

  it('gives no CORS headers to another origin, a method or header not allowed', async () => {
    const server = app('https://ui.example.com');
    for (const request of [preflight('https://evil.example.com', 'GET'), preflight('https://ui.example.com', 'DELETE'), preflight('https://ui.example.com', 'GET', 'X-Custom')]) {
      const response = await server.inject(request);
      expect(response.statusCode).not.toBe(204);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
    const simple = await server.inject({ url: '/connectors', headers: { origin: 'https://evil.example.com' } });
    expect(simple.statusCode).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('marks answers to allowed origins, with * and wildcards, and leaves same-origin requests alone', async () => {
    const any = await app('*').inject({ url: '/connectors', headers: { origin: 'http://localhost:3000' } });
    expect(any.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const wildcard = app('https://*.example.com');
    expect((await wildcard.inject({ url: '/connectors', headers: { origin: 'https://ui.example.com' } })).headers['access-control-allow-origin']).toBe('https://ui.example.com');
    expect((await wildcard.inject({ url: '/connectors', headers: { origin: 'https://example.org' } })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await wildcard.inject({ url: '/connectors' })).headers['access-control-allow-origin']).toBeUndefined();
    expect((await app('').inject(preflight('https://ui.example.com', 'GET'))).statusCode).toBe(404);
  });

  it('answers preflights before basic auth, which browsers send without credentials, and keeps CORS headers on a 401', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sluice-cors-')), 'users');
    writeFileSync(file, 'ann=s3cret\n');
    const server = Fastify();
    applyRestSecurity(server, { cors: corsPolicy('https://ui.example.com', '')!, basicAuth: await BasicAuthenticator.fromFile(file, 'k') });
    server.get('/connectors', () => []);
    expect((await server.inject(preflight('https://ui.example.com', 'GET', 'Authorization'))).statusCode).toBe(204);
    const unauthorized = await server.inject({ url: '/connectors', headers: { origin: 'https://ui.example.com' } });
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers['access-control-allow-origin']).toBe('https://ui.example.com');
  });
});
