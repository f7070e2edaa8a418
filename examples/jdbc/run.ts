/**
 * The JDBC example: a PostgreSQL table streamed into Kafka by the JDBC source and from the topic
 * into MariaDB by the JDBC sink, with Confluent's connector configurations as they are. Shows
 * progress, adds rows while the worker runs, and ends by comparing both tables row for row.
 *
 *   ./dev example jdbc [rows]      (default 100,000; work folder .jdbc-example/)
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (database `test`, user `postgres`, trust auth) and MariaDB or
 * MySQL on 127.0.0.1:3306 (database `test`, user `root` without password).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaClient } from '@sluice/worker/kafka';
import mysql from 'mysql2/promise';
import pg from 'pg';

const rows = Number(process.argv[2] ?? 100_000);
const more = 1_000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = join(root, '.jdbc-example');
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const say = (text: string) => console.log(`[jdbc example] ${text}`);

const source = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
await source.connect().catch((error: Error) => fail(`PostgreSQL is not reachable on 127.0.0.1:5432 (${error.message}): start it with a database \`test\` and trust auth for \`postgres\``));
const target = await mysql
  .createConnection({ host: '127.0.0.1', port: 3306, database: 'test', user: 'root', dateStrings: true, decimalNumbers: false })
  .catch((error: Error) => fail(`MariaDB/MySQL is not reachable on 127.0.0.1:3306 (${error.message}): start it with a database \`test\` and user \`root\` without password`));
await target.query("SET time_zone = '+00:00'");

function fail(message: string): never {
  say(message);
  process.exit(1);
}

const insertOrders = (from: number, count: number) =>
  source.query(
    `INSERT INTO shop_orders (id, customer, amount, placed_at, shipped)
     SELECT g, 'customer ' || (g % 997) || ' — ü', round((g % 100000) / 7.0, 2), timestamp '2025-01-01' + g * interval '1.001 seconds', g % 3 = 0
     FROM generate_series($1::bigint, $2::bigint) g`,
    [from, from + count - 1],
  );

// A rerun starts over: both tables, the topic and the worker's offsets.
await source.query('DROP TABLE IF EXISTS shop_orders');
await source.query('CREATE TABLE shop_orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL, placed_at timestamp(3) NOT NULL, shipped boolean NOT NULL)');
await insertOrders(1, rows);
await target.query('DROP TABLE IF EXISTS shop_orders');
const admin = await kafkaClient({ bootstrapServers: bootstrap.split(','), clientId: 'sluice-jdbc-example' }).admin();
await admin.deleteTopics(['pg-shop_orders']).catch(() => undefined);
await admin.close();
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(fileURLToPath(new URL('.', import.meta.url)), work, { recursive: true, filter: (src) => !src.endsWith('.ts') });
say(`PostgreSQL table shop_orders holds ${rows.toLocaleString('en')} rows`);

say('starting: sluice standalone connect-standalone.properties postgres-source.properties mariadb-sink.properties');
const started = Date.now();
const worker = spawn(process.execPath, [join(root, 'packages/worker/bin/sluice.js'), 'standalone', 'connect-standalone.properties', 'postgres-source.properties', 'mariadb-sink.properties'], {
  cwd: work,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SLUICE_LOG_LEVEL: process.env.SLUICE_LOG_LEVEL ?? 'warn' },
});

const copied = async (): Promise<number> => {
  const [result] = await target.query('SELECT count(*) AS n FROM shop_orders').catch(() => [[{ n: 0 }]]);
  return Number((result as { n: number | string }[])[0]?.n ?? 0);
};
let total = rows;
let added = false;
for (;;) {
  if (worker.exitCode !== null) fail(`the worker exited with code ${worker.exitCode}`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const count = await copied();
  const seconds = (Date.now() - started) / 1000;
  say(`${count.toLocaleString('en')} / ${total.toLocaleString('en')} rows in MariaDB (${Math.round(count / seconds).toLocaleString('en')} rows/s)`);
  if (!added && count >= rows / 2) {
    // new rows while the worker runs: the source picks them up by their higher ids
    await insertOrders(rows + 1, more);
    total += more;
    added = true;
    say(`added ${more.toLocaleString('en')} rows to PostgreSQL while streaming`);
  } else if (added && count >= total) {
    break;
  }
}
worker.kill('SIGTERM');
await new Promise((resolve) => worker.on('exit', resolve));

// Row for row: the same text for every column on both sides.
const pgRows = await source.query(
  "SELECT id::text, customer, amount::text, to_char(placed_at, 'YYYY-MM-DD HH24:MI:SS.MS') AS placed_at, shipped::int::text AS shipped FROM shop_orders ORDER BY id",
);
const [mariaRows] = await target.query(
  "SELECT CAST(id AS CHAR) AS id, customer, CAST(amount AS CHAR) AS amount, DATE_FORMAT(placed_at, '%Y-%m-%d %H:%i:%s.%f') AS placed_at, CAST(shipped AS CHAR) AS shipped FROM shop_orders ORDER BY id",
);
const text = (row: Record<string, unknown>) => `${String(row.id)}|${String(row.customer)}|${String(row.amount)}|${String(row.placed_at).slice(0, 23)}|${String(row.shipped)}`;
const theirs = (mariaRows as Record<string, unknown>[]).map(text);
const differing = pgRows.rows.map(text).filter((row, i) => row !== theirs[i]);
await source.end();
await target.end();
if (differing.length > 0 || theirs.length !== pgRows.rows.length) fail(`FAILED: ${differing.length} of ${pgRows.rows.length} rows differ (first: ${differing[0]})`);
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: MariaDB's shop_orders equals PostgreSQL's, ${theirs.length.toLocaleString('en')} rows`);
