// Every column type PostgreSQL → Kafka → MariaDB → Kafka → PostgreSQL, and MariaDB's own types the
// other way round, through the JDBC source and sink in a real worker, the sinks creating their
// tables (auto.create): the values that come back equal the values that left, microseconds, exact
// decimals, unsigned integers, bytes, enums, NULLs and extremes included.
import { uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
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

/** MariaDB's types: unsigned integers, BIT(1) and BOOLEAN, ENUM, TIMESTAMP (an instant) beside DATETIME. */
const MARIA_COLUMNS = [
  'id int PRIMARY KEY',
  'i8 tinyint',
  'u8 tinyint unsigned',
  'u16 smallint unsigned',
  'u32 int unsigned',
  'u64 bigint unsigned',
  'flag bit(1)',
  'ok boolean',
  'amount decimal(20,6)',
  'f float',
  'd double',
  'code char(5)',
  'name varchar(20)',
  'body mediumtext',
  'raw varbinary(16)',
  'day date',
  't time(6)',
  'dt datetime(6)',
  'ts timestamp(6) NULL',
  "mood enum('happy','sad')",
  'doc json',
];

const MARIA_ROWS = [
  `(1, -128, 255, 65535, 4294967295, 18446744073709551615, b'1', true, -99999999999999.999999, 1.5, -2.5e-300, 'ab', 'x''y\\z', REPEAT('ü', 5000), x'00ff', '1000-01-01', '00:00:00.000001', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000001', 'happy', '{"k": [1, true, null]}')`,
  `(2, 127, 0, 0, 0, 0, b'0', false, 0.000001, -0.25, 1e308, 'abcde', '', '', x'', '9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', 'sad', '[]')`,
  '(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
];

/** MariaDB's columns as text, the same for the original table and the one created by the sink (JSON compared compacted). */
const MARIA_TEXT = (table: string) =>
  `SELECT id, CAST(i8 AS CHAR) AS i8, CAST(u8 AS CHAR) AS u8, CAST(u16 AS CHAR) AS u16, CAST(u32 AS CHAR) AS u32, CAST(u64 AS CHAR) AS u64, CAST(flag + 0 AS CHAR) AS flag, ` +
  `CAST(ok + 0 AS CHAR) AS ok, CAST(amount AS CHAR) AS amount, CAST(f AS CHAR) AS f, CAST(d AS CHAR) AS d, code, name, body, HEX(raw) AS raw, CAST(day AS CHAR) AS day, ` +
  `TIME_FORMAT(t, '%H:%i:%s.%f') AS t, DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s.%f') AS dt, DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') AS ts, CAST(mood AS CHAR) AS mood, ` +
  `JSON_COMPACT(doc) AS doc FROM ${table} ORDER BY id`;

/** Every column as text, the same for the original table and the one created by the sink. */
const SELECT_TEXT = (table: string) =>
  `SELECT id, i16::text AS i16, i32::text AS i32, i64::text AS i64, amount::text AS amount, r::text AS r, d::text AS d, ok::text AS ok, name, body, ` +
  `encode(raw, 'hex') AS raw, day::text AS day, t::text AS t, to_char(ts::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') AS ts, ` +
  `to_char(tstz::timestamptz, 'YYYY-MM-DD HH24:MI:SS.US') AS tstz, uid::text AS uid, doc::jsonb::text AS doc FROM ${table} ORDER BY id`;

describe('JDBC round trips through Kafka between PostgreSQL and MariaDB', () => {
  const bootstrap = inject('kafkaBootstrap');
  let pg: Db;
  let maria: Db;
  let worker: WorkerProcess | undefined;
  const drops: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    pg = await postgres();
    maria = await mariadb();
    await pg.query("SET TIME ZONE 'UTC'");
  });
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    await pg?.close();
    await maria?.close();
  });

  /**
   * Creates `origin` in `from` with `columns` and `rows`, and streams it in one worker through
   * Kafka into `middle` in `via` and from there into `back` in `from`, both created by the sinks;
   * resolves with the table names once `back` holds every row.
   */
  async function roundTrip(from: Db, via: Db, columns: readonly string[], rows: readonly string[]): Promise<{ origin: string; middle: string; back: string }> {
    const [origin, middle, back] = [uniqueTable('rt_origin'), uniqueTable('rt_middle'), uniqueTable('rt_back')];
    drops.push(() => from.query(`DROP TABLE IF EXISTS ${origin}`), () => via.query(`DROP TABLE IF EXISTS ${middle}`), () => from.query(`DROP TABLE IF EXISTS ${back}`));
    await from.query(`CREATE TABLE ${origin} (${columns.join(', ')})`);
    await from.query(`INSERT INTO ${origin} VALUES ${rows.join(', ')}`);
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
      // the middle table appears once its sink created it
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
      'rt-from-origin': source(from.url, origin),
      'rt-into-middle': sink(via.url, `${prefix}${origin}`, middle),
      'rt-from-middle': source(via.url, middle),
      'rt-into-back': sink(from.url, `${prefix}${middle}`, back),
    });
    worker = setup.start();
    const count = (db: Db, table: string) => db.query(`SELECT count(*) AS n FROM ${table}`).then((r) => Number(r[0]!.n), () => 0);
    await eventually(async () => (await count(from, back)) === rows.length, 90_000, async () => `${await count(via, middle)} rows in the middle, ${await count(from, back)} back; worker output:\n${worker?.output.slice(-4000)}`);
    return { origin, middle, back };
  }

  it('PostgreSQL → MariaDB → PostgreSQL gives back every value of every type', { timeout: 120_000 }, async () => {
    const { origin, middle, back } = await roundTrip(pg, maria, COLUMNS, ROWS);
    expect(await pg.query(SELECT_TEXT(back))).toEqual(await pg.query(SELECT_TEXT(origin)));
    // and in MariaDB on the way: the exact values, microseconds and all
    const inMaria = await maria.query(
      `SELECT id, CAST(i64 AS CHAR) AS i64, CAST(amount AS CHAR) AS amount, HEX(raw) AS raw, DATE_FORMAT(ts, '%Y-%m-%d %H:%i:%s.%f') AS ts, CAST(t AS CHAR) AS t FROM ${middle} WHERE id = 2`,
    );
    expect(inMaria).toEqual([{ id: 2, i64: '9223372036854775807', amount: '12345678901234567890.1234', raw: '00FF10', ts: '2024-02-29 13:45:07.123456', t: '23:59:59.999999' }]);
  });

  it('MariaDB → PostgreSQL → MariaDB gives back unsigned integers, BIT(1), BOOLEAN, ENUM, TIMESTAMP and the rest', { timeout: 120_000 }, async () => {
    const { origin, back } = await roundTrip(maria, pg, MARIA_COLUMNS, MARIA_ROWS);
    expect(await maria.query(MARIA_TEXT(back))).toEqual(await maria.query(MARIA_TEXT(origin)));
  });
});
