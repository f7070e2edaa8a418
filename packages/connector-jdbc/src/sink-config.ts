// The JDBC sink's config spec: Confluent's JdbcSinkConnector keys and defaults (connectors.md §2.1).
import { atLeast, configError, defineConfig, oneOf } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { connectionConfig } from './connection-config.ts';
import { validTimeZone } from './time-zone.ts';

export const INSERT_MODES = ['insert', 'upsert', 'update'] as const;
export type InsertMode = (typeof INSERT_MODES)[number];
export const PK_MODES = ['none', 'kafka', 'record_key', 'record_value'] as const;
export type PkMode = (typeof PK_MODES)[number];

/** Confluent's column names of `pk.mode=kafka`. */
export const KAFKA_PK_FIELDS = ['__connect_topic', '__connect_partition', '__connect_offset'] as const;

export const sinkConfig = defineConfig({
  ...connectionConfig,
  'insert.mode': {
    type: 'string',
    default: 'insert',
    validate: oneOf(...INSERT_MODES),
    importance: 'high',
    group: 'Writes',
    doc: '`insert`: plain INSERT (a duplicate key is an error). `upsert`: insert or update by primary key (PostgreSQL `ON CONFLICT … DO UPDATE`, MySQL/MariaDB `ON DUPLICATE KEY UPDATE`), which makes replays harmless. `update`: UPDATE the row with the record\'s key (no row, no change).',
  },
  'batch.size': { type: 'int', default: 3000, validate: atLeast(1), importance: 'medium', group: 'Writes', doc: 'Rows per statement; a `put` writes all its records in one transaction, in statements of at most this many rows.' },
  'delete.enabled': { type: 'boolean', default: false, importance: 'medium', group: 'Writes', doc: 'Whether a tombstone (a record with a null value) deletes the row with the record\'s key. Requires `pk.mode=record_key`. Without it a tombstone is an error.' },
  'table.name.format': { type: 'string', default: '${topic}', importance: 'medium', group: 'Data Mapping', doc: 'The destination table of a record: `${topic}` is replaced by the record\'s topic. A `schema.table` name (dots) names the schema (PostgreSQL) or database (MySQL) too.' },
  'pk.mode': {
    type: 'string',
    default: 'none',
    validate: oneOf(...PK_MODES),
    importance: 'high',
    group: 'Data Mapping',
    doc: 'Where the primary key comes from: `none`; `kafka` (the record\'s topic, partition and offset, in columns `__connect_topic`, `__connect_partition`, `__connect_offset`); `record_key` (the key\'s fields, or the key itself when it is a primitive); `record_value` (fields of the value).',
  },
  'pk.fields': { type: 'list', default: [], importance: 'medium', group: 'Data Mapping', doc: '`kafka`: the three column names (default `__connect_topic,__connect_partition,__connect_offset`). `record_key`: the key fields to use (empty: all), or the one column name of a primitive key. `record_value`: the value fields to use (empty: all).' },
  'fields.whitelist': { type: 'list', default: [], importance: 'medium', group: 'Data Mapping', doc: 'The value fields written as non-key columns; empty writes all.' },
  'db.timezone': { type: 'string', default: 'UTC', validate: validTimeZone, importance: 'medium', group: 'Data Mapping', doc: 'The time zone of the wall-clock time written into timestamp columns without a time zone (PostgreSQL `timestamp`, MySQL `datetime`). Columns with a time zone get the instant.' },
  'quote.sql.identifiers': {
    type: 'string',
    default: 'always',
    validate: oneOf('always', 'never'),
    importance: 'medium',
    group: 'Data Mapping',
    doc: '`always` keeps table and column names as they are. `never` folds them as an unquoted name would be folded (lower case on PostgreSQL); they are still quoted in the SQL, so no name can inject anything.',
  },
  'auto.create': { type: 'boolean', default: false, importance: 'medium', group: 'DDL Support', doc: 'Whether a missing table is created (CREATE TABLE) from the record\'s schema, or from the values of schemaless records, with the primary key of `pk.mode`.' },
  'auto.evolve': { type: 'boolean', default: false, importance: 'medium', group: 'DDL Support', doc: 'Whether fields missing from the table are added (ALTER TABLE ADD COLUMN). A new field must be optional or have a default; columns are never dropped or changed.' },
  'max.retries': { type: 'int', default: 10, validate: atLeast(0), importance: 'medium', group: 'Retries', doc: 'How many times a batch is retried (on a new connection) after a lost connection or a transient database error (deadlock, lock wait or statement timeout, a read-only server after a failover, too many connections) before the task fails; also how many times the first batch tries to connect when the database could not be reached at start. A refused login or an unknown database is not retried.' },
  'retry.backoff.ms': { type: 'int', default: 3000, validate: atLeast(0), importance: 'medium', group: 'Retries', doc: 'Milliseconds to wait before retrying a batch.' },
});

