// The databases the JDBC benchmarks write to and read from, reached through their own command-line
// clients (psql, mysql) so that the physical limits — COPY and LOAD DATA — are measured with the
// servers' bulk paths and no Node driver in between.
import { spawnSync } from 'node:child_process';

export type DatabaseKind = 'postgresql' | 'mariadb';

export interface Database {
  readonly kind: DatabaseKind;
  /** A display name: PostgreSQL or MariaDB. */
  readonly label: string;
  /** The JDBC URL without credentials, as connectors take it with separate user/password keys. */
  readonly jdbcUrl: string;
  readonly user: string;
  readonly password: string;
}

/** The JDBC URLs of the local services (user in the `user` parameter), as the connector tests use them. */
const urls: Record<DatabaseKind, { env: string; fallback: string; howTo: string }> = {
  postgresql: {
    env: 'BENCH_POSTGRES_URL',
    fallback: 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
    howTo: 'start PostgreSQL on 127.0.0.1:5432 with a database `test` and trust auth for `postgres`, or set BENCH_POSTGRES_URL',
  },
  mariadb: {
    env: 'BENCH_MYSQL_URL',
    fallback: 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    howTo: 'start MariaDB on 127.0.0.1:3306 with a database `test` and user `root` without password (local_infile ON), or set BENCH_MYSQL_URL',
  },
};

export function database(kind: DatabaseKind): Database {
  const raw = process.env[urls[kind].env] ?? urls[kind].fallback;
  const url = new URL(raw.replace(/^jdbc:/, ''));
  const user = url.searchParams.get('user') ?? (kind === 'postgresql' ? 'postgres' : 'root');
  const password = url.searchParams.get('password') ?? '';
  url.search = '';
  return { kind, label: kind === 'postgresql' ? 'PostgreSQL' : 'MariaDB', jdbcUrl: `jdbc:${url.href}`, user, password };
}

function endpoint(db: Database): { host: string; port: string; name: string } {
  const url = new URL(db.jdbcUrl.replace(/^jdbc:/, ''));
  return { host: url.hostname, port: url.port || (db.kind === 'postgresql' ? '5432' : '3306'), name: url.pathname.slice(1) };
}

/** The client command for one statement; the password travels in the environment, never in argv. */
function client(db: Database, statement: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const { host, port, name } = endpoint(db);
  if (db.kind === 'postgresql') {
    return {
      command: 'psql',
      args: ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', port, '-U', db.user, '-d', name, '-c', statement],
      env: { ...process.env, PGPASSWORD: db.password },
    };
  }
  return {
    command: 'mysql',
    args: ['--local-infile=1', '-N', '-B', '-h', host, '-P', port, '-u', db.user, '-D', name, '-e', statement],
    env: { ...process.env, MYSQL_PWD: db.password },
  };
}

/** Runs one statement (or a psql meta-command such as `\copy`) and returns its output, trimmed. */
export function sql(db: Database, statement: string): string {
  const { command, args, env } = client(db, statement);
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw new Error(`${db.label}: cannot run ${command} (${result.error.message}); install the ${command} client`);
  if (result.status !== 0) throw new Error(`${db.label}: ${command} failed on \`${statement.slice(0, 200)}\`: ${result.stderr.trim()}. If the server is down, ${urls[db.kind].howTo}.`);
  return result.stdout.trim();
}

/** Milliseconds one statement takes, client start to exit. */
export function timedSql(db: Database, statement: string): number {
  const started = performance.now();
  sql(db, statement);
  return performance.now() - started;
}

export function rowCount(db: Database, table: string): number {
  return Number(sql(db, `SELECT count(*) FROM ${table}`));
}

/** Fails with how to start the server when it does not answer. */
export function checkReachable(db: Database): void {
  sql(db, 'SELECT 1');
}

