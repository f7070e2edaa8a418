import { defineSinkConnector, hasErrorCode } from '@sluice/core';
import type { TaskConfig } from '@sluice/core';
import { connect } from './database.ts';
import { parseJdbcUrl } from './jdbc-url.ts';
import { warnIgnoredParameters } from './connection-config.ts';
import { checkSinkConfig, sinkConfig } from './sink-config.ts';
import { JdbcSinkTask } from './sink-task.ts';

/**
 * Confluent's JDBC sink: writes records into PostgreSQL or MySQL/MariaDB tables, one table per
 * topic, with Confluent's keys; every `put` is one committed transaction.
 */
export const jdbcSink = defineSinkConnector({
  name: 'jdbc-sink',
  doc: 'Writes records (structs or schemaless maps) into PostgreSQL or MySQL/MariaDB tables: insert, upsert or update by key, deletes from tombstones, tables created and evolved on demand.',
  config: sinkConfig,
  create: () => {
    let raw: TaskConfig = {};
    return {
      start(config, ctx) {
        checkSinkConfig(config);
        warnIgnoredParameters(parseJdbcUrl(config['connection.url']), 'JDBC sink', ctx.logger);
        raw = { ...ctx.configs() };
      },
      // every task takes the same config; the consumer group spreads the partitions
      taskConfigs: (maxTasks) => Array.from({ length: maxTasks }, () => raw),
      stop() {},
    };
  },
  task: { config: sinkConfig, create: () => new JdbcSinkTask() },
  // the rules between keys, reported on the key they name (PUT /connector-plugins/…/config/validate)
  validate(raw, results) {
    if (results.some((r) => r.errors.length > 0)) return results;
    try {
      checkSinkConfig(sinkConfig.parse(raw));
      parseJdbcUrl(String(raw['connection.url']));
    } catch (error) {
      if (!hasErrorCode(error, 'CONFIG')) throw error;
      const key = error.context.key;
      return results.map((r) => (r.name === key ? { ...r, errors: [...r.errors, error.message] } : r));
    }
    return results;
  },
  async check(config) {
    const db = await connect(parseJdbcUrl(config['connection.url']), { user: config['connection.user'], password: config['connection.password']?.reveal() ?? null });
    await db.close();
  },
  // the offsets are the consumer group's; nothing of the connector needs changing
  alterOffsets: () => true,
});
