/**
 * bench/jdbc-source: rows/s from a 10-column PostgreSQL table (bigint id, integer, smallint,
 * numeric, text, varchar, two timestamps, boolean, double) into a Kafka topic through Sluice's
 * jdbc-source in a standalone Sluice worker (mode=incrementing on id, the connector's defaults
 * otherwise; JsonConverter with schemas, Kafka Connect's defaults), beside the two limits measured
 * in the same run:
 *
 * - the database: `\copy (SELECT * … WHERE id > -1 ORDER BY id) TO '/dev/null'` through psql —
 *   the same query the source runs, over PostgreSQL's COPY protocol into a client that discards
 *   it (wall time of the psql process, best of two);
 * - Kafka: the raw produce rate of the worker's Kafka client (the default adapter) for records
 *   of the same size — copies of the first 1,000 records the Sluice run wrote — in batches of
 *   1,000 (the source's batch.max.rows) to a topic with one partition, like the one the source
 *   writes to.
 *
 * Sluice's figure runs from the connector's creation (POST /connectors on a running worker) to
 * the topic holding every row. The ratio printed last is Sluice / the lower of the two limits
 * (a pipeline cannot outrun its slower end); the target is ≥ 0.70.
 *
 *   ./dev pnpm build && ./dev pnpm --filter @sluice/bench run jdbc-source [rows]
 *   BENCH_ROWS=100000 ./dev pnpm --filter @sluice/bench run jdbc-source
 *
 * Rows: the argument, else BENCH_ROWS, else 1,000,000. Needs psql, PostgreSQL (BENCH_POSTGRES_URL,
 * default jdbc:postgresql://127.0.0.1:5432/test?user=postgres) and a broker
 * (KAFKA_BOOTSTRAP_SERVERS or `./dev stack up kafka`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient } from '@sluice/worker/kafka';
import type { ConsumedRecord, ProducerRecord } from '@sluice/worker/kafka';
import { checkReachable, database, rowCount, sql, timedSql } from '../lib/databases.ts';
import { bulkLoadStatement, createTable, writeCsv } from '../lib/jdbc-rows.ts';
import { bootstrap, root, sluiceBin } from '../lib/kafka-connect.ts';
import { sleep, startStandalone } from '../lib/workers.ts';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 1_000_000);
const table = 'bench_jdbc_source';
const pg = database('postgresql');
const kafka = kafkaClient({ bootstrapServers: bootstrap.split(','), clientId: 'bench-jdbc-source' });
const rate = (count: number, ms: number) => Math.round((count * 1000) / ms);
const stamp = `${Date.now()}-${randomUUID().slice(0, 8)}`;
const topicPrefix = `bench-jdbc-source-${stamp}-`;
const sluiceTopic = `${topicPrefix}${table}`;
const produceTopic = `bench-jdbc-produce-${stamp}`;

const admin = await kafka.admin();
/** The topics this run made, deleted at the end (the records of a 1M run take about a gigabyte each). */
const created: string[] = [];

/** One partition with the broker's defaults. */
async function createTopic(name: string): Promise<void> {
  await admin.createTopics([{ name, partitions: 1 }]);
  created.push(name);
}

async function endOffset(topic: string): Promise<bigint> {
  return (await admin.listOffsets(topic, 'latest')).reduce((sum, p) => sum + p.offset, 0n);
}