export type SinkConfig = ConfigOf<typeof sinkConfig>;

/** Rules between keys, as Confluent's sink checks them; errors name the key. */
export function checkSinkConfig(config: SinkConfig): void {
  const insertMode = config['insert.mode'].toLowerCase();
  const pkMode = config['pk.mode'].toLowerCase();
  if (config['delete.enabled'] && pkMode !== 'record_key') {
    throw configError('delete.enabled', `needs \`pk.mode=record_key\` (a tombstone deletes by key), got \`pk.mode=${pkMode}\``);
  }
  if (insertMode !== 'insert' && pkMode === 'none') {
    throw configError('pk.mode', `\`insert.mode=${insertMode}\` needs a primary key: set \`pk.mode\` to \`kafka\`, \`record_key\` or \`record_value\``);
  }
  if (pkMode === 'none' && config['pk.fields'].length > 0) {
    throw configError('pk.fields', 'is ignored with `pk.mode=none`: set `pk.mode` too');
  }
  if (pkMode === 'kafka' && config['pk.fields'].length !== 0 && config['pk.fields'].length !== KAFKA_PK_FIELDS.length) {
    throw configError('pk.fields', `with \`pk.mode=kafka\` names the 3 columns for topic, partition and offset (or none for ${KAFKA_PK_FIELDS.join(', ')}), got ${config['pk.fields'].length}`);
  }
  if (config['table.name.format'].trim() === '') {
    throw configError('table.name.format', 'must not be empty');
  }
}

/** The parsed settings the task works with, lower-cased enums resolved. */
export interface SinkSettings {
  readonly insertMode: InsertMode;
  readonly pkMode: PkMode;
  readonly pkFields: readonly string[];
  readonly fieldsWhitelist: ReadonlySet<string>;
  readonly deleteEnabled: boolean;
  readonly batchSize: number;
  readonly tableNameFormat: string;
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly timeZone: string;
  readonly quoteIdentifiers: boolean;
  readonly maxRetries: number;
  readonly retryBackoffMs: number;
}

export function sinkSettings(config: SinkConfig): SinkSettings {
  checkSinkConfig(config);
  const pkMode = config['pk.mode'].toLowerCase() as PkMode;
  return {
    insertMode: config['insert.mode'].toLowerCase() as InsertMode,
    pkMode,
    pkFields: pkMode === 'kafka' && config['pk.fields'].length === 0 ? KAFKA_PK_FIELDS : config['pk.fields'],
    fieldsWhitelist: new Set(config['fields.whitelist']),
    deleteEnabled: config['delete.enabled'],
    batchSize: config['batch.size'],
    tableNameFormat: config['table.name.format'],
    autoCreate: config['auto.create'],
    autoEvolve: config['auto.evolve'],
    timeZone: config['db.timezone'],
    quoteIdentifiers: config['quote.sql.identifiers'].toLowerCase() === 'always',
    maxRetries: config['max.retries'],
    retryBackoffMs: config['retry.backoff.ms'],
  };
}
