// The connection keys both connectors share, with Confluent's names and defaults.
import { atLeast, custom } from '@sluice/core';
import type { Logger, Secret } from '@sluice/core';
import type { Credentials } from './database.ts';
import { JDBC_URL_FORMS, jdbcUrlProblem, parseJdbcUrl } from './jdbc-url.ts';
import type { JdbcUrl } from './jdbc-url.ts';

const validUrl = custom(JDBC_URL_FORMS, (value) => jdbcUrlProblem(String(value)));

/** Spread into a connector's config spec: `connection.url`, `.user`, `.password`, `.attempts`, `.backoff.ms`. */
export const connectionConfig = {
  'connection.url': {
    type: 'string',
    validate: validUrl,
    importance: 'high',
    group: 'Connection',
    doc: 'JDBC connection URL: `jdbc:postgresql://host:port/database`, `jdbc:mysql://…` or `jdbc:mariadb://…`. Query parameters `user` and `password` are used when the keys below are unset. TLS follows the drivers\' parameters and defaults: pgjdbc\'s `ssl`, `sslmode` (disable, allow, prefer — the default —, require, verify-ca, verify-full), `sslrootcert`, `sslcert`, `sslkey` (PEM or DER PKCS#8), `sslpassword`, `sslfactory=org.postgresql.ssl.NonValidatingFactory`; MySQL Connector/J\'s `sslMode` (DISABLED, PREFERRED — the default —, REQUIRED, VERIFY_CA, VERIFY_IDENTITY), `useSSL`, `requireSSL`, `verifyServerCertificate`; MariaDB Connector/J\'s `sslMode` (disable — the default —, trust, verify-ca, verify-full), `useSsl`, `trustServerCertificate`, `disableSslHostnameVerification`, `serverSslCert`. TLS asked for and not to be had fails the connection. Other parameters have no effect (the connectors warn naming them).',
  },
  'connection.user': { type: 'string', default: null, importance: 'high', group: 'Connection', doc: 'JDBC connection user.' },
  'connection.password': { type: 'password', default: null, importance: 'high', group: 'Connection', doc: 'JDBC connection password.' },
  'connection.attempts': {
    type: 'int',
    default: 3,
    validate: atLeast(1),
    importance: 'low',
    group: 'Connection',
    doc: 'How many times the source tries to connect, `connection.backoff.ms` apart: when a task starts (a refused password or an unknown database fails it at once), and in rounds on later polls after it lost its connection, for as long as the database stays away. The sink reconnects by `max.retries` instead.',
  },
  'connection.backoff.ms': { type: 'long', default: 10000, validate: atLeast(0), importance: 'low', group: 'Connection', doc: 'Milliseconds between two tries of a connection.' },
} as const;

/** The connection keys of a parsed config. */
export interface ConnectionKeys {
  readonly 'connection.url': string;
  readonly 'connection.user': string | null;
  readonly 'connection.password': Secret | null;
  readonly 'connection.attempts': number;
  readonly 'connection.backoff.ms': number;
}

/** Where and how to connect, from the connection keys. */
export interface ConnectionSettings {
  readonly url: JdbcUrl;
  readonly credentials: Credentials;
  readonly attempts: number;
  readonly backoffMs: number;
}

export function connectionSettings(config: ConnectionKeys): ConnectionSettings {
  const url = parseJdbcUrl(config['connection.url']);
  return {
    url,
    credentials: { user: config['connection.user'] ?? url.properties.user ?? null, password: config['connection.password']?.reveal() ?? null },
    attempts: config['connection.attempts'],
    backoffMs: config['connection.backoff.ms'],
  };
}

/** Warns, naming them only (a value could be a secret), about `connection.url` parameters Sluice does not read. */
export function warnIgnoredParameters(url: JdbcUrl, connector: string, logger: Logger): void {
  if (url.ignoredParameters.length === 0) return;
  logger.warn(`${connector}: connection.url parameter(s) ${url.ignoredParameters.map((p) => `\`${p}\``).join(', ')} are not read by Sluice and have no effect (it reads user, password and the TLS parameters)`);
}
