// PostgreSQL: a batch is one statement per table and kind — every column bound as one array and
// spread by unnest, cast to the column's real type, so uuid, json, enums, numeric and
// timestamptz take their values from text exactly as a literal would.
import type { Row } from './database.ts';
import type { BoundSql, TableId } from './dialect/dialect.ts';
import type { ColumnType } from './sink-columns.ts';
import { SinkSql, chunks, commonLiteral } from './sink-sql.ts';
import type { DatabaseFailure, RowBatch } from './sink-sql.ts';
import type { BindKind, Bound, SinkColumn } from './sink-values.ts';

const KINDS: Readonly<Record<string, BindKind>> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  real: 'float',
  'double precision': 'float',
  numeric: 'decimal',
  boolean: 'boolean',
  bytea: 'bytes',
  date: 'date',
  'time without time zone': 'time',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  json: 'json',
  jsonb: 'json',
};

/**
 * SQLSTATEs worth a retry on a new connection, besides connection exceptions (class 08):
 * serialization failure, deadlock, lock not available, statement timeout or cancel, shutdown and
 * start-up, too many connections, out of memory, and a read-only transaction (a standby after a
 * failover, whose address may lead to the new primary next time).
 */
const TRANSIENT_STATES = new Set(['40001', '40P01', '40003', '55P03', '57014', '57P01', '57P02', '57P03', '53300', '53400', '53200', '25006']);
/**
 * Casts that would cut a value: `character` and `bit` without a length mean `char(1)` and
 * `bit(1)`, which an explicit cast truncates to silently (`'abc'::character` is `'a'`). Their
 * unlimited forms leave the length check to the column, as a literal's would be.
 */
const UNLIMITED_CASTS: Readonly<Record<string, string>> = {
  character: 'bpchar',
  'character[]': 'bpchar[]',
  bit: 'bit varying',
  'bit[]': 'bit varying[]',
};
const TRANSIENT_MESSAGE = /terminat|not queryable|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket|closed/i;

export class PostgresSinkSql extends SinkSql {
  readonly bindOptions = { offsetSuffix: true, booleanWords: true };

  catalogColumns(table: TableId): BoundSql {
    return {
      sql:
        'SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type_text, format_type(a.atttypid, NULL) AS cast_type, ' +
        "NOT a.attnotnull AS nullable, t.typcategory = 'A' AS is_array, " +
        "CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_length " +
        'FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid ' +
        'WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
      params: [table.schema, table.name],
    };
  }

  sinkColumn(row: Row): SinkColumn {
    const typeName = String(row.cast_type);
    const castType = UNLIMITED_CASTS[typeName] ?? typeName;
    return {
      name: String(row.name),
      kind: row.is_array === true ? 'array' : (KINDS[typeName] ?? 'text'),
      nullable: row.nullable === true,
      typeText: String(row.type_text),
      castType,
      maxLength: row.max_length === null || row.max_length === undefined ? null : Number(row.max_length),
    };
  }

