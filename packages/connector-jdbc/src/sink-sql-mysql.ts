// MySQL and MariaDB: multi-row INSERT … ON DUPLICATE KEY UPDATE in the form the server takes
// (the row alias on MySQL 8.0.19+, where VALUES() is deprecated; VALUES() on MariaDB and older
// MySQL), run as text-protocol statements whose values mysql2 escapes, cut at 65,535 values each.
import type { Database, Row } from './database.ts';
import type { BoundSql, TableId } from './dialect/dialect.ts';
import type { ColumnType } from './sink-columns.ts';
import { SinkSql, chunks, commonLiteral } from './sink-sql.ts';
import type { DatabaseFailure, RowBatch } from './sink-sql.ts';
import type { BindKind, SinkColumn } from './sink-values.ts';

/** Values per statement at most: a prepared statement's limit, kept so one statement's size stays bounded. */
export const MAX_PLACEHOLDERS = 65_535;
/** The row alias of the new row in `INSERT … AS alias ON DUPLICATE KEY UPDATE` (MySQL 8.0.19+). */
const ROW_ALIAS = 'sluice_new';

const KINDS: Readonly<Record<string, BindKind>> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  bigint: 'integer',
  year: 'integer',
  float: 'float',
  double: 'float',
  decimal: 'decimal',
  date: 'date',
  time: 'time',
  datetime: 'timestamp',
  // read and written in the session's time zone, which the connection sets to UTC
  timestamp: 'timestamptz',
  json: 'json',
  binary: 'bytes',
  varbinary: 'bytes',
  tinyblob: 'bytes',
  blob: 'bytes',
  mediumblob: 'bytes',
  longblob: 'bytes',
};

/**
 * Error numbers worth a retry on a new connection: too many connections, out of memory or
 * threads, shutdown, lock wait timeout, deadlock, statement timeout (MySQL 3024, MariaDB 1969),
 * an interrupted query, a read-only server (after a failover, whose address may lead to the new
 * primary next time: 1290, 1792, 1836), lost or killed connections.
 */
const TRANSIENT_ERRNOS = new Set([1040, 1041, 1053, 1135, 1203, 1205, 1213, 1290, 1317, 1792, 1836, 1927, 1969, 2002, 2003, 2006, 2013, 2055, 3024, 4031]);
/**
 * Error numbers of a record's values the table refuses, besides SQLSTATE classes 22 and 23 (which
 * some of these are not in): NULL into NOT NULL (1048, 1263), a missing field without default
 * (1364), duplicate keys (1062, 1586, 1859), foreign keys (1216, 1217, 1451, 1452), out of range
 * (1264, 1690), truncated or incorrect values (1265, 1292, 1366, 1367, 1406, 1411), invalid JSON
 * (3140), check constraints (MySQL 3819, MariaDB 4025).
 */
const DATA_ERRNOS = new Set([1048, 1062, 1216, 1217, 1263, 1264, 1265, 1292, 1364, 1366, 1367, 1406, 1411, 1451, 1452, 1586, 1690, 1859, 3140, 3819, 4025]);
const TRANSIENT_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT']);

/** Whether a `SELECT VERSION()` answer takes the row-alias form: MySQL (not MariaDB) 8.0.19 or later. */
export function takesRowAlias(version: string): boolean {
  if (/mariadb/i.test(version)) return false;
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return major > 8 || (major === 8 && (minor > 0 || patch >= 19));
}

export class MySqlSinkSql extends SinkSql {
  readonly bindOptions = { offsetSuffix: false, booleanWords: false };
  #rowAlias = false;

  /** Chooses the upsert form from the server's `VERSION()`. */
  serverVersion(version: string): void {
    this.#rowAlias = takesRowAlias(version);
  }

  serverVersionSql(): string {
    return 'SELECT VERSION() AS `version`';
  }

