// One suite, run against the PostgreSQL and the MariaDB on 127.0.0.1 (override with
// SLUICE_TEST_POSTGRES_URL / SLUICE_TEST_MYSQL_URL, JDBC form, user in the URL's `user` parameter).
import { Decimal, noopLogger, sinkRecord } from '@sluice/core';
import type { Logger, OffsetMap, SinkTaskContext, SourceRecord, SourceTaskContext, Struct } from '@sluice/core';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MYSQL_SESSION_SQL, connect } from './database.ts';
import type { ConnectOptions, Credentials, Database } from './database.ts';
import { parseJdbcUrl } from './jdbc-url.ts';
import type { JdbcUrl } from './jdbc-url.ts';
import { sinkConfig } from './sink-config.ts';
import { JdbcSinkTask } from './sink-task.ts';
import { jdbcSource, listTables } from './source-connector.ts';
import { JdbcSourceTask } from './source-task.ts';

interface Target {
  readonly name: string;
  readonly url: string;
  readonly howTo: string;
  /** DDL of the all-types table `types` (its name given), and the row inserted into it. */
  readonly typesDdl: (table: string) => string;
  readonly typesInsert: (table: string) => string;
  readonly serial: string;
  /** DDL of a table with an enum column `mood` (values happy, sad). */
  readonly enumDdl: (table: string, type: string) => string[];
  /** A timestamp column type with microseconds. */
  readonly timestamp: string;
  /** A column type holding an instant with microseconds, and a literal of 2024-02-29 11:45:07.123456 UTC for it. */
  readonly instant: string;
  readonly instantLiteral: string;
  /** The default of that column: the database's clock inside the writing transaction. */
  readonly now: string;
  /** The schema the tables land in: PostgreSQL's `public`, MySQL's database. */
  readonly schema: string;
  /** One row `{ id }`: the session's id, which {@link kill} takes. */
  readonly sessionIdSql: string;
  /** Ends another session's connection, as an administrator would. */
  readonly kill: (id: number) => string;
}

const TARGETS: readonly Target[] = [
  {
    name: 'PostgreSQL',
    url: process.env.SLUICE_TEST_POSTGRES_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test?user=postgres',
    howTo: 'start PostgreSQL on 127.0.0.1:5432 with a database `test` and trust auth for `postgres`, or set SLUICE_TEST_POSTGRES_URL',
    serial: 'bigserial PRIMARY KEY',
    schema: 'public',
    sessionIdSql: 'SELECT pg_backend_pid() AS id',
    kill: (id) => `SELECT pg_terminate_backend(${id}, 5000)`,
    enumDdl: (t, type) => [`DROP TYPE IF EXISTS ${type}`, `CREATE TYPE ${type} AS ENUM ('happy', 'sad')`, `CREATE TABLE ${t} (id integer PRIMARY KEY, mood ${type} NOT NULL)`],
    timestamp: 'timestamp(6)',
    instant: 'timestamptz',
    instantLiteral: "'2024-02-29 13:45:07.123456+02'",
    now: 'now()',
    typesDdl: (t) =>
      `CREATE TABLE ${t} (id integer PRIMARY KEY, i16 smallint NOT NULL, i64 bigint, amount numeric(30,4), r real, d double precision, ok boolean, ` +
      `name varchar(50), body text, raw bytea, day date, at_time time, at timestamp, at_tz timestamptz, uid uuid, doc json, tags integer[])`,
    typesInsert: (t) =>
      `INSERT INTO ${t} VALUES (1, -32768, 9223372036854775807, 12345678901234567890.1234, 1.5, 0.1, true, 'héllo', 'x''y', '\\x00ff10', '2024-02-29', ` +
      `'13:45:07.123456', '2024-02-29 13:45:07.123456', '2024-02-29 13:45:07.123456+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a":1}', '{1,2}')`,
  },
  {
    name: 'MariaDB',
    url: process.env.SLUICE_TEST_MYSQL_URL ?? 'jdbc:mariadb://127.0.0.1:3306/test?user=root',
    howTo: 'start MariaDB/MySQL on 127.0.0.1:3306 with a database `test` and user `root` without password, or set SLUICE_TEST_MYSQL_URL',
    serial: 'bigint AUTO_INCREMENT PRIMARY KEY',
    schema: 'test',
    sessionIdSql: 'SELECT CONNECTION_ID() AS id',
    kill: (id) => `KILL ${id}`,
    enumDdl: (t) => [`CREATE TABLE ${t} (id integer PRIMARY KEY, mood enum('happy', 'sad') NOT NULL)`],
    timestamp: 'datetime(6)',
    instant: 'timestamp(6) NULL',
    instantLiteral: "'2024-02-29 11:45:07.123456'",
    now: 'NOW(6)',
    typesDdl: (t) =>
      `CREATE TABLE ${t} (id int PRIMARY KEY, i16 smallint NOT NULL, i64 bigint, amount decimal(30,4), r float, d double, ok boolean, ` +
      `name varchar(50), body text, raw blob, day date, at_time time(6), at datetime(6), at_tz timestamp(6) NULL, uid uuid, doc json, tags point)`,
    typesInsert: (t) =>
      `INSERT INTO ${t} VALUES (1, -32768, 9223372036854775807, 12345678901234567890.1234, 1.5, 0.1, true, 'héllo', 'x''y', x'00ff10', '2024-02-29', ` +
      `'13:45:07.123456', '2024-02-29 13:45:07.123456', '2024-02-29 11:45:07.123456', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a":1}', POINT(1, 2))`,
  },
];

function context(offsets: Map<string, OffsetMap>, logger: Logger = noopLogger): SourceTaskContext {
  const read = (p: OffsetMap) => Promise.resolve(offsets.get(JSON.stringify(p)) ?? null);
  return {
    logger,
    configs: () => ({}),
    offsetReader: { offset: read, offsets: async (ps) => Promise.all(ps.map(async (partition) => ({ partition, offset: await read(partition) }))) },
  };
}

