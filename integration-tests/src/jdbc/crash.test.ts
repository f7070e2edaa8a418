// The JDBC crash test: a 1,000,000-row PostgreSQL table copied into MariaDB through Kafka by the
// JDBC source and sink in one worker, the worker killed with SIGKILL twice mid-way. Offsets are
// committed only after data is durable (sink) or in Kafka (source), and the sink upserts, so the
// replays after each kill change nothing: the destination ends equal to the source, row for row.
import { uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { eventually, jdbcWorker, mariadb, postgres, uniqueTable } from './fixtures.ts';
import type { Db } from './fixtures.ts';

const ROWS = 1_000_000;
const CHUNK = 100_000;

describe('JDBC source → Kafka → JDBC sink with the worker killed twice', () => {
  const bootstrap = inject('kafkaBootstrap');
  let worker: WorkerProcess | undefined;
  let source: Db;
  let target: Db;
  const table = uniqueTable('crash');
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });
  afterAll(async () => {
    await source?.query(`DROP TABLE IF EXISTS ${table}`);
    await target?.query(`DROP TABLE IF EXISTS ${table}`);
    await source?.close();
    await target?.close();
  });

  it(`copies ${ROWS.toLocaleString('en')} rows with nothing lost and the destination equal to the source`, { timeout: 900_000 }, async () => {
    source = await postgres();
    target = await mariadb();
    await source.query(`CREATE TABLE ${table} (id bigint PRIMARY KEY, n integer NOT NULL, note text, amount numeric(12,2) NOT NULL, at timestamp(3) NOT NULL, flag boolean NOT NULL)`);
    await source.query(
      `INSERT INTO ${table} SELECT g, (g::bigint * 7919) % 100003, CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g || ' — ü' END, round(g / 13.0, 2), ` +
        `timestamp '2024-01-01' + g * interval '1.007 seconds', g % 2 = 0 FROM generate_series(1, ${ROWS}) g`,
    );
    const prefix = `${uniqueTopic('jdbc-crash')}-`;
    const setup = await jdbcWorker(
      bootstrap,
      {
        'crash-source': { 'connector.class': 'jdbc-source', 'connection.url': source.url, mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': table, 'topic.prefix': prefix, 'batch.max.rows': '2000' },
        'crash-sink': { 'connector.class': 'jdbc-sink', 'connection.url': target.url, topics: `${prefix}${table}`, 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true', 'table.name.format': table },
      },
      { 'offset.flush.interval.ms': '2000' },
    );
    const copied = async () => Number((await target.query(`SELECT count(*) AS n FROM ${table}`).catch(() => [{ n: 0 }]))[0]!.n);
    const progress = async () => `${await copied()} of ${ROWS} rows copied; worker output:\n${worker?.output.slice(-3000)}`;

    for (const killAt of [ROWS / 4, (ROWS * 2) / 3]) {
      worker = setup.start();
      await eventually(async () => (await copied()) >= killAt, 300_000, progress);
      expect(await worker.stop('SIGKILL')).toBeNull();
      console.log(`crash test: SIGKILL with ${await copied()} rows in the destination`);
    }
    worker = setup.start();
    await eventually(async () => (await copied()) >= ROWS, 400_000, progress);
    expect(await copied()).toBe(ROWS);

    // row for row, the same text in every column
    for (let from = 1; from <= ROWS; from += CHUNK) {
      const to = from + CHUNK - 1;
      const theirs = await source.query(
        `SELECT id::text AS id, n::text AS n, note, amount::text AS amount, to_char(at, 'YYYY-MM-DD HH24:MI:SS.MS') AS at, flag::int::text AS flag FROM ${table} WHERE id BETWEEN ${from} AND ${to} ORDER BY id`,
      );
      const ours = await target.query(
        `SELECT CAST(id AS CHAR) AS id, CAST(n AS CHAR) AS n, note, CAST(amount AS CHAR) AS amount, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at, CAST(flag AS CHAR) AS flag FROM ${table} WHERE id BETWEEN ${from} AND ${to} ORDER BY id`,
      );
      const text = (row: Record<string, unknown>) => [row.id, row.n, row.note, row.amount, String(row.at).slice(0, 23), row.flag].map(String).join('|');
      const a = theirs.map(text);
      const b = ours.map(text);
      const differing = a.filter((row, i) => row !== b[i]);
      expect({ rows: b.length, differing: differing.slice(0, 3) }).toEqual({ rows: a.length, differing: [] });
    }
  });
});
