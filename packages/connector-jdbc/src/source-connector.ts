import { defineSourceConnector } from '@sluice/core';
import type { TaskConfig } from '@sluice/core';
import { connect } from './database.ts';
import type { TableId } from './dialect/dialect.ts';
import { connectionSettings, warnIgnoredParameters } from './connection-config.ts';
import { checkSourceConfig, queryOf, sourceConfig, sourceTaskConfig } from './source-config.ts';
import type { SourceConfig } from './source-config.ts';
import { JdbcSourceTask } from './source-task.ts';
import { groupTables, selectTables } from './tables.ts';

/** Lists the tables the config selects, on a connection of its own. */
export async function listTables(config: SourceConfig): Promise<TableId[]> {
  const { url, credentials } = connectionSettings(config);
  const db = await connect(url, credentials);
  try {
    // MySQL's schemas are databases: the one in the URL, as Confluent's catalog narrowing does
    const schemas = url.dialect === 'mysql' && url.database !== null ? [url.database] : [];
    // information_schema's names of Confluent's JDBC table types
    const types = config['table.types'].map((t) => (t.toUpperCase() === 'VIEW' ? 'VIEW' : 'BASE TABLE'));
    const rows = await db.query(db.dialect.listTablesOfTypes(schemas, config['schema.pattern'], types));
    return selectTables(rows.map((r) => ({ schema: String(r.schema), name: String(r.name) })), config);
  } finally {
    await db.close();
  }
}

/**
 * Confluent's JDBC source: reads tables of PostgreSQL or MySQL/MariaDB into one topic each,
 * with Confluent's source partitions and offsets, so offsets carry over in both directions.
 */
export const jdbcSource = defineSourceConnector({
  name: 'jdbc-source',
  doc: 'Reads the rows of PostgreSQL or MySQL/MariaDB tables into Kafka, one topic per table, keyed by the primary key.',
  config: sourceConfig,
  create: () => {
    let raw: TaskConfig = {};
    let queryMode = false;
    let tables: TableId[] = [];
    let monitor: NodeJS.Timeout | undefined;
    return {
      async start(config, ctx) {
        checkSourceConfig(config);
        const { url } = connectionSettings(config);
        warnIgnoredParameters(url, 'JDBC source', ctx.logger);
        raw = { ...ctx.configs() };
        queryMode = queryOf(config) !== '';
        if (queryMode) {
          // query mode: one task reads the query, as Confluent's does; no tables to list
          ctx.logger.info('JDBC source reads a query');
          return;
        }
        tables = await listTables(config);
        ctx.logger.info(`JDBC source reads ${tables.length} table(s)`);
        const interval = config['table.poll.interval.ms'];
        if (interval === 0) return;
        // New, dropped or renamed tables reach the tasks through a reconfiguration, as Confluent's TableMonitorThread does.
        let listing = false;
        monitor = setInterval(() => {
          if (listing) return;
          listing = true;
          listTables(config)
            .then((now) => {
              if (monitor === undefined || JSON.stringify(now) === JSON.stringify(tables)) return;
              ctx.logger.info(`JDBC source: the selected tables changed from ${tables.length} to ${now.length}; reconfiguring the tasks`);
              tables = now;
              ctx.requestTaskReconfiguration();
            })
            .catch((error: unknown) => {
              // a failed listing keeps the current tasks; the next listing tries again
              ctx.logger.warn(`JDBC source: listing the tables failed: ${(error as Error).message}`);
            })
            .finally(() => {
              listing = false;
            });
        }, interval);
        monitor.unref();
      },
      taskConfigs: (maxTasks) => (queryMode ? [{ ...raw, tables: '[]' }] : groupTables(tables, maxTasks).map((group) => ({ ...raw, tables: JSON.stringify(group) }))),
      stop() {
        clearInterval(monitor);
        monitor = undefined;
      },
    };
  },
  task: { config: sourceTaskConfig, create: () => new JdbcSourceTask() },
});
