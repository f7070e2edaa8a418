// What the JDBC end-to-end suites share: the databases on 127.0.0.1 (checked from outside the
// connector, with the drivers directly), and a standalone worker that loads the JDBC plugin from
// its package folder as `plugin.path`, the way an installed plugin is found.
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { eventually, pluginWorker } from '../standalone/worker-process.ts';
import type { PluginWorker } from '../standalone/worker-process.ts';

export const JDBC_PLUGIN = fileURLToPath(new URL('../../../packages/connector-jdbc/', import.meta.url));

export interface Db {
  readonly name: 'PostgreSQL' | 'MariaDB';
  /** The connector's `connection.url`. */
  readonly url: string;
  /** The schema tables land in: PostgreSQL's `public`, MariaDB's database. */
  readonly schema: string;
  /** Runs one statement, returning its rows. */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  quote(identifier: string): string;
  close(): Promise<void>;
}

export const POSTGRES_URL = process.env.SLUICE_TEST_POSTGRES_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres';
export const MYSQL_URL = process.env.SLUICE_TEST_MYSQL_URL ?? 'jdbc:mariadb://127.0.0.1:3306/test?user=root';

/** host, port, database and user of a JDBC URL, for the test's own driver connection. */
function parts(jdbc: string): { host: string; port: number; database: string; user: string } {
  const url = new URL(jdbc.slice('jdbc:'.length).replace(/^(postgresql|mysql|mariadb):/, 'http:'));
  return { host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), user: url.searchParams.get('user') ?? 'root' };
}

export async function postgres(url = POSTGRES_URL): Promise<Db> {
  const { host, port, database, user } = parts(url);
  const client = new pg.Client({ host, port, database, user });
  // a server going away (the outage tests stop one) fails this client's later queries, not the test process
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${host}:${port} (${(error as Error).message}): start PostgreSQL with a database \`${database}\` and trust auth for \`${user}\`, or set SLUICE_TEST_POSTGRES_URL`);
  }
  return {
    name: 'PostgreSQL',
    url,
    schema: 'public',
    async query(sql, params = []) {
      return (await client.query(sql, [...params])).rows as Record<string, unknown>[];
    },
    quote: (identifier) => `"${identifier.replaceAll('"', '""')}"`,
    close: () => client.end(),
  };
}

export async function mariadb(url = MYSQL_URL): Promise<Db> {
  const { host, port, database, user } = parts(url);
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ host, port, database, user, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  } catch (error) {
    throw new Error(`MariaDB/MySQL is not reachable at ${host}:${port} (${(error as Error).message}): start it with a database \`${database}\` and user \`${user}\` without password, or set SLUICE_TEST_MYSQL_URL`);
  }
  await connection.query("SET time_zone = '+00:00'");
  return {
    name: 'MariaDB',
    url,
    schema: database,
    async query(sql, params = []) {
      const [rows] = await connection.query(sql, [...params]);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    quote: (identifier) => `\`${identifier.replaceAll('`', '``')}\``,
    close: () => connection.end(),
  };
}

/** A table name no other run uses. */
export function uniqueTable(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

export type JdbcWorker = PluginWorker;

/**
 * A standalone worker with the JSON converter (schemas on, Kafka Connect's defaults), the JDBC
 * plugin on `plugin.path`, a file offset store in its folder, and these connectors.
 */
export function jdbcWorker(bootstrap: string, connectors: Readonly<Record<string, Readonly<Record<string, string>>>>, worker: Readonly<Record<string, string>> = {}): Promise<JdbcWorker> {
  return pluginWorker(
    JDBC_PLUGIN,
    {
      'bootstrap.servers': bootstrap,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'offset.flush.interval.ms': '1000',
      ...worker,
    },
    connectors,
  );
}

export { eventually };