  /**
   * Strict mode, so a value that does not fit is an error instead of a silently truncated or
   * zeroed value; without NO_BACKSLASH_ESCAPES, so string literals read backslash escapes as
   * the driver writes them (see {@link MySqlSinkSql.write}); and autocommit, so a put of one
   * statement, which runs without BEGIN, commits when the statement ends.
   */
  sessionSql(): readonly string[] {
    const withoutNoBackslashEscapes = "NULLIF(TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ',')), '')";
    return [`SET SESSION sql_mode = CONCAT_WS(',', ${withoutNoBackslashEscapes}, 'STRICT_ALL_TABLES')`, 'SET SESSION autocommit = 1'];
  }

  /**
   * Runs a write as a text-protocol query whose values mysql2 escapes into the statement: a
   * prepared statement of thousands of placeholders costs mysql2 twice the CPU per row
   * (COM_STMT_EXECUTE packet building). The driver skips quoted identifiers when it places the
   * values, and escapes them with backslashes, which the session reads as escapes (no
   * NO_BACKSLASH_ESCAPES, see {@link MySqlSinkSql.sessionSql}) in its utf8mb4 character set.
   */
  override async write(db: Database, statement: BoundSql): Promise<void> {
    await db.query(statement);
  }

  catalogColumns(table: TableId): BoundSql {
    return {
      sql:
        'SELECT column_name AS `name`, data_type AS `data_type`, column_type AS `type_text`, is_nullable AS `is_nullable`, ' +
        'character_maximum_length AS `max_length` FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      params: [table.schema, table.name],
    };
  }

  sinkColumn(row: Row): SinkColumn {
    const dataType = String(row.data_type).toLowerCase();
    const maxLength = row.max_length === null || row.max_length === undefined ? null : Number(row.max_length);
    return {
      name: String(row.name),
      kind: KINDS[dataType] ?? 'text',
      nullable: String(row.is_nullable).toUpperCase() === 'YES',
      typeText: String(row.type_text),
      castType: '',
      maxLength: KINDS[dataType] === undefined ? maxLength : null,
    };
  }

