// The sink's SQL, one implementation per database family on one base: catalog reads, set-based
// writes (a batch is a few statements, never one per row where the database can do better),
// DDL for auto.create/auto.evolve, and how the database's errors read. Identifiers go through
// the dialect's quoting, values are always bound.
import { isDecimal } from '@sluice/core';
import type { Database, Row } from './database.ts';
import type { BoundSql, SqlDialect, TableId } from './dialect/dialect.ts';
import type { ColumnType, NewColumn } from './sink-columns.ts';
import type { BindOptions, Bound, SinkColumn } from './sink-values.ts';

/** Rows to write: `columns` with the key columns first, each row's values in that order. */
export interface RowBatch {
  readonly columns: readonly SinkColumn[];
  readonly keyCount: number;
  readonly rows: readonly (readonly Bound[])[];
}

/**
 * What a failed statement means for the batch: `data`, the database refuses a record's values
 * (a constraint, a value that does not fit its column) — the record is errant, the others can be
 * written; `transient`, the same batch may succeed on a new connection (lost connection,
 * deadlock, lock or statement timeout, shutdown, a read-only server after a failover); `fatal`,
 * the database cannot take writes for a reason no record is to blame for (a privilege, a full
 * disk, a trigger's exception) — the task fails and nothing is reported as errant.
 */
export type FailureKind = 'data' | 'transient' | 'fatal';

/** What the database said about a failed statement, in a user's terms. */
export interface DatabaseFailure {
  readonly kind: FailureKind;
  /** The column the database named, when it did. */
  readonly column: string | null;
  readonly reason: string;
}

export abstract class SinkSql {
  readonly dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }

  /** How values are bound for this database (the time zone comes from the config). */
  abstract readonly bindOptions: Omit<BindOptions, 'timeZone'>;

  /** A table's columns, rows for {@link sinkColumn}. */
  abstract catalogColumns(table: TableId): BoundSql;
  abstract sinkColumn(row: Row): SinkColumn;

  /** INSERT statements for the rows (`upsert`: updating the non-key columns of existing keys). */
  abstract insert(table: TableId, batch: RowBatch, maxRows: number, upsert: boolean): BoundSql[];
  /** UPDATE statements setting the non-key columns of the rows' keys. */
  abstract update(table: TableId, batch: RowBatch, maxRows: number): BoundSql[];
  /** DELETE statements for the rows' keys (`batch.keyCount` equals the column count). */
  abstract delete(table: TableId, batch: RowBatch, maxRows: number): BoundSql[];

  /** Runs one of the statements above: its values bound by the server (a prepared statement), unless a database overrides it. */
  async write(db: Database, statement: BoundSql): Promise<void> {
    await db.execute(statement);
  }

  /** The SQL type auto.create and auto.evolve give a column. */
  abstract sqlType(type: ColumnType, key: boolean): string;
  /** A DDL literal of a default value, or null when it has none this database takes. */
  abstract defaultLiteral(value: unknown, type: ColumnType): string | null;
  /** A name as the database would fold it unquoted (`quote.sql.identifiers=never`). */
  abstract foldIdentifier(name: string): string;
  /** A driver error read in a user's terms. */
  abstract failure(error: unknown): DatabaseFailure;
  /** The version check of the server, where the SQL depends on it. */
  abstract serverVersionSql(): string | null;
  /** Statements run once on each new connection. */
  abstract sessionSql(): readonly string[];

  createTable(table: TableId, columns: readonly NewColumn[], primaryKey: readonly string[]): string {
    const keys = new Set(primaryKey);
    const defs = columns.map((c) => this.columnDefinition(c, keys.has(c.name)));
    if (primaryKey.length > 0) defs.push(`PRIMARY KEY (${primaryKey.map((k) => this.dialect.quoteIdentifier(k)).join(', ')})`);
    return `CREATE TABLE IF NOT EXISTS ${this.dialect.qualifiedName(table)} (${defs.join(', ')})`;
  }

  addColumn(table: TableId, column: NewColumn): string {
    return `ALTER TABLE ${this.dialect.qualifiedName(table)} ADD COLUMN ${this.columnDefinition(column, false)}`;
  }

  protected columnDefinition(column: NewColumn, key: boolean): string {
    const parts = [this.dialect.quoteIdentifier(column.name), this.sqlType(column.type, key)];
    if (key || !column.optional) parts.push('NOT NULL');
    const literal = column.defaultValue === undefined || column.defaultValue === null ? null : this.defaultLiteral(column.defaultValue, column.type);
    if (literal !== null) parts.push(`DEFAULT ${literal}`);
    return parts.join(' ');
  }

  protected quoted(columns: readonly SinkColumn[]): string {
    return columns.map((c) => this.dialect.quoteIdentifier(c.name)).join(', ');
  }
}

/** `rows` in chunks of at most `size`. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** A string literal with the quote doubled (safe whether or not backslashes escape). */
export function stringLiteral(text: string, escapeBackslashes: boolean): string {
  if (text.includes('\0')) return 'NULL';
  const body = (escapeBackslashes ? text.replaceAll('\\', '\\\\') : text).replaceAll("'", "''");
  return `'${body}'`;
}

/** Numbers, bigints, decimals and strings as default literals of numeric and text columns. */
export function commonLiteral(value: unknown, type: ColumnType, escapeBackslashes: boolean): string | null {
  const numeric = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'decimal'].includes(type.kind);
  if (numeric && ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint')) return value.toString();
  if (numeric && isDecimal(value)) return value.toString();
  if (type.kind === 'string' && typeof value === 'string') return stringLiteral(value, escapeBackslashes);
  return null;
}
