// `connection.url` in the JDBC form Confluent's connector takes, parsed into what the Node drivers need.
import { configError } from '@sluice/core';
import { ignoredParameters, tlsOf } from './jdbc-url-tls.ts';
import type { TlsSettings } from './jdbc-url-tls.ts';

/** The database families the dialects cover; `mariadb` URLs use the MySQL dialect and driver. */
export type DialectName = 'postgresql' | 'mysql';

/** A parsed `jdbc:<subprotocol>://host[:port][/database][?k=v&…]` URL. */
export interface JdbcUrl {
  readonly dialect: DialectName;
  readonly host: string;
  readonly port: number;
  readonly database: string | null;
  /** Query parameters, e.g. `user`, `password`, `ssl`, as the JDBC drivers accept them. */
  readonly properties: Readonly<Record<string, string>>;
  /** TLS as the parameters ask for it (see jdbc-url-tls.ts). */
  readonly tls: TlsSettings;
  /** The parameters Sluice does not read (driver tuning), for a warning. */
  readonly ignoredParameters: readonly string[];
}

/** The forms `connection.url` accepts, as errors and the docs name them. */
export const JDBC_URL_FORMS = '`jdbc:postgresql://host[:port][/database][?k=v&…]`, `jdbc:mysql://…` or `jdbc:mariadb://…`';

const DEFAULT_PORTS: Readonly<Record<DialectName, number>> = { postgresql: 5432, mysql: 3306 };
const SUBPROTOCOLS: Readonly<Record<string, DialectName>> = { postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql' };
const KEY = 'connection.url';

/**
 * Parses a JDBC URL. Errors name `connection.url` and the forms accepted, and never repeat the
 * URL itself, which may hold a password in its query string.
 */
export function parseJdbcUrl(url: string): JdbcUrl {
  const parsed = read(url);
  if (typeof parsed === 'string') throw configError(KEY, parsed);
  return parsed;
}

/** Why `url` is not a `connection.url` Sluice can use, or undefined when it is one (the config validator). */
export function jdbcUrlProblem(url: string): string | undefined {
  const parsed = read(url);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** The parsed URL, or the reason it is not one. */
function read(url: string): JdbcUrl | string {
  const match = /^jdbc:([a-z0-9]+):\/\/(.*)$/i.exec(url.trim());
  if (match === null) {
    const subprotocol = /^jdbc:([a-z0-9]+):/i.exec(url.trim())?.[1]?.toLowerCase();
    const what = subprotocol === undefined || SUBPROTOCOLS[subprotocol] !== undefined ? 'is not a JDBC URL Sluice reads' : `subprotocol \`${subprotocol}\` is not supported`;
    return `${what}; use ${JDBC_URL_FORMS}`;
  }
  const subprotocol = match[1]!.toLowerCase();
  const dialect = SUBPROTOCOLS[subprotocol];
  if (dialect === undefined) return `subprotocol \`${subprotocol}\` is not supported (supported: postgresql, mysql, mariadb); use ${JDBC_URL_FORMS}`;
  let parsed: URL;
  try {
    // The WHATWG parser understands host, port, path and query once the scheme is a special one.
    parsed = new URL(`http://${match[2]!}`);
  } catch {
    return `has no valid host, port or path after \`//\`; use ${JDBC_URL_FORMS}`;
  }
  if (parsed.hostname === '') return `names no host; use ${JDBC_URL_FORMS}`;
  if (parsed.username !== '' || parsed.password !== '') return 'must not hold credentials before the host; use `connection.user` and `connection.password`';
  const explicitPort = /^[^/?]*:(\d*)(?:[/?]|$)/.exec(match[2]!.replace(/^\[[^\]]*\]/, ''));
  if (explicitPort !== null && explicitPort[1] === '') return `has an empty port; use ${JDBC_URL_FORMS}`;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  } catch {
    return 'has a database name with a malformed %-escape';
  }
  if (path.includes('/')) return `database name \`${path}\` must not contain \`/\``;
  const properties: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) properties[key] = value;
  const named = subprotocol === 'mariadb' ? 'mariadb' : dialect;
  const tls = tlsOf(named, properties);
  if (typeof tls === 'string') return tls;
  return {
    dialect,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? DEFAULT_PORTS[dialect] : Number(parsed.port),
    database: path === '' ? null : path,
    properties,
    tls,
    ignoredParameters: ignoredParameters(named, properties),
  };
}
