// The one seam between the connectors and a database's SQL: quoting, placeholders, catalog
// queries and type classification. Drivers stay outside (see ../database.ts); what both
// dialects share is written here once.
import type { ColumnInfo, ColumnKind } from './column-types.ts';

/** A table as the catalog names it; `schema` is PostgreSQL's schema or MySQL's database. */
export interface TableId {
  readonly schema: string;
  readonly name: string;
}

/** SQL text with its values, which are always bound, never spliced in. */
export interface BoundSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export abstract class SqlDialect {
  abstract readonly name: string;
  /** The character that delimits identifiers: `"` (SQL standard) or `` ` `` (MySQL). */
  protected abstract readonly quote: string;

  /** The placeholder of the `index`-th bound value (1-based). */
  abstract placeholder(index: number): string;

  /** The column kind of a catalog column, or null when Sluice cannot represent it (the column is left out). */
  abstract classify(column: ColumnInfo): ColumnKind | null;

  /** The current schema (PostgreSQL) or database (MySQL) tables default to. */
  abstract currentSchemaSql(): string;

  /** The database's current time in UTC as `YYYY-MM-DD HH:MM:SS.ffffff`, one row `{ now }`. */
  abstract currentTimeSql(): string;

  /**
   * The transactions other sessions hold open right now, one row `{ session, label, age_ms }`
   * each (and `own`): `session` names one transaction for as long as it is open and is never reused by a
   * later one, `label` names the session for a log line. Sessions whose application name is
   * `ownApplication` (Sluice's own source reads) and transactions that cannot write are left out.
   * `token` (digits and dashes) names this call: see {@link openTransactionsCached}.
   */
  abstract openTransactionsSql(ownApplication: string, token: string): BoundSql;

  /**
   * Whether {@link openTransactionsSql} may answer from a cache older than the query: then it is
   * run inside a transaction of the session's own, and the answer counts only when that
   * transaction is in it running this very query, the one with the call's `token` (`own` true).
   */
  abstract readonly openTransactionsCached: boolean;

  /**
   * One row `{ all_users, tracked }` saying whether {@link openTransactionsSql} sees the
   * transactions of every user and whether the server records them at all; null when the query
   * itself fails without the privilege it needs.
   */
  abstract transactionVisibilitySql(): string | null;

  /** Identifiers are always quoted, the quote character doubled inside, so any name is safe. */
  quoteIdentifier(identifier: string): string {
    if (identifier.includes('\0')) throw new Error('an SQL identifier cannot contain NUL');
    return `${this.quote}${identifier.replaceAll(this.quote, this.quote + this.quote)}${this.quote}`;
  }

  qualifiedName(table: TableId): string {
    return `${this.quoteIdentifier(table.schema)}.${this.quoteIdentifier(table.name)}`;
  }

  /**
   * Tables of the given `types` (`BASE TABLE`, `VIEW`, as information_schema names them) in the
   * given schemas (all non-system schemas when empty), narrowed by a LIKE `schemaPattern` when set.
   */
  listTablesOfTypes(schemas: readonly string[], schemaPattern: string | null, types: readonly string[]): BoundSql {
    const params: string[] = [];
    const bind = (value: string) => {
      params.push(value);
      return this.placeholder(params.length);
    };
    const filters = [
      `table_type IN (${types.map(bind).join(', ')})`,
      schemas.length === 0 ? this.userSchemasFilter() : `table_schema IN (${schemas.map(bind).join(', ')})`,
      ...(schemaPattern === null ? [] : [`table_schema LIKE ${bind(schemaPattern)}`]),
      ...this.tableFilters(),
    ];
    return {
      sql: `SELECT table_schema AS "schema", table_name AS "name" FROM information_schema.tables WHERE ${filters.join(' AND ')} ORDER BY table_schema, table_name`.replaceAll('"', this.quote),
      params,
    };
  }

  /** A table's columns in ordinal order, in the shape of {@link CatalogColumnRow}. */
  abstract columns(table: TableId): BoundSql;

  /** A table's primary-key columns in key order, one row `{ name }` each. */
  primaryKey(table: TableId): BoundSql {
    const q = (alias: string) => this.quoteIdentifier(alias);
    return {
      sql:
        `SELECT k.column_name AS ${q('name')} FROM information_schema.table_constraints c ` +
        'JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name ' +
        `WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = ${this.placeholder(1)} AND c.table_name = ${this.placeholder(2)} ORDER BY k.ordinal_position`,
      params: [table.schema, table.name],
    };
  }

  protected abstract userSchemasFilter(): string;

  /** Further conditions on information_schema.tables rows a dialect needs to list only what can be read once. */
  protected tableFilters(): string[] {
    return [];
  }
}

/** One row of {@link SqlDialect.columns}. */
export interface CatalogColumnRow {
  readonly name: string;
  readonly data_type: string;
  readonly is_nullable: string;
  readonly precision: number | string | null;
  readonly scale: number | string | null;
  readonly column_type: string | null;
  /** PostgreSQL arrays: the element type's name and the declared dimensions. */
  readonly element_type?: string | null;
  readonly dimensions?: number | string | null;
}

/** A {@link ColumnInfo} from a catalog row. */
export function columnInfo(row: CatalogColumnRow): ColumnInfo {
  const int = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    name: row.name,
    dataType: row.data_type.toLowerCase(),
    nullable: row.is_nullable.toUpperCase() === 'YES',
    precision: int(row.precision),
    scale: int(row.scale),
    unsigned: (row.column_type ?? '').toLowerCase().includes('unsigned'),
    columnType: (row.column_type ?? '').toLowerCase(),
    elementType: row.element_type?.toLowerCase() ?? null,
    dimensions: int(row.dimensions ?? null),
  };
}
