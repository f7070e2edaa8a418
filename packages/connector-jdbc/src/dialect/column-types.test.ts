import { describe, expect, it } from 'vitest';
import { epochMicros, epochMillis, valueOfKind } from './column-types.ts';

const floorMillis = (micros: bigint) => Number(micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n));

describe('epochMillis', () => {
  it('reads every form epochMicros reads to the same millisecond', () => {
    const texts = [
      '2024-02-29 13:45:07',
      '2024-02-29T13:45:07.1',
      '2024-02-29 13:45:07.123456',
      '2024-02-29 13:45:07.123456789',
      '1969-12-31 23:59:59.999999',
      '1900-03-01 00:00:00.0005',
      '2024-02-29 13:45:07+05:30',
      '2024-02-29 13:45:07.25-08',
      '2024-02-29 13:45:07-0330',
      '2024-02-29 13:45:07+05:30:15',
      '2024-02-29 13:45:07Z',
      '0044-03-15 12:00:00',
      '0150-01-01 00:00:00',
      '12345-06-07 01:02:03.5+01',
    ];
    for (const text of texts) expect([text, epochMillis(text, 'c')]).toEqual([text, floorMillis(epochMicros(text, 'c'))]);
  });

  it('reads the years 0000 to 0099 as themselves, not as 1900 to 1999', () => {
    for (const [text, iso] of [['0050-06-15 12:34:56.5', '0050-06-15T12:34:56.500Z'], ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'], ['0000-02-29 23:59:59+01', '0000-02-29T22:59:59.000Z']]) {
      expect([text, epochMicros(text!, 'c')]).toEqual([text, BigInt(new Date(iso!).getTime()) * 1000n]);
      expect([text, epochMillis(text!, 'c')]).toEqual([text, new Date(iso!).getTime()]);
    }
    expect(valueOfKind({ kind: 'timestamp' }, '0050-06-15 12:34:56.123456', 'c', { granularity: 'micros_logical', timeZone: 'UTC' })).toBe(BigInt(new Date('0050-06-15T12:34:56.123Z').getTime()) * 1000n + 456n);
  });

  it('rejects what epochMicros rejects, with its message', () => {
    for (const text of ['2024-01-01', '2024-01-01 10:00:00.', '2024-01-01 10:00:00.1234567890', '2024-01-01 10:00:00+05:', '2024-01-01 10:00:0a', 'yesterday']) {
      expect(() => epochMillis(text, 't.updated_at')).toThrow(`column \`t.updated_at\`: expected a timestamp as YYYY-MM-DD HH:MM:SS[.fraction][±HH[:MM]], got \`${text}\``);
    }
  });

  it('gives connect_logical timestamps in db.timezone as the microsecond path does', () => {
    const zone = { granularity: 'connect_logical', timeZone: 'America/New_York' } as const;
    expect(valueOfKind({ kind: 'timestamp' }, '2024-03-10 02:30:00.5', 'c', zone)).toEqual(new Date('2024-03-10T07:30:00.500Z'));
    expect(valueOfKind({ kind: 'timestamp', zoned: true }, '2024-03-10 02:30:00.5+00', 'c', zone)).toEqual(new Date('2024-03-10T02:30:00.500Z'));
  });
});

describe('valueOfKind boolean', () => {
  it('reads any non-zero number or set bit as true, as Connector/J does', () => {
    const bool = (raw: unknown) => valueOfKind({ kind: 'boolean' }, raw, 'c');
    // MySQL's BIT(1) comes as a Buffer, TINYINT(1) as a number
    expect([Buffer.from([1]), Buffer.from([0]), Buffer.from([0, 2])].map(bool)).toEqual([true, false, true]);
    expect([1, 2, -1, 0, 1n, 0n].map(bool)).toEqual([true, true, true, false, true, false]);
    expect([true, false, 't', 'f', 'true', 'false', '1', '2', '0', '00', 'x'].map(bool)).toEqual([true, false, true, false, true, false, true, true, false, false, false]);
    expect(bool(null)).toBeNull();
  });
});