  /**
   * `unnest($1::t1[], $2::t2[], …) AS u(c1, c2, …)` and the select list reading it. Array columns
   * travel as text[] of array literals (unnest would flatten an array of arrays) and are cast
   * in the select list.
   */
  #unnest(batch: RowBatch, rows: readonly (readonly Bound[])[]): { from: string; select: string[]; params: string[] } {
    const params = batch.columns.map((_, i) => arrayLiteralOf(rows, i));
    const aliases = batch.columns.map((_, i) => `c${i + 1}`);
    const from = `unnest(${batch.columns.map((c, i) => `$${i + 1}::${c.kind === 'array' ? 'text' : c.castType}[]`).join(', ')}) AS u(${aliases.join(', ')})`;
    const select = batch.columns.map((c, i) => (c.kind === 'array' ? `u.${aliases[i]}::${c.castType}` : `u.${aliases[i]}`));
    return { from, select, params };
  }

  insert(table: TableId, batch: RowBatch, maxRows: number, upsert: boolean): BoundSql[] {
    const q = (name: string) => this.dialect.quoteIdentifier(name);
    let conflict = '';
    if (upsert) {
      const keys = batch.columns.slice(0, batch.keyCount);
      const rest = batch.columns.slice(batch.keyCount);
      const action = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`).join(', ')}`;
      conflict = ` ON CONFLICT (${this.quoted(keys)}) ${action}`;
    }
    return chunks(batch.rows, maxRows).map((rows) => {
      const { from, select, params } = this.#unnest(batch, rows);
      return { sql: `INSERT INTO ${this.dialect.qualifiedName(table)} (${this.quoted(batch.columns)}) SELECT ${select.join(', ')} FROM ${from}${conflict}`, params };
    });
  }

  update(table: TableId, batch: RowBatch, maxRows: number): BoundSql[] {
    const q = (name: string) => this.dialect.quoteIdentifier(name);
    return chunks(batch.rows, maxRows).map((rows) => {
      const { from, select, params } = this.#unnest(batch, rows);
      const set = batch.columns.slice(batch.keyCount).map((c, i) => `${q(c.name)} = ${select[batch.keyCount + i]!}`);
      const where = batch.columns.slice(0, batch.keyCount).map((c, i) => `t.${q(c.name)} = ${select[i]!}`);
      return { sql: `UPDATE ${this.dialect.qualifiedName(table)} AS t SET ${set.join(', ')} FROM ${from} WHERE ${where.join(' AND ')}`, params };
    });
  }

  delete(table: TableId, batch: RowBatch, maxRows: number): BoundSql[] {
    return chunks(batch.rows, maxRows).map((rows) => {
      const { from, select, params } = this.#unnest(batch, rows);
      return { sql: `DELETE FROM ${this.dialect.qualifiedName(table)} WHERE (${this.quoted(batch.columns)}) IN (SELECT ${select.join(', ')} FROM ${from})`, params };
    });
  }

  sqlType(type: ColumnType, key: boolean): string {
    switch (type.kind) {
      case 'int8':
      case 'int16':
        return 'smallint';
      case 'int32':
        return 'integer';
      case 'int64':
        return 'bigint';
      case 'float32':
        return 'real';
      case 'float64':
        return 'double precision';
      case 'boolean':
        return 'boolean';
      case 'string':
        return 'text';
      case 'bytes':
        return 'bytea';
      case 'decimal':
        return type.precision !== null && type.scale !== null && type.scale >= 0 && type.scale <= type.precision && type.precision <= 1000 ? `numeric(${type.precision},${type.scale})` : 'numeric';
      case 'date':
        return 'date';
      case 'time':
        return 'time';
      case 'timestamp':
        return 'timestamp';
      case 'timestamptz':
        return 'timestamptz';
      case 'json':
        return 'jsonb';
      case 'uuid':
        return 'uuid';
      case 'array':
        return `${this.sqlType(type.element, key)}[]`;
    }
  }

  defaultLiteral(value: unknown, type: ColumnType): string | null {
    if (type.kind === 'boolean' && typeof value === 'boolean') return value ? 'true' : 'false';
    // standard_conforming_strings (on since 9.1): a backslash in '…' is an ordinary character
    return commonLiteral(value, type, false);
  }

  foldIdentifier(name: string): string {
    return name.toLowerCase();
  }

  serverVersionSql(): null {
    return null;
  }

  sessionSql(): readonly string[] {
    return [];
  }

  failure(error: unknown): DatabaseFailure {
    const e = error as { code?: unknown; column?: unknown; detail?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    const message = error instanceof Error ? error.message : String(error);
    const transient = code.startsWith('08') || TRANSIENT_STATES.has(code) || (code === '' && TRANSIENT_MESSAGE.test(message));
    // data exceptions (class 22) and integrity constraint violations (class 23) are the records' own
    const kind = transient ? 'transient' : code.startsWith('22') || code.startsWith('23') ? 'data' : 'fatal';
    const detail = typeof e.detail === 'string' ? ` ${e.detail}` : '';
    return { kind, column: typeof e.column === 'string' ? e.column : null, reason: code === '' ? message : `${message}${detail} (SQLSTATE ${code})` };
  }
}

/**
 * Column `i` of the rows as the text of a PostgreSQL array literal, every element quoted (bytes
 * as `\\x…` hex), as node-postgres would write a JS array, but without its two regular
 * expression replacements per element: only text holding `\\` or `"` is escaped.
 */
export function arrayLiteralOf(rows: readonly (readonly Bound[])[], i: number): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    if (r > 0) out += ',';
    const value = rows[r]![i];
    if (value === null || value === undefined) {
      out += 'NULL';
    } else if (typeof value === 'string') {
      out += value.includes('\\') || value.includes('"') ? `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : `"${value}"`;
    } else {
      out += `"\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}"`;
    }
  }
  return `${out}}`;
}
