import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { epochMicros, timestampText } from './dialect/column-types.ts';
import { jdbcSource } from './source-connector.ts';
import { instantMicros, offsetMicrosAt, wallMicros } from './time-zone.ts';

const micros = (text: string) => epochMicros(text, 'c');
const HOUR = 3_600_000_000n;

describe('wall-clock times in a zone', () => {
  it('knows the offset at an instant, DST included', () => {
    expect(offsetMicrosAt(micros('2024-01-15 12:00:00Z'), 'America/New_York')).toBe(-5n * HOUR);
    expect(offsetMicrosAt(micros('2024-07-01 12:00:00Z'), 'America/New_York')).toBe(-4n * HOUR);
    expect(offsetMicrosAt(micros('2024-07-01 12:00:00Z'), 'Asia/Kolkata')).toBe(5n * HOUR + HOUR / 2n);
    expect(offsetMicrosAt(micros('2024-07-01 12:00:00Z'), 'UTC')).toBe(0n);
  });

  it('reads a wall-clock time as java.time does: the earlier instant in an overlap, moved on in a gap', () => {
    const instant = (wall: string, zone = 'America/New_York') => timestampText(instantMicros(micros(wall), zone));
    expect(instant('2024-01-15 12:00:00.5')).toBe('2024-01-15 17:00:00.500000');
    expect(instant('2024-07-01 12:00:00.000001')).toBe('2024-07-01 16:00:00.000001');
    // 2024-11-03 01:30 happens twice in New York: EDT first
    expect(instant('2024-11-03 01:30:00')).toBe('2024-11-03 05:30:00.000000');
    expect(instant('2024-11-03 02:00:00')).toBe('2024-11-03 07:00:00.000000');
    // 2024-03-10 02:30 never happens: 03:30 EDT
    expect(instant('2024-03-10 02:30:00')).toBe('2024-03-10 07:30:00.000000');
    expect(instant('2024-03-10 03:00:00')).toBe('2024-03-10 07:00:00.000000');
    expect(instant('1900-01-01 00:00:00', 'UTC')).toBe('1900-01-01 00:00:00.000000');
  });

  it('shows an instant as the wall-clock time, the inverse outside gaps', () => {
    for (const wall of ['2024-01-15 12:00:00.123456', '2024-11-03 01:30:00', '2024-03-10 03:00:00', '1969-12-31 23:59:59.999999']) {
      expect(timestampText(wallMicros(instantMicros(micros(wall), 'America/New_York'), 'America/New_York'))).toBe(`${wall}${wall.includes('.') ? '' : '.000000'}`);
    }
  });

  it('refuses an unknown db.timezone at config time, naming the key', () => {
    let error: unknown;
    try {
      jdbcSource.config.parse({ 'connection.url': 'jdbc:postgresql://localhost/test', mode: 'bulk', 'db.timezone': 'Mars/Olympus_Mons' });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'CONFIG')).toBe(true);
    expect((error as Error).message).toBe('config key `db.timezone`: `Mars/Olympus_Mons` is not a time zone');
    expect(jdbcSource.config.parse({ 'connection.url': 'jdbc:postgresql://localhost/test', mode: 'bulk' })).toMatchObject({ 'db.timezone': 'UTC', 'timestamp.granularity': 'connect_logical' });
  });
});
