import { describe, expect, it } from 'vitest';
import { timestampText } from './dialect/column-types.ts';
import { MySqlDialect } from './dialect/mysql.ts';
import { PostgresDialect } from './dialect/postgres.ts';
import { criteria, offsetOf, positionOf } from './read-position.ts';

const at = 1709214307123456n; // 2024-02-29 13:45:07.123456 UTC
const initial = { incrementing: -1n, timestamp: 0n };

describe('offsets in Confluent’s shape', () => {
  it('stores only the fields of the mode: epoch millis and the nanoseconds within the second', () => {
    const position = { incrementing: 42n, timestamp: at };
    expect(offsetOf('bulk', position)).toBeNull();
    expect(offsetOf('incrementing', position)).toEqual({ incrementing: 42n });
    expect(offsetOf('timestamp', position)).toEqual({ timestamp: 1709214307123, timestamp_nanos: 123456000 });
    expect(offsetOf('timestamp+incrementing', position)).toEqual({ timestamp: 1709214307123, timestamp_nanos: 123456000, incrementing: 42n });
  });

  it('reads back its own offsets, Confluent’s (numbers after JSON) and ones without timestamp_nanos', () => {
    expect(positionOf({ timestamp: 1709214307123, timestamp_nanos: 123456000, incrementing: 42 }, initial)).toEqual({ incrementing: 42n, timestamp: at });
    expect(positionOf({ timestamp: 1709214307123 }, initial)).toEqual({ incrementing: -1n, timestamp: 1709214307123000n });
    expect(positionOf({ incrementing: '9223372036854775807' }, initial)).toEqual({ incrementing: 9223372036854775807n, timestamp: 0n });
    expect(positionOf(null, initial)).toEqual(initial);
    const before = { incrementing: 0n, timestamp: -1n };
    expect(positionOf(offsetOf('timestamp', before), initial).timestamp).toBe(-1n);
  });
});

describe('the criteria of a read', () => {
  it('binds every value and quotes every column (PostgreSQL)', () => {
    const columns = { incrementing: 'id', timestamps: ['updated at', 'created'] };
    expect(criteria(new PostgresDialect(), 'timestamp+incrementing', columns, { incrementing: 7n, timestamp: at }, at + 1n)).toEqual({
      sql: ' WHERE COALESCE("updated at", "created") < $1 AND ((COALESCE("updated at", "created") = $2 AND "id" > $3) OR COALESCE("updated at", "created") > $4) ORDER BY COALESCE("updated at", "created") ASC, "id" ASC',
      params: ['2024-02-29 13:45:07.123457', '2024-02-29 13:45:07.123456', '7', '2024-02-29 13:45:07.123456'],
    });
  });

  it('orders by the column alone for one timestamp column (MySQL) and by the id in incrementing mode', () => {
    const columns = { incrementing: 'id', timestamps: ['ts'] };
    expect(criteria(new MySqlDialect(), 'timestamp', columns, { incrementing: -1n, timestamp: 0n }, at).sql).toBe(' WHERE `ts` > ? AND `ts` < ? ORDER BY `ts` ASC');
    expect(criteria(new MySqlDialect(), 'incrementing', columns, { incrementing: -1n, timestamp: 0n }, at)).toEqual({ sql: ' WHERE `id` > ? ORDER BY `id` ASC', params: ['-1'] });
    expect(criteria(new MySqlDialect(), 'incrementing', columns, { incrementing: -1n, timestamp: 0n }, at, 9n)).toEqual({ sql: ' WHERE `id` > ? AND `id` <= ? ORDER BY `id` ASC', params: ['-1', '9'] });
    expect(timestampText(0n)).toBe('1970-01-01 00:00:00.000000');
    expect(timestampText(-1n)).toBe('1969-12-31 23:59:59.999999');
  });
});
