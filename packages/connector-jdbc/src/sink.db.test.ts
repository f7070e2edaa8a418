// One suite, run against the PostgreSQL and the MariaDB on 127.0.0.1 (override with
// SLUICE_TEST_POSTGRES_URL / SLUICE_TEST_MYSQL_URL, JDBC form, user in the URL's `user`
// parameter). The task is driven directly with sink records, redelivering a batch after a
// RETRIABLE error as the runtime does.
import { DateLogical, Decimal, SchemaBuilder, Schemas, Struct, TimeLogical, TimestampLogical, isRetriable, noopLogger, sinkRecord } from '@sluice/core';
import type { ErrantRecordReporter, Schema, SinkRecord, SinkTaskContext } from '@sluice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './database.ts';
import type { Database, Row } from './database.ts';
import { parseJdbcUrl } from './jdbc-url.ts';
import { sinkConfig } from './sink-config.ts';
import { JdbcSinkTask } from './sink-task.ts';

interface Target {
  readonly name: string;
  readonly url: string;
  readonly howTo: string;
  readonly schema: string;
  /** The id of the session a query runs in, one row `{ id }`, and how another session ends it. */
  readonly sessionIdSql: string;
  readonly killSql: (id: unknown) => string;
  /** One row while the session is inside the batch's transaction. */
  readonly inTransactionSql: (id: unknown) => string;
  /** A session setting that turns autocommit off, where the database has one. */
  readonly autocommitOffSql: string | null;
  /** A session setting under which a string literal's backslash is an ordinary character. */
  readonly literalBackslashesSql: string;
  /**
   * A trigger on `table` failing a write of id 13 with a lost privilege (not a data error) and of
   * id 14 with a deadlock, as the database would; and what drops it with the table.
   */
  readonly triggerSql: (q: (name: string) => string, table: string) => { create: string[]; drop: string[] };
  /** How a boolean column reads back. */
  readonly bool: (value: boolean) => unknown;
  /** How a Connect Time / Timestamp (milliseconds) reads back. */
  readonly millisTime: string;
  readonly millisTimestamp: string;
}

