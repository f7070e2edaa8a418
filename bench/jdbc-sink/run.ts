/**
 * bench/jdbc-sink: rows/s upserting the same records into PostgreSQL and into MariaDB by
 *
 * - Sluice's jdbc-sink in a standalone Sluice worker (insert.mode=upsert, pk.mode=record_value,
 *   pk.fields=id, auto.create=true; Confluent's defaults otherwise, so batch.size=3000),
 * - Debezium's JDBC sink (io.debezium.connector.jdbc.JdbcSinkConnector 3.5.0.Final from Maven
 *   Central, `stack/stack jars debezium`) in a standalone Apache Kafka Connect 4.1.1 worker on the
 *   same broker (insert.mode=upsert, primary.key.mode=record_value, primary.key.fields=id,
 *   schema.evolution=basic; its defaults otherwise, so batch.size=500),
 * - and the physical limit: psql's `\copy … FROM` (COPY … FROM STDIN) of the same rows as CSV
 *   into PostgreSQL, `LOAD DATA LOCAL INFILE` through the mysql client into MariaDB (wall time of
 *   the client process).
 *
 * The records — key `{id}` and the 10-column row as value, JsonConverter with schemas — are
 * produced once to a one-partition topic; each connector (tasks.max=1) reads it from the start
 * with its own consumer group. Every side starts from the same empty table (created before it,
 * with the same DDL), and its clock runs from the connector's creation (POST /connectors on a
 * worker already running) until the table holds every row (max(id), then count(*), polled every
 * 250 ms); the table's sums are then checked against the rows'. Ratios last: Sluice / Debezium
 * per database (target ≥ 1.5) and Sluice / the limit.
 *
 *   ./dev pnpm build && ./dev pnpm --filter @sluice/bench run jdbc-sink [rows]
 *   BENCH_ROWS=100000 BENCH_DATABASES=postgresql BENCH_SIDES=limit,debezium ./dev pnpm --filter @sluice/bench run jdbc-sink
 *
 * Rows: the argument, else BENCH_ROWS, else 1,000,000. BENCH_DATABASES (postgresql, mariadb) and
 * BENCH_SIDES (limit, sluice, debezium) pick a part of the run. Needs psql and mysql, PostgreSQL
 * (BENCH_POSTGRES_URL) and MariaDB with local_infile (BENCH_MYSQL_URL), Java 17 and Maven (for
 * Kafka Connect's and Debezium's jars), and a broker (KAFKA_BOOTSTRAP_SERVERS or `./dev stack up kafka`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient } from '@sluice/worker/kafka';
import type { ProducerRecord } from '@sluice/worker/kafka';
import { checkReachable, database, rowCount, sql, timedSql } from '../lib/databases.ts';
import type { Database, DatabaseKind } from '../lib/databases.ts';
import { bulkLoadStatement, createTable, expectedDigest, jsonRecord, tableDigest, writeCsv } from '../lib/jdbc-rows.ts';
import { bootstrap, connectCommand, debeziumPluginPath, fetchConnectJars, fetchDebeziumJars, root, sluiceBin } from '../lib/kafka-connect.ts';
import { sleep, startStandalone } from '../lib/workers.ts';
import type { StandaloneWorker } from '../lib/workers.ts';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 1_000_000);
const table = 'bench_jdbc_sink';
const sideNames = ['limit', 'sluice', 'debezium'] as const;
type SideName = (typeof sideNames)[number];

function pick<T extends string>(env: string, known: readonly T[]): T[] {
  const wanted = (process.env[env] ?? known.join(',')).split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !known.includes(w as T));
  if (unknown.length > 0) throw new Error(`${env}: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return wanted as T[];
}

const databases = pick<DatabaseKind>('BENCH_DATABASES', ['postgresql', 'mariadb']).map(database);
const sides = pick<SideName>('BENCH_SIDES', sideNames);
const kafka = kafkaClient({ bootstrapServers: bootstrap.split(','), clientId: 'bench-jdbc-sink' });
const stamp = `${Date.now()}-${randomUUID().slice(0, 8)}`;
const topic = `bench-jdbc-sink-${stamp}`;
const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);

/** Produces every record once, in sends under the broker's 1 MB batch limit. */
async function produceRecords(): Promise<void> {
  const admin = await kafka.admin();
  await admin.createTopics([{ name: topic, partitions: 1 }]);
  await admin.close();
  const producer = await kafka.producer();
  const encoder = new TextEncoder();
  const started = performance.now();
  try {
    for (let start = 1; start <= rows; start += 500) {
      const batch: ProducerRecord[] = [];
      for (let i = start; i < Math.min(start + 500, rows + 1); i++) {
        const record = jsonRecord(i);
        batch.push({ topic, key: encoder.encode(record.key), value: encoder.encode(record.value) });
      }
      await producer.send(batch);
    }
  } finally {
    await producer.close();
  }
  const sample = jsonRecord(1);
  console.log(
    `produced ${rows.toLocaleString('en')} records (key ${sample.key.length} B, value ${sample.value.length} B) to ${topic} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Waits until `table` holds every row: max(id) first (cheap; one task writes in order), then count(*). */
async function untilComplete(db: Database, worker: StandaloneWorker, connector: string, started: number): Promise<void> {
  let lastReport = started;
  for (;;) {
    await worker.running(connector);
    const max = Number(sql(db, `SELECT coalesce(max(id), 0) FROM ${table}`));
    if (max >= rows && rowCount(db, table) === rows) return;
    if (performance.now() - started > 3_600_000) throw new Error(`${worker.name}: ${db.label} table ${table} did not get ${rows} rows within an hour`);
    if (performance.now() - lastReport > 15_000) {
      console.log(`  … ${max.toLocaleString('en')} rows`);
      lastReport = performance.now();
    }
    await sleep(250);
  }
}

/** rows/s of one connector from its creation on a running worker until the table is complete. */
async function runConnector(db: Database, worker: StandaloneWorker, connector: string, config: Record<string, string>): Promise<number> {
  try {
    const started = performance.now();
    await worker.createConnector(connector, { 'tasks.max': '1', topics: topic, ...config });
    await untilComplete(db, worker, connector, started);
    return rate(rows, performance.now() - started);
  } finally {
    worker.stop();
  }
}

const credentials = (db: Database, userKey: string): Record<string, string> => ({
  [userKey]: db.user,
  ...(db.password === '' ? {} : { 'connection.password': db.password }),
});

const measure: Record<SideName, (db: Database, csv: string) => number | Promise<number>> = {
  limit(db, csv) {
    const ms = timedSql(db, bulkLoadStatement(db, table, csv));
    if (rowCount(db, table) !== rows) throw new Error(`${db.label}: the bulk load did not leave ${rows} rows in ${table}`);
    return rate(rows, ms);
  },
  async sluice(db) {
    const worker = await startStandalone('sluice', 28094, (file) => [process.execPath, [sluiceBin, 'standalone', file]], {
      'plugin.path': join(root, 'packages/connector-jdbc'),
    });
    return runConnector(db, worker, `bench-sluice-${db.kind}-${stamp}`, {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': db.jdbcUrl,
      ...credentials(db, 'connection.user'),
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'table.name.format': table,
    });
  },
  async debezium(db) {
    const worker = await startStandalone('debezium', 18094, (file) => connectCommand('ConnectStandalone', [file]), {
      'plugin.path': debeziumPluginPath,
    });
    return runConnector(db, worker, `bench-debezium-${db.kind}-${stamp}`, {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'connection.url': db.jdbcUrl,
      ...credentials(db, 'connection.username'),
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'id',
      'schema.evolution': 'basic',
      'collection.name.format': table,
    });
  },
};

databases.forEach(checkReachable);
if (sides.includes('debezium')) {
  fetchConnectJars();
  fetchDebeziumJars();
}
const dir = mkdtempSync(join(tmpdir(), 'bench-jdbc-sink-'));
const csv = join(dir, 'rows.csv');
const results = new Map<string, number>();
const expected = expectedDigest(rows);
try {
  if (sides.includes('limit')) await writeCsv(csv, rows);
  if (sides.some((s) => s !== 'limit')) await produceRecords();
  for (const db of databases) {
    for (const side of sides) {
      console.log(`running ${side} on ${db.label} …`);
      createTable(db, table);
      const figure = await measure[side](db, csv);
      const digest = tableDigest(db, table);
      if (digest !== expected) throw new Error(`${side} on ${db.label}: ${table} holds every row but other values (sums ${digest}, expected ${expected})`);
      results.set(`${side} ${db.kind}`, figure);
      console.log(`  ${figure.toLocaleString('en')} rows/s`);
    }
    sql(db, `DROP TABLE IF EXISTS ${table}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (sides.some((s) => s !== 'limit')) {
    const admin = await kafka.admin();
    await admin.deleteTopics([topic]);
    await admin.close();
  }
}

const label: Record<SideName, string> = {
  limit: 'limit (COPY FROM / LOAD DATA)',
  sluice: 'sluice jdbc-sink',
  debezium: 'debezium JDBC sink 3.5.0',
};
for (const db of databases) {
  for (const side of sides) console.log(`${db.label.padEnd(10)} ${label[side].padEnd(30)} ${results.get(`${side} ${db.kind}`)!.toLocaleString('en').padStart(9)} rows/s`);
}
const ratio = (a: string, b: string) => {
  const [x, y] = [results.get(a), results.get(b)];
  return x === undefined || y === undefined ? undefined : (x / y).toFixed(2);
};
for (const db of databases) {
  const vsLimit = ratio(`sluice ${db.kind}`, `limit ${db.kind}`);
  const vsDebezium = ratio(`sluice ${db.kind}`, `debezium ${db.kind}`);
  if (vsLimit !== undefined) console.log(`ratio sluice/limit ${db.label}: ${vsLimit}`);
  if (vsDebezium !== undefined) console.log(`ratio sluice/debezium ${db.label} (${rows.toLocaleString('en')} upserts; target ≥ 1.5): ${vsDebezium}`);
}
