// Where a table's read stands in the incrementing and timestamp modes: the WHERE/ORDER BY of the
// next read, and the offsets in Confluent's shape (TimestampIncrementingCriteria, TimestampIncrementingOffset).
import type { OffsetMap, OffsetValue } from '@sluice/core';
import { timestampText as utcText } from './dialect/column-types.ts';
import { floorDiv, wallMicros } from './time-zone.ts';
import type { SqlDialect } from './dialect/dialect.ts';
import type { Mode } from './source-config.ts';

export const INCREMENTING_FIELD = 'incrementing';
export const TIMESTAMP_FIELD = 'timestamp';
export const TIMESTAMP_NANOS_FIELD = 'timestamp_nanos';

/** The last row read: its incrementing value (Confluent starts at -1) and timestamp in microseconds. */
export interface Position {
  readonly incrementing: bigint;
  readonly timestamp: bigint;
}

/** The position a stored offset (as Kafka's JSON converter gives it back) stands for, else `initial`. */
export function positionOf(offset: OffsetMap | null, initial: Position): Position {
  const int = (v: OffsetValue | undefined) => (v === undefined || v === null ? null : BigInt(v));
  const incrementing = int(offset?.[INCREMENTING_FIELD]) ?? initial.incrementing;
  const millis = int(offset?.[TIMESTAMP_FIELD]);
  if (millis === null) return { incrementing, timestamp: initial.timestamp };
  const nanos = int(offset?.[TIMESTAMP_NANOS_FIELD]);
  // timestamp holds whole milliseconds, timestamp_nanos the nanoseconds within the second (java.sql.Timestamp)
  const seconds = floorDiv(millis, 1000n);
  const micros = nanos === null ? millis * 1000n : seconds * 1_000_000n + nanos / 1000n;
  return { incrementing, timestamp: micros };
}

/** The offset of a position, with only the fields the mode uses, as Confluent stores them. */
export function offsetOf(mode: Mode, position: Position): OffsetMap | null {
  switch (mode) {
    case 'bulk':
      return null;
    case 'incrementing':
      return { [INCREMENTING_FIELD]: position.incrementing };
    case 'timestamp':
      return timestampOffset(position.timestamp);
    case 'timestamp+incrementing':
      return { ...timestampOffset(position.timestamp), [INCREMENTING_FIELD]: position.incrementing };
  }
}

/** java.sql.Timestamp's parts of a timestamp in microseconds: whole milliseconds, and the nanoseconds within the second. */
function timestampOffset(micros: bigint): OffsetMap {
  const millis = floorDiv(micros, 1000n);
  const seconds = floorDiv(micros, 1_000_000n);
  return { [TIMESTAMP_FIELD]: Number(millis), [TIMESTAMP_NANOS_FIELD]: Number((micros - seconds * 1_000_000n) * 1000n) };
}

export interface CriteriaColumns {
  readonly incrementing: string;
  readonly timestamps: readonly string[];
}

/**
 * The WHERE and ORDER BY after `SELECT … FROM t`, with bound values only. `endMicros` is the
 * timestamp modes' exclusive upper bound; `upper`, when set, the incrementing mode's inclusive one.
 * Timestamps are instants, bound as UTC text, or as the wall-clock time in `wallZone` when set
 * (columns without a time zone, db.timezone).
 */
export function criteria(
  dialect: SqlDialect,
  mode: Mode,
  columns: CriteriaColumns,
  position: Position,
  endMicros: bigint,
  upper: bigint | null = null,
  wallZone: string | null = null,
): { sql: string; params: unknown[] } {
  const timestampText = (micros: bigint) => utcText(wallZone === null ? micros : wallMicros(micros, wallZone));
  const params: unknown[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return dialect.placeholder(params.length);
  };
  const inc = dialect.quoteIdentifier(columns.incrementing);
  const quoted = columns.timestamps.map((c) => dialect.quoteIdentifier(c));
  const ts = quoted.length === 1 ? quoted[0]! : `COALESCE(${quoted.join(', ')})`;
  switch (mode) {
    case 'bulk':
      return { sql: '', params };
    case 'incrementing':
      return { sql: ` WHERE ${inc} > ${bind(position.incrementing.toString())}${upper === null ? '' : ` AND ${inc} <= ${bind(upper.toString())}`} ORDER BY ${inc} ASC`, params };
    case 'timestamp': {
      const sql = ` WHERE ${ts} > ${bind(timestampText(position.timestamp))} AND ${ts} < ${bind(timestampText(endMicros))} ORDER BY ${ts} ASC`;
      return { sql, params };
    }
    case 'timestamp+incrementing': {
      const last = timestampText(position.timestamp);
      const sql =
        ` WHERE ${ts} < ${bind(timestampText(endMicros))} AND ((${ts} = ${bind(last)} AND ${inc} > ${bind(position.incrementing.toString())}) OR ${ts} > ${bind(last)})` +
        ` ORDER BY ${ts} ASC, ${inc} ASC`;
      return { sql, params };
    }
  }
}