const TARGETS: readonly Target[] = [
  {
    name: 'PostgreSQL',
    url: process.env.SLUICE_TEST_POSTGRES_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
    howTo: 'start PostgreSQL on 127.0.0.1:5432 with a database `test` and trust auth for `postgres`, or set SLUICE_TEST_POSTGRES_URL',
    schema: 'public',
    sessionIdSql: 'SELECT pg_backend_pid() AS id',
    killSql: (id) => `SELECT pg_terminate_backend(${Number(id)})`,
    inTransactionSql: (id) => `SELECT 1 FROM pg_stat_activity WHERE pid = ${Number(id)} AND xact_start IS NOT NULL`,
    autocommitOffSql: null,
    literalBackslashesSql: 'SET standard_conforming_strings = on',
    triggerSql: (q, table) => ({
      create: [
        `CREATE FUNCTION ${q(`${table}_f`)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
          "IF NEW.id = 13 THEN RAISE EXCEPTION 'permission denied for table (test)' USING ERRCODE = '42501'; END IF; " +
          "IF NEW.id = 14 THEN RAISE EXCEPTION 'deadlock detected (test)' USING ERRCODE = '40P01'; END IF; RETURN NEW; END $$",
        `CREATE TRIGGER refuse BEFORE INSERT ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${q(`${table}_f`)}()`,
      ],
      drop: [`DROP TABLE IF EXISTS ${q(table)}`, `DROP FUNCTION IF EXISTS ${q(`${table}_f`)}()`],
    }),
    bool: (value) => value,
    millisTime: '13:45:07.123',
    millisTimestamp: '2024-02-29 13:45:07.123',
  },
  {
    name: 'MariaDB',
    url: process.env.SLUICE_TEST_MYSQL_URL ?? 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    howTo: 'start MariaDB/MySQL on 127.0.0.1:3306 with a database `test` and user `root` without password, or set SLUICE_TEST_MYSQL_URL',
    schema: 'test',
    sessionIdSql: 'SELECT CONNECTION_ID() AS id',
    killSql: (id) => `KILL ${Number(id)}`,
    // inside BEGIN … COMMIT the session is idle only between statements, which the writes leave no time for
    inTransactionSql: (id) => `SELECT 1 FROM information_schema.processlist WHERE id = ${Number(id)} AND command <> 'Sleep'`,
    autocommitOffSql: 'SET SESSION autocommit = 0',
    literalBackslashesSql: "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES')",
    triggerSql: (q, table) => ({
      create: [
        `CREATE TRIGGER ${q(`${table}_t`)} BEFORE INSERT ON ${q(table)} FOR EACH ROW BEGIN ` +
          "IF NEW.id = 13 THEN SIGNAL SQLSTATE '42000' SET MYSQL_ERRNO = 1142, MESSAGE_TEXT = 'INSERT command denied (test)'; END IF; " +
          "IF NEW.id = 14 THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found (test)'; END IF; END",
      ],
      drop: [`DROP TABLE IF EXISTS ${q(table)}`],
    }),
    bool: (value) => (value ? 1 : 0),
    millisTime: '13:45:07.123',
    millisTimestamp: '2024-02-29 13:45:07.123',
  },
];

/** A JSON column's value as the driver returns it: text, or already parsed (mysql2 on MariaDB's JSON). */
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

const MICRO_TIMESTAMP = SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').optional().build();
const MICRO_TIME = SchemaBuilder.int64().name('io.debezium.time.MicroTime').optional().build();
const JSON_SCHEMA = SchemaBuilder.string().name('io.debezium.data.Json').optional().build();

describe.each(TARGETS)('the JDBC sink against $name', (target) => {
  const url = parseJdbcUrl(target.url);
  const user = url.properties.user ?? null;
  let db: Database;
  const q = (name: string) => db.dialect.quoteIdentifier(name);
  const prefix = `sluice_sink_${process.pid}_`;
  const created = new Set<string>();
  let offset = 0n;

  /** A topic (and table) name of this run, dropped after the suite. */
  function topic(name: string): string {
    created.add(prefix + name);
    return prefix + name;
  }

  function record(topicName: string, key: unknown, value: unknown, schemas: { key?: Schema; value?: Schema } = {}): SinkRecord {
    return sinkRecord({ topic: topicName, kafkaPartition: 0, kafkaOffset: offset++, key, value, ...(schemas.key ? { keySchema: schemas.key } : {}), ...(schemas.value ? { valueSchema: schemas.value } : {}) });
  }

  interface Running {
    readonly task: JdbcSinkTask;
    readonly reported: { record: SinkRecord; error: Error }[];
    readonly timeouts: number[];
    /** The task's current connection. */
    session(): Database;
  }

  const tasks: JdbcSinkTask[] = [];
  async function start(config: Record<string, string>, options: { reporter?: boolean; sessionSql?: string; connect?: typeof connect } = {}): Promise<Running> {
    const reported: { record: SinkRecord; error: Error }[] = [];
    const timeouts: number[] = [];
    let current: Database | null = null;
    const task = new JdbcSinkTask({
      connect: async (u, c) => {
        current = await (options.connect ?? connect)(u, c);
        if (options.sessionSql !== undefined) await current.query({ sql: options.sessionSql, params: [] });
        return current;
      },
    });
    tasks.push(task);
    const reporter: ErrantRecordReporter = {
      report: (r, error) => {
        reported.push({ record: r, error: error as Error });
        return Promise.resolve();
      },
    };
    const ctx: SinkTaskContext = {
      logger: noopLogger,
      configs: () => ({}),
      assignment: () => [],
      pause: () => undefined,
      resume: () => undefined,
      offset: () => undefined,
      timeout: (ms) => timeouts.push(ms),
      requestCommit: () => undefined,
      ...(options.reporter === true ? { errantRecordReporter: reporter } : {}),
    };
    await task.start(sinkConfig.parse({ 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), 'retry.backoff.ms': '10', ...config }), ctx);
    return { task, reported, timeouts, session: () => current! };
  }

  /** `put`, redelivered while it fails with a RETRIABLE error, as the runtime does. */
  async function deliver(task: JdbcSinkTask, records: SinkRecord[]): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        await task.put(records);
        return attempt;
      } catch (error) {
        if (!isRetriable(error) || attempt >= 20) throw error;
      }
    }
  }

  async function failure(run: Promise<unknown>): Promise<Error> {
    return run.then(
      () => {
        throw new Error('expected the put to fail');
      },
      (error: unknown) => error as Error,
    );
  }

  async function rows(table: string, orderBy = 'id'): Promise<Row[]> {
    return db.query({ sql: `SELECT * FROM ${q(table)} ORDER BY ${q(orderBy)}`, params: [] });
  }

  async function exec(sql: string): Promise<void> {
    await db.query({ sql, params: [] });
  }

  beforeAll(async () => {
    try {
      db = await connect(url, { user, password: null });
    } catch (error) {
      throw new Error(`${target.name} is not reachable (${(error as Error).message}): ${target.howTo}`);
    }
  });

  afterAll(async () => {
    for (const task of tasks) await task.stop();
    for (const name of created) await exec(`DROP TABLE IF EXISTS ${q(name)}`);
    await db.close();
  });

  const keySchema = SchemaBuilder.struct().name('Key').field('id', Schemas.INT32).build();
  const key = (id: number) => new Struct(keySchema).put('id', id);
  const itemSchema = SchemaBuilder.struct().name('Item').field('id', Schemas.INT32).field('name', Schemas.STRING).field('qty', Schemas.OPTIONAL_INT64).build();
  const item = (id: number, name: string, qty: bigint | null = null) => new Struct(itemSchema).put('id', id).put('name', name).put('qty', qty);

  it('creates a table with every type and reads back exactly what was sent', async () => {
    const decimal = Decimal.builder(4).parameter('connect.decimal.precision', '30').optional().build();
    const schema = SchemaBuilder.struct()
      .name('AllTypes')
      .field('id', Schemas.INT32)
      .field('i8', Schemas.INT8)
      .field('i16', Schemas.INT16)
      .field('i64', Schemas.INT64)
      .field('f32', Schemas.FLOAT32)
      .field('f64', Schemas.FLOAT64)
      .field('ok', Schemas.BOOLEAN)
      .field('name', Schemas.STRING)
      .field('raw', Schemas.OPTIONAL_BYTES)
      .field('amount', decimal)
      .field('day', DateLogical.builder().optional().build())
      .field('at_time', TimeLogical.builder().optional().build())
      .field('at', TimestampLogical.builder().optional().build())
      .field('at_micros', MICRO_TIMESTAMP)
      .field('time_micros', MICRO_TIME)
      .field('doc', JSON_SCHEMA)
      .field('missing', Schemas.OPTIONAL_STRING)
      .build();
    const value = new Struct(schema)
      .put('id', 1)
      .put('i8', -128)
      .put('i16', -32768)
      .put('i64', 9223372036854775807n)
      .put('f32', 1.5)
      .put('f64', 0.1)
      .put('ok', true)
      .put('name', 'héllo \'"; --')
      .put('raw', new Uint8Array([0x00, 0xff, 0x10]))
      .put('amount', Decimal.parse('12345678901234567890.1234'))
      .put('day', new Date('2024-02-29T00:00:00Z'))
      .put('at_time', new Date('1970-01-01T13:45:07.123Z'))
      .put('at', new Date('2024-02-29T13:45:07.123Z'))
      .put('at_micros', 1709214307123456n)
      .put('time_micros', 49507123456n)
      .put('doc', '{"a": [1, 2]}');
    const table = topic('types');
    const { task } = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' });
    await deliver(task, [record(table, null, value, { value: schema })]);
    const [row] = await rows(table);
    expect(row).toMatchObject({
      id: 1,
      i8: -128,
      i16: -32768,
      i64: '9223372036854775807',
      f32: 1.5,
      f64: 0.1,
      ok: target.bool(true),
      name: 'héllo \'"; --',
      amount: '12345678901234567890.1234',
      day: '2024-02-29',
      missing: null,
    });
    expect(new Uint8Array(row!.raw as Uint8Array)).toEqual(new Uint8Array([0x00, 0xff, 0x10]));
    expect(String(row!.at_time)).toContain(target.millisTime);
    expect(String(row!.at)).toContain(target.millisTimestamp);
    expect(row!.at_micros).toBe('2024-02-29 13:45:07.123456');
    expect(row!.time_micros).toBe('13:45:07.123456');
    expect(json(row!.doc)).toEqual({ a: [1, 2] });
  });

  it('inserts, upserts (a replayed batch changes nothing) and updates, keyed by the record key', async () => {
    const table = topic('modes');
    const upsert = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' });
    const batch = [record(table, key(1), item(1, 'one', 1n), { key: keySchema, value: itemSchema }), record(table, key(2), item(2, 'two'), { key: keySchema, value: itemSchema }), record(table, key(1), item(1, 'uno', 11n), { key: keySchema, value: itemSchema })];
    await deliver(upsert.task, batch);
    const expected = [{ id: 1, name: 'uno', qty: '11' }, { id: 2, name: 'two', qty: null }];
    expect(await rows(table)).toEqual(expected);
    await deliver(upsert.task, batch);
    expect(await rows(table)).toEqual(expected);

    const update = await start({ 'insert.mode': 'update', 'pk.mode': 'record_key' });
    await deliver(update.task, [record(table, key(2), item(2, 'dos', 2n), { key: keySchema, value: itemSchema }), record(table, key(3), item(3, 'tres'), { key: keySchema, value: itemSchema })]);
    expect(await rows(table)).toEqual([expected[0], { id: 2, name: 'dos', qty: '2' }]);

    const insert = await start({ 'insert.mode': 'insert', 'pk.mode': 'record_key' });
    await deliver(insert.task, [record(table, key(4), item(4, 'four'), { key: keySchema, value: itemSchema })]);
    const duplicate = record(table, key(4), item(4, 'again'), { key: keySchema, value: itemSchema });
    const error = await failure(insert.task.put([duplicate]));
    expect(error.message).toContain(`record at topic \`${table}\` partition 0 offset ${duplicate.kafkaOffset} cannot be written to table \`${target.schema}.${table}\``);
    expect((await rows(table)).map((r) => r.name)).toEqual(['uno', 'dos', 'four']);
  });

  it('writes the key of every pk.mode: none, kafka, a primitive record_key, record_value', async () => {
    const none = topic('pk_none');
    const kafka = topic('pk_kafka');
    const primitive = topic('pk_prim');
    const byValue = topic('pk_value');
    const r = (t: string, k: unknown, v: Struct) => record(t, k, v, { value: itemSchema, ...(typeof k === 'number' ? { key: Schemas.INT32 } : {}) });
    const noneTask = await start({ 'auto.create': 'true' });
    await deliver(noneTask.task, [r(none, null, item(1, 'a')), r(none, null, item(1, 'a'))]);
    expect(await rows(none)).toHaveLength(2);
    const kafkaTask = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'kafka', 'fields.whitelist': 'name' });
    const first = r(kafka, null, item(1, 'a'));
    await deliver(kafkaTask.task, [first, first]);
    expect(await rows(kafka, '__connect_offset')).toEqual([{ __connect_topic: kafka, __connect_partition: 0, __connect_offset: String(first.kafkaOffset), name: 'a' }]);
    const primTask = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'key_id' });
    await deliver(primTask.task, [r(primitive, 7, item(1, 'a')), r(primitive, 7, item(1, 'b'))]);
    expect(await rows(primitive, 'key_id')).toEqual([{ key_id: 7, id: 1, name: 'b', qty: null }]);
    const valueTask = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' });
    await deliver(valueTask.task, [r(byValue, null, item(5, 'x')), r(byValue, null, item(5, 'y', 3n))]);
    expect(await rows(byValue)).toEqual([{ id: 5, name: 'y', qty: '3' }]);
  });

  it('adds an optional field as a column with auto.evolve, refuses a required one without default, and deletes on tombstones', async () => {
    const table = topic('evolve');
    const { task } = await start({ 'auto.create': 'true', 'auto.evolve': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true' });
    await deliver(task, [record(table, key(1), item(1, 'a'), { key: keySchema, value: itemSchema }), record(table, key(2), item(2, 'b'), { key: keySchema, value: itemSchema })]);
    const wider = SchemaBuilder.struct().name('Item').field('id', Schemas.INT32).field('name', Schemas.STRING).field('qty', Schemas.OPTIONAL_INT64).field('color', Schemas.OPTIONAL_STRING).build();
    await deliver(task, [record(table, key(3), new Struct(wider).put('id', 3).put('name', 'c').put('color', 'red'), { key: keySchema, value: wider }), record(table, key(1), null, { key: keySchema })]);
    expect(await rows(table)).toEqual([{ id: 2, name: 'b', qty: null, color: null }, { id: 3, name: 'c', qty: null, color: 'red' }]);
    const required = SchemaBuilder.struct().name('Item').field('id', Schemas.INT32).field('name', Schemas.STRING).field('size', Schemas.INT32).build();
    const error = await failure(task.put([record(table, key(4), new Struct(required).put('id', 4).put('name', 'd').put('size', 1), { key: keySchema, value: required })]));
    expect(error.message).toContain('field `size` is required and has no default');
  });

  it('writes a field into a column a DBA added after the first batch, auto.evolve off', async () => {
    const table = topic('dba_column');
    await exec(`CREATE TABLE ${q(table)} (id integer PRIMARY KEY, name varchar(20) NOT NULL)`);
    const narrow = SchemaBuilder.struct().name('Item').field('id', Schemas.INT32).field('name', Schemas.STRING).build();
    const { task, reported } = await start({ 'insert.mode': 'upsert', 'pk.mode': 'record_key' }, { reporter: true });
    await deliver(task, [record(table, key(1), new Struct(narrow).put('id', 1).put('name', 'a'), { key: keySchema, value: narrow })]);
    await exec(`ALTER TABLE ${q(table)} ADD COLUMN qty bigint`);
    await deliver(task, [record(table, key(2), item(2, 'b', 5n), { key: keySchema, value: itemSchema })]);
    expect(reported).toEqual([]);
    expect(await rows(table)).toEqual([{ id: 1, name: 'a', qty: null }, { id: 2, name: 'b', qty: '5' }]);
  });

  it('lets two tasks create and evolve the same table at once', async () => {
    const table = topic('race');
    const config = { 'auto.create': 'true', 'auto.evolve': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' };
    const [a, b] = await Promise.all([start(config), start(config)]);
    const wider = SchemaBuilder.struct().name('Item').field('id', Schemas.INT32).field('name', Schemas.STRING).field('qty', Schemas.OPTIONAL_INT64).field('color', Schemas.OPTIONAL_STRING).build();
    const put = (id: number) => [record(table, key(id), item(id, 'n'), { key: keySchema, value: itemSchema }), record(table, key(id + 1), new Struct(wider).put('id', id + 1).put('name', 'w').put('color', 'blue'), { key: keySchema, value: wider })];
    await Promise.all([deliver(a.task, put(1)), deliver(b.task, put(10))]);
    expect((await rows(table)).map((r) => [r.id, r.color])).toEqual([[1, null], [2, 'blue'], [10, null], [11, 'blue']]);
  });

  it('writes schemaless maps into an existing table and creates one from their values', async () => {
    const existing = topic('schemaless');
    await exec(`CREATE TABLE ${q(existing)} (id bigint PRIMARY KEY, name varchar(20), amount decimal(10,2), at ${target.name === 'PostgreSQL' ? 'timestamptz' : 'datetime(6)'}, doc json)`);
    const { task } = await start({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true' });
    const value = new Map<string, unknown>([['id', 1n], ['name', 'a'], ['amount', '12.34'], ['at', '2024-02-29T13:45:07.123456Z'], ['doc', new Map<string, unknown>([['k', [1n, 'x']]])]]);
    const inferred = topic('inferred');
    await deliver(task, [record(existing, new Map([['id', 1n]]), value), record(inferred, { id: 9n }, { id: 9n, ratio: 0.25, label: 'z', flag: true })]);
    const [row] = await rows(existing);
    expect(row).toMatchObject({ id: '1', name: 'a', amount: '12.34' });
    expect(String(row!.at)).toContain('2024-02-29 13:45:07.123456');
    expect(json(row!.doc)).toEqual({ k: [1, 'x'] });
    expect(await rows(inferred)).toEqual([{ id: '9', ratio: 0.25, label: 'z', flag: target.bool(true) }]);
  });

  it('writes whole values into columns whose type has a length or precision: char(n), bit(n), varchar(n), numeric(p,s), time(p), timestamp(0)', async () => {
    const table = topic('typmods');
    const postgres = target.name === 'PostgreSQL';
    await exec(`CREATE TABLE ${q(table)} (id bigint PRIMARY KEY, c char(10), v varchar(5), n numeric(5,2), t time(3), ts ${postgres ? 'timestamp(0)' : 'datetime(0)'}${postgres ? ', b bit(4), ca char(3)[], ba bit(2)[]' : ''})`);
    const { task } = await start({ 'insert.mode': 'upsert', 'pk.mode': 'record_key' });
    const value = (id: bigint, c: string) => ({ id, c, v: 'abcde', n: '123.45', t: '12:34:56.789', ts: '2024-02-29 13:45:07', ...(postgres ? { b: '1010', ca: '{ab,xyz}', ba: '{10,01}' } : {}) });
    await deliver(task, [record(table, { id: 1n }, value(1n, 'abcdef')), record(table, { id: 2n }, value(2n, 'x'))]);
    await deliver(task, [record(table, { id: 2n }, value(2n, 'abcdefghij'))]);
    const read = await rows(table);
    // PostgreSQL pads char(n) with spaces on read; MariaDB strips them
    const padded = (text: string) => (postgres ? text.padEnd(10, ' ') : text);
    expect(read.map((r) => r.c)).toEqual([padded('abcdef'), 'abcdefghij']);
    for (const row of read) {
      expect(row).toMatchObject({ v: 'abcde', n: '123.45', t: '12:34:56.789', ts: '2024-02-29 13:45:07' });
      if (postgres) expect(row).toMatchObject({ b: '1010', ca: '{"ab ",xyz}', ba: '{10,01}' });
    }
  });

  it('writes the wall-clock time of a non-UTC db.timezone into a timestamp column, before the year 100 too', async () => {
    const table = topic('wall_clock');
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('at', TimestampLogical.builder().optional().build()).build();
    const { task } = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'db.timezone': 'America/New_York' });
    const instants = ['2024-07-01T12:00:00.123Z', '2024-01-01T12:00:00.123Z', '0050-06-01T12:00:00.123Z'];
    await deliver(task, instants.map((iso, id) => record(table, null, new Struct(schema).put('id', id).put('at', new Date(iso)), { value: schema })));
    expect((await rows(table)).map((r) => String(r.at).slice(0, 23))).toEqual(['2024-07-01 08:00:00.123', '2024-01-01 07:00:00.123', '0050-06-01 07:03:58.123']);
  });

  it('writes to a table and column named with quotes, spaces and a semicolon, injecting nothing', async () => {
    const table = topic('we"ird `name`; DROP TABLE x; --');
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('co l"`; --', Schemas.STRING).build();
    const { task } = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' });
    await deliver(task, [record(table, null, new Struct(schema).put('id', 1).put('co l"`; --', "'); DROP TABLE x; --"), { value: schema })]);
    expect(await rows(table)).toEqual([{ id: 1, 'co l"`; --': "'); DROP TABLE x; --" }]);
  });

  it('commits a put of one statement, which runs without BEGIN, before put returns — also where sessions start with autocommit off', async () => {
    const table = topic('autocommit');
    const { task } = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' }, target.autocommitOffSql === null ? {} : { sessionSql: target.autocommitOffSql });
    await deliver(task, [record(table, key(1), item(1, 'a'), { key: keySchema, value: itemSchema }), record(table, key(2), item(2, 'b'), { key: keySchema, value: itemSchema })]);
    expect((await rows(table)).map((r) => r.name)).toEqual(['a', 'b']);
    await deliver(task, [record(table, key(2), item(2, 'c'), { key: keySchema, value: itemSchema })]);
    expect((await rows(table)).map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('writes backslashes, quotes, question marks and control characters exactly, whatever the session read backslashes as', async () => {
    const table = topic('esc?aping');
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('te?xt', Schemas.STRING).field('raw', Schemas.OPTIONAL_BYTES).build();
    const texts = ["a\\'b", 'c\\', '\\"?', "?'?", 'line\nbreak\ttab\r\u001a', '\\0 \\n ?? `x`', 'ünï ✓ 😀'];
    const values = texts.map((text, i) => new Struct(schema).put('id', i).put('te?xt', text).put('raw', new Uint8Array([92, 39, 0, i])));
    // a server or user default that reads backslashes literally (MySQL's NO_BACKSLASH_ESCAPES)
    const { task } = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }, { sessionSql: target.literalBackslashesSql });
    await deliver(task, values.map((v) => record(table, null, v, { value: schema })));
    await deliver(task, values.map((v) => record(table, null, v, { value: schema })));
    const read = await rows(table);
    expect(read.map((r) => r['te?xt'])).toEqual(texts);
    expect(read.map((r) => [...new Uint8Array(r.raw as Uint8Array)])).toEqual(texts.map((_, i) => [92, 39, 0, i]));
  });

  it('fails on a record that does not fit naming record, table and column; with errant reporting the others land', async () => {
    const table = topic('unfit');
    await exec(`CREATE TABLE ${q(table)} (id integer PRIMARY KEY, name varchar(3) NOT NULL, qty bigint)`);
    const config = { 'insert.mode': 'upsert', 'pk.mode': 'record_key' };
    const batch = () => [
      record(table, key(1), item(1, 'ok'), { key: keySchema, value: itemSchema }),
      record(table, key(2), item(2, 'too long'), { key: keySchema, value: itemSchema }),
      record(table, key(3), item(3, 'yes'), { key: keySchema, value: itemSchema }),
    ];
    const strict = await start(config);
    const bad = batch();
    const error = await failure(strict.task.put(bad));
    expect(error.message).toContain(`record at topic \`${table}\` partition 0 offset ${bad[1]!.kafkaOffset} cannot be written to table \`${target.schema}.${table}\`, column \`name\`:`);
    expect(await rows(table)).toEqual([]);

    const tolerant = await start(config, { reporter: true });
    const good = batch();
    await deliver(tolerant.task, good);
    expect((await rows(table)).map((r) => r.id)).toEqual([1, 3]);
    expect(tolerant.reported.map((r) => r.record)).toEqual([good[1]]);
    expect(tolerant.reported[0]!.error.message).toContain('column `name`');

    const missing = await start({});
    const absent = await failure(missing.task.put([record(`${prefix}absent`, null, item(1, 'a'), { value: itemSchema })]));
    expect(absent.message).toContain(`table \`${target.schema}.${prefix}absent\` does not exist; auto.create=true would create it`);
  });

  it('never reports records as errant when the database fails them for a reason of its own: a lost privilege fails the task, a deadlock is retried', async () => {
    const table = topic('db_fails');
    const trigger = target.triggerSql(q, table);
    await exec(`CREATE TABLE ${q(table)} (id integer PRIMARY KEY, name varchar(3) NOT NULL, qty bigint)`);
    try {
      for (const sql of trigger.create) await exec(sql);
      const running = await start({ 'insert.mode': 'insert', 'pk.mode': 'record_key' }, { reporter: true });
      const r = (id: number, name: string) => record(table, key(id), item(id, name), { key: keySchema, value: itemSchema });

      const privilege = await failure(running.task.put([r(1, 'a'), r(13, 'b')]));
      expect(isRetriable(privilege)).toBe(false);
      expect(privilege.message).toMatch(/JDBC sink: writing 2 record\(s\) failed, and not for anything in the records: .*(permission denied|command denied)/);
      // a record the table refuses first sends the batch record by record, where the failure fails the whole pass
      const mixed = await failure(running.task.put([r(2, 'too long'), r(3, 'c'), r(13, 'd')]));
      expect(isRetriable(mixed)).toBe(false);
      expect(mixed.message).toMatch(/permission denied|command denied/);

      const deadlock = await failure(running.task.put([r(4, 'e'), r(14, 'f')]));
      expect(isRetriable(deadlock)).toBe(true);
      expect(running.timeouts).toEqual([10]);
      const mixedDeadlock = await failure(running.task.put([r(5, 'too long'), r(14, 'f')]));
      expect(isRetriable(mixedDeadlock)).toBe(true);

      expect(running.reported).toEqual([]);
      expect(await rows(table)).toEqual([]);
      // the records' own refusals are still theirs
      const good = [r(6, 'too long'), r(7, 'g')];
      await deliver(running.task, good);
      expect(running.reported.map((x) => x.record)).toEqual([good[0]]);
      expect((await rows(table)).map((row) => row.id)).toEqual([7]);
    } finally {
      for (const sql of trigger.drop) await exec(sql);
    }
  });

  it('retries a batch on a new connection after the connection is killed, losing nothing', async () => {
    const table = topic('killed');
    const running = await start({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'retry.backoff.ms': '25' });
    const batch = (from: number) => Array.from({ length: 50 }, (_, i) => record(table, key(from + i), item(from + i, `n${from + i}`), { key: keySchema, value: itemSchema }));
    await deliver(running.task, batch(0));
    for (let round = 1; round <= 3; round++) {
      const [own] = await running.session().query({ sql: target.sessionIdSql, params: [] });
      await exec(target.killSql(own!.id));
      expect(await deliver(running.task, batch(round * 50))).toBeGreaterThan(0);
    }
    expect(running.timeouts.every((ms) => ms === 25)).toBe(true);
    expect((await rows(table)).map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i));

    // killed in the middle of a large batch's transaction: rolled back, then written whole on the retry
    const large = Array.from({ length: 20_000 }, (_, i) => record(table, key(1000 + i), item(1000 + i, `m${i}`), { key: keySchema, value: itemSchema }));
    const [own] = await running.session().query({ sql: target.sessionIdSql, params: [] });
    let settled = false;
    const writing = deliver(running.task, large).finally(() => {
      settled = true;
    });
    while (!settled && (await db.query({ sql: target.inTransactionSql(own!.id), params: [] })).length === 0) await Promise.resolve();
    await exec(target.killSql(own!.id));
    expect(await writing).toBeGreaterThan(0);
    expect((await rows(table)).length).toBe(20_200);
  });

  it('fails the task naming max.retries once the retries are spent', async () => {
    const running = await start({ 'auto.create': 'true', 'pk.mode': 'kafka', 'max.retries': '0' });
    const table = topic('no_retry');
    await deliver(running.task, [record(table, null, item(1, 'a'), { value: itemSchema })]);
    const [own] = await running.session().query({ sql: target.sessionIdSql, params: [] });
    await exec(target.killSql(own!.id));
    const error = await failure(running.task.put([record(table, null, item(2, 'b'), { value: itemSchema })]));
    expect(isRetriable(error)).toBe(false);
    expect(error.message).toContain('JDBC sink: writing 1 record(s) failed after max.retries=0 retries:');
  });

  it('fails at once, not after max.retries, on a refused login or an unknown database, at start and on a reconnect, never naming the password', async () => {
    const started = Date.now();
    const noDatabase = target.url.replace(/\/test(?=\?|$)/, '/sluice_no_such_db');
    const unknown = await failure(start({ 'connection.url': noDatabase, 'connection.password': 'hunter2', 'retry.backoff.ms': '5000' }));
    expect(isRetriable(unknown)).toBe(false);
    expect(unknown.message).toMatch(/JDBC sink: cannot connect to .*sluice_no_such_db.*; not retried: check connection.user, connection.password and the database in connection.url/);
    expect(unknown.message).not.toContain('hunter2');
    const badUser = await failure(start({ 'connection.user': 'sluice_no_such_user', 'connection.password': 'hunter2', 'retry.backoff.ms': '5000' }));
    expect(isRetriable(badUser)).toBe(false);
    expect(badUser.message).toContain('not retried');
    expect(badUser.message).not.toContain('hunter2');

    // the database is dropped (here: the URL changes) while the task runs: the reconnect fails the put at once
    const table = topic('refused');
    let connects = 0;
    const running = await start({ 'auto.create': 'true', 'pk.mode': 'kafka', 'retry.backoff.ms': '5000' }, { connect: (u, c) => connect(connects++ === 0 ? u : { ...u, database: 'sluice_no_such_db' }, c) });
    await deliver(running.task, [record(table, null, item(1, 'a'), { value: itemSchema })]);
    const [own] = await running.session().query({ sql: target.sessionIdSql, params: [] });
    await exec(target.killSql(own!.id));
    const lost = await failure(running.task.put([record(table, null, item(2, 'b'), { value: itemSchema })]));
    expect(isRetriable(lost)).toBe(true);
    const refused = await failure(running.task.put([record(table, null, item(2, 'b'), { value: itemSchema })]));
    expect(isRetriable(refused)).toBe(false);
    expect(refused.message).toContain('sluice_no_such_db');
    expect(refused.message).toContain('not retried');
    expect(running.reported).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('starts while the database cannot be reached, and retries the first put by max.retries', async () => {
    const away = await start({ 'connection.url': target.url.replace(/:\d+\//, ':1/'), 'max.retries': '1' });
    const first = await failure(away.task.put([record(topic('away'), null, item(1, 'a'), { value: itemSchema })]));
    expect(isRetriable(first)).toBe(true);
    expect(away.timeouts).toEqual([10]);
    const last = await failure(away.task.put([record(topic('away'), null, item(1, 'a'), { value: itemSchema })]));
    expect(isRetriable(last)).toBe(false);
    expect(last.message).toContain('failed after max.retries=1 retries');
  });

  it('folds names as unquoted identifiers with quote.sql.identifiers=never', async () => {
    const table = topic('Never_Case');
    const folded = target.name === 'PostgreSQL' ? table.toLowerCase() : table;
    created.add(folded);
    const schema = SchemaBuilder.struct().field('Id', Schemas.INT32).field('Label', Schemas.STRING).build();
    const { task } = await start({ 'auto.create': 'true', 'quote.sql.identifiers': 'never', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'Id' });
    await deliver(task, [record(table, null, new Struct(schema).put('Id', 1).put('Label', 'x'), { value: schema })]);
    const expected = target.name === 'PostgreSQL' ? { id: 1, label: 'x' } : { Id: 1, Label: 'x' };
    expect(await db.query({ sql: `SELECT * FROM ${q(folded)}`, params: [] })).toEqual([expected]);
  });
});
