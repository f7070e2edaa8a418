// MySQL and MariaDB: backquoted identifiers, `?` placeholders, unsigned integers widened one step.
import type { ColumnInfo, ColumnKind } from './column-types.ts';
import { SqlDialect } from './dialect.ts';
import type { BoundSql, TableId } from './dialect.ts';

const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json', 'enum', 'set', 'uuid', 'year']);
const BYTES_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
/** Signed kind of each integer type and the kind an unsigned one needs (Confluent's widening). */
const INTEGERS: Readonly<Record<string, readonly [ColumnKind, ColumnKind]>> = {
  tinyint: [{ kind: 'int8' }, { kind: 'int16' }],
  smallint: [{ kind: 'int16' }, { kind: 'int32' }],
  mediumint: [{ kind: 'int32' }, { kind: 'int32' }],
  int: [{ kind: 'int32' }, { kind: 'int64' }],
  // an unsigned BIGINT does not fit INT64: an exact Decimal instead of Confluent's overflow
  bigint: [{ kind: 'int64' }, { kind: 'decimal', precision: 20, scale: 0 }],
};

export class MySqlDialect extends SqlDialect {
  readonly name = 'MySQL';
  protected readonly quote = '`';

  placeholder(): string {
    return '?';
  }

  currentSchemaSql(): string {
    return 'SELECT DATABASE() AS `schema`';
  }

  currentTimeSql(): string {
    return "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f') AS `now`";
  }

  /** InnoDB answers information_schema.innodb_trx from a cache it refreshes only after 100 ms without a read. */
  readonly openTransactionsCached = true;

  openTransactionsSql(_ownApplication: string, token: string): BoundSql {
    if (!/^[0-9-]+$/.test(token)) throw new Error(`a transaction list token is digits and dashes, got \`${token}\``);
    // read-only and autocommitted non-locking transactions cannot write a row
    return {
      sql:
        `SELECT /* sluice ${token} */ CONCAT(` + "t.trx_mysql_thread_id, '@', t.trx_started) AS `session`, " +
        "CONCAT('connection ', t.trx_mysql_thread_id, ' (user ', COALESCE(p.user, '?'), '@', COALESCE(p.host, '?'), ')') AS `label`, " +
        'TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) * 1000 AS `age_ms`, (t.trx_mysql_thread_id = CONNECTION_ID() AND t.trx_query LIKE ?) AS `own` FROM information_schema.innodb_trx t ' +
        'LEFT JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id ' +
        'WHERE t.trx_autocommit_non_locking = 0 AND t.trx_is_read_only = 0',
      params: [`%sluice ${token} %`],
    };
  }

  transactionVisibilitySql(): null {
    // information_schema.innodb_trx refuses to answer without PROCESS
    return null;
  }

  columns(table: TableId): BoundSql {
    return {
      sql:
        'SELECT column_name AS `name`, data_type AS `data_type`, is_nullable AS `is_nullable`, numeric_precision AS `precision`, ' +
        'numeric_scale AS `scale`, column_type AS `column_type` FROM information_schema.columns ' +
        'WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      params: [table.schema, table.name],
    };
  }

  classify(column: ColumnInfo): ColumnKind | null {
    const integer = INTEGERS[column.dataType];
    if (integer !== undefined) {
      // BOOLEAN is an alias of TINYINT(1); Connector/J reports it as BIT, which Confluent reads as a boolean
      if (column.columnType.startsWith('tinyint(1)')) return { kind: 'boolean' };
      return column.unsigned ? integer[1] : integer[0];
    }
    switch (column.dataType) {
      case 'bit':
        return column.precision === 1 ? { kind: 'boolean' } : { kind: 'bytes' };
      case 'float':
        return { kind: 'float32' };
      case 'double':
        return { kind: 'float64' };
      case 'decimal':
        return { kind: 'decimal', precision: column.precision ?? 0, scale: column.scale ?? 0 };
      case 'date':
        return { kind: 'date' };
      case 'time':
        return { kind: 'time' };
      case 'datetime':
        return { kind: 'timestamp' };
      case 'timestamp':
        // stored as an instant, printed in the session's zone (UTC)
        return { kind: 'timestamp', zoned: true };
      default:
        if (STRING_TYPES.has(column.dataType)) return { kind: 'string' };
        return BYTES_TYPES.has(column.dataType) ? { kind: 'bytes' } : null;
    }
  }

  protected userSchemasFilter(): string {
    return "table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";
  }
}
