// Every column type PostgreSQL → Kafka → MariaDB → Kafka → PostgreSQL through the JDBC source and
// sink in a real worker, the sinks creating their tables (auto.create): the values that come back
// equal the values that left, microseconds, exact decimals, bytes, NULLs and extremes included.
import { uniqueTopic } from '@sluice/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { eventually, jdbcWorker, mariadb, postgres, uniqueTable } from './fixtures.ts';
import type { Db } from './fixtures.ts';

const COLUMNS = [
  'id integer PRIMARY KEY',
  'i16 smallint',
  'i32 integer',
  'i64 bigint',
  'amount numeric(30,4)',
  'r real',
  'd double precision',
  'ok boolean',
  'name varchar(50)',
  'body text',
  'raw bytea',
  'day date',
  't time(6)',
  'ts timestamp(6)',
  'tstz timestamptz(6)',
  'uid uuid',
  'doc jsonb',
];

const ROWS = [
  `(1, -32768, -2147483648, -9223372036854775808, -12345678901234567890.1234, -0.25, 0.1, false, '', 'a''b "c" \\ ü 中 🚀', '\\x', '1969-12-31', '00:00:00', '1969-12-31 23:59:59.999999', '1900-01-01 00:00:00.000001+00', '00000000-0000-0000-0000-000000000000', '{}')`,
  `(2, 32767, 2147483647, 9223372036854775807, 12345678901234567890.1234, 1.5, 1e300, true, 'héllo', repeat('x', 10000), '\\x00ff10', '2024-02-29', '23:59:59.999999', '2024-02-29 13:45:07.123456', '2024-02-29 13:45:07.654321+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.5, "x"], "b": null}')`,
  '(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
  `(4, 0, 0, 0, 0.0001, 0, -1.7976931348623157e308, true, 'tab\tnewline\n', 'x', '\\xdeadbeef', '1000-01-01', '12:00:00.5', '2038-01-19 03:14:08', '2262-04-11 23:47:16.854775+00', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[1, "two", {"three": 3}]')`,
];

/** Every column as text, the same for the original table and the one created by the sink. */
const SELECT_TEXT = (table: string) =>
  `SELECT id, i16::text AS i16, i32::text AS i32, i64::text AS i64, amount::text AS amount, r::text AS r, d::text AS d, ok::text AS ok, name, body, ` +
  `encode(raw, 'hex') AS raw, day::text AS day, t::text AS t, to_char(ts::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') AS ts, ` +
  `to_char(tstz::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') AS tstz, uid::text AS uid, doc::jsonb::text AS doc FROM ${table} ORDER BY id`;

describe('JDBC round trip PostgreSQL → Kafka → MariaDB → Kafka → PostgreSQL', () => {
  const bootstrap = inject('kafkaBootstrap');
  let pg: Db;
  let maria: Db;
  let worker: WorkerProcess | undefined;
  const [origin, middle, back] = [uniqueTable('rt_origin'), uniqueTable('rt_maria'), uniqueTable('rt_back')];
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await pg?.query(`DROP TABLE IF EXISTS ${origin}`);
    await pg?.query(`DROP TABLE IF EXISTS ${back}`);
    await maria?.query(`DROP TABLE IF EXISTS ${middle}`);
    await pg?.close();
    await maria?.close();
  });

  it('gives back every value of every type', { timeout: 120_000 }, async () => {
    pg = await postgres();
    maria = await mariadb();
    await pg.query("SET TIME ZONE 'UTC'");
    await pg.query(`CREATE TABLE ${origin} (${COLUMNS.join(', ')})`);
    await pg.query(`INSERT INTO ${origin} VALUES ${ROWS.join(', ')}`);
    const prefix = `${uniqueTopic('jdbc-rt')}-`;
    const source = (url: string, table: string) => ({
      'connector.class': 'jdbc-source',
      'connection.url': url,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': table,
      'topic.prefix': prefix,
      'timestamp.granularity': 'micros_logical',
      'poll.interval.ms': '200',
      // the MariaDB table appears once its sink created it
      'table.poll.interval.ms': '1000',
    });
    const sink = (url: string, topic: string, table: string) => ({
      'connector.class': 'jdbc-sink',
      'connection.url': url,
      topics: topic,
      'insert.mode': 'upsert',
      'pk.mode': 'record_key',
      'auto.create': 'true',
      'table.name.format': table,
    });
    const setup = await jdbcWorker(bootstrap, {
      'rt-from-pg': source(pg.url, origin),
      'rt-into-maria': sink(maria.url, `${prefix}${origin}`, middle),
      'rt-from-maria': source(maria.url, middle),
      'rt-into-pg': sink(pg.url, `${prefix}${middle}`, back),
    });
    worker = setup.start();
    const count = (db: Db, table: string) => db.query(`SELECT count(*) AS n FROM ${table}`).then((r) => Number(r[0]!.n), () => 0);
    await eventually(async () => (await count(pg, back)) === ROWS.length, 90_000, async () => `${await count(maria, middle)} rows in MariaDB, ${await count(pg, back)} back in PostgreSQL; worker output:\n${worker?.output.slice(-4000)}`);

    expect(await pg.query(SELECT_TEXT(back))).toEqual(await pg.query(SELECT_TEXT(origin)));
    // and in MariaDB on the way: the exact values, microseconds and all
    const inMaria = await maria.query(
      `SELECT id, CAST(i64 AS CHAR) AS i64, CAST(amount AS CHAR) AS amount, HEX(raw) AS raw, DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') AS ts, CAST(t AS CHAR) AS t FROM ${middle} WHERE id = 2`,
    );
    expect(inMaria).toEqual([{ id: 2, i64: '9223372036854775807', amount: '12345678901234567890.1234', raw: '00FF10', ts: '2024-02-29 13:45:07.123456', t: '23:59:59.999999' }]);
  });
});
