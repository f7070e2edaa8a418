import { Decimal, LogicalNames } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { arrayElements, epochMicros, schemaOfKind, valueOfKind } from './column-types.ts';
import type { ColumnInfo } from './column-types.ts';
import { MySqlDialect } from './mysql.ts';
import { PostgresDialect } from './postgres.ts';

const pg = new PostgresDialect();
const my = new MySqlDialect();

function column(dataType: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name: 'c', dataType, nullable: false, precision: null, scale: null, unsigned: false, columnType: '', ...extra };
}

describe('identifier quoting', () => {
  it('quotes every identifier and doubles the quote character inside', () => {
    expect(pg.quoteIdentifier('orders')).toBe('"orders"');
    expect(pg.quoteIdentifier('we"ird; DROP TABLE x; --')).toBe('"we""ird; DROP TABLE x; --"');
    expect(my.quoteIdentifier('my `table` name')).toBe('`my ``table`` name`');
    expect(pg.qualifiedName({ schema: 'public', name: 'a b' })).toBe('"public"."a b"');
    expect(my.qualifiedName({ schema: 'test', name: 'o"k' })).toBe('`test`.`o"k`');
  });

  it('numbers placeholders per dialect and binds catalog names as values', () => {
    expect([pg.placeholder(1), pg.placeholder(2), my.placeholder()]).toEqual(['$1', '$2', '?']);
    const sql = my.columns({ schema: "it's", name: 't`1' });
    expect(sql.params).toEqual(["it's", 't`1']);
    expect(sql.sql).not.toContain("it's");
    const tables = pg.listTablesOfTypes(['a', 'b'], 'x%', ['BASE TABLE']);
    expect(tables.sql).toContain('table_type IN ($1) AND table_schema IN ($2, $3) AND table_schema LIKE $4');
    expect(tables.params).toEqual(['BASE TABLE', 'a', 'b', 'x%']);
  });
});

describe('PostgreSQL types', () => {
  it('maps catalog types to Connect kinds', () => {
    const kinds = ['smallint', 'integer', 'bigint', 'real', 'double precision', 'boolean', 'text', 'character varying', 'bytea', 'date', 'time without time zone', 'timestamp without time zone', 'timestamp with time zone', 'uuid', 'json', 'jsonb'].map(
      (t) => pg.classify(column(t))?.kind,
    );
    expect(kinds).toEqual(['int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'string', 'bytes', 'date', 'time', 'timestamp', 'timestamp', 'string', 'string', 'string']);
    expect(pg.classify(column('numeric', { precision: 12, scale: 3 }))).toEqual({ kind: 'decimal', precision: 12, scale: 3 });
    expect(pg.classify(column('numeric'))).toEqual({ kind: 'string' });
    expect(pg.classify(column('USER-DEFINED'.toLowerCase(), { columnType: 'enum' }))).toEqual({ kind: 'string' });
    expect(pg.classify(column('user-defined', { columnType: 'geometry' }))).toBeNull();
    expect(pg.classify(column('ARRAY'))).toBeNull();
  });
});

describe('MySQL/MariaDB types', () => {
  it('maps catalog types to Connect kinds, widening unsigned integers', () => {
    expect(my.classify(column('tinyint', { columnType: 'tinyint(4)' }))).toEqual({ kind: 'int8' });
    expect(my.classify(column('tinyint', { columnType: 'tinyint(1)' }))).toEqual({ kind: 'boolean' });
    expect(my.classify(column('int', { unsigned: true, columnType: 'int(10) unsigned' }))).toEqual({ kind: 'int64' });
    expect(my.classify(column('bigint', { unsigned: true }))).toEqual({ kind: 'decimal', precision: 20, scale: 0 });
    expect(my.classify(column('decimal', { precision: 10, scale: 2 }))).toEqual({ kind: 'decimal', precision: 10, scale: 2 });
    const kinds = ['float', 'double', 'varchar', 'longtext', 'json', 'uuid', 'blob', 'varbinary', 'date', 'time', 'datetime', 'timestamp'].map((t) => my.classify(column(t))?.kind);
    expect(kinds).toEqual(['float32', 'float64', 'string', 'string', 'string', 'string', 'bytes', 'bytes', 'date', 'time', 'timestamp', 'timestamp']);
    expect(my.classify(column('geometry'))).toBeNull();
  });
});

describe('schemas and values', () => {
  it('gives decimals their scale and precision and makes nullable columns optional', () => {
    const schema = schemaOfKind({ kind: 'decimal', precision: 12, scale: 3 }, true);
    expect(schema).toMatchObject({ type: 'BYTES', name: LogicalNames.DECIMAL, optional: true, parameters: { scale: '3', 'connect.decimal.precision': '12' } });
    expect(schemaOfKind({ kind: 'timestamp' }, false)).toMatchObject({ type: 'INT64', name: LogicalNames.TIMESTAMP, optional: false });
  });

  it('converts driver text exactly: 64-bit integers, decimals, dates, times and timestamps', () => {
    expect(valueOfKind({ kind: 'int64' }, '9223372036854775807', 'c')).toBe(9223372036854775807n);
    expect(valueOfKind({ kind: 'decimal', precision: 30, scale: 4 }, '12345678901234567890.1234', 'c')).toEqual(Decimal.parse('12345678901234567890.1234', 4));
    expect(valueOfKind({ kind: 'date' }, '2024-02-29', 'c')).toEqual(new Date('2024-02-29T00:00:00Z'));
    expect(valueOfKind({ kind: 'time' }, '13:45:07.123456', 'c')).toEqual(new Date('1970-01-01T13:45:07.123Z'));
    expect(valueOfKind({ kind: 'timestamp' }, '2024-02-29 13:45:07.123456+02', 'c')).toEqual(new Date('2024-02-29T11:45:07.123Z'));
    expect(valueOfKind({ kind: 'boolean' }, 1, 'c')).toBe(true);
    expect(valueOfKind({ kind: 'string' }, null, 'c')).toBeNull();
  });

  it('keeps the microseconds of a timestamp for the offset, and names the column of a bad value', () => {
    expect(epochMicros('2024-02-29 13:45:07.123456', 'c')).toBe(1709214307123456n);
    expect(epochMicros('1969-12-31 23:59:59.999999', 'c')).toBe(-1n);
    expect(epochMicros('2024-02-29 13:45:07+05:30', 'c')).toBe(1709194507000000n);
    expect(() => valueOfKind({ kind: 'timestamp' }, 'yesterday', 'updated_at')).toThrow('column `updated_at`: expected a timestamp');
  });
});

describe('PostgreSQL array text', () => {
  it('splits one dimension into unquoted, unescaped elements, NULL as null', () => {
    expect(arrayElements('{}', 'c')).toEqual([]);
    expect(arrayElements('{1,NULL,-3}', 'c')).toEqual(['1', null, '-3']);
    expect(arrayElements('{"a b","x\\"y","back\\\\slash","NULL",""}', 'c')).toEqual(['a b', 'x"y', 'back\\slash', 'NULL', '']);
    expect(arrayElements('[0:1]={5,6}', 'c')).toEqual(['5', '6']);
  });

  it('refuses a multi-dimensional value, naming the column', () => {
    expect(() => arrayElements('{{1,2},{3,4}}', 'public.t.grid')).toThrow('column `public.t.grid`: holds a multi-dimensional array');
    expect(valueOfKind({ kind: 'array', element: { kind: 'int64' } }, '{1,NULL}', 'c')).toEqual([1n, null]);
  });
});
