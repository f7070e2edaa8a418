// Errors of single records, worded so a user can act: the record, the table, the column and
// the database's own reason.
import { dataError } from '@sluice/core';
import type { SinkRecord } from '@sluice/core';
import { recordName } from './sink-rows.ts';
import type { DatabaseFailure } from './sink-sql.ts';
import type { Bound, SinkColumn } from './sink-values.ts';

/** A record that cannot be written, with the error that says why. */
export interface RecordFailure {
  readonly record: SinkRecord;
  readonly error: Error;
}

/** A `DATA` error for a record the database refused, naming table, column (when known) and reason. */
export function refusedRecord(record: SinkRecord, table: string, failure: DatabaseFailure, column: string | null, cause: unknown): Error {
  const where = column === null ? `table \`${table}\`` : `table \`${table}\`, column \`${column}\``;
  return dataError(`record at ${recordName(record)} cannot be written to ${where}: ${failure.reason}`, {
    cause,
    context: { topic: record.topic, partition: record.kafkaPartition, offset: record.kafkaOffset, table, ...(column === null ? {} : { column }) },
  });
}

/** A `DATA` error for a record refused before any SQL ran (its shape does not fit the table). */
export function unfitRecord(record: SinkRecord, table: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const column = (error as { context?: { column?: unknown } }).context?.column;
  return dataError(`record at ${recordName(record)} cannot be written to table \`${table}\`: ${reason}`, {
    cause: error,
    context: { topic: record.topic, partition: record.kafkaPartition, offset: record.kafkaOffset, table, ...(typeof column === 'string' ? { column } : {}) },
  });
}

/**
 * The column a refusal is about when the database did not name it (PostgreSQL's data
 * exceptions): the string longer than its column's limit, or the value the message quotes.
 */
export function guessColumn(reason: string, columns: readonly SinkColumn[], row: readonly Bound[]): string | null {
  const tooLong = /value too long for type [a-z ]+\((\d+)\)/i.exec(reason);
  if (tooLong !== null) {
    const limit = Number(tooLong[1]);
    const index = columns.findIndex((c, i) => c.maxLength === limit && typeof row[i] === 'string' && [...row[i]].length > limit);
    return index === -1 ? null : columns[index]!.name;
  }
  const quoted = /: "(.*)"/.exec(reason);
  if (quoted !== null) {
    const index = row.findIndex((v) => typeof v === 'string' && v === quoted[1]);
    return index === -1 ? null : columns[index]!.name;
  }
  return null;
}
