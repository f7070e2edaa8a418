// Wall-clock time in an IANA zone and the instants it stands for, through Intl (DST-correct, no
// dependency): how `db.timezone` reads timestamps without a time zone and binds the bounds compared with them.
import { custom } from '@sluice/core';

const MICROS_PER_DAY = 86_400_000_000n;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The validator of a `db.timezone` key: an IANA zone name Intl knows. */
export const validTimeZone = custom('an IANA time zone such as UTC or America/New_York', (value) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: String(value) });
    return undefined;
  } catch {
    return `\`${String(value)}\` is not a time zone`;
  }
});

/** `a / b` rounded towards negative infinity (BigInt division truncates towards zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  return a >= 0n ? a / b : -((-a + b - 1n) / b);
}

/** The offset of `zone` from UTC at the instant `micros` (since the epoch), in microseconds. */
export function offsetMicrosAt(micros: bigint, zone: string): bigint {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0n;
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, format);
  }
  const seconds = Number(floorDiv(micros, 1_000_000n)) * 1000;
  const parts = Object.fromEntries(format.formatToParts(new Date(seconds)).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return BigInt(wall.getTime() - seconds) * 1000n;
}

/** The wall-clock time in `zone` at the instant `micros`, as microseconds of a UTC clock showing it. */
export function wallMicros(micros: bigint, zone: string): bigint {
  return micros + offsetMicrosAt(micros, zone);
}

/**
 * The instant a wall-clock time in `zone` stands for (both as microseconds since the epoch). As
 * java.time resolves it: in a fall-back overlap the earlier instant, in a spring-forward gap the
 * time moved on by the gap's length.
 */
export function instantMicros(wall: bigint, zone: string): bigint {
  if (zone === 'UTC' || zone === 'Etc/UTC') return wall;
  const before = offsetMicrosAt(wall - MICROS_PER_DAY, zone);
  const after = offsetMicrosAt(wall + MICROS_PER_DAY, zone);
  const valid = [before, after].filter((offset) => offsetMicrosAt(wall - offset, zone) === offset).map((offset) => wall - offset);
  if (valid.length > 0) return valid.reduce((a, b) => (a < b ? a : b));
  // in a gap: the offset before the transition carries the time past it
  return wall - before;
}
