// Database outages: a PostgreSQL of the test's own is stopped as a crash would stop it, for 20 s,
// and started again. The connectors get through it by themselves, nothing lost.
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { eventually, jdbcWorker, postgres, uniqueTable } from './fixtures.ts';
import type { Db } from './fixtures.ts';
import { privatePostgres } from './private-postgres.ts';
import type { PrivatePostgres } from './private-postgres.ts';

const OUTAGE_MS = 20_000;

describe('JDBC connectors through a database outage', () => {
  const bootstrap = inject('kafkaBootstrap');
  let server: PrivatePostgres | undefined;
  let worker: WorkerProcess | undefined;
  const dbs: Db[] = [];
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
    for (const db of dbs.splice(0)) await db.close().catch(() => undefined);
    server?.destroy();
    server = undefined;
  });
  afterAll(() => server?.destroy());

  const insert = (db: Db, table: string, from: number, count: number) =>
    db.query(`INSERT INTO ${table} (id, note) SELECT g, 'row ' || g FROM generate_series(${from}, ${from + count - 1}) g`);

  it('sink: the database stopped for 20 s mid-stream, the task retries and completes with nothing lost', { timeout: 240_000 }, async () => {
    const rows = 200_000;
    const source = await postgres();
    dbs.push(source);
    const table = uniqueTable('outage_sink');
    await source.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, note text NOT NULL)`);
    await insert(source, table, 1, rows);
    server = await privatePostgres();
    const target = await postgres(server.url);
    const prefix = `${uniqueTopic('jdbc-outage')}-`;
    const setup = await jdbcWorker(bootstrap, {
      'outage-src': { 'connector.class': 'jdbc-source', 'connection.url': source.url, mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': table, 'topic.prefix': prefix },
      'outage-sink': {
        'connector.class': 'jdbc-sink',
        'connection.url': server.url,
        topics: `${prefix}${table}`,
        'insert.mode': 'upsert',
        'pk.mode': 'record_key',
        'auto.create': 'true',
        'table.name.format': table,
        'max.retries': '10',
        'retry.backoff.ms': '3000',
      },
    });
    worker = setup.start();
    let copied = 0;
    const count = async () => (copied = Number((await target.query(`SELECT count(*) AS n FROM ${table}`).catch(() => [{ n: copied }]))[0]!.n));
    await eventually(async () => (await count()) >= rows / 10, 60_000, () => `${copied} rows copied`);

    server.crash();
    const stoppedAt = copied;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    server.start();
    const after = await postgres(server.url);
    dbs.push(after, target);
    const missing = async () => Number((await after.query(`SELECT $1::int - count(DISTINCT id) AS n FROM ${table}`, [rows]))[0]!.n);
    await eventually(async () => (await missing()) === 0, 120_000, async () => `${await missing()} rows missing; worker output:\n${worker?.output.slice(-3000)}`);
    console.log(`sink outage: ${stoppedAt} rows in the destination when it stopped for ${OUTAGE_MS / 1000} s; all ${rows} there after`);
    expect(worker.output).toMatch(/retr/i);
    await setup.running(worker, 'outage-sink', 5_000);
    await source.query(`DROP TABLE ${table}`);
  });

  it('source: the database stopped for 20 s mid-stream, the task recovers by itself and loses nothing', { timeout: 180_000 }, async () => {
    server = await privatePostgres();
    let db = await postgres(server.url);
    dbs.push(db);
    const table = uniqueTable('outage_src');
    await db.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, note text NOT NULL)`);
    await insert(db, table, 1, 5_000);
    const prefix = `${uniqueTopic('jdbc-outage')}-`;
    const setup = await jdbcWorker(bootstrap, {
      'outage-src': { 'connector.class': 'jdbc-source', 'connection.url': server.url, mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': table, 'topic.prefix': prefix, 'poll.interval.ms': '200' },
    });
    worker = setup.start();
    await setup.running(worker, 'outage-src');
    await readTopic(bootstrap, `${prefix}${table}`, 5_000, 60_000);

    server.crash();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    server.start();
    db = await postgres(server.url);
    dbs.push(db);
    await insert(db, table, 5_001, 5_000);

    const records = await readTopic(bootstrap, `${prefix}${table}`, 10_000, 90_000);
    const ids = new Set(records.map((r) => (JSON.parse(r.value!.toString('utf8')) as { payload: { id: number } }).payload.id));
    expect(ids.size).toBe(10_000);
    await setup.running(worker, 'outage-src', 5_000);
    expect(worker.output).not.toContain('password');
  });
});
