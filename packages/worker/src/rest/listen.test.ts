import { request } from 'node:https';
import Fastify from 'fastify';
import type { FastifyServerFactory } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { testCertificates } from './certificates.test.fixtures.ts';
import type { TestCertificates } from './certificates.test.fixtures.ts';
import { listenAll } from './listen.ts';
import { parseListener } from './server.ts';
import { httpsServer, tlsSettings } from './tls.ts';
import type { TlsSettings } from './tls.ts';

let certs: TestCertificates;
beforeAll(() => {
  certs = testCertificates();
});

function app(tls: TlsSettings | undefined) {
  const serverFactory: FastifyServerFactory | undefined = tls ? (handler) => httpsServer(tls, handler) : undefined;
  const server = Fastify(serverFactory ? { serverFactory } : {});
  server.get('/', () => ({ tls: tls !== undefined }));
  return server;
}

function getHttps(url: string, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(body)));
    })
      .on('error', reject)
      .end();
  });
}

describe('listenAll', () => {
  it('serves http and https listeners at once, each on its own port', async () => {
    const tls = await tlsSettings({ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': certs.storePassword });
    const rest = await listenAll([parseListener('http://127.0.0.1:0'), parseListener('HTTPS://127.0.0.1:0')], tls, app);
    try {
      const [http, https] = rest.urls as [string, string];
      expect(http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(https).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(http)).json()).toEqual({ tls: false });
      expect(await getHttps(https, certs.cert)).toEqual({ tls: true });
      await expect(getHttps(https, testCertificates('other').cert)).rejects.toThrow();
    } finally {
      await rest.close();
    }
  });

  it('closes the listeners it started when a later one cannot listen', async () => {
    const first = await listenAll([parseListener('http://127.0.0.1:0')], undefined, app);
    const port = new URL(first.urls[0]!).port;
    await expect(listenAll([parseListener('http://127.0.0.1:0'), parseListener(`http://127.0.0.1:${port}`)], undefined, app)).rejects.toThrow(/EADDRINUSE/);
    await first.close();
  });
});
