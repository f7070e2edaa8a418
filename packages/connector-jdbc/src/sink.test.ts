import { Decimal, SchemaBuilder, Schemas, Struct, TimestampLogical, assertErrorCode, noopLogger, sinkRecord } from '@sluice/core';
import type { SinkRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { MySqlDialect } from './dialect/mysql.ts';
import { PostgresDialect } from './dialect/postgres.ts';
import { checkSinkConfig, sinkConfig, sinkSettings } from './sink-config.ts';
import { jdbcSink } from './sink-connector.ts';
import { columnTypeOfSchema, columnTypeOfValues } from './sink-columns.ts';
import { guessColumn } from './sink-errors.ts';
import { rowOf, segmentsOf, statementGroupsOf } from './sink-rows.ts';
import type { RowOp } from './sink-rows.ts';
import { MySqlSinkSql, takesRowAlias } from './sink-sql-mysql.ts';
import { PostgresSinkSql, arrayLiteralOf } from './sink-sql-postgres.ts';
import type { RowBatch } from './sink-sql.ts';
import { bindValue, jsonText } from './sink-values.ts';
import type { BindKind, SinkColumn } from './sink-values.ts';

const URL = { 'connection.url': 'jdbc:postgresql://localhost/test' };
const settings = (raw: Record<string, string> = {}) => sinkSettings(sinkConfig.parse({ ...URL, ...raw }));

/** The key and message of the CONFIG error `run` throws (core's assertErrorCode). */
function configError(run: () => unknown): { key: unknown; message: string } {
  const error = assertErrorCode(run, 'CONFIG');
  return { key: error.context.key, message: error.message };
}

let offset = 0n;
function record(key: unknown, value: unknown, extra: Partial<Parameters<typeof sinkRecord>[0]> = {}): SinkRecord {
  return sinkRecord({ topic: 'orders', kafkaPartition: 0, kafkaOffset: offset++, key, value, ...extra });
}

const column = (name: string, kind: BindKind, castType = 'text', maxLength: number | null = null): SinkColumn => ({ name, kind, nullable: true, typeText: castType, castType, maxLength });

describe('the JDBC sink config', () => {
  it('takes Confluent’s defaults', () => {
    expect(sinkConfig.parse(URL)).toMatchObject({
      'insert.mode': 'insert',
      'pk.mode': 'none',
      'pk.fields': [],
      'fields.whitelist': [],
      'auto.create': false,
      'auto.evolve': false,
      'delete.enabled': false,
      'batch.size': 3000,
      'table.name.format': '${topic}',
      'max.retries': 10,
      'retry.backoff.ms': 3000,
      'db.timezone': 'UTC',
      'quote.sql.identifiers': 'always',
    });
    expect(settings({ 'pk.mode': 'kafka' }).pkFields).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
  });

  it('rejects combinations Confluent rejects, naming the key', () => {
    const check = (raw: Record<string, string>) => configError(() => checkSinkConfig(sinkConfig.parse({ ...URL, ...raw })));
    expect(check({ 'delete.enabled': 'true', 'pk.mode': 'record_value' })).toMatchObject({ key: 'delete.enabled' });
    expect(check({ 'insert.mode': 'upsert' })).toMatchObject({ key: 'pk.mode' });
    expect(check({ 'pk.mode': 'kafka', 'pk.fields': 'a,b' })).toMatchObject({ key: 'pk.fields' });
    expect(configError(() => sinkConfig.parse({ ...URL, 'insert.mode': 'merge' })).key).toBe('insert.mode');
    expect(configError(() => sinkConfig.parse({ ...URL, 'db.timezone': 'Mars/Olympus' })).key).toBe('db.timezone');
  });

  it('reports the rules between keys on the key in REST validation, and masks the password', async () => {
    const raw = { ...URL, 'delete.enabled': 'true', 'connection.password': 'hunter2' };
    const results = await jdbcSink.validate!(raw, sinkConfig.validate(raw));
    expect(results.find((r) => r.name === 'delete.enabled')!.errors).toEqual(['config key `delete.enabled`: needs `pk.mode=record_key` (a tombstone deletes by key), got `pk.mode=none`']);
    expect(results.filter((r) => r.errors.length > 0)).toHaveLength(1);
    expect(JSON.stringify(sinkConfig.configInfos('io.confluent.connect.jdbc.JdbcSinkConnector', raw))).not.toContain('hunter2');
  });

  it('warns at start naming the connection.url parameters it does not read, never their values', async () => {
    const warnings: string[] = [];
    const raw = { 'connection.url': 'jdbc:postgresql://localhost/test?loginTimeout=10&currentSchema=s3cret-schema' };
    const logger = { ...noopLogger, warn: (message: object | string) => void warnings.push(typeof message === 'string' ? message : JSON.stringify(message)) };
    const connector = jdbcSink.create();
    await connector.start(sinkConfig.parse(raw), { logger, configs: () => raw, requestTaskReconfiguration: () => undefined, raiseError: () => undefined });
    expect(warnings).toEqual(['JDBC sink: connection.url parameter(s) `loginTimeout`, `currentSchema` are not read by Sluice and have no effect (it reads user, password and the TLS parameters)']);
    expect(warnings.join()).not.toContain('s3cret');
  });
});

describe('rows of records', () => {
  const valueSchema = SchemaBuilder.struct().field('id', Schemas.INT32).field('name', Schemas.STRING).field('note', Schemas.OPTIONAL_STRING).build();
  const value = (id: number, name: string) => new Struct(valueSchema).put('id', id).put('name', name);

  it('takes the key from each pk.mode and filters value fields by fields.whitelist', () => {
    const r = record(7, value(1, 'a'), { keySchema: Schemas.INT32 });
    expect([...rowOf(r, settings({ 'pk.mode': 'record_key', 'pk.fields': 'k' })).key.keys()]).toEqual(['k']);
    expect([...rowOf(r, settings({ 'pk.mode': 'record_value', 'pk.fields': 'id' })).values.keys()]).toEqual(['name', 'note']);
    const kafka = rowOf(r, settings({ 'pk.mode': 'kafka', 'fields.whitelist': 'name' }));
    expect([...kafka.key.entries()].map(([k, f]) => [k, f.value])).toEqual([['__connect_topic', 'orders'], ['__connect_partition', 0], ['__connect_offset', r.kafkaOffset]]);
    expect([...kafka.values.keys()]).toEqual(['name']);
    const schemaless = rowOf(record(new Map([['id', 3n]]), new Map<string, unknown>([['id', 3n], ['tags', ['x']]])), settings({ 'pk.mode': 'record_key' }));
    expect([...schemaless.key.keys()]).toEqual(['id']);
    expect([...schemaless.values.keys()]).toEqual(['tags']);
  });

  it('reads a struct as it reads the map of the same fields, whatever pk.mode and fields.whitelist say', () => {
    const shape = (op: RowOp) => [[...op.key].map(([k, f]) => [k, f.value]), [...op.values].map(([k, f]) => [k, f.value]), op.columns.split('\u0000')];
    const struct = value(1, 'a');
    const map = new Map<string, unknown>([['id', 1], ['name', 'a'], ['note', null]]);
    for (const config of [{ 'pk.mode': 'none' }, { 'pk.mode': 'kafka' }, { 'pk.mode': 'record_value', 'pk.fields': 'name,id' }, { 'pk.mode': 'record_key', 'pk.fields': 'k' }, { 'pk.mode': 'record_value', 'fields.whitelist': 'note' }]) {
      const s = settings(config);
      // twice: the second read of the schema takes what the first worked out
      for (let i = 0; i < 2; i++) expect(shape(rowOf(record(7, struct, { kafkaOffset: 5n }), s))).toEqual(shape(rowOf(record(7, map, { kafkaOffset: 5n }), s)));
    }
    expect(shape(rowOf(record(7, struct), settings({ 'pk.mode': 'record_value', 'pk.fields': 'name,id' })))).toEqual([[['name', 'a'], ['id', 1]], [['note', null]], ['name', 'id', '', 'note']]);
    expect(() => rowOf(record(7, struct), settings({ 'pk.mode': 'record_value', 'pk.fields': 'nope' }))).toThrow('the value has no field `nope` named in pk.fields');
  });

  it('turns tombstones into deletes only with delete.enabled, and names the record otherwise', () => {
    expect(rowOf(record({ id: 1 }, null), settings({ 'pk.mode': 'record_key', 'delete.enabled': 'true' })).kind).toBe('delete');
    const tombstone = record({ id: 1 }, null);
    expect(() => rowOf(tombstone, settings({ 'pk.mode': 'record_key' }))).toThrow(`record at topic \`orders\` partition 0 offset ${tombstone.kafkaOffset} has a null value`);
    expect(() => rowOf(record(5, { a: 1 }), settings({ 'pk.mode': 'record_key' }))).toThrow('pk.fields must name exactly one column');
  });

  it('collapses a batch per key in upsert mode and keeps order where collapsing would change the outcome', () => {
    const up = settings({ 'pk.mode': 'record_key', 'insert.mode': 'upsert', 'delete.enabled': 'true' });
    const op = (id: number, v: unknown) => rowOf(record({ id }, v), up);
    const ops: RowOp[] = [op(1, { id: 1, a: 'x' }), op(2, { id: 2, a: 'y' }), op(1, { id: 1, a: 'z' }), op(2, null), op(2, { id: 2, a: 'again' }), op(3, { id: 3, b: 1 }), op(3, { id: 3, a: 2 })];
    const segments = segmentsOf(ops, 'upsert');
    const shape = (segment: RowOp[]) => segment.map((o) => `${o.kind}:${String(o.key.get('id')!.value)}:${o.values.size === 0 ? '' : JSON.stringify(Object.fromEntries([...o.values].map(([k, f]) => [k, f.value])))}`);
    // a write after a delete, and a write of other columns, wait for a new segment
    expect(segments.map(shape)).toEqual([['write:1:{"a":"z"}', 'delete:2:'], ['write:2:{"a":"again"}', 'write:3:{"b":1}'], ['write:3:{"a":2}']]);
    // insert mode never collapses: a repeated key is a new segment (and a duplicate-key error there)
    expect(segmentsOf([ops[0]!, ops[2]!], 'insert').map((s) => s.length)).toEqual([1, 1]);
    const groups = statementGroupsOf(segments[1]!);
    expect([groups.deletes.length, groups.writes.map((g) => g.length)]).toEqual([0, [1, 1]]);
  });
});

describe('values bound for a column', () => {
  const pg = { timeZone: 'UTC', offsetSuffix: true, booleanWords: true };
  const my = { timeZone: 'UTC', offsetSuffix: false, booleanWords: false };
  const micro = SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build();

  it('keeps decimals, 64-bit integers and microseconds exact', () => {
    expect(bindValue(column('d', 'decimal'), { value: Decimal.parse('12345678901234567890.1234'), schema: null }, pg)).toBe('12345678901234567890.1234');
    expect(bindValue(column('n', 'integer'), { value: 9223372036854775807n, schema: Schemas.INT64 }, pg)).toBe('9223372036854775807');
    expect(bindValue(column('t', 'timestamp'), { value: 1709214307123456n, schema: micro }, pg)).toBe('2024-02-29 13:45:07.123456');
    expect(bindValue(column('t', 'timestamptz'), { value: 1709214307123456n, schema: micro }, pg)).toBe('2024-02-29 13:45:07.123456+00');
    expect(bindValue(column('t', 'timestamptz'), { value: 1709214307123456n, schema: micro }, my)).toBe('2024-02-29 13:45:07.123456');
    expect(bindValue(column('t', 'timestamp'), { value: '2024-02-29 13:45:07.123456', schema: Schemas.STRING }, my)).toBe('2024-02-29 13:45:07.123456');
    expect(bindValue(column('t', 'timestamp'), { value: '2024-02-29T15:45:07.123456+02:00', schema: null }, my)).toBe('2024-02-29 13:45:07.123456');
    expect(bindValue(column('t', 'timestamp'), { value: new Date('2024-02-29T13:45:07.123Z'), schema: TimestampLogical.schema() }, { ...my, timeZone: 'Europe/Paris' })).toBe('2024-02-29 14:45:07.123000');
    const ts = (value: Date, kind: 'timestamp' | 'timestamptz', options: typeof pg) => bindValue(column('t', kind), { value, schema: TimestampLogical.schema() }, options);
    expect([ts(new Date('2024-02-29T13:45:07.123Z'), 'timestamp', pg), ts(new Date('2024-02-29T13:45:07.123Z'), 'timestamptz', pg), ts(new Date('2024-02-29T13:45:07.123Z'), 'timestamptz', my)]).toEqual([
      '2024-02-29 13:45:07.123000',
      '2024-02-29 13:45:07.123000+00',
      '2024-02-29 13:45:07.123000',
    ]);
    for (const ms of [-1, 0, 7, 86_399_999, Date.UTC(1900, 1, 28, 23, 59, 59, 40), Date.UTC(9999, 11, 31, 1, 2, 3, 456), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1)]) {
      expect(ts(new Date(ms), 'timestamp', my)).toBe(bindValue(column('t', 'timestamp'), { value: BigInt(ms) * 1000n, schema: micro }, my));
    }
    expect(bindValue(column('t', 'time'), { value: 49507123456n, schema: SchemaBuilder.int64().name('io.debezium.time.MicroTime').build() }, pg)).toBe('13:45:07.123456');
    expect(bindValue(column('d', 'date'), { value: 19782, schema: SchemaBuilder.int32().name('io.debezium.time.Date').build() }, pg)).toBe('2024-02-29');
  });

  it('writes the wall-clock time of db.timezone into timestamp columns, before the year 100 too', () => {
    const at = (iso: string, timeZone: string) => bindValue(column('t', 'timestamp'), { value: new Date(iso), schema: TimestampLogical.schema() }, { ...my, timeZone });
    expect(at('2024-07-01T12:00:00.123Z', 'America/New_York')).toBe('2024-07-01 08:00:00.123000');
    expect(at('2024-01-01T12:00:00Z', 'America/New_York')).toBe('2024-01-01 07:00:00.000000');
    // New York's local mean time then (-4:56:02), not 1950's offset
    expect(at('0050-06-01T12:00:00.123Z', 'America/New_York')).toBe('0050-06-01 07:03:58.123000');
    expect(bindValue(column('t', 'timestamp'), { value: -60589295999877000n, schema: micro }, { ...pg, timeZone: 'Asia/Tokyo' })).toBe('0050-01-01 09:18:59.123000');
  });

  it('writes booleans, bytes, JSON and arrays the way each column takes them', () => {
    expect(bindValue(column('b', 'boolean'), { value: true, schema: null }, pg)).toBe('true');
    expect(bindValue(column('b', 'integer'), { value: true, schema: null }, my)).toBe('1');
    expect(bindValue(column('r', 'bytes'), { value: new Uint8Array([0, 255]), schema: null }, my)).toEqual(new Uint8Array([0, 255]));
    expect(bindValue(column('j', 'json'), { value: new Map<string, unknown>([['a', 1n], ['b', [Decimal.parse('1.50')]]]), schema: null }, pg)).toBe('{"a":1,"b":[1.50]}');
    expect(bindValue(column('a', 'array'), { value: ['x "y"', null, 'a\\b'], schema: null }, pg)).toBe('{"x \\"y\\"",NULL,"a\\\\b"}');
    expect(() => bindValue(column('n', 'integer'), { value: new Uint8Array(1), schema: null }, pg)).toThrow('column `n` (text): cannot write bytes');
    expect(jsonText({ s: 'é"', n: null })).toBe('{"s":"é\\"","n":null}');
  });
});

