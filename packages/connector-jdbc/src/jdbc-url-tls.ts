// TLS from `connection.url`'s query parameters, as the JDBC drivers read them: pgjdbc's `ssl`,
// `sslmode`, `sslrootcert`, `sslcert`, `sslkey`, `sslpassword` and `sslfactory`; MySQL
// Connector/J's `sslMode`, `useSSL`, `requireSSL`, `verifyServerCertificate`; MariaDB
// Connector/J's `sslMode`, `useSsl`, `trustServerCertificate`, `serverSslCert`,
// `disableSslHostnameVerification`. Parameters Sluice does not read are listed for a warning.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/**
 * libpq's names, which cover both drivers: `allow` tries without TLS first, `prefer` with TLS
 * first (each falls back to the other); `require` encrypts without checking the certificate
 * (checking its CA when a root certificate is given); `verify-ca` checks the CA, `verify-full`
 * the CA and the host name.
 */
export type TlsMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface TlsSettings {
  readonly mode: TlsMode;
  /** The CA certificate(s) to check the server's against (a file, or PEM text for MariaDB's `serverSslCert`); null: the system's CAs. */
  readonly rootCert: string | null;
  /** The client certificate and key files (pgjdbc's `sslcert`, `sslkey`; a PEM or DER PKCS#8 key), and the key's password. */
  readonly cert: string | null;
  readonly key: string | null;
  readonly keyPassword: string | null;
}

const PG_MODES: readonly TlsMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
/** Connector/J's and MariaDB Connector/J's `sslMode` values, lower case. */
const MYSQL_MODES: Readonly<Record<string, TlsMode>> = {
  disabled: 'disable',
  disable: 'disable',
  preferred: 'prefer',
  required: 'require',
  trust: 'require',
  verify_ca: 'verify-ca',
  'verify-ca': 'verify-ca',
  verify_identity: 'verify-full',
  'verify-full': 'verify-full',
};

const CREDENTIALS = ['user', 'password'];
const PG_KEYS = [...CREDENTIALS, 'ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'sslpassword', 'sslfactory'];
const MYSQL_KEYS = [...CREDENTIALS, 'sslmode', 'usessl', 'requiressl', 'verifyservercertificate', 'trustservercertificate', 'serversslcert', 'disablesslhostnameverification'];
const NON_VALIDATING_FACTORY = 'org.postgresql.ssl.NonValidatingFactory';

/** The TLS settings of a URL's parameters, or the reason they are not valid. */
export function tlsOf(subprotocol: 'postgresql' | 'mysql' | 'mariadb', properties: Readonly<Record<string, string>>): TlsSettings | string {
  return subprotocol === 'postgresql' ? postgresTls(properties) : mysqlTls(subprotocol, properties);
}

/** The parameters of a URL that neither the TLS settings nor the credentials read: driver tuning Sluice ignores. */
export function ignoredParameters(subprotocol: 'postgresql' | 'mysql' | 'mariadb', properties: Readonly<Record<string, string>>): string[] {
  const known = subprotocol === 'postgresql' ? PG_KEYS : MYSQL_KEYS;
  return Object.keys(properties).filter((key) => {
    // Connector/J's keys are case-insensitive; pgjdbc's are not, but `sslfactory` other than the non-validating one is not read
    if (subprotocol === 'postgresql') return !known.includes(key) || (key === 'sslfactory' && properties[key] !== NON_VALIDATING_FACTORY);
    return !known.includes(key.toLowerCase());
  });
}

function postgresTls(p: Readonly<Record<string, string>>): TlsSettings | string {
  let mode: TlsMode;
  const sslmode = p.sslmode;
  if (sslmode !== undefined) {
    if (!PG_MODES.includes(sslmode as TlsMode)) return `parameter \`sslmode\` must be one of ${PG_MODES.join(', ')}, got \`${sslmode}\``;
    mode = sslmode as TlsMode;
  } else {
    // pgjdbc: `ssl` or `ssl=true` alone means verify-full; without either, prefer
    mode = p.ssl === '' || p.ssl?.toLowerCase() === 'true' ? 'verify-full' : 'prefer';
  }
  // the factory that trusts any certificate: encryption without verification
  if (p.sslfactory === NON_VALIDATING_FACTORY && (mode === 'verify-ca' || mode === 'verify-full')) mode = 'require';
  return { mode, rootCert: p.sslrootcert ?? null, cert: p.sslcert ?? null, key: p.sslkey ?? null, keyPassword: p.sslpassword ?? null };
}

function mysqlTls(subprotocol: 'mysql' | 'mariadb', properties: Readonly<Record<string, string>>): TlsSettings | string {
  const p = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k.toLowerCase(), v]));
  const flag = (key: string): boolean | undefined => (p[key] === undefined ? undefined : p[key] === '' || p[key].toLowerCase() === 'true');
  const settings = (mode: TlsMode): TlsSettings => ({ mode, rootCert: p.serversslcert ?? null, cert: null, key: null, keyPassword: null });
  if (p.sslmode !== undefined) {
    const mode = MYSQL_MODES[p.sslmode.toLowerCase()];
    return mode === undefined ? `parameter \`sslMode\` must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY (MySQL) or disable, trust, verify-ca, verify-full (MariaDB), got \`${p.sslmode}\`` : settings(mode);
  }
  const useSsl = flag('usessl');
  if (useSsl === false) return settings('disable');
  if (subprotocol === 'mariadb') {
    // MariaDB Connector/J 2.x: useSsl verifies the certificate and host unless told not to; no TLS by default
    if (useSsl !== true) return settings('disable');
    if (flag('trustservercertificate') === true) return settings('require');
    return settings(flag('disablesslhostnameverification') === true ? 'verify-ca' : 'verify-full');
  }
  // Connector/J 8's reading of its legacy keys; without them, PREFERRED
  if (flag('verifyservercertificate') === true) return settings('verify-ca');
  return settings(flag('requiressl') === true ? 'require' : 'prefer');
}

