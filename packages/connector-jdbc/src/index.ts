// @sluice/connector-jdbc: Confluent's JDBC source and sink for PostgreSQL and MySQL/MariaDB.
import { readFileSync } from 'node:fs';
import { definePlugin } from '@sluice/core';
import { jdbcSink } from './sink-connector.ts';
import { jdbcSource } from './source-connector.ts';

// src/ in the workspace and dist/ when published both sit one level below package.json.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export { jdbcSource, jdbcSink };
export { parseJdbcUrl } from './jdbc-url.ts';
export type { JdbcUrl, DialectName } from './jdbc-url.ts';
export { SqlDialect } from './dialect/dialect.ts';
export type { TableId, BoundSql } from './dialect/dialect.ts';
export { PostgresDialect } from './dialect/postgres.ts';
export { MySqlDialect } from './dialect/mysql.ts';
export type { ColumnKind, ColumnInfo } from './dialect/column-types.ts';

export default definePlugin({
  name: '@sluice/connector-jdbc',
  version,
  connectors: [jdbcSource, jdbcSink],
  aliases: {
    JdbcSourceConnector: 'jdbc-source',
    'io.confluent.connect.jdbc.JdbcSourceConnector': 'jdbc-source',
    JdbcSinkConnector: 'jdbc-sink',
    'io.confluent.connect.jdbc.JdbcSinkConnector': 'jdbc-sink',
  },
});
