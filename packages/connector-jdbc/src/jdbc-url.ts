// `connection.url` in the JDBC form Confluent's connector takes, parsed into what the Node drivers need.
import { configError } from '@sluice/core';

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
}

const DEFAULT_PORTS: Readonly<Record<DialectName, number>> = { postgresql: 5432, mysql: 3306 };
const SUBPROTOCOLS: Readonly<Record<string, DialectName>> = { postgresql: 'postgresql', mysql: 'mysql', mariadb: 'mysql' };
const KEY = 'connection.url';

/**
 * Parses a JDBC URL. Errors name `connection.url` and never repeat the URL itself, which may
 * hold a password in its query string.
 */
export function parseJdbcUrl(url: string): JdbcUrl {
  const match = /^jdbc:([a-z0-9]+):\/\/(.*)$/i.exec(url.trim());
  if (match === null) {
    throw configError(KEY, 'must look like `jdbc:postgresql://host:port/database`, `jdbc:mysql://…` or `jdbc:mariadb://…`');
  }
  const subprotocol = match[1]!.toLowerCase();
  const dialect = SUBPROTOCOLS[subprotocol];
  if (dialect === undefined) {
    throw configError(KEY, `subprotocol \`${subprotocol}\` is not supported (supported: postgresql, mysql, mariadb)`);
  }
  let parsed: URL;
  try {
    // The WHATWG parser understands host, port, path and query once the scheme is a special one.
    parsed = new URL(`http://${match[2]!}`);
  } catch {
    throw configError(KEY, 'has no valid host, port or path after `//`');
  }
  if (parsed.hostname === '') throw configError(KEY, 'names no host');
  if (parsed.username !== '' || parsed.password !== '') {
    throw configError(KEY, 'must not hold credentials before the host; use `connection.user` and `connection.password`');
  }
  const explicitPort = /^[^/?]*:(\d*)(?:[/?]|$)/.exec(match[2]!.replace(/^\[[^\]]*\]/, ''));
  if (explicitPort !== null && explicitPort[1] === '') throw configError(KEY, 'has an empty port');
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw configError(KEY, `database name \`${path}\` must not contain \`/\``);
  const properties: Record<string, string> = {};
  for (const [key, value] of parsed.searchParams) properties[key] = value;
  return {
    dialect,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? DEFAULT_PORTS[dialect] : Number(parsed.port),
    database: path === '' ? null : path,
    properties,
  };
}