describe('auto.create column types', () => {
  it('maps Connect and Debezium schemas, keeping decimal precision and microseconds', () => {
    const decimal = Decimal.builder(4).parameter('connect.decimal.precision', '30').build();
    expect(columnTypeOfSchema(decimal)).toEqual({ kind: 'decimal', precision: 30, scale: 4 });
    const pg = new PostgresSinkSql(new PostgresDialect());
    const my = new MySqlSinkSql(new MySqlDialect());
    expect(pg.sqlType(columnTypeOfSchema(decimal), false)).toBe('numeric(30,4)');
    expect(my.sqlType(columnTypeOfSchema(decimal), false)).toBe('decimal(30,4)');
    const micro = SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build();
    expect([pg.sqlType(columnTypeOfSchema(micro), false), my.sqlType(columnTypeOfSchema(micro), false)]).toEqual(['timestamp', 'datetime(6)']);
    expect([pg.sqlType({ kind: 'string' }, true), my.sqlType({ kind: 'string' }, true), my.sqlType({ kind: 'string' }, false)]).toEqual(['text', 'varchar(255)', 'text']);
    expect(pg.sqlType(columnTypeOfSchema(SchemaBuilder.array(Schemas.INT32).build()), false)).toBe('integer[]');
    expect(columnTypeOfValues([null, 1n, 2.5])).toEqual({ kind: 'float64' });
    expect(columnTypeOfValues([null])).toBeNull();
  });
});