describe.each(TARGETS)('the JDBC source against $name', (target) => {
  const url = parseJdbcUrl(target.url);
  const user = url.properties.user ?? null;
  let db: Database;
  const q = (name: string) => db.dialect.quoteIdentifier(name);
  const prefix = `sluice_${process.pid}_`;
  const created: string[] = [];
  /** Statements run after the tables are dropped (PostgreSQL's enum types). */
  const cleanups: string[] = [];

  async function table(name: string, ddl: (quoted: string) => string): Promise<string> {
    const full = prefix + name;
    await db.query({ sql: `DROP TABLE IF EXISTS ${q(full)}`, params: [] });
    await db.query({ sql: ddl(q(full)), params: [] });
    created.push(full);
    return full;
  }

  /** Polls a task of `tableName` until it returns nothing new; the records and the task. */
  async function run(config: Record<string, string>, offsets = new Map<string, OffsetMap>(), task = new JdbcSourceTask()) {
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), 'poll.interval.ms': '60000', ...config };
    const connector = jdbcSource.create();
    const parsed = jdbcSource.config.parse(raw);
    await connector.start(parsed, { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined, offsetReader: context(offsets).offsetReader });
    const [taskConfig] = await connector.taskConfigs(1);
    await task.start(jdbcSource.task.config!.parse(taskConfig!), context(offsets));
    const records: SourceRecord[] = [];
    for (;;) {
      const batch = await task.poll(new AbortController().signal);
      if (batch === null) break;
      records.push(...batch);
    }
    return { records, task, taskConfig: taskConfig! };
  }

  beforeAll(async () => {
    try {
      db = await connect(url, { user, password: null });
    } catch (error) {
      throw new Error(`${target.name} is not reachable (${(error as Error).message}): ${target.howTo}`);
    }
  });

  afterAll(async () => {
    for (const name of created) await db.query({ sql: `DROP TABLE IF EXISTS ${q(name)}`, params: [] });
    for (const sql of cleanups) await db.query({ sql, params: [] });
    await db.close();
  });

  it('turns TCP keepalive on for its connections, so a silently dropped network fails a waiting read', async () => {
    const keepAlive = vi.spyOn(Socket.prototype, 'setKeepAlive');
    try {
      const opened = await connect(url, { user, password: null });
      await opened.close();
      expect(keepAlive).toHaveBeenCalledWith(true, 10_000);
    } finally {
      keepAlive.mockRestore();
    }
  });

  it('connects with the TLS connection.url asks for: a server without TLS refuses a required one at once, never in plaintext', async () => {
    const withParameter = (parameter: string) => `${target.url}${target.url.includes('?') ? '&' : '?'}${parameter}`;
    const [required, disabled, preferred] = target.name === 'PostgreSQL' ? ['sslmode=require', 'sslmode=disable', 'sslmode=prefer'] : ['sslMode=REQUIRED', 'sslMode=DISABLED', 'sslMode=PREFERRED'];
    const base = { ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', tables: '[]', 'connection.attempts': '3', 'connection.backoff.ms': '10000' };
    const started = Date.now();
    await expect(new JdbcSourceTask().start(jdbcSource.task.config!.parse({ ...base, 'connection.url': withParameter(required) }), context(new Map()))).rejects.toThrow(
      /cannot connect to .* \(connection\.url asks for TLS, require\): .*does not support (?:SSL|secure connection)/i,
    );
    // refused for good, not retried connection.attempts times
    expect(Date.now() - started).toBeLessThan(5000);
    // without TLS asked for, or only preferred (pgjdbc's and MySQL Connector/J's default), a server without TLS is read in plaintext
    const plain = [disabled, preferred].map(withParameter);
    if (target.name !== 'PostgreSQL') plain.push(target.url.replace(/^jdbc:mariadb:/, 'jdbc:mysql:'));
    for (const u of plain) {
      const opened = await connect(parseJdbcUrl(u), { user, password: null });
      expect((await opened.query({ sql: 'SELECT 1 AS one', params: [] }))[0]).toEqual({ one: 1 });
      await opened.close();
    }
  });

  it('reads every listed type with its schema and exact value, keyed by the primary key', async () => {
    const name = await table('types', target.typesDdl);
    await db.query({ sql: target.typesInsert(q(name)), params: [] });
    const { records, task } = await run({ mode: 'bulk', 'table.whitelist': name, 'topic.prefix': 'db-' });
    await task.stop();
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record.topic).toBe(`db-${name}`);
    expect(record.sourcePartition).toEqual({ table: `${target.schema}.${name}`, protocol: '1' });
    expect(record.sourceOffset).toBeNull();
    const value = record.value as Struct;
    const fields = Object.fromEntries(record.valueSchema!.fields!.map((f) => [f.name, [f.schema.type, f.schema.name ?? null, f.schema.optional]]));
    expect(fields).toEqual({
      id: ['INT32', null, false],
      i16: ['INT16', null, false],
      i64: ['INT64', null, true],
      amount: ['BYTES', 'org.apache.kafka.connect.data.Decimal', true],
      r: ['FLOAT32', null, true],
      d: ['FLOAT64', null, true],
      ok: ['BOOLEAN', null, true],
      name: ['STRING', null, true],
      body: ['STRING', null, true],
      raw: ['BYTES', null, true],
      day: ['INT32', 'org.apache.kafka.connect.data.Date', true],
      at_time: ['INT32', 'org.apache.kafka.connect.data.Time', true],
      at: ['INT64', 'org.apache.kafka.connect.data.Timestamp', true],
      at_tz: ['INT64', 'org.apache.kafka.connect.data.Timestamp', true],
      uid: ['STRING', null, true],
      doc: ['STRING', null, true],
      // PostgreSQL's integer[]; MariaDB's point has no Connect schema and is left out
      ...(target.name === 'PostgreSQL' ? { tags: ['ARRAY', null, true] } : {}),
    });
    if (target.name === 'PostgreSQL') expect(value.get('tags')).toEqual([1, 2]);
    expect(value.get('id')).toBe(1);
    expect(value.get('i16')).toBe(-32768);
    expect(value.get('i64')).toBe(9223372036854775807n);
    expect(value.get('amount')).toEqual(Decimal.parse('12345678901234567890.1234', 4));
    expect([value.get('r'), value.get('d'), value.get('ok')]).toEqual([1.5, 0.1, true]);
    expect([value.get('name'), value.get('body')]).toEqual(['héllo', "x'y"]);
    expect(value.get('raw')).toEqual(new Uint8Array([0x00, 0xff, 0x10]));
    expect(value.get('day')).toEqual(new Date('2024-02-29T00:00:00Z'));
    // Connect's Time and Timestamp hold milliseconds: the microseconds are cut, never rounded or shifted
    expect(value.get('at_time')).toEqual(new Date('1970-01-01T13:45:07.123Z'));
    expect(value.get('at')).toEqual(new Date('2024-02-29T13:45:07.123Z'));
    expect(value.get('at_tz')).toEqual(new Date('2024-02-29T11:45:07.123Z'));
    expect(value.get('uid')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(JSON.parse(value.get('doc') as string)).toEqual({ a: 1 });
    expect((record.key as Struct).get('id')).toBe(1);
    expect(record.keySchema?.fields?.map((f) => f.name)).toEqual(['id']);
  });

  it('picks up new rows in incrementing mode, in batches, and resumes from a stored offset', async () => {
    const name = await table('inc', (t) => `CREATE TABLE ${t} (id ${target.serial}, label varchar(20) NOT NULL)`);
    const insert = (n: number) => db.query({ sql: `INSERT INTO ${q(name)} (label) VALUES ${Array.from({ length: n }, (_, i) => `(${db.dialect.placeholder(i + 1)})`).join(', ')}`, params: Array.from({ length: n }, (_, i) => `row ${i}`) });
    await insert(5);
    const config = { mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': name, 'batch.max.rows': '2', 'poll.interval.ms': '0' };
    const first = await run(config);
    expect(first.records.map((r) => (r.value as Struct).get('id'))).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(first.records.at(-1)!.sourceOffset).toEqual({ incrementing: 5n });
    await insert(2);
    const more = await first.task.poll(new AbortController().signal);
    expect(more?.map((r) => (r.value as Struct).get('id'))).toEqual([6n, 7n]);
    await first.task.stop();

    // a new task with the offset as Kafka's JSON converter stores it (a number) reads only what follows
    const partition = first.records[0]!.sourcePartition;
    await insert(1);
    const resumed = await run(config, new Map([[JSON.stringify(partition), { incrementing: 7 }]]));
    await resumed.task.stop();
    expect(resumed.records.map((r) => (r.value as Struct).get('id'))).toEqual([8n]);
  });

  it('reads new and updated rows in timestamp mode, never offsetting past rows that share a timestamp', async () => {
    const name = await table('ts', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, ${q('updated at')} ${target.timestamp} NOT NULL)`);
    const rows = [[1, '2024-01-01 00:00:00.000001'], [2, '2024-01-01 00:00:00.000002'], [3, '2024-01-01 00:00:00.000002'], [4, '2024-01-01 00:00:00.000003']];
    for (const [id, at] of rows) await db.query({ sql: `INSERT INTO ${q(name)} VALUES (${db.dialect.placeholder(1)}, ${db.dialect.placeholder(2)})`, params: [id, at] });
    const config = { mode: 'timestamp', 'timestamp.column.name': 'updated at', 'table.whitelist': name, 'batch.max.rows': '1', 'poll.interval.ms': '0' };
    const first = await run(config);
    const ms = Date.UTC(2024, 0, 1);
    expect(first.records.map((r) => [(r.value as Struct).get('id'), r.sourceOffset])).toEqual([
      [1, { timestamp: ms, timestamp_nanos: 1000 }],
      // row 2 shares its timestamp with row 3: a restart after it must read row 3 again
      [2, { timestamp: ms, timestamp_nanos: 1000 }],
      [3, { timestamp: ms, timestamp_nanos: 2000 }],
      [4, { timestamp: ms, timestamp_nanos: 3000 }],
    ]);
    await db.query({ sql: `UPDATE ${q(name)} SET ${q('updated at')} = ${db.dialect.placeholder(1)} WHERE id = 1`, params: ['2024-01-02 00:00:00.5'] });
    expect((await first.task.poll(new AbortController().signal))?.map((r) => (r.value as Struct).get('id'))).toEqual([1]);
    await first.task.stop();

    const resumed = await run(config, new Map([[JSON.stringify(first.records[0]!.sourcePartition), { timestamp: ms, timestamp_nanos: 1000 }]]));
    await resumed.task.stop();
    expect(resumed.records.map((r) => (r.value as Struct).get('id'))).toEqual([2, 3, 4, 1]);
  });

  it('orders by timestamp and id in timestamp+incrementing mode and resumes between rows sharing a timestamp', async () => {
    const name = await table('tsinc', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, at ${target.timestamp} NOT NULL)`);
    for (const [id, at] of [[3, '2024-01-01 00:00:01'], [1, '2024-01-01 00:00:02'], [2, '2024-01-01 00:00:02']]) {
      await db.query({ sql: `INSERT INTO ${q(name)} VALUES (${db.dialect.placeholder(1)}, ${db.dialect.placeholder(2)})`, params: [id, at] });
    }
    const config = { mode: 'timestamp+incrementing', 'timestamp.column.name': 'at', 'incrementing.column.name': 'id', 'table.whitelist': name, 'poll.interval.ms': '0' };
    const first = await run(config);
    await first.task.stop();
    expect(first.records.map((r) => (r.value as Struct).get('id'))).toEqual([3, 1, 2]);
    expect(first.records[1]!.sourceOffset).toEqual({ timestamp: Date.UTC(2024, 0, 1, 0, 0, 2), timestamp_nanos: 0, incrementing: 1n });
    const resumed = await run(config, new Map([[JSON.stringify(first.records[1]!.sourcePartition), { timestamp: Date.UTC(2024, 0, 1, 0, 0, 2), timestamp_nanos: 0, incrementing: 1 }]]));
    await resumed.task.stop();
    expect(resumed.records.map((r) => (r.value as Struct).get('id'))).toEqual([2]);
  });

  // Confluent #27, #915, #1015, #172: T1 takes the lower id / earlier timestamp, T2 commits first.
  describe.each([
    { mode: 'incrementing', keys: { 'incrementing.column.name': 'id' } },
    { mode: 'timestamp', keys: { 'timestamp.column.name': 'at' } },
    { mode: 'timestamp+incrementing', keys: { 'timestamp.column.name': 'at', 'incrementing.column.name': 'id' } },
  ])('rows committed out of order in $mode mode', ({ mode, keys }) => {
    async function outOfOrder(guard: boolean) {
      const name = await table(`late_${mode.replace('+', '_')}_${guard}`, (t) => `CREATE TABLE ${t} (id ${target.serial}, at ${target.timestamp} NOT NULL DEFAULT ${target.now}, label varchar(10) NOT NULL)`);
      const insert = (on: Database, label: string) => on.query({ sql: `INSERT INTO ${q(name)} (label) VALUES (${on.dialect.placeholder(1)})`, params: [label] });
      await insert(db, 'a');
      const config = { mode, ...keys, 'table.whitelist': name, 'poll.interval.ms': '0', 'transaction.wait.enabled': String(guard) };
      // other sessions on the test servers may hold the guard back for a moment: poll until the rows are there
      const collect = async (task: JdbcSourceTask, count: number) => {
        const records: SourceRecord[] = [];
        for (const until = Date.now() + 10_000; records.length < count && Date.now() < until; ) records.push(...((await task.poll(new AbortController().signal)) ?? []));
        return records;
      };
      // row a, read without the guard (nothing of ours is open), and a task that goes on from its offset
      const first = await run({ ...config, 'transaction.wait.enabled': 'false' });
      await first.task.stop();
      const task = new JdbcSourceTask();
      await task.start(jdbcSource.task.config!.parse({ ...first.taskConfig, ...config }), context(new Map([[JSON.stringify(first.records[0]!.sourcePartition), first.records[0]!.sourceOffset!]])));
      const t1 = await connect(url, { user, password: null });
      const t2 = await connect(url, { user, password: null });
      try {
        await t1.query({ sql: 'BEGIN', params: [] });
        await insert(t1, 'b');
        await new Promise((resolve) => setTimeout(resolve, 5));
        await insert(t2, 'c');
        const whileOpen = (await task.poll(new AbortController().signal)) ?? [];
        await t1.query({ sql: 'COMMIT', params: [] });
        const afterCommit = guard ? await collect(task, 2) : ((await task.poll(new AbortController().signal)) ?? []);
        await task.stop();
        const labels = (records: SourceRecord[]) => records.map((r) => (r.value as Struct).get('label'));
        return { before: labels(first.records), whileOpen: labels(whileOpen), afterCommit: labels(afterCommit), last: afterCommit.at(-1) };
      } finally {
        await t1.close();
        await t2.close();
      }
    }

    it('holds the later row back until the earlier transaction commits, then reads both', async () => {
      const { before, whileOpen, afterCommit, last } = await outOfOrder(true);
      expect([before, whileOpen, afterCommit]).toEqual([['a'], [], ['b', 'c']]);
      if (mode === 'incrementing') expect(last?.sourceOffset).toEqual({ incrementing: 3n });
      else expect(last?.sourceOffset).toMatchObject({ ...(mode === 'timestamp' ? {} : { incrementing: 3n }), timestamp: ((last?.value as Struct).get('at') as Date).getTime() });
    });

    it('skips the earlier row for good without the guard, as Confluent’s connector does', async () => {
      const { before, whileOpen, afterCommit } = await outOfOrder(false);
      expect([before, whileOpen, afterCommit]).toEqual([['a'], ['c'], []]);
    });
  });

  it('reads a query (with its own WHERE) as a subquery in query mode, into topic.prefix, resuming from the query partition', async () => {
    const name = await table('query', (t) => `CREATE TABLE ${t} (id ${target.serial}, label varchar(10) NOT NULL)`);
    await db.query({ sql: `INSERT INTO ${q(name)} (label) VALUES ('one'), ('skip'), ('three'), ('four')`, params: [] });
    const query = `SELECT id, label, id * 2 AS twice FROM ${q(name)} WHERE label <> 'skip'`;
    const config = { mode: 'incrementing', 'incrementing.column.name': 'id', query, 'topic.prefix': 'query-topic', 'poll.interval.ms': '0' };
    const first = await run({ ...config, 'query.suffix': 'LIMIT 1' });
    await first.task.stop();
    expect(first.taskConfig.tables).toBe('[]');
    const ids = (records: SourceRecord[]) => records.map((r) => Number((r.value as Struct).get('id')));
    expect(ids(first.records)).toEqual([1, 3, 4]);
    expect(first.records.map((r) => [r.topic, r.sourcePartition, r.key, r.valueSchema?.name])).toEqual(Array.from({ length: 3 }, () => ['query-topic', { query: 'query' }, null, undefined]));
    expect(first.records[1]!.sourceOffset).toEqual({ incrementing: 3n });
    expect(first.records.map((r) => Number((r.value as Struct).get('twice')))).toEqual([2, 6, 8]);
    // the same query given as the secret query.masked (Confluent's) reads the same way
    const { query: _, ...masked } = config;
    const resumed = await run({ ...masked, 'query.masked': query }, new Map([[JSON.stringify({ query: 'query' }), { incrementing: 3 }]]));
    await resumed.task.stop();
    expect(resumed.taskConfig.tables).toBe('[]');
    expect(ids(resumed.records)).toEqual([4]);
  });

  it('reads views with table.types=VIEW within schema.pattern, and maps PostgreSQL numerics by numeric.mapping', async () => {
    const base = await table('nums', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, small numeric(4,0) NOT NULL, money numeric(10,2) NOT NULL, huge numeric(30,4) NOT NULL)`);
    await db.query({ sql: `INSERT INTO ${q(base)} VALUES (1, 1234, 12.5, 12345678901234567890.1234)`, params: [] });
    const view = prefix + 'nums_view';
    await db.query({ sql: `DROP VIEW IF EXISTS ${q(view)}`, params: [] });
    await db.query({ sql: `CREATE VIEW ${q(view)} AS SELECT * FROM ${q(base)}`, params: [] });
    try {
      await readViewsAndNumerics(base, view);
    } finally {
      await db.query({ sql: `DROP VIEW IF EXISTS ${q(view)}`, params: [] });
    }
  });

  async function readViewsAndNumerics(base: string, view: string) {
    const include = { 'table.include.list': `.*\\.${prefix}nums.*`, mode: 'bulk', 'numeric.mapping': 'best_fit' };
    const tables = async (config: Record<string, string>) =>
      (await listTables(jdbcSource.config.parse({ 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), ...config }))).map((t) => t.name);
    expect(await tables(include)).toEqual([base]);
    expect(await tables({ ...include, 'table.types': 'VIEW' })).toEqual([view]);
    expect(await tables({ ...include, 'table.types': 'TABLE,VIEW' })).toEqual([base, view]);
    expect(await tables({ ...include, 'table.types': 'TABLE,VIEW', 'schema.pattern': `${target.schema.slice(0, 2)}%` })).toEqual([base, view]);
    expect(await tables({ ...include, 'table.types': 'TABLE,VIEW', 'schema.pattern': 'no_such_schema%' })).toEqual([]);
    const { records, task } = await run({ ...include, 'table.types': 'VIEW' });
    await task.stop();
    const value = records[0]!.value as Struct;
    const types = (record: SourceRecord) => record.valueSchema!.fields!.map((f) => f.schema.name ?? f.schema.type);
    if (target.name === 'PostgreSQL') {
      expect(types(records[0]!)).toEqual(['INT32', 'INT16', 'FLOAT64', 'org.apache.kafka.connect.data.Decimal']);
      expect([value.get('small'), value.get('money')]).toEqual([1234, 12.5]);
    } else {
      // Confluent maps only JDBC NUMERIC; MySQL's DECIMAL stays a Decimal
      expect(types(records[0]!)).toEqual(['INT32', ...Array.from({ length: 3 }, () => 'org.apache.kafka.connect.data.Decimal')]);
    }
    expect(value.get('huge')).toEqual(Decimal.parse('12345678901234567890.1234', 4));
  }

  it('stops in the middle of a table’s read, and the next task resumes there', async () => {
    const name = await table('stop', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY)`);
    // enough rows that the driver is still holding back part of the result when the task stops
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES ${Array.from({ length: 20000 }, (_, i) => `(${i + 1})`).join(', ')}`, params: [] });
    const config = { mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': name, 'batch.max.rows': '2' };
    const resumeConfig = { ...config, 'batch.max.rows': '5000' };
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), ...config };
    const task = new JdbcSourceTask();
    const connector = jdbcSource.create();
    await connector.start(jdbcSource.config.parse(raw), { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined, offsetReader: context(new Map()).offsetReader });
    const [taskConfig] = await connector.taskConfigs(1);
    await task.start(jdbcSource.task.config!.parse(taskConfig!), context(new Map()));
    // the first poll may come back empty while the guard waits for other sessions' transactions
    let batch: SourceRecord[] | null = null;
    for (const until = Date.now() + 10_000; batch === null && Date.now() < until; ) batch = await task.poll(new AbortController().signal);
    expect(batch?.map((r) => (r.value as Struct).get('id'))).toEqual([1, 2]);
    await task.stop();
    const resumed = await run(resumeConfig, new Map([[JSON.stringify(batch![1]!.sourcePartition), batch![1]!.sourceOffset!]]));
    await resumed.task.stop();
    expect(resumed.records.map((r) => (r.value as Struct).get('id'))).toEqual(Array.from({ length: 19998 }, (_, i) => i + 3));
  });

  it('reads booleans as Connector/J does: MySQL BIT(1) set and TINYINT(1) holding any non-zero number are true', async () => {
    // PostgreSQL's boolean; MariaDB's BIT(1) (a Buffer from the driver) and BOOLEAN, an alias of TINYINT(1)
    const [bit, tiny] = target.name === 'PostgreSQL' ? ['boolean', 'boolean'] : ['bit(1)', 'tinyint(1)'];
    const name = await table('bools', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, bit_on ${bit}, bit_off ${bit}, tiny_two ${tiny}, tiny_zero ${tiny})`);
    const values = target.name === 'PostgreSQL' ? 'true, false, true, false' : "b'1', b'0', 2, 0";
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (1, ${values})`, params: [] });
    const { records, task } = await run({ mode: 'bulk', 'table.whitelist': name });
    await task.stop();
    expect(records[0]!.valueSchema!.fields!.slice(1).map((f) => f.schema.type)).toEqual(['BOOLEAN', 'BOOLEAN', 'BOOLEAN', 'BOOLEAN']);
    expect(['bit_on', 'bit_off', 'tiny_two', 'tiny_zero'].map((c) => (records[0]!.value as Struct).get(c))).toEqual([true, false, true, false]);
  });

  it('reads enum columns as their labels', async () => {
    const type = q(`${prefix}mood`);
    const name = prefix + 'enums';
    await db.query({ sql: `DROP TABLE IF EXISTS ${q(name)}`, params: [] });
    created.push(name);
    for (const sql of target.enumDdl(q(name), type)) await db.query({ sql, params: [] });
    if (target.name === 'PostgreSQL') cleanups.push(`DROP TYPE IF EXISTS ${type}`);
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (1, 'sad')`, params: [] });
    const { records, task } = await run({ mode: 'bulk', 'table.whitelist': name });
    await task.stop();
    expect(records.map((r) => [r.valueSchema?.fields?.[1]?.schema.type, (r.value as Struct).get('mood')])).toEqual([['STRING', 'sad']]);
  });

  it('reads a table whose name has quotes, spaces and a semicolon', async () => {
    const name = await table(`we"ird 'name\`; x`, (t) => `CREATE TABLE ${t} (${q('the id')} integer PRIMARY KEY, ${q('va"l')} varchar(10))`);
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (${db.dialect.placeholder(1)}, ${db.dialect.placeholder(2)})`, params: [1, 'one'] });
    const { records, task } = await run({ mode: 'incrementing', 'incrementing.column.name': 'the id', 'table.include.list': `.*we"ird.*` });
    await task.stop();
    expect(records.map((r) => [r.topic, (r.value as Struct).get('va"l'), (r.key as Struct).get('the id')])).toEqual([[name, 'one', 1]]);
  });

  it('lists and reads a table whose name has a quote and a backslash, whatever the server reads backslashes as', async () => {
    const name = await table(`quote'back\\slash`, (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, label varchar(10))`);
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (${db.dialect.placeholder(1)}, ${db.dialect.placeholder(2)})`, params: [1, 'one'] });
    const listed = await listTables(jdbcSource.config.parse({ 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', 'table.whitelist': name }));
    expect(listed).toEqual([{ schema: target.schema, name }]);
    // a server default of NO_BACKSLASH_ESCAPES (MySQL), which every MySQL session of Sluice's then drops, as its connect does
    const seam = async (u: JdbcUrl, credentials: Credentials, options: ConnectOptions) => {
      const opened = await connect(u, credentials, options);
      if (target.name !== 'PostgreSQL') {
        await opened.query({ sql: "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'NO_BACKSLASH_ESCAPES')", params: [] });
        await opened.query({ sql: MYSQL_SESSION_SQL, params: [] });
      }
      return opened;
    };
    const { records, task } = await run({ mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': name }, new Map(), new JdbcSourceTask({ connect: seam }));
    await task.stop();
    expect(records.map((r) => [r.topic, r.sourcePartition, (r.value as Struct).get('label')])).toEqual([[name, { table: `${target.schema}.${name}`, protocol: '1' }, 'one']]);
  });

  it('reconfigures the tasks when a selected table appears', async () => {
    const first = await table('monitor_a', (t) => `CREATE TABLE ${t} (id integer)`);
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', 'table.include.list': `.*\\.${prefix}monitor_.*`, 'table.poll.interval.ms': '50' };
    const connector = jdbcSource.create();
    let reconfigured!: () => void;
    const reconfiguration = new Promise<void>((resolve) => (reconfigured = resolve));
    await connector.start(jdbcSource.config.parse(raw), { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => reconfigured(), raiseError: () => undefined, offsetReader: context(new Map()).offsetReader });
    const names = async () => (await connector.taskConfigs(4)).map((c) => (JSON.parse(c.tables!) as { name: string }[]).map((t) => t.name));
    expect(await names()).toEqual([[first]]);
    const second = await table('monitor_b', (t) => `CREATE TABLE ${t} (id integer)`);
    await reconfiguration;
    await connector.stop();
    expect(await names()).toEqual([[first], [second]]);
  });

  it('refuses to start on a nullable incrementing column unless validate.non.null=false', async () => {
    const name = await table('nullable', (t) => `CREATE TABLE ${t} (id integer)`);
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (1)`, params: [] });
    const config = { mode: 'incrementing', 'incrementing.column.name': 'id', 'table.whitelist': name };
    await expect(run(config)).rejects.toThrow(`table \`${target.schema}.${name}\`: column(s) \`id\` can be NULL`);
    const { records, task } = await run({ ...config, 'validate.non.null': 'false' });
    await task.stop();
    expect(records).toHaveLength(1);
  });

  it('spreads the selected tables over tasks, never splitting one', async () => {
    const names = [await table('spread_a', (t) => `CREATE TABLE ${t} (id integer)`), await table('spread_b', (t) => `CREATE TABLE ${t} (id integer)`), await table('spread_c', (t) => `CREATE TABLE ${t} (id integer)`)];
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', 'table.include.list': `.*\\.${prefix}spread_.*` };
    const connector = jdbcSource.create();
    await connector.start(jdbcSource.config.parse(raw), { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined, offsetReader: context(new Map()).offsetReader });
    const tables = (await connector.taskConfigs(2)).map((c) => (JSON.parse(c.tables!) as { name: string }[]).map((t) => t.name));
    expect(tables).toEqual([names.slice(0, 2), names.slice(2)]);
  });
  it('represents time and timestamp columns by timestamp.granularity; micros_logical goes through the JDBC sink with its microseconds', { timeout: 30_000 }, async () => {
    const name = await table('granularity', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, at_time time(6) NOT NULL, at ${target.timestamp} NOT NULL, at_tz ${target.instant})`);
    await db.query({ sql: `INSERT INTO ${q(name)} VALUES (1, '13:45:07.123456', '2024-02-29 13:45:07.123456', ${target.instantLiteral})`, params: [] });
    const micros = BigInt(Date.UTC(2024, 1, 29, 13, 45, 7, 123)) * 1000n + 456n;
    const tzMicros = micros - 7_200_000_000n;
    const read = async (granularity: string) => {
      const { records, task } = await run({ mode: 'bulk', 'table.whitelist': name, 'timestamp.granularity': granularity });
      await task.stop();
      const record = records[0]!;
      const value = record.value as Struct;
      return { record, schemas: record.valueSchema!.fields!.slice(1).map((f) => [f.schema.type, f.schema.name ?? null]), values: ['at_time', 'at', 'at_tz'].map((c) => value.get(c)) };
    };
    const TIME = ['INT32', 'org.apache.kafka.connect.data.Time'];
    expect(await read('connect_logical')).toMatchObject({
      schemas: [TIME, ['INT64', 'org.apache.kafka.connect.data.Timestamp'], ['INT64', 'org.apache.kafka.connect.data.Timestamp']],
      values: [new Date('1970-01-01T13:45:07.123Z'), new Date('2024-02-29T13:45:07.123Z'), new Date('2024-02-29T11:45:07.123Z')],
    });
    expect(await read('nanos_long')).toMatchObject({ schemas: [TIME, ['INT64', null], ['INT64', null]], values: [new Date('1970-01-01T13:45:07.123Z'), micros * 1000n, tzMicros * 1000n] });
    expect(await read('NANOS_STRING')).toMatchObject({ schemas: [TIME, ['STRING', null], ['STRING', null]], values: [new Date('1970-01-01T13:45:07.123Z'), `${micros}000`, `${tzMicros}000`] });
    expect((await read('nanos_iso_datetime_string')).values.slice(1)).toEqual(['2024-02-29T13:45:07.123456000', '2024-02-29T11:45:07.123456000']);
    const micro = await read('micros_logical');
    expect(micro).toMatchObject({
      schemas: [['INT64', 'io.debezium.time.MicroTime'], ['INT64', 'io.debezium.time.MicroTimestamp'], ['INT64', 'io.debezium.time.MicroTimestamp']],
      values: [49_507_123_456n, micros, tzMicros],
    });

    // the record as the sink task gets it, into a table of the same column types: every microsecond kept
    const copy = await table('granularity_copy', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, at_time time(6) NOT NULL, at ${target.timestamp} NOT NULL, at_tz ${target.instant})`);
    const sink = new JdbcSinkTask();
    const sinkContext: SinkTaskContext = { logger: noopLogger, configs: () => ({}), assignment: () => [], pause: () => undefined, resume: () => undefined, offset: () => undefined, timeout: () => undefined, requestCommit: () => undefined };
    await sink.start(sinkConfig.parse({ 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), 'table.name.format': copy, 'pk.mode': 'record_key', 'insert.mode': 'upsert' }), sinkContext);
    const { record } = micro;
    await sink.put([sinkRecord({ topic: record.topic, kafkaPartition: 0, kafkaOffset: 0n, key: record.key, keySchema: record.keySchema!, value: record.value, valueSchema: record.valueSchema! })]);
    await sink.stop();
    const select = (t: string) => db.query({ sql: `SELECT at_time, at, at_tz FROM ${q(t)}`, params: [] });
    const [original, copied] = [await select(name), await select(copy)];
    expect(copied).toEqual(original);
    expect(String(copied[0]!.at)).toContain('13:45:07.123456');
  });

  it('reads timestamps without a time zone as wall-clock time in db.timezone, with the bounds and offsets of the timestamp modes in the same zone', async () => {
    const name = await table('zone', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, at ${target.timestamp} NOT NULL, at_tz ${target.instant})`);
    // winter, summer, the hour New York lives twice (EDT first), just after the hour it skips
    const walls = [[1, '2024-01-15 12:00:00.5'], [2, '2024-07-01 12:00:00.000001'], [3, '2024-11-03 01:30:00'], [4, '2024-11-03 01:30:00.5'], [5, '2024-03-10 03:00:00']] as const;
    for (const [id, at] of walls) await db.query({ sql: `INSERT INTO ${q(name)} VALUES (${id}, '${at}', ${target.instantLiteral})`, params: [] });
    const zone = { 'db.timezone': 'America/New_York' };
    const bulk = await run({ mode: 'bulk', 'table.whitelist': name, ...zone });
    await bulk.task.stop();
    const values = (records: SourceRecord[], column: string) => records.map((r) => [Number((r.value as Struct).get('id')), ((r.value as Struct).get(column) as Date).toISOString()]);
    expect(values(bulk.records, 'at').toSorted((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, '2024-01-15T17:00:00.500Z'],
      [2, '2024-07-01T16:00:00.000Z'],
      [3, '2024-11-03T05:30:00.000Z'],
      [4, '2024-11-03T05:30:00.500Z'],
      [5, '2024-03-10T07:00:00.000Z'],
    ]);
    // the column with a time zone holds an instant, whatever db.timezone says
    expect(values(bulk.records, 'at_tz').every(([, v]) => v === '2024-02-29T11:45:07.123Z')).toBe(true);
    const config = { mode: 'timestamp', 'timestamp.column.name': 'at', 'table.whitelist': name, 'poll.interval.ms': '0', ...zone };
    const first = await run(config);
    await first.task.stop();
    expect(first.records.map((r) => (r.value as Struct).get('id'))).toEqual([1, 5, 2, 3, 4]);
    expect(first.records[3]!.sourceOffset).toEqual({ timestamp: Date.UTC(2024, 10, 3, 5, 30), timestamp_nanos: 0 });
    // resuming from row 3's offset binds its wall-clock time in New York again
    const resumed = await run(config, new Map([[JSON.stringify(first.records[3]!.sourcePartition), { timestamp: Date.UTC(2024, 10, 3, 5, 30), timestamp_nanos: 0 }]]));
    await resumed.task.stop();
    expect(resumed.records.map((r) => (r.value as Struct).get('id'))).toEqual([4]);

    // the end bound (the database's clock) is compared as wall-clock time in the zone too: a row
    // written a minute ago in Tokyo is read, one an hour ahead is not (Confluent #1397)
    const tokyo = (offsetMs: number) => new Date(Date.now() + 9 * 3_600_000 + offsetMs).toISOString().replace('T', ' ').replace('Z', '');
    const recent = await table('zone_recent', (t) => `CREATE TABLE ${t} (id integer PRIMARY KEY, at ${target.timestamp} NOT NULL)`);
    await db.query({ sql: `INSERT INTO ${q(recent)} VALUES (1, '${tokyo(-60_000)}'), (2, '${tokyo(3_600_000)}')`, params: [] });
    const tokyoRun = await run({ ...config, 'table.whitelist': recent, 'db.timezone': 'Asia/Tokyo' });
    await tokyoRun.task.stop();
    expect(tokyoRun.records.map((r) => (r.value as Struct).get('id'))).toEqual([1]);
  });

  describe('through a lost connection', () => {
    /** A task whose connections the test knows by session id; `away` sends its connects to a closed port. */
    function outageTask() {
      const sessions: number[] = [];
      const warnings: string[] = [];
      const state = { away: false };
      const logger: Logger = { ...noopLogger, warn: (message: object | string, text?: string) => void warnings.push(typeof message === 'string' ? message : `${JSON.stringify(message)} ${text ?? ''}`) };
      const seam = async (u: JdbcUrl, credentials: Credentials, options: ConnectOptions) => {
        const opened = await connect(state.away ? { ...u, port: 1 } : u, credentials, options);
        const [row] = await opened.query({ sql: target.sessionIdSql, params: [] });
        sessions.push(Number(row!.id));
        return opened;
      };
      return { task: new JdbcSourceTask({ connect: seam }), sessions, warnings, state, logger };
    }
    const ids = (records: SourceRecord[]) => records.map((r) => Number((r.value as Struct).get('id')));
    async function pollUntil(task: JdbcSourceTask, done: (records: SourceRecord[]) => boolean, into: SourceRecord[] = []) {
      for (const until = Date.now() + 30_000; !done(into) && Date.now() < until; ) into.push(...((await task.poll(new AbortController().signal)) ?? []));
      return into;
    }
    // trust auth on the PostgreSQL takes any password: the warnings must not repeat it
    const password = target.name === 'PostgreSQL' ? { 'connection.password': 'hunter2-secret' } : {};

    it('reconnects after its session is killed mid-read and between reads, every row read once', async () => {
      const name = await table('outage', (t) => `CREATE TABLE ${t} (id ${target.serial}, label text NOT NULL)`);
      // 20 MB of rows, more than the socket buffers hold, so MariaDB's result is still on the server when the session dies
      const insert = (from: number, n: number) => db.query({ sql: `INSERT INTO ${q(name)} (id, label) VALUES ${Array.from({ length: n }, (_, i) => `(${from + i}, REPEAT('x', 1000))`).join(', ')}`, params: [] });
      await insert(1, 20_000);
      const { task, sessions, warnings, logger } = outageTask();
      const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), ...password, mode: 'incrementing', 'incrementing.column.name': 'id', 'batch.max.rows': '500', 'poll.interval.ms': '0', 'connection.backoff.ms': '100' };
      await task.start(jdbcSource.task.config!.parse({ ...raw, tables: JSON.stringify([{ schema: target.schema, name }]) }), context(new Map(), logger));
      try {
        const records = await pollUntil(task, (r) => r.length > 0);
        // mid-read: the cursor (PostgreSQL) or the paused result stream (MariaDB) is open on the killed session
        await db.query({ sql: target.kill(sessions.at(-1)!), params: [] });
        await pollUntil(task, (r) => new Set(ids(r)).size >= 20_000, records);
        expect(ids(records)).toEqual(Array.from({ length: 20_000 }, (_, i) => i + 1));
        expect(records.at(-1)!.sourceOffset).toEqual({ incrementing: 20_000n });
        expect(sessions).toHaveLength(2);
        // between reads: the next read's statements meet the dead session
        await db.query({ sql: target.kill(sessions.at(-1)!), params: [] });
        await insert(20_001, 5);
        const more = await pollUntil(task, (r) => r.length >= 5);
        expect(ids(more)).toEqual([20_001, 20_002, 20_003, 20_004, 20_005]);
        expect(sessions).toHaveLength(3);
      } finally {
        await task.stop();
      }
      expect(warnings.filter((w) => w.includes('lost the connection'))).toHaveLength(2);
      expect(warnings.join('\n')).not.toContain('hunter2');
    });

    it('keeps trying on later polls while the database stays away, returning null, then reads on from a complete timestamp offset', async () => {
      const name = await table('away', (t) => `CREATE TABLE ${t} (id ${target.serial}, at ${target.timestamp} NOT NULL, label text NOT NULL)`);
      // two rows per timestamp, and batches of an odd size: a batch can end between two rows sharing a timestamp
      const values = Array.from({ length: 3000 }, (_, i) => `(${i + 1}, '2024-01-01 00:00:00'${target.name === 'PostgreSQL' ? '::timestamp' : ''} + INTERVAL '${Math.floor(i / 2)}' SECOND, REPEAT('x', 1000))`);
      await db.query({ sql: `INSERT INTO ${q(name)} (id, at, label) VALUES ${values.join(', ')}`, params: [] });
      const { task, sessions, warnings, state, logger } = outageTask();
      const raw = {
        'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), ...password, mode: 'timestamp', 'timestamp.column.name': 'at',
        'batch.max.rows': '101', 'poll.interval.ms': '0', 'connection.attempts': '2', 'connection.backoff.ms': '200',
      };
      await task.start(jdbcSource.task.config!.parse({ ...raw, tables: JSON.stringify([{ schema: target.schema, name }]) }), context(new Map(), logger));
      try {
        const records = await pollUntil(task, (r) => r.length > 0);
        // row 101 shares its timestamp with row 102: the offset of the batch stands at row 100
        expect(ids(records).at(-1)).toBe(101);
        expect(records.at(-1)!.sourceOffset).toEqual({ timestamp: Date.UTC(2024, 0, 1, 0, 0, 49), timestamp_nanos: 0 });
        state.away = true;
        await db.query({ sql: target.kill(sessions.at(-1)!), params: [] });
        let nulls = 0;
        for (const until = Date.now() + 30_000; nulls < 4 && Date.now() < until; ) {
          const started = Date.now();
          const batch = await task.poll(new AbortController().signal);
          expect(Date.now() - started).toBeLessThan(2500);
          // rows MariaDB had already sent before the session died are handed over first
          if (batch === null) nulls++;
          else records.push(...batch);
        }
        expect(nulls).toBe(4);
        expect(warnings.some((w) => w.includes('still unreachable after 2 attempt(s)'))).toBe(true);
        state.away = false;
        await pollUntil(task, (r) => new Set(ids(r)).size >= 3000, records);
        expect(new Set(ids(records)).size).toBe(3000);
        // at most the row sharing the timestamp of the last complete offset comes twice
        expect(records.length - 3000).toBeLessThanOrEqual(1);
      } finally {
        await task.stop();
      }
      expect(warnings.join('\n')).not.toContain('hunter2');
    });

    it('fails at start, without waiting for retries, on an unknown database, and after connection.attempts on a closed port', async () => {
      const base = { ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', tables: '[]', 'connection.backoff.ms': '10000' };
      const unknown = target.url.replace(/\/test(\?|$)/, '/sluice_no_such_db$1');
      const started = Date.now();
      await expect(new JdbcSourceTask().start(jdbcSource.task.config!.parse({ ...base, 'connection.url': unknown }), context(new Map()))).rejects.toThrow(/sluice_no_such_db/);
      expect(Date.now() - started).toBeLessThan(5000);
      const closed = target.url.replace(/:\d+\//, ':1/');
      await expect(new JdbcSourceTask().start(jdbcSource.task.config!.parse({ ...base, 'connection.url': closed, 'connection.attempts': '2', 'connection.backoff.ms': '50' }), context(new Map()))).rejects.toThrow(
        'after 2 attempt(s) (connection.attempts)',
      );
    });
  });
});

describe('the JDBC source against PostgreSQL arrays', () => {
  const target = TARGETS[0]!;
  const url = parseJdbcUrl(target.url);
  const user = url.properties.user ?? null;
  const name = `sluice_${process.pid}_arrays`;
  let db: Database;

  beforeAll(async () => {
    try {
      db = await connect(url, { user, password: null });
    } catch (error) {
      throw new Error(`${target.name} is not reachable (${(error as Error).message}): ${target.howTo}`);
    }
  });

  afterAll(async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS "${name}"`, params: [] });
    await db.query({ sql: `DROP TABLE IF EXISTS "${name}_text"`, params: [] });
    await db.close();
  });

  it('reads interval, network types and their arrays as PostgreSQL’s own text', async () => {
    const texts = `${name}_text`;
    await db.query({ sql: `DROP TABLE IF EXISTS "${texts}"`, params: [] });
    await db.query({ sql: `CREATE TABLE "${texts}" (id integer PRIMARY KEY, span interval, spans interval[], addr inet, addrs inet[], nets cidr[], mac macaddr, tz timetz)`, params: [] });
    await db.query({
      sql: `INSERT INTO "${texts}" VALUES (1, '1 day 02:03:04.5', '{"1 hour","-3 mons"}', '10.0.0.1/8', '{10.0.0.1,::1}', '{10.0.0.0/8}', '08:00:2b:01:02:03', '13:45:07+02')`,
      params: [],
    });
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', tables: JSON.stringify([{ schema: 'public', name: texts }]) };
    const task = new JdbcSourceTask();
    await task.start(jdbcSource.task.config!.parse(raw), context(new Map()));
    const batch = await task.poll(new AbortController().signal);
    await task.stop();
    const value = batch![0]!.value as Struct;
    expect(['span', 'spans', 'addr', 'addrs', 'nets', 'mac', 'tz'].map((c) => value.get(c))).toEqual([
      '1 day 02:03:04.5',
      ['01:00:00', '-3 mons'],
      '10.0.0.1/8',
      ['10.0.0.1', '::1'],
      ['10.0.0.0/8'],
      '08:00:2b:01:02:03',
      '13:45:07+02',
    ]);
  });

  it('reads one-dimensional arrays as Connect arrays of the element schema, and leaves multi-dimensional ones out', async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS "${name}"`, params: [] });
    await db.query({
      sql:
        `CREATE TABLE "${name}" (id integer PRIMARY KEY, i2 smallint[], i4 integer[] NOT NULL, i8 bigint[], amounts numeric(10,2)[], f4 real[], f8 float8[], flags boolean[], ` +
        'words text[], names varchar(20)[], ids uuid[], days date[], ats timestamp(6)[], at_tzs timestamptz[], raw bytea[], grid integer[][])',
      params: [],
    });
    await db.query({
      sql:
        `INSERT INTO "${name}" VALUES (1, '{1,-2}', '{}', '{9223372036854775807,NULL}', '{12.50,-0.01}', '{1.5}', '{0.1,NaN}', '{t,f,NULL}', ` +
        `ARRAY['a b', 'x"y', 'back\\slash', 'NULL', NULL, '', '{}'], '{plain}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{2024-02-29}', ` +
        `'{"2024-02-29 13:45:07.123456"}', '{"2024-02-29 13:45:07.123456+02"}', ARRAY['\\x00ff'::bytea], '{{1,2},{3,4}}')`,
      params: [],
    });
    const warnings: string[] = [];
    const logger: Logger = { ...noopLogger, warn: (message: object | string) => void warnings.push(typeof message === 'string' ? message : JSON.stringify(message)) };
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', 'timestamp.granularity': 'micros_logical', tables: JSON.stringify([{ schema: 'public', name }]) };
    const task = new JdbcSourceTask();
    await task.start(jdbcSource.task.config!.parse(raw), context(new Map(), logger));
    const batch = await task.poll(new AbortController().signal);
    await task.stop();
    const record = batch![0]!;
    const schema = Object.fromEntries(record.valueSchema!.fields!.map((f) => [f.name, [f.schema.type, f.schema.optional, f.schema.valueSchema?.type ?? null, f.schema.valueSchema?.name ?? null, f.schema.valueSchema?.optional ?? null]]));
    expect(schema).toMatchObject({
      i2: ['ARRAY', true, 'INT16', null, true],
      i4: ['ARRAY', false, 'INT32', null, true],
      i8: ['ARRAY', true, 'INT64', null, true],
      amounts: ['ARRAY', true, 'BYTES', 'org.apache.kafka.connect.data.Decimal', true],
      f4: ['ARRAY', true, 'FLOAT32', null, true],
      flags: ['ARRAY', true, 'BOOLEAN', null, true],
      words: ['ARRAY', true, 'STRING', null, true],
      ids: ['ARRAY', true, 'STRING', null, true],
      days: ['ARRAY', true, 'INT32', 'org.apache.kafka.connect.data.Date', true],
      ats: ['ARRAY', true, 'INT64', 'io.debezium.time.MicroTimestamp', true],
      raw: ['ARRAY', true, 'BYTES', null, true],
    });
    expect(schema.grid).toBeUndefined();
    expect(warnings.some((w) => w.includes('`grid`') && w.includes('left out'))).toBe(true);
    const value = record.value as Struct;
    const micros = BigInt(Date.UTC(2024, 1, 29, 13, 45, 7, 123)) * 1000n + 456n;
    expect(value.get('i2')).toEqual([1, -2]);
    expect(value.get('i4')).toEqual([]);
    expect(value.get('i8')).toEqual([9223372036854775807n, null]);
    expect(value.get('amounts')).toEqual([Decimal.parse('12.50', 2), Decimal.parse('-0.01', 2)]);
    expect([value.get('f4'), value.get('f8'), value.get('flags')]).toEqual([[1.5], [0.1, NaN], [true, false, null]]);
    expect(value.get('words')).toEqual(['a b', 'x"y', 'back\\slash', 'NULL', null, '', '{}']);
    expect([value.get('names'), value.get('ids')]).toEqual([['plain'], ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']]);
    expect(value.get('days')).toEqual([new Date('2024-02-29T00:00:00Z')]);
    expect([value.get('ats'), value.get('at_tzs')]).toEqual([[micros], [micros - 7_200_000_000n]]);
    expect(value.get('raw')).toEqual([new Uint8Array([0x00, 0xff])]);
  });
});

describe('the JDBC source against PostgreSQL partitioned tables', () => {
  const target = TARGETS[0]!;
  const url = parseJdbcUrl(target.url);
  const user = url.properties.user ?? null;
  const name = `sluice_${process.pid}_parted`;
  let db: Database;

  beforeAll(async () => {
    try {
      db = await connect(url, { user, password: null });
    } catch (error) {
      throw new Error(`${target.name} is not reachable (${(error as Error).message}): ${target.howTo}`);
    }
  });

  afterAll(async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS "${name}"`, params: [] });
    await db.close();
  });

  it('reads each row of a partitioned table once, from its partition (the parent is not listed)', async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS "${name}"`, params: [] });
    await db.query({ sql: `CREATE TABLE "${name}" (id integer NOT NULL, label text NOT NULL) PARTITION BY RANGE (id)`, params: [] });
    await db.query({ sql: `CREATE TABLE "${name}_low" PARTITION OF "${name}" FOR VALUES FROM (0) TO (100)`, params: [] });
    await db.query({ sql: `CREATE TABLE "${name}_high" PARTITION OF "${name}" FOR VALUES FROM (100) TO (200)`, params: [] });
    await db.query({ sql: `INSERT INTO "${name}" VALUES (1, 'a'), (2, 'b'), (150, 'c')`, params: [] });
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'bulk', 'table.include.list': `public\\.${name}.*` };
    const connector = jdbcSource.create();
    await connector.start(jdbcSource.config.parse(raw), { logger: noopLogger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined, offsetReader: context(new Map()).offsetReader });
    const taskConfigs = await connector.taskConfigs(4);
    await connector.stop();
    expect(taskConfigs.map((c) => (JSON.parse(c.tables!) as { name: string }[]).map((t) => t.name))).toEqual([[`${name}_high`], [`${name}_low`]]);
    const read: [string, number][] = [];
    for (const taskConfig of taskConfigs) {
      const task = new JdbcSourceTask();
      await task.start(jdbcSource.task.config!.parse(taskConfig), context(new Map()));
      const batch = await task.poll(new AbortController().signal);
      await task.stop();
      read.push(...(batch ?? []).map((r): [string, number] => [r.topic, Number((r.value as Struct).get('id'))]));
    }
    expect(read.toSorted((a, b) => a[1] - b[1])).toEqual([[`${name}_low`, 1], [`${name}_low`, 2], [`${name}_high`, 150]]);
  });
});

describe('the JDBC source against MariaDB while another session keeps innodb_trx cached', () => {
  const target = TARGETS[1]!;
  const url = parseJdbcUrl(target.url);
  const user = url.properties.user ?? null;
  const name = `sluice_${process.pid}_stale`;
  let db: Database;

  beforeAll(async () => {
    try {
      db = await connect(url, { user, password: null });
    } catch (error) {
      throw new Error(`${target.name} is not reachable (${(error as Error).message}): ${target.howTo}`);
    }
  });

  afterAll(async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS \`${name}\``, params: [] });
    await db.close();
  });

  it('says which table the stale answers hold back, and reads it once the cache refreshes', { timeout: 30_000 }, async () => {
    await db.query({ sql: `DROP TABLE IF EXISTS \`${name}\``, params: [] });
    await db.query({ sql: `CREATE TABLE \`${name}\` (id bigint AUTO_INCREMENT PRIMARY KEY)`, params: [] });
    await db.query({ sql: `INSERT INTO \`${name}\` VALUES (1)`, params: [] });
    const warnings: string[] = [];
    const logger: Logger = { ...noopLogger, warn: (message: object | string) => void warnings.push(typeof message === 'string' ? message : JSON.stringify(message)) };
    const raw = { 'connection.url': target.url, ...(user === null ? {} : { 'connection.user': user }), mode: 'incrementing', 'incrementing.column.name': 'id', 'poll.interval.ms': '150', tables: JSON.stringify([{ schema: target.schema, name }]) };
    const task = new JdbcSourceTask();
    await task.start(jdbcSource.task.config!.parse(raw), context(new Map(), logger));
    // InnoDB refreshes its innodb_trx cache only after 100 ms without a read: read it every 20 ms
    const reader = await connect(url, { user, password: null });
    let reading = true;
    const hammer = (async () => {
      while (reading) {
        await reader.query({ sql: 'SELECT COUNT(*) AS n FROM information_schema.innodb_trx', params: [] });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const records: SourceRecord[] = [];
    try {
      for (const until = Date.now() + 15_000; !warnings.some((w) => w.includes('innodb_trx')) && Date.now() < until; ) records.push(...((await task.poll(new AbortController().signal)) ?? []));
    } finally {
      reading = false;
      await hammer;
      await reader.close();
    }
    expect(records).toEqual([]);
    const [warning] = warnings.filter((w) => w.includes('innodb_trx'));
    expect(warning).toContain(`reads of \`${target.schema}.${name}\` are held back: information_schema.innodb_trx answered 10 times in a row from a cache older than the query`);
    for (const until = Date.now() + 10_000; records.length === 0 && Date.now() < until; ) records.push(...((await task.poll(new AbortController().signal)) ?? []));
    await task.stop();
    expect(records.map((r) => (r.value as Struct).get('id'))).toEqual([1n]);
  });
});
