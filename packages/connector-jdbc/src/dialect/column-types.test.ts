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
