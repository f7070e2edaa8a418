// PostgreSQL: standard double-quoted identifiers, `$n` placeholders, types by information_schema name.
import type { ColumnInfo, ColumnKind } from './column-types.ts';
import { SqlDialect } from './dialect.ts';
import type { BoundSql, TableId } from './dialect.ts';

const STRING_TYPES = new Set(['text', 'character varying', 'character', 'uuid', 'json', 'jsonb', 'xml', 'name', 'interval', 'inet', 'cidr', 'macaddr', 'time with time zone']);

export class PostgresDialect extends SqlDialect {
  readonly name = 'PostgreSQL';
  protected readonly quote = '"';

  placeholder(index: number): string {
    return `$${index}`;
  }

  currentSchemaSql(): string {
    return 'SELECT current_schema() AS schema';
  }

  currentTimeSql(): string {
    return "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS now";
  }

  /** pg_stat_activity shows a backend's transaction from its first statement on. */
  readonly openTransactionsCached = false;

  openTransactionsSql(ownApplication: string): BoundSql {
    // pg_stat_activity, not backend_xid: a transaction that took a sequence value has no xid yet.
    return {
      sql:
        "SELECT pid || '@' || to_char(xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS session, " +
        "'backend pid ' || pid || ' (user ' || coalesce(usename, '?') || ', application ' || coalesce(application_name, '') || ')' AS label, " +
        '(extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint AS age_ms, false AS own FROM pg_stat_activity ' +
        // only this database's sessions can write its tables
        "WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type <> 'autovacuum worker' AND application_name IS DISTINCT FROM $1 AND datname = current_database() " +
        // a prepared (two-phase) transaction has left its session but may still commit
        "UNION ALL SELECT 'prepared ' || gid || '@' || to_char(prepared AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), 'prepared transaction ' || gid || ' (owner ' || owner || ')', " +
        '(extract(epoch FROM clock_timestamp() - prepared) * 1000)::bigint, false FROM pg_prepared_xacts WHERE database = current_database()',
      params: [ownApplication],
    };
  }

  transactionVisibilitySql(): string {
    return "SELECT pg_has_role('pg_read_all_stats', 'USAGE') AS all_users, current_setting('track_activities')::boolean AS tracked";
  }

  /**
   * Catalog rows (as {@link columns} gives them, name left empty) of result columns given as
   * `[type oid, type modifier]`, in order: how a query's columns are described.
   */
  resultTypesSql(types: readonly (readonly [number, number])[]): BoundSql {
    return {
      sql:
        "SELECT '' AS name, CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, NULL) WHEN t.typelem <> 0 AND t.typlen = -1 THEN 'ARRAY' " +
        "WHEN n.nspname = 'pg_catalog' THEN format_type(t.oid, NULL) ELSE 'USER-DEFINED' END AS data_type, 'YES' AS is_nullable, " +
        // an array's precision and scale are its elements'
        'information_schema._pg_numeric_precision(CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END, f.mod) AS precision, ' +
        'information_schema._pg_numeric_scale(CASE WHEN t.typelem <> 0 AND t.typlen = -1 THEN t.typelem ELSE t.oid END, f.mod) AS scale, ' +
        "CASE WHEN t.typtype = 'e' THEN 'enum' WHEN n.nspname <> 'pg_catalog' THEN t.typname END AS column_type, " +
        "CASE WHEN t.typelem <> 0 AND t.typlen = -1 AND n.nspname = 'pg_catalog' THEN format_type(t.typelem, NULL) END AS element_type " +
        'FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS f(oid, mod, ord) JOIN pg_type t ON t.oid = f.oid JOIN pg_namespace n ON n.oid = t.typnamespace ORDER BY f.ord',
      params: [types.map((t) => t[0]), types.map((t) => t[1])],
    };
  }

  columns(table: TableId): BoundSql {
    return {
      sql:
        'SELECT column_name AS name, data_type, is_nullable, ' +
        // an array's precision and scale are its elements' (numeric(10,2)[])
        "CASE WHEN data_type = 'ARRAY' THEN information_schema._pg_numeric_precision(e.typelem, e.atttypmod) ELSE numeric_precision END AS precision, " +
        "CASE WHEN data_type = 'ARRAY' THEN information_schema._pg_numeric_scale(e.typelem, e.atttypmod) ELSE numeric_scale END AS scale, " +
        // user-defined types: `enum` for enums (read as their label), else the type's name
        "CASE WHEN data_type = 'USER-DEFINED' THEN (SELECT CASE WHEN t.typtype = 'e' THEN 'enum' ELSE t.typname END FROM pg_type t " +
        'JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = udt_name AND n.nspname = udt_schema) END AS column_type, ' +
        'e.element_type, e.dimensions FROM information_schema.columns c LEFT JOIN LATERAL (SELECT t.typelem, a.atttypmod, ' +
        "CASE WHEN et.typtype = 'd' THEN format_type(et.typbasetype, NULL) WHEN en.nspname = 'pg_catalog' THEN format_type(t.typelem, NULL) END AS element_type, a.attndims AS dimensions " +
        'FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_type et ON et.oid = t.typelem JOIN pg_namespace en ON en.oid = et.typnamespace ' +
        "WHERE c.data_type = 'ARRAY' AND a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name) e ON true " +
        'WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      params: [table.schema, table.name],
    };
  }

  classify(column: ColumnInfo): ColumnKind | null {
    switch (column.dataType) {
      case 'smallint':
        return { kind: 'int16' };
      case 'integer':
        return { kind: 'int32' };
      case 'bigint':
        return { kind: 'int64' };
      case 'real':
        return { kind: 'float32' };
      case 'double precision':
        return { kind: 'float64' };
      case 'numeric':
        // An unconstrained numeric has no scale a Decimal schema could declare; its exact text is kept.
        return column.scale === null ? { kind: 'string' } : { kind: 'decimal', precision: column.precision ?? 0, scale: column.scale };
      case 'boolean':
        return { kind: 'boolean' };
      case 'bytea':
        return { kind: 'bytes' };
      case 'date':
        return { kind: 'date' };
      case 'time without time zone':
        return { kind: 'time' };
      case 'timestamp without time zone':
        return { kind: 'timestamp' };
      case 'timestamp with time zone':
        return { kind: 'timestamp', zoned: true };
      case 'user-defined':
        return column.columnType === 'enum' ? { kind: 'string' } : null;
      case 'array': {
        // one dimension (declared so, or undeclared: a value of more fails when read); elements of a readable kind
        if ((column.dimensions ?? 0) > 1 || column.elementType === null || column.elementType === undefined) return null;
        const element = this.classify({ ...column, dataType: column.elementType, columnType: '', elementType: null, dimensions: null });
        return element === null || element.kind === 'array' ? null : { kind: 'array', element };
      }
      default:
        return STRING_TYPES.has(column.dataType) ? { kind: 'string' } : null;
    }
  }

  /**
   * information_schema lists a partitioned table and each of its partitions as BASE TABLE: the
   * parent is left out, so each row is read once, from its partition (as Confluent's connector,
   * to which pgjdbc reports the parent as PARTITIONED TABLE).
   */
  protected override tableFilters(): string[] {
    return ["NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = table_schema AND c.relname = table_name AND c.relkind = 'p')"];
  }

  protected userSchemasFilter(): string {
    return "table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\\_%'";
  }
}
