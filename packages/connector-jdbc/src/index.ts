// @sluice/connector-jdbc: JDBC-style connectors for PostgreSQL and MySQL/MariaDB.
// The connectors arrive in later steps; this entry point holds their shared seams.

export { parseJdbcUrl } from './jdbc-url.ts';
export type { JdbcUrl, DialectName } from './jdbc-url.ts';
export { SqlDialect } from './dialect/dialect.ts';
export type { TableId, BoundSql } from './dialect/dialect.ts';
export { PostgresDialect } from './dialect/postgres.ts';
export { MySqlDialect } from './dialect/mysql.ts';
export type { ColumnKind, ColumnInfo } from './dialect/column-types.ts';