describe('SQL', () => {
  const batch: RowBatch = { columns: [column('id', 'integer', 'integer'), column('na"me', 'text', 'text'), column('tags', 'array', 'integer[]')], keyCount: 1, rows: [['1', 'a', '{1}'], ['2', null, null]] };
  const table = { schema: 'public', name: 'my "table"; DROP' };

  it('PostgreSQL: one unnest statement per batch, cast to the columns’ types, identifiers quoted', () => {
    const pg = new PostgresSinkSql(new PostgresDialect());
    const [upsert] = pg.insert(table, batch, 3000, true);
    expect(upsert!.sql).toBe(
      'INSERT INTO "public"."my ""table""; DROP" ("id", "na""me", "tags") SELECT u.c1, u.c2, u.c3::integer[] FROM unnest($1::integer[], $2::text[], $3::text[]) AS u(c1, c2, c3) ' +
        'ON CONFLICT ("id") DO UPDATE SET "na""me" = EXCLUDED."na""me", "tags" = EXCLUDED."tags"',
    );
    expect(upsert!.params).toEqual(['{"1","2"}', '{"a",NULL}', '{"{1}",NULL}']);
    expect(arrayLiteralOf([['a\\b "c"'], [''], ['NULL'], [new Uint8Array([0, 255])], [null]], 0)).toBe('{"a\\\\b \\"c\\"","","NULL","\\\\x00ff",NULL}');
    expect(pg.insert(table, { ...batch, keyCount: 3 }, 3000, true)[0]!.sql).toMatch(/ON CONFLICT \("id", "na""me", "tags"\) DO NOTHING$/);
    expect(pg.insert(table, batch, 1, false)).toHaveLength(2);
    expect(pg.update(table, batch, 10)[0]!.sql).toBe(
      'UPDATE "public"."my ""table""; DROP" AS t SET "na""me" = u.c2, "tags" = u.c3::integer[] FROM unnest($1::integer[], $2::text[], $3::text[]) AS u(c1, c2, c3) WHERE t."id" = u.c1',
    );
    expect(pg.delete(table, { columns: batch.columns.slice(0, 1), keyCount: 1, rows: [['1'], ['2']] }, 10)[0]!.sql).toBe('DELETE FROM "public"."my ""table""; DROP" WHERE ("id") IN (SELECT u.c1 FROM unnest($1::integer[]) AS u(c1))');
  });

  it('MySQL/MariaDB: multi-row ODKU in the form the server takes, cut at 65,535 placeholders', () => {
    const my = new MySqlSinkSql(new MySqlDialect());
    const values = 'INSERT INTO `public`.`my "table"; DROP` (`id`, `na"me`, `tags`) VALUES (?, ?, ?), (?, ?, ?)';
    expect(my.insert(table, batch, 3000, true)[0]!.sql).toBe(`${values} ON DUPLICATE KEY UPDATE \`na"me\` = VALUES(\`na"me\`), \`tags\` = VALUES(\`tags\`)`);
    my.serverVersion('8.0.36');
    expect(my.insert(table, batch, 3000, true)[0]!.sql).toBe(`${values} AS \`sluice_new\` ON DUPLICATE KEY UPDATE \`na"me\` = \`sluice_new\`.\`na"me\`, \`tags\` = \`sluice_new\`.\`tags\``);
    expect([takesRowAlias('8.0.18'), takesRowAlias('8.0.19'), takesRowAlias('9.1.0'), takesRowAlias('10.11.6-MariaDB-0+deb12u1'), takesRowAlias('5.7.44-log')]).toEqual([false, true, true, false, false]);
    const wide: RowBatch = { columns: Array.from({ length: 1000 }, (_, i) => column(`c${i}`, 'text')), keyCount: 1, rows: Array.from({ length: 200 }, () => Array.from({ length: 1000 }, () => 'x')) };
    const statements = my.insert(table, wide, 3000, false);
    expect(statements.map((s) => s.params.length)).toEqual([65000, 65000, 65000, 5000]);
    expect(my.delete(table, { columns: batch.columns.slice(0, 2), keyCount: 2, rows: [['1', 'a'], ['2', 'b']] }, 10)[0]!.sql).toBe('DELETE FROM `public`.`my "table"; DROP` WHERE (`id`, `na"me`) IN ((?, ?), (?, ?))');
    expect(my.update(table, batch)[1]).toEqual({ sql: 'UPDATE `public`.`my "table"; DROP` SET `na"me` = ?, `tags` = ? WHERE `id` = ?', params: [null, null, '2'] });
  });

  it('reads the column out of MySQL/MariaDB messages, and tells a record\'s refusal from a transient failure and from a failure of the database', () => {
    const my = new MySqlSinkSql(new MySqlDialect());
    const columnOf = (sqlMessage: string) => my.failure({ errno: 1406, sqlMessage }).column;
    expect(columnOf("Data too long for column 'name' at row 1")).toBe('name');
    expect(columnOf("Column 'name' cannot be null")).toBe('name');
    expect(columnOf("Incorrect integer value: 'abc' for column `test`.`t`.`n` at row 1")).toBe('n');
    expect(columnOf("Field 'size' doesn't have a default value")).toBe('size');
    const myKind = (errno: number, sqlState = 'HY000') => my.failure({ errno, sqlState, sqlMessage: 'm' }).kind;
    // a record's values: its refusal is the record's, reported as errant
    for (const errno of [1048, 1062, 1264, 1265, 1292, 1364, 1366, 1406, 1451, 1452, 3140, 3819, 4025]) expect([errno, myKind(errno)]).toEqual([errno, 'data']);
    expect(myKind(1644, '23000')).toBe('data');
    // deadlock, lock wait, read-only after a failover, statement timeout, too many connections: retried
    for (const errno of [1213, 1205, 1290, 1836, 1792, 3024, 1969, 1040]) expect([errno, myKind(errno)]).toEqual([errno, 'transient']);
    // lost privilege, table full, a trigger's SIGNAL: the task fails, nothing is errant
    for (const errno of [1142, 1114, 1644, 1227]) expect([errno, myKind(errno, '42000')]).toEqual([errno, 'fatal']);
    expect(my.failure(Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true })).kind).toBe('transient');
    const pg = new PostgresSinkSql(new PostgresDialect());
    const pgKind = (code: string) => pg.failure(Object.assign(new Error('m'), { code })).kind;
    for (const code of ['22001', '22P02', '22003', '22007', '23502', '23503', '23505', '23514']) expect([code, pgKind(code)]).toEqual([code, 'data']);
    for (const code of ['08006', '40001', '40P01', '55P03', '57014', '57P01', '53300', '25006']) expect([code, pgKind(code)]).toEqual([code, 'transient']);
    for (const code of ['42501', '53100', 'P0001', '42P01', 'XX000', '']) expect([code, pgKind(code)]).toEqual([code, 'fatal']);
    expect(pg.failure(new Error('Connection terminated unexpectedly')).kind).toBe('transient');
    expect(pg.failure(Object.assign(new Error('duplicate key value violates unique constraint "t_pkey"'), { code: '23505', detail: 'Key (id)=(4) already exists.' }))).toEqual({
      kind: 'data',
      column: null,
      reason: 'duplicate key value violates unique constraint "t_pkey" Key (id)=(4) already exists. (SQLSTATE 23505)',
    });
  });

  it('names the column a PostgreSQL data exception is about when the server does not', () => {
    const columns = [column('id', 'integer'), column('code', 'text', 'character varying', 3), column('n', 'integer')];
    expect(guessColumn('value too long for type character varying(3)', columns, ['1', 'abcd', '2'])).toBe('code');
    expect(guessColumn('invalid input syntax for type integer: "x1"', columns, ['1', 'ab', 'x1'])).toBe('n');
    expect(guessColumn('something else', columns, ['1', 'ab', '2'])).toBeNull();
  });
});
