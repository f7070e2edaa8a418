import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed certificate for localhost and 127.0.0.1 in the forms a worker's SSL keys take. */
export interface TestCertificates {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
  /** PEM files: the certificate, the key, both in one file, and the key encrypted with `keyPassword`. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly bundleFile: string;
  readonly encryptedKeyFile: string;
  readonly keyPassword: string;
  /** A PKCS12 key store with the key and certificate, under `storePassword`. */
  readonly p12File: string;
  readonly storePassword: string;
}

function openssl(args: readonly string[]): void {
  try {
    execFileSync('openssl', args, { stdio: 'pipe' });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? 'these tests make certificates with the openssl command; install OpenSSL (e.g. apt-get install openssl)' : `openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

/** Makes a fresh certificate (and a second, unrelated one) with the `openssl` command, in a temporary folder. */
export function testCertificates(name = 'localhost'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]); // prettier-ignore
  const keyPassword = 'key-pa55word';
  const encryptedKeyFile = join(dir, 'key.encrypted.pem');
  openssl(['pkcs8', '-topk8', '-in', keyFile, '-out', encryptedKeyFile, '-passout', `pass:${keyPassword}`]);
  const storePassword = 'store-pa55word';
  const p12File = join(dir, 'keystore.p12');
  openssl(['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-out', p12File, '-passout', `pass:${storePassword}`]);
  const cert = readFileSync(certFile, 'utf8');
  const key = readFileSync(keyFile, 'utf8');
  const bundleFile = join(dir, 'bundle.pem');
  writeFileSync(bundleFile, `${key}${cert}`);
  return { dir, cert, key, certFile, keyFile, bundleFile, encryptedKeyFile, keyPassword, p12File, storePassword };
}