  /** Rows per statement: `maxRows`, fewer when that many would pass {@link MAX_PLACEHOLDERS} values. */
  #rowsPerStatement(batch: RowBatch, maxRows: number): number {
    return Math.max(1, Math.min(maxRows, Math.floor(MAX_PLACEHOLDERS / Math.max(1, batch.columns.length))));
  }

  insert(table: TableId, batch: RowBatch, maxRows: number, upsert: boolean): BoundSql[] {
    const q = (name: string) => this.dialect.quoteIdentifier(name);
    const tuple = `(${batch.columns.map(() => '?').join(', ')})`;
    let tail = '';
    if (upsert) {
      // no non-key column: the key set to itself, so an existing row is left as it is
      const rest = batch.columns.length > batch.keyCount ? batch.columns.slice(batch.keyCount) : batch.columns.slice(0, 1);
      tail = this.#rowAlias
        ? ` AS ${q(ROW_ALIAS)} ON DUPLICATE KEY UPDATE ${rest.map((c) => `${q(c.name)} = ${q(ROW_ALIAS)}.${q(c.name)}`).join(', ')}`
        : ` ON DUPLICATE KEY UPDATE ${rest.map((c) => `${q(c.name)} = VALUES(${q(c.name)})`).join(', ')}`;
    }
    return chunks(batch.rows, this.#rowsPerStatement(batch, maxRows)).map((rows) => ({
      sql: `INSERT INTO ${this.dialect.qualifiedName(table)} (${this.quoted(batch.columns)}) VALUES ${rows.map(() => tuple).join(', ')}${tail}`,
      params: rows.flatMap((row) => row.map(param)),
    }));
  }

  update(table: TableId, batch: RowBatch): BoundSql[] {
    const q = (name: string) => this.dialect.quoteIdentifier(name);
    const keys = batch.columns.slice(0, batch.keyCount);
    const rest = batch.columns.slice(batch.keyCount);
    const sql = `UPDATE ${this.dialect.qualifiedName(table)} SET ${rest.map((c) => `${q(c.name)} = ?`).join(', ')} WHERE ${keys.map((c) => `${q(c.name)} = ?`).join(' AND ')}`;
    return batch.rows.map((row) => ({ sql, params: [...row.slice(batch.keyCount), ...row.slice(0, batch.keyCount)].map(param) }));
  }

  delete(table: TableId, batch: RowBatch, maxRows: number): BoundSql[] {
    const tuple = batch.columns.length === 1 ? '?' : `(${batch.columns.map(() => '?').join(', ')})`;
    const target = batch.columns.length === 1 ? this.quoted(batch.columns) : `(${this.quoted(batch.columns)})`;
    return chunks(batch.rows, this.#rowsPerStatement(batch, maxRows)).map((rows) => ({
      sql: `DELETE FROM ${this.dialect.qualifiedName(table)} WHERE ${target} IN (${rows.map(() => tuple).join(', ')})`,
      params: rows.flatMap((row) => row.map(param)),
    }));
  }

  sqlType(type: ColumnType, key: boolean): string {
    switch (type.kind) {
      case 'int8':
        return 'tinyint';
      case 'int16':
        return 'smallint';
      case 'int32':
        return 'int';
      case 'int64':
        return 'bigint';
      case 'float32':
        return 'float';
      case 'float64':
        return 'double';
      case 'boolean':
        return 'boolean';
      // TEXT and BLOB cannot be keys without a prefix length
      case 'string':
        return key ? 'varchar(255)' : 'text';
      case 'uuid':
        return 'char(36)';
      case 'bytes':
        return key ? 'varbinary(255)' : 'longblob';
      case 'decimal': {
        const scale = Math.min(30, Math.max(0, type.scale ?? 10));
        const precision = Math.min(65, Math.max(scale, type.precision ?? 65));
        return `decimal(${precision},${scale})`;
      }
      case 'date':
        return 'date';
      case 'time':
        return type.micros ? 'time(6)' : 'time(3)';
      case 'timestamp':
        return type.micros ? 'datetime(6)' : 'datetime(3)';
      case 'timestamptz':
        return 'datetime(6)';
      case 'json':
      case 'array':
        return 'json';
    }
  }

  defaultLiteral(value: unknown, type: ColumnType): string | null {
    if (type.kind === 'boolean' && typeof value === 'boolean') return value ? '1' : '0';
    // MySQL takes no literal default for TEXT (before 8.0.13); the backslash escapes unless NO_BACKSLASH_ESCAPES
    return type.kind === 'string' ? null : commonLiteral(value, type, true);
  }

  foldIdentifier(name: string): string {
    return name;
  }

  failure(error: unknown): DatabaseFailure {
    const e = error as { errno?: unknown; code?: unknown; fatal?: unknown; sqlState?: unknown; sqlMessage?: unknown; message?: unknown };
    const errno = typeof e.errno === 'number' ? e.errno : null;
    const code = typeof e.code === 'string' ? e.code : '';
    const state = typeof e.sqlState === 'string' ? e.sqlState : '';
    const message = typeof e.sqlMessage === 'string' ? e.sqlMessage : error instanceof Error ? error.message : String(error);
    const transient = (errno !== null && TRANSIENT_ERRNOS.has(errno)) || TRANSIENT_CODES.has(code) || e.fatal === true || /closed state/i.test(message);
    const data = (errno !== null && DATA_ERRNOS.has(errno)) || state.startsWith('22') || state.startsWith('23');
    const column = /(?:column|field) [`']?(?:[^`']*[`']\.[`'][^`']*[`']\.[`'])?([^`']+)[`']/i.exec(message)?.[1] ?? null;
    return { kind: transient ? 'transient' : data ? 'data' : 'fatal', column, reason: errno === null ? message : `${message} (error ${errno}${code === '' ? '' : ` ${code}`})` };
  }
}

/** mysql2 sends a Buffer as binary; a Uint8Array would be sent as an object. */
function param(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value;
}
