import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { Server, ServerOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { SecureVersion, TLSSocket } from 'node:tls';
import { SluiceError, configError, hasErrorCode } from '@sluice/core';
import type { Secret } from '@sluice/core';
import { sslConfig } from './security-config.ts';
import type { SslConfig } from './security-config.ts';

/** Kafka's prefix for the SSL keys of https listeners. */
export const HTTPS_PREFIX = 'listeners.https.';

/**
 * The SSL keys as Kafka's REST server reads them (`valuesWithPrefixAllOrNothing`): when any key
 * starts with `listeners.https.`, only those keys count (with the prefix removed, defaults for
 * the rest); otherwise the plain `ssl.*` keys. `prefix` is what error messages put before a key.
 */
export function sslSettings(raw: Readonly<Record<string, string>>): { config: SslConfig; prefix: string } {
  const prefixed = Object.entries(raw).filter(([key]) => key.startsWith(HTTPS_PREFIX));
  if (prefixed.length === 0) return { config: sslConfig.parse(raw), prefix: '' };
  const stripped = Object.fromEntries(prefixed.map(([key, value]) => [key.slice(HTTPS_PREFIX.length), value]));
  try {
    return { config: sslConfig.parse(stripped), prefix: HTTPS_PREFIX };
  } catch (error) {
    // The spec names the key without its prefix; the user wrote it with one.
    if (!hasErrorCode(error, 'CONFIG')) throw error;
    throw new SluiceError('CONFIG', error.message.replace(/config key `ssl\./g, `config key \`${HTTPS_PREFIX}ssl.`), { cause: error });
  }
}

export type ClientAuth = 'none' | 'requested' | 'required';

/** What an https listener serves: key and certificates in memory, TLS versions, client certificate policy. */
export interface TlsSettings {
  readonly server: ServerOptions;
  readonly clientAuth: ClientAuth;
}

/** Reads the key store and trust store the SSL keys name, checking them as Kafka does, so that a bad file stops start-up naming its key. */
export async function tlsSettings(raw: Readonly<Record<string, string>>): Promise<TlsSettings> {
  const { config, prefix } = sslSettings(raw);
  const name = (key: string) => `${prefix}${key}`;
  const clientAuth = config['ssl.client.auth'].toLowerCase() as ClientAuth;
  const server: ServerOptions = {
    ...(await keyStore(config, name)),
    ...versions(config, name),
    requestCert: clientAuth !== 'none',
    rejectUnauthorized: clientAuth === 'required',
  };
  const ca = await trustStore(config, name);
  if (ca !== undefined) server.ca = ca;
  return { server, clientAuth };
}

/**
 * An https server for Fastify's `serverFactory`. With `ssl.client.auth=requested` a client may
 * come without a certificate, but one that sends a certificate the trust store does not vouch
 * for is turned away, as Java's "want client auth" does.
 */
export function httpsServer(tls: TlsSettings, handler: (request: IncomingMessage, response: ServerResponse) => void): Server {
  const server = createServer(tls.server, handler);
  if (tls.clientAuth === 'requested') {
    server.on('secureConnection', (socket: TLSSocket) => {
      if (!socket.authorized && Object.keys(socket.getPeerCertificate()).length > 0) socket.destroy();
    });
  }
  return server;
}

type KeyName = (key: string) => string;

const reveal = (secret: Secret | null) => secret?.reveal() ?? null;

async function keyStore(config: SslConfig, name: KeyName): Promise<Pick<ServerOptions, 'key' | 'cert' | 'pfx' | 'passphrase'>> {
  const type = config['ssl.keystore.type'].toUpperCase();
  const location = config['ssl.keystore.location'];
  const password = reveal(config['ssl.keystore.password']);
  const keyPassword = reveal(config['ssl.key.password']);
  const inlineKey = reveal(config['ssl.keystore.key']);
  const inlineChain = reveal(config['ssl.keystore.certificate.chain']);
  if (inlineKey !== null) {
    if (type !== 'PEM') throw configError(name('ssl.keystore.key'), `an inline private key needs ${name('ssl.keystore.type')}=PEM, not ${type}`);
    if (inlineChain === null) throw configError(name('ssl.keystore.certificate.chain'), `is required with ${name('ssl.keystore.key')}`);
    if (location !== null) throw configError(name('ssl.keystore.location'), `give either a key store file or ${name('ssl.keystore.key')}, not both`);
    if (password !== null) throw configError(name('ssl.keystore.password'), 'is not allowed with PEM; only the key password (ssl.key.password) is');
    return pemKeyPair(inlineKey, inlineChain, keyPassword, name('ssl.keystore.key'), name('ssl.keystore.certificate.chain'), name('ssl.key.password'));
  }
  if (inlineChain !== null) throw configError(name('ssl.keystore.key'), `is required with ${name('ssl.keystore.certificate.chain')}`);
  if (location === null) {
    throw configError(name('ssl.keystore.location'), `an https listener needs a key store: set ${name('ssl.keystore.location')} (PKCS12 or PEM), or ${name('ssl.keystore.key')} and ${name('ssl.keystore.certificate.chain')} with type PEM`);
  }
  const bytes = await readStore(location, name('ssl.keystore.location'));
  if (type === 'PEM') {
    if (password !== null) throw configError(name('ssl.keystore.password'), 'is not allowed with PEM; only the key password (ssl.key.password) is');
    const text = bytes.toString('utf8');
    return pemKeyPair(text, text, keyPassword, name('ssl.keystore.location'), name('ssl.keystore.location'), name('ssl.key.password'));
  }
  refuseJavaStore(bytes, location, name('ssl.keystore.location'), name('ssl.keystore.type'));
  if (type !== 'JKS' && type !== 'PKCS12') throw configError(name('ssl.keystore.type'), `Sluice reads PKCS12 and PEM key stores, not ${type}`);
  if (bytes[0] !== 0x30) throw configError(name('ssl.keystore.location'), `${location} is not a PKCS12 file`);
  if (password === null) throw configError(name('ssl.keystore.password'), `is required with the key store ${location}`);
  try {
    createSecureContext({ pfx: bytes, passphrase: password });
  } catch (error) {
    const reason = /mac verify/i.test(String(error)) ? `wrong ${name('ssl.keystore.password')}, or a damaged file` : String((error as Error).message);
    throw configError(name('ssl.keystore.location'), `cannot read the PKCS12 key store ${location}: ${reason}`, { cause: error });
  }
  return { pfx: bytes, passphrase: password };
}

async function trustStore(config: SslConfig, name: KeyName): Promise<string[] | undefined> {
  const type = config['ssl.truststore.type'].toUpperCase();
  const location = config['ssl.truststore.location'];
  const password = reveal(config['ssl.truststore.password']);
  const inline = reveal(config['ssl.truststore.certificates']);
  if (inline !== null) {
    if (type !== 'PEM') throw configError(name('ssl.truststore.certificates'), `inline certificates need ${name('ssl.truststore.type')}=PEM, not ${type}`);
    if (location !== null) throw configError(name('ssl.truststore.location'), `give either a trust store file or ${name('ssl.truststore.certificates')}, not both`);
    if (password !== null) throw configError(name('ssl.truststore.password'), 'is not allowed with PEM');
    return certificates(inline, name('ssl.truststore.certificates'));
  }
  if (location === null) {
    if (password !== null) throw configError(name('ssl.truststore.password'), `is set but ${name('ssl.truststore.location')} is not`);
    return undefined;
  }
  const bytes = await readStore(location, name('ssl.truststore.location'));
  if (type !== 'PEM') {
    // Node reads PKCS12 only together with a private key, and a trust store has none.
    throw configError(
      name('ssl.truststore.type'),
      `Sluice reads PEM trust stores only, not ${type}. Export the certificates once and point ${name('ssl.truststore.location')} at the PEM file: ` +
        `\`keytool -exportcert -rfc -keystore ${location} -alias <alias> -file truststore.pem\` (each alias; or \`openssl pkcs12 -in ${location} -nokeys -out truststore.pem\` for PKCS12), ` +
        `then set ${name('ssl.truststore.type')}=PEM and remove ${name('ssl.truststore.password')}`,
    );
  }
  if (password !== null) throw configError(name('ssl.truststore.password'), 'is not allowed with PEM');
  return certificates(bytes.toString('utf8'), name('ssl.truststore.location'));
}

async function readStore(location: string, key: string): Promise<Buffer> {
  try {
    return await readFile(location);
  } catch (error) {
    throw configError(key, `cannot read ${location}: ${(error as Error).message}`, { cause: error });
  }
}

/** JKS and JCEKS are Java's own formats, which Node cannot read. */
function refuseJavaStore(bytes: Buffer, location: string, key: string, typeKey: string): void {
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : 0;
  const format = magic === 0xfeedfeed ? 'JKS' : magic === 0xcececece ? 'JCEKS' : undefined;
  if (format === undefined) return;
  const target = location.replace(/\.(jks|jceks|keystore)$/i, '') + '.p12';
  throw configError(
    key,
    `${location} is a ${format} key store, which Sluice cannot read. Convert it to PKCS12 once: ` +
      `\`keytool -importkeystore -srckeystore ${location} -srcstoretype ${format} -destkeystore ${target} -deststoretype PKCS12\` ` +
      `(give the same password for the new store and its key), then set ${key}=${target} and ${typeKey}=PKCS12`,
  );
}

interface PemEntry {
  readonly label: string;
  readonly pem: string;
}

/**
 * PEM blocks as Kafka finds them: anywhere in the text, with any whitespace, even all on one
 * line as a `.properties` value often is. Each comes back re-wrapped as OpenSSL expects.
 */
function pemEntries(text: string): PemEntry[] {
  const entries: PemEntry[] = [];
  for (const match of text.matchAll(/-----BEGIN ([A-Z0-9 ]+?)-----([\s\S]*?)-----END \1-----/g)) {
    const label = match[1]!;
    const body = match[2]!;
    if (body.includes(':')) {
      // Encapsulated headers (Proc-Type, DEK-Info): the block must already be laid out properly.
      entries.push({ label, pem: match[0] });
      continue;
    }
    const base64 = body.replace(/\s+/g, '');
    const lines = base64.match(/.{1,64}/g) ?? [];
    entries.push({ label, pem: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n` });
  }
  return entries;
}

function certificates(text: string, key: string): string[] {
  const certs = pemEntries(text).filter((entry) => entry.label === 'CERTIFICATE');
  if (certs.length === 0) throw configError(key, 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  for (const cert of certs) {
    try {
      new X509Certificate(cert.pem);
    } catch (error) {
      throw configError(key, `holds a certificate that cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
  return certs.map((cert) => cert.pem);
}

function pemKeyPair(keyText: string, chainText: string, password: string | null, keyKey: string, chainKey: string, passwordKey: string): Pick<ServerOptions, 'key' | 'cert'> {
  const keys = pemEntries(keyText).filter((entry) => entry.label.endsWith('PRIVATE KEY'));
  if (keys.length !== 1) throw configError(keyKey, `must hold exactly one PEM private key, found ${keys.length}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keys[0]!.pem, format: 'pem', ...(password === null ? {} : { passphrase: password }) });
  } catch (error) {
    const hint = keys[0]!.label.includes('ENCRYPTED') && password === null ? `: the key is encrypted, set ${passwordKey}` : `: ${(error as Error).message}`;
    throw configError(keyKey, `cannot read the private key${hint}`, { cause: error });
  }
  const chain = certificates(chainText, chainKey);
  if (!new X509Certificate(chain[0]!).checkPrivateKey(key)) throw configError(chainKey, 'the first certificate of the chain does not belong to the private key');
  return { key: key.export({ type: 'pkcs8', format: 'pem' }), cert: chain.join('') };
}

const VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Node takes a range of TLS versions: the enabled ones span it, `ssl.protocol` caps it as Java's SSLContext version does. */
function versions(config: SslConfig, name: KeyName): Pick<ServerOptions, 'minVersion' | 'maxVersion'> {
  const known = (value: string, key: string) => {
    const index = VERSIONS.findIndex((v) => v.toLowerCase() === value.toLowerCase());
    if (index < 0) throw configError(key, `\`${value}\` is not a TLS version Sluice can serve (${VERSIONS.join(', ')})`);
    return index;
  };
  const enabled = config['ssl.enabled.protocols'].map((p) => known(p, name('ssl.enabled.protocols')));
  if (enabled.length === 0) throw configError(name('ssl.enabled.protocols'), 'must name at least one TLS version');
  const protocol = config['ssl.protocol'];
  const cap = /^(tls|ssl)$/i.test(protocol) ? VERSIONS.length - 1 : known(protocol, name('ssl.protocol'));
  const min = Math.min(...enabled);
  const max = Math.min(Math.max(...enabled), cap);
  if (min > max) throw configError(name('ssl.enabled.protocols'), `no enabled version is allowed by ${name('ssl.protocol')}=${protocol}`);
  return { minVersion: VERSIONS[min]!, maxVersion: VERSIONS[max]! };
}

/** The values of secret SSL keys written with the `listeners.https.` prefix, which the worker spec does not name, for the secret scrubber. */
export function prefixedSslSecrets(raw: Readonly<Record<string, string>>): string[] {
  return Object.entries(raw).flatMap(([key, value]) =>
    key.startsWith(HTTPS_PREFIX) && sslConfig.key(key.slice(HTTPS_PREFIX.length))?.secret === true ? [value] : [],
  );
}