/** Loads the table through COPY from a CSV of the benchmark's rows and leaves it vacuumed and analysed. */
async function prepareTable(): Promise<void> {
  console.log(`loading ${rows.toLocaleString('en')} rows into ${pg.label} table ${table} …`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-jdbc-source-'));
  const csv = join(dir, 'rows.csv');
  try {
    await writeCsv(csv, rows);
    createTable(pg, table);
    sql(pg, bulkLoadStatement(pg, table, csv));
    sql(pg, `VACUUM (FREEZE, ANALYZE) ${table}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (rowCount(pg, table) !== rows) throw new Error(`${table}: the load did not leave ${rows} rows`);
}

/** rows/s of psql's `\copy (the source's query) TO '/dev/null'`, best of two (the first also warms the cache). */
function copyOut(): number {
  const statement = `\\copy (SELECT * FROM ${table} WHERE id > -1 ORDER BY id ASC) TO '/dev/null'`;
  return Math.max(rate(rows, timedSql(pg, statement)), rate(rows, timedSql(pg, statement)));
}

/** rows/s of Sluice's jdbc-source from the connector's creation to the last row in the topic. */
async function sluiceSource(): Promise<number> {
  await createTopic(sluiceTopic);
  const worker = await startStandalone('sluice', 28093, (file) => [process.execPath, [sluiceBin, 'standalone', file]], {
    'plugin.path': join(root, 'packages/connector-jdbc'),
  });
  try {
    const started = performance.now();
    await worker.createConnector('bench-jdbc-source', {
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'tasks.max': '1',
      'connection.url': pg.jdbcUrl,
      'connection.user': pg.user,
      ...(pg.password === '' ? {} : { 'connection.password': pg.password }),
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': table,
      'topic.prefix': topicPrefix,
    });
    const deadline = started + 1_800_000;
    let lastProgress = started;
    while ((await endOffset(sluiceTopic)) < BigInt(rows)) {
      worker.checkAlive();
      await worker.running('bench-jdbc-source');
      if (performance.now() > deadline) throw new Error(`sluice: ${sluiceTopic} did not get ${rows} records within 30 minutes`);
      if (performance.now() - lastProgress > 10_000) {
        console.log(`  … ${(await endOffset(sluiceTopic)).toLocaleString('en')} records`);
        lastProgress = performance.now();
      }
      await sleep(100);
    }
    return rate(rows, performance.now() - started);
  } finally {
    worker.stop();
  }
}

/** The first records the source wrote, to be copied for the produce limit. */
async function sampleRecords(count: number): Promise<ConsumedRecord[]> {
  const consumer = await kafka.consumer({ groupId: `bench-jdbc-sample-${stamp}` });
  try {
    await consumer.subscribe([sluiceTopic]);
    const sample: ConsumedRecord[] = [];
    while (sample.length < count) sample.push(...(await consumer.poll(1_000, count - sample.length)));
    return sample;
  } finally {
    await consumer.close();
  }
}

/** rows/s of the Kafka client producing copies of `sample` (acks=all, idempotent, as the worker's producer). */
async function produce(sample: readonly ConsumedRecord[]): Promise<number> {
  await createTopic(produceTopic);
  const batch: ProducerRecord[] = Array.from({ length: 1_000 }, (_, i) => ({ topic: produceTopic, key: sample[i % sample.length]!.key, value: sample[i % sample.length]!.value }));
  const producer = await kafka.producer();
  try {
    const started = performance.now();
    for (let sent = 0; sent < rows; sent += batch.length) await producer.send(sent + batch.length <= rows ? batch : batch.slice(0, rows - sent));
    return rate(rows, performance.now() - started);
  } finally {
    await producer.close();
  }
}

checkReachable(pg);
await prepareTable();
try {
  console.log('running COPY … TO STDOUT …');
  const copy = copyOut();
  console.log('running sluice …');
  const sluice = await sluiceSource();
  const sample = await sampleRecords(Math.min(1_000, rows));
  const keyBytes = sample.reduce((sum, r) => sum + (r.key?.length ?? 0), 0) / sample.length;
  const valueBytes = sample.reduce((sum, r) => sum + (r.value?.length ?? 0), 0) / sample.length;
  console.log('running raw produce …');
  const produced = await produce(sample);
  const limit = Math.min(copy, produced);
  console.log(`records: key ${keyBytes.toFixed(0)} B, value ${valueBytes.toFixed(0)} B on average (JsonConverter with schemas)`);
  console.log(`limit  ${pg.label} COPY … TO STDOUT (psql \\copy to /dev/null)   ${copy.toLocaleString('en')} rows/s`);
  console.log(`limit  Kafka produce (records of the same size)            ${produced.toLocaleString('en')} records/s`);
  console.log(`sluice jdbc-source → Kafka (incrementing)                  ${sluice.toLocaleString('en')} rows/s`);
  console.log(`ratio sluice/limit (${rows.toLocaleString('en')} rows, limit = the lower of the two): ${(sluice / limit).toFixed(2)} (target ≥ 0.70)`);
} finally {
  await admin.deleteTopics(created);
  await admin.close();
  sql(pg, `DROP TABLE IF EXISTS ${table}`);
}