/**
 * The drivers' `ssl` options to try in turn (false: without TLS), read from the files the
 * settings name: two for `allow` and `prefer`, whose second is tried when the server turns the
 * first down.
 */
export function tlsAttempts(tls: TlsSettings): (false | ConnectionOptions)[] {
  if (tls.mode === 'disable') return [false];
  const files = {
    ...(tls.rootCert === null ? {} : { ca: pemOrFile(tls.rootCert, 'the root certificate') }),
    ...(tls.cert === null ? {} : { cert: readFile(tls.cert, 'the client certificate') }),
    ...(tls.key === null ? {} : { key: privateKey(tls.key, tls.keyPassword) }),
    ...(tls.keyPassword === null ? {} : { passphrase: tls.keyPassword }),
  };
  const unverified: ConnectionOptions = { ...files, rejectUnauthorized: false };
  switch (tls.mode) {
    case 'allow':
      return [false, unverified];
    case 'prefer':
      return [unverified, false];
    case 'require':
      // libpq: with a root certificate given, require checks the CA
      return [tls.rootCert === null ? unverified : verifyCa(files)];
    case 'verify-ca':
      return [verifyCa(files)];
    case 'verify-full':
      return [{ ...files, rejectUnauthorized: true }];
  }
}

function verifyCa(files: ConnectionOptions): ConnectionOptions {
  return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`cannot read ${what} \`${path}\` named in connection.url: ${(error as Error).message}`, { cause: error });
  }
}

/** MariaDB's `serverSslCert` may hold the PEM text itself. */
function pemOrFile(value: string, what: string): string | Buffer {
  return value.includes('-----BEGIN') ? value : readFile(value, what);
}

/** pgjdbc's default key format is DER PKCS#8 (`.pk8`); Node's TLS takes PEM. */
function privateKey(path: string, passphrase: string | null): string | Buffer {
  const key = readFile(path, 'the client key');
  if (key.includes('-----BEGIN')) return key;
  const der = passphrase === null ? { key, format: 'der' as const, type: 'pkcs8' as const } : { key, format: 'der' as const, type: 'pkcs8' as const, passphrase };
  return createPrivateKey(der).export({ format: 'pem', type: 'pkcs8' });
}
