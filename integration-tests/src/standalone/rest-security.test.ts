import { execFileSync } from 'node:child_process';
import { randomUUID, scryptSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { WorkerProcess, freePort, propertiesText } from './worker-process.ts';

const root = mkdtempSync(join(tmpdir(), 'sluice-rest-security-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('this test makes its certificates with the openssl command; install OpenSSL (e.g. apt-get install openssl)');
    throw error;
  }
}

/** A self-signed certificate for 127.0.0.1 made now, as PEM files and as a PKCS12 key store. */
function certificate(dir: string, storePassword: string) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']);
  const p12 = join(dir, 'worker.p12');
  openssl(['pkcs12', '-export', '-in', cert, '-inkey', key, '-out', p12, '-passout', `pass:${storePassword}`]);
  return { key, cert, p12, ca: readFileSync(cert, 'utf8') };
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One request over http or https (trusting `ca`), without fetch's rules on Origin and preflights. */
function call(url: string, options: { method?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(options.ca ? { ca: options.ca } : {}) }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

/** Waits until the worker answers on `url` at all (a 401 counts); fails with its output if it exits or stays silent. */
async function answering(worker: WorkerProcess, url: string, ca: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited with ${worker.child.exitCode}:\n${worker.output}`);
    if (await call(url, { ca }).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; worker output:\n${worker.output}`);
}

describe('REST security on the standalone worker', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });

  function workerFile(dir: string, keys: Record<string, string>): void {
    writeFileSync(
      join(dir, 'worker.properties'),
      propertiesText({
        'bootstrap.servers': bootstrap,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.storage.file.filename': join(dir, 'connect.offsets'),
        ...keys,
      }),
    );
  }

  it('serves Kafka’s https + BasicAuthSecurityRestExtension setup (JAAS file from KAFKA_OPTS) next to an http listener, with CORS', async () => {
    const dir = mkdtempSync(join(root, 'kafka-'));
    const storePassword = `store-${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    const certs = certificate(dir, storePassword);
    writeFileSync(join(dir, 'credentials.properties'), `admin=${password}\n`);
    writeFileSync(
      join(dir, 'connect-jaas.conf'),
      `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${join(dir, 'credentials.properties')}";\n};\n`,
    );
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    workerFile(dir, {
      listeners: `http://127.0.0.1:${httpPort},https://127.0.0.1:${httpsPort}`,
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': certs.p12,
      'ssl.keystore.password': storePassword,
      'ssl.key.password': storePassword,
      'rest.extension.classes': 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
      'access.control.allow.origin': 'https://ui.example.com',
      'access.control.allow.methods': 'GET,POST,PUT,DELETE',
    });
    worker = new WorkerProcess(dir, ['standalone', 'worker.properties'], { KAFKA_OPTS: `-Xmx256m -Djava.security.auth.login.config=${join(dir, 'connect-jaas.conf')}`, SLUICE_LOG_LEVEL: 'debug' });
    const https = `https://127.0.0.1:${httpsPort}`;
    const http = `http://127.0.0.1:${httpPort}`;
    await answering(worker, `${https}/`, certs.ca);

    for (const base of [https, http]) {
      for (const headers of [{}, basic('admin', 'wrong'), basic('intruder', password)]) {
        const refused = await call(`${base}/connectors`, { headers, ca: certs.ca });
        expect(refused.status, `${base} ${JSON.stringify(headers)}`).toBe(401);
        expect(refused.headers['www-authenticate']).toMatch(/^Basic realm=/);
        expect(JSON.parse(refused.body)).toEqual({ error_code: 401, message: 'User cannot access the resource.' });
      }
      const root = await call(`${base}/`, { headers: basic('admin', password), ca: certs.ca });
      expect(root.status).toBe(200);
      expect(JSON.parse(root.body)).toMatchObject({ version: expect.any(String) as string, kafka_cluster_id: expect.any(String) as string });
      const connectors = await call(`${base}/connectors`, { headers: basic('admin', password), ca: certs.ca });
      expect(connectors.status).toBe(200);
      expect(JSON.parse(connectors.body)).toEqual([]);
    }
    // The https listener really is TLS with this certificate: a client that does not trust it is turned away.
    await expect(call(`${https}/`, { headers: basic('admin', password) })).rejects.toThrow(/self[- ]signed|certificate/i);

    const preflight = await call(`${https}/connectors`, {
      method: 'OPTIONS',
      headers: { origin: 'https://ui.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
      ca: certs.ca,
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({ 'access-control-allow-origin': 'https://ui.example.com', 'access-control-allow-methods': 'GET,POST,PUT,DELETE' });
    const foreign = await call(`${https}/connectors`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' }, ca: certs.ca });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await call(`${https}/connectors`, { headers: { origin: 'https://ui.example.com', ...basic('admin', password) }, ca: certs.ca });
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBe('https://ui.example.com');

    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output).toContain(`REST API on ${http}, ${https} (basic auth)`);
    for (const secret of [password, storePassword]) expect(worker.output).not.toContain(secret);
  });

  it('takes a PEM key store under listeners.https. and a users file with an scrypt hash', async () => {
    const dir = mkdtempSync(join(root, 'sluice-'));
    const certs = certificate(dir, 'unused');
    const password = `pw-${randomUUID()}`;
    // The form `sluice` documents, made here with Node's scrypt directly: scrypt$N$r$p$salt$hash.
    const salt = randomBytes(16);
    const hash = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
    writeFileSync(join(dir, 'users.properties'), `# operators\nops=scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}\n`);
    const port = await freePort();
    workerFile(dir, {
      listeners: `https://127.0.0.1:${port}`,
      // The plain ssl.* keys are ignored once a listeners.https. key is given, as in Kafka.
      'ssl.keystore.location': join(dir, 'missing.p12'),
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.key': readFileSync(certs.key, 'utf8').replace(/\n/g, ' '),
      'listeners.https.ssl.keystore.certificate.chain': readFileSync(certs.cert, 'utf8').replace(/\n/g, ' '),
      'rest.basic.auth.users.file': join(dir, 'users.properties'),
    });
    worker = new WorkerProcess(dir, ['standalone', 'worker.properties']);
    const url = `https://127.0.0.1:${port}`;
    await answering(worker, `${url}/`, certs.ca);
    expect((await call(`${url}/connector-plugins`, { ca: certs.ca })).status).toBe(401);
    expect((await call(`${url}/connector-plugins`, { headers: basic('ops', `${password}x`), ca: certs.ca })).status).toBe(401);
    const plugins = await call(`${url}/connector-plugins`, { headers: basic('ops', password), ca: certs.ca });
    expect(plugins.status).toBe(200);
    expect(plugins.body).toContain('FileStreamSource');
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output).not.toContain(password);
  });

  it('refuses to start with a JKS key store, saying how to convert it', async () => {
    const dir = mkdtempSync(join(root, 'jks-'));
    const jks = join(dir, 'kafka.server.keystore.jks');
    // The JKS magic number and version: enough for Sluice to know the format it cannot read.
    writeFileSync(jks, Buffer.from('feedfeed00000002000000000000000000000000', 'hex'));
    workerFile(dir, { listeners: `https://127.0.0.1:${await freePort()}`, 'ssl.keystore.location': jks, 'ssl.keystore.password': 'changeit' });
    worker = new WorkerProcess(dir, ['standalone', 'worker.properties']);
    expect(await worker.exited).toBe(1);
    expect(worker.output).toContain(`config key \`ssl.keystore.location\`: ${jks} is a JKS key store`);
    expect(worker.output).toContain(`keytool -importkeystore -srckeystore ${jks} -srcstoretype JKS -destkeystore ${join(dir, 'kafka.server.keystore.p12')} -deststoretype PKCS12`);
    expect(worker.output).not.toContain('changeit');
  });
});
