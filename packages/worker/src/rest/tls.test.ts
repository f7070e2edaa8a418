import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertRejectsWithCode } from '@sluice/core';
import { testCertificates } from './certificates.test.fixtures.ts';
import type { TestCertificates } from './certificates.test.fixtures.ts';
import { httpsServer, prefixedSslSecrets, sslSettings, tlsSettings } from './tls.ts';
import type { TlsSettings } from './tls.ts';

let certs: TestCertificates;
let other: TestCertificates;
beforeAll(() => {
  certs = testCertificates();
  other = testCertificates('intruder');
});

/** Awaits a CONFIG error whose message holds `message`. */
async function refused(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await assertRejectsWithCode(promise, 'CONFIG');
  expect(error.message).toContain(message);
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An https server answering `ok` on 127.0.0.1; returns its port. */
async function serve(tls: TlsSettings): Promise<number> {
  const server = httpsServer(tls, (_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

function get(port: number, options: { ca?: string; cert?: string; key?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', ...options, ca: options.ca ?? certs.cert }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tlsSettings key stores', () => {
  it('serves a PKCS12 key store, also when the type is left at JKS as Java reads PKCS12 then', async () => {
    for (const type of ['PKCS12', undefined]) {
      const tls = await tlsSettings({ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': certs.storePassword, ...(type ? { 'ssl.keystore.type': type } : {}) });
      expect(await get(await serve(tls))).toBe('ok');
    }
  });

  it('serves PEM from one file, and inline as a .properties value squeezed onto one line', async () => {
    const file = await tlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': certs.bundleFile });
    expect(await get(await serve(file))).toBe('ok');
    const oneLine = (pem: string) => pem.replace(/\n/g, ' ');
    const inline = await tlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': oneLine(certs.key), 'ssl.keystore.certificate.chain': oneLine(certs.cert) });
    expect(await get(await serve(inline))).toBe('ok');
  });

  it('decrypts an encrypted PEM key with ssl.key.password, and says to set it when it is missing', async () => {
    const encrypted = readFileSync(certs.encryptedKeyFile, 'utf8');
    const tls = await tlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': encrypted, 'ssl.keystore.certificate.chain': certs.cert, 'ssl.key.password': certs.keyPassword });
    expect(await get(await serve(tls))).toBe('ok');
    await refused(
      tlsSettings({ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': encrypted, 'ssl.keystore.certificate.chain': certs.cert }),
      'config key `ssl.keystore.key`: cannot read the private key: the key is encrypted, set ssl.key.password',
    );
  });

  it('refuses a JKS file with the keytool command that converts it', async () => {
    const jks = join(certs.dir, 'server.keystore.jks');
    writeFileSync(jks, Buffer.from('feedfeed000000020000000100000001', 'hex'));
    const error = await assertRejectsWithCode(tlsSettings({ 'ssl.keystore.location': jks, 'ssl.keystore.password': 'x' }), 'CONFIG');
    expect(error.message).toContain(`config key \`ssl.keystore.location\`: ${jks} is a JKS key store, which Sluice cannot read`);
    expect(error.message).toContain(`keytool -importkeystore -srckeystore ${jks} -srcstoretype JKS -destkeystore ${join(certs.dir, 'server.keystore.p12')} -deststoretype PKCS12`);
    expect(error.message).toContain('ssl.keystore.type=PKCS12');
  });

  it('names the key of each mistake Kafka refuses, and a wrong password', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'config key `ssl.keystore.location`: an https listener needs a key store'],
      [{ 'ssl.keystore.location': certs.p12File }, 'config key `ssl.keystore.password`: is required with the key store'],
      [{ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': 'wrong' }, 'config key `ssl.keystore.location`: cannot read the PKCS12 key store'],
      [{ 'ssl.keystore.type': 'PEM', 'ssl.keystore.location': certs.bundleFile, 'ssl.keystore.password': 'x' }, 'config key `ssl.keystore.password`: is not allowed with PEM'],
      [{ 'ssl.keystore.key': certs.key, 'ssl.keystore.certificate.chain': certs.cert }, 'config key `ssl.keystore.key`: an inline private key needs ssl.keystore.type=PEM, not JKS'],
      [{ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': certs.key }, 'config key `ssl.keystore.certificate.chain`: is required with ssl.keystore.key'],
      [{ 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': other.key, 'ssl.keystore.certificate.chain': certs.cert }, 'the first certificate of the chain does not belong to the private key'],
      [{ 'ssl.keystore.location': join(certs.dir, 'absent.p12'), 'ssl.keystore.password': 'x' }, 'config key `ssl.keystore.location`: cannot read'],
      [{ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': certs.storePassword, 'ssl.enabled.protocols': 'SSLv3' }, '`SSLv3` is not a TLS version'],
      [{ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': certs.storePassword, 'ssl.client.auth': 'maybe' }, 'config key `ssl.client.auth`'],
    ];
    for (const [config, message] of cases) await refused(tlsSettings(config), message);
  });
});

describe('tlsSettings with the listeners.https. prefix', () => {
  it('reads only the prefixed keys when there is one, as Kafka does, and names them with the prefix', async () => {
    const raw = {
      'ssl.keystore.location': '/nowhere.p12',
      'listeners.https.ssl.keystore.location': certs.p12File,
      'listeners.https.ssl.keystore.password': certs.storePassword,
    };
    expect(sslSettings(raw).prefix).toBe('listeners.https.');
    expect(await get(await serve(await tlsSettings(raw)))).toBe('ok');
    await refused(tlsSettings({ 'listeners.https.ssl.keystore.location': certs.p12File }), 'config key `listeners.https.ssl.keystore.password`');
    await refused(tlsSettings({ ...raw, 'listeners.https.ssl.client.auth': 'maybe' }), 'config key `listeners.https.ssl.client.auth`');
  });

  it('lists the prefixed secret values for the scrubber', () => {
    expect(prefixedSslSecrets({ 'listeners.https.ssl.keystore.password': 'p1', 'listeners.https.ssl.keystore.key': 'k1', 'listeners.https.ssl.keystore.location': '/a', 'ssl.key.password': 'x' })).toEqual(['p1', 'k1']);
  });
});

describe('tlsSettings protocols and client certificates', () => {
  const store = () => ({ 'ssl.keystore.location': certs.p12File, 'ssl.keystore.password': certs.storePassword });

  it('caps the versions with ssl.protocol and takes the range of ssl.enabled.protocols', async () => {
    expect((await tlsSettings(store())).server).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    expect((await tlsSettings({ ...store(), 'ssl.protocol': 'TLSv1.2' })).server).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const only13 = await tlsSettings({ ...store(), 'ssl.enabled.protocols': 'TLSv1.3' });
    expect(only13.server).toMatchObject({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    await expect(get(await serve(only13), { maxVersion: 'TLSv1.2' })).rejects.toThrow(/protocol|version/i);
  });

  it('with required client auth, admits only clients whose certificate the PEM trust store vouches for', async () => {
    const tls = await tlsSettings({ ...store(), 'ssl.client.auth': 'required', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.certFile });
    const port = await serve(tls);
    expect(await get(port, { cert: certs.cert, key: certs.key })).toBe('ok');
    await expect(get(port)).rejects.toThrow();
    await expect(get(port, { cert: other.cert, key: other.key })).rejects.toThrow();
  });

  it('with requested client auth, admits clients without a certificate but not with an untrusted one', async () => {
    const tls = await tlsSettings({ ...store(), 'ssl.client.auth': 'requested', 'ssl.truststore.type': 'PEM', 'ssl.truststore.certificates': certs.cert });
    const port = await serve(tls);
    expect(await get(port)).toBe('ok');
    expect(await get(port, { cert: certs.cert, key: certs.key })).toBe('ok');
    await expect(get(port, { cert: other.cert, key: other.key })).rejects.toThrow();
  });

  it('refuses a trust store Node cannot read, saying how to export it as PEM', async () => {
    await refused(
      tlsSettings({ ...store(), 'ssl.truststore.location': certs.p12File, 'ssl.truststore.password': certs.storePassword }),
      'config key `ssl.truststore.type`: Sluice reads PEM trust stores only, not JKS',
    );
    await refused(tlsSettings({ ...store(), 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': certs.keyFile }), 'holds no PEM certificate');
  });
});
