// The JDBC source's config spec: Confluent's JdbcSourceConnector keys and defaults (the subset
// implemented so far; connectors.md §1.2 lists the rest).
import { atLeast, configError, defineConfig, oneOf } from '@sluice/core';
import type { ConfigOf } from '@sluice/core';
import { connectionConfig } from './connection-config.ts';
import { TIMESTAMP_GRANULARITIES } from './dialect/column-types.ts';
import type { TemporalOptions, TimestampGranularity } from './dialect/column-types.ts';
import { validTimeZone } from './time-zone.ts';

export const MODES = ['bulk', 'incrementing', 'timestamp', 'timestamp+incrementing'] as const;
export type Mode = (typeof MODES)[number];

const source = {
  mode: {
    type: 'string',
    importance: 'high',
    group: 'Mode',
    validate: oneOf(...MODES),
    doc: 'How each table is read: `bulk` re-reads the whole table at every poll; `incrementing` reads rows whose `incrementing.column.name` is above the last one read (new rows only); `timestamp` reads rows whose `timestamp.column.name` is above the last one read (new and updated rows); `timestamp+incrementing` orders by both, so rows sharing a timestamp are never skipped.',
  },
  'timestamp.column.name': { type: 'list', default: [], importance: 'medium', group: 'Mode', doc: 'The timestamp column(s) of the timestamp modes; several are read as `COALESCE(a, b, …)`.' },
  'timestamp.initial': { type: 'long', default: null, importance: 'low', group: 'Mode', doc: 'Where the timestamp modes start without a stored offset: epoch milliseconds, or -1 for the database\'s current time. Unset: the epoch.' },
  'timestamp.delay.interval.ms': { type: 'long', default: 0, validate: atLeast(0), importance: 'high', group: 'Mode', doc: 'How long after a row\'s timestamp it is read: the timestamp modes read rows older than the database\'s current time minus this delay, giving transactions in flight time to commit.' },
  'incrementing.column.name': { type: 'string', default: '', importance: 'medium', group: 'Mode', doc: 'The strictly increasing column of `incrementing` mode; required in that mode (Confluent\'s auto-detection from the table is not offered).' },
  'validate.non.null': { type: 'boolean', default: true, importance: 'low', group: 'Mode', doc: 'Whether a task refuses to start when an incrementing or timestamp column is nullable (rows with NULL there are never read).' },
  'transaction.wait.enabled': {
    type: 'boolean',
    default: true,
    importance: 'medium',
    group: 'Mode',
    doc: 'Whether the incrementing and timestamp modes keep rows of transactions that commit out of order from being skipped: a read goes only up to a value below which every transaction still open when it was taken has ended (see "Rows committed out of order" in the README). Needs PROCESS on MySQL/MariaDB and pg_read_all_stats on PostgreSQL (warned about at start); false reads as Confluent\'s connector does.',
  },
  query: {
    type: 'string',
    default: '',
    importance: 'medium',
    group: 'Mode',
    doc: 'A SELECT to read instead of tables (query mode): read as a subquery, `SELECT … FROM (query) AS sluice_query`, with the mode\'s WHERE and ORDER BY after it, so the query may have its own WHERE; the incrementing and timestamp columns are named as the query\'s result names them. One task; records go to `topic.prefix` as the topic, with source partition `{"query":"query"}` and no key. The table keys are ignored.',
  },
  'query.masked': {
    type: 'password',
    default: null,
    importance: 'medium',
    group: 'Mode',
    doc: 'The same as `query`, as a secret: hidden in the REST API and logs, for a query that holds something confidential. Not with `query`.',
  },
  'query.suffix': { type: 'string', default: '', importance: 'low', group: 'Mode', doc: 'Text appended to every SELECT the source runs, after its ORDER BY (for example a locking or hint clause). A `LIMIT` here makes the timestamp modes skip rows, as in Confluent\'s connector.' },
  'table.types': { type: 'list', default: ['TABLE'], validate: oneOf('TABLE', 'VIEW'), importance: 'low', group: 'Database', doc: 'The kinds of tables read: `TABLE`, `VIEW`, or both.' },
  'schema.pattern': {
    type: 'string',
    default: null,
    importance: 'medium',
    group: 'Database',
    doc: 'A SQL LIKE pattern (`%`, `_`) the schema (PostgreSQL) or database (MySQL/MariaDB) of the tables must match. On MySQL/MariaDB it matches databases, and a URL that names a database reads only that one.',
  },
  'numeric.mapping': {
    type: 'string',
    default: null,
    validate: oneOf('none', 'precision_only', 'best_fit', 'best_fit_eager_double'),
    importance: 'low',
    group: 'Mode',
    doc: 'How PostgreSQL `numeric` columns map, as in Confluent\'s connector (which applies it to JDBC NUMERIC, not to MySQL\'s DECIMAL): `none` Decimal; `precision_only` INT8/16/32/64 by precision when the scale is 0 and the precision at most 18; `best_fit` that, and FLOAT64 for a scale above 0 with a precision at most 18; `best_fit_eager_double` integers as `best_fit` and FLOAT64 for any scale above 0. Otherwise Decimal. Unset: `none`, or `precision_only` with the deprecated `numeric.precision.mapping=true`.',
  },
  'numeric.precision.mapping': {
    type: 'boolean',
    default: false,
    importance: 'low',
    group: 'Mode',
    doc: 'Deprecated (Confluent\'s older key): true reads as `numeric.mapping=precision_only` when `numeric.mapping` is unset.',
  },
  'timestamp.granularity': {
    type: 'string',
    default: 'connect_logical',
    validate: oneOf(...TIMESTAMP_GRANULARITIES),
    importance: 'low',
    group: 'Mode',
    doc: 'How timestamp columns are represented, as in Confluent\'s connector: `connect_logical` Connect\'s Timestamp (milliseconds); `nanos_long` INT64 nanoseconds since the epoch; `nanos_string` the same as a STRING; `nanos_iso_datetime_string` a STRING `yyyy-MM-ddTHH:mm:ss.nnnnnnnnn`, the wall-clock time in `db.timezone`. Sluice adds `micros_logical`: timestamp columns as INT64 microseconds since the epoch named `io.debezium.time.MicroTimestamp`, and time columns as INT64 microseconds since midnight named `io.debezium.time.MicroTime`, which the JDBC sink writes back with their microseconds.',
  },
  'db.timezone': {
    type: 'string',
    default: 'UTC',
    validate: validTimeZone,
    importance: 'medium',
    group: 'Mode',
    doc: 'The time zone of the wall-clock time in timestamp columns without a time zone (PostgreSQL `timestamp`, MySQL `DATETIME`): their values, and the bounds and offsets of the timestamp modes, are the instants those times stand for in this zone (in a fall-back hour the earlier one). Columns with a time zone (`timestamptz`, MySQL `TIMESTAMP`) hold instants and are not affected.',
  },
  'table.whitelist': { type: 'list', default: [], importance: 'medium', group: 'Database', doc: 'Tables to read, by name or `schema.name`; empty reads every table. Not with `table.blacklist`.' },
  'table.blacklist': { type: 'list', default: [], importance: 'medium', group: 'Database', doc: 'Tables not to read, by name or `schema.name`. Not with `table.whitelist`.' },
  'table.include.list': { type: 'list', default: [], importance: 'medium', group: 'Database', doc: 'Regular expressions matched against the whole `schema.table` name of tables to read; takes precedence over `table.whitelist`.' },
  'table.exclude.list': { type: 'list', default: [], importance: 'medium', group: 'Database', doc: 'Regular expressions matched against the whole `schema.table` name of tables not to read; needs `table.include.list`.' },
  'topic.prefix': { type: 'string', default: '', importance: 'high', group: 'Connector', doc: 'Prefix of the topic names: a table\'s records go to prefix + the table\'s name (unqualified).' },
  'poll.interval.ms': { type: 'int', default: 5000, validate: atLeast(0), importance: 'high', group: 'Connector', doc: 'Milliseconds between two reads of the same table.' },
  'table.poll.interval.ms': { type: 'long', default: 60000, validate: atLeast(0), importance: 'low', group: 'Connector', doc: 'Milliseconds between two listings of the tables; a change in the selected tables reconfigures the tasks. 0 lists them only at start.' },
  'batch.max.rows': { type: 'int', default: 1000, validate: atLeast(1), importance: 'low', group: 'Connector', doc: 'Rows returned per poll of one table; a table\'s read continues over several polls, so no table is ever held in memory whole.' },
} as const;

export const sourceConfig = defineConfig({ ...connectionConfig, ...source });

/** The task's spec: the connector's keys plus `tables`, a JSON array of `{schema, name}`. */
export const sourceTaskConfig = defineConfig({
  ...connectionConfig,
  ...source,
  tables: { type: 'string', importance: 'high', doc: 'Set by the connector: the tables this task reads, as a JSON array of `{"schema","name"}`.' },
});

export type SourceConfig = ConfigOf<typeof sourceConfig>;
export type SourceTaskConfig = ConfigOf<typeof sourceTaskConfig>;

/** `mode` as the code compares it: the validator accepts any case. */
export function modeOf(config: Pick<SourceConfig, 'mode'>): Mode {
  return config.mode.toLowerCase() as Mode;
}

/** The query of query mode, from `query` or `query.masked`; '' reads tables. */
export function queryOf(config: Pick<SourceConfig, 'query' | 'query.masked'>): string {
  return config.query !== '' ? config.query : (config['query.masked']?.reveal() ?? '');
}

/** `numeric.mapping`, lower case; unset, `precision_only` when the deprecated `numeric.precision.mapping` is true (as Confluent's). */
export function numericMappingOf(config: Pick<SourceConfig, 'numeric.mapping' | 'numeric.precision.mapping'>): string {
  return config['numeric.mapping']?.toLowerCase() ?? (config['numeric.precision.mapping'] ? 'precision_only' : 'none');
}

/** Rules between keys, which a single key's validator cannot see. */
export function checkSourceConfig(config: SourceConfig): void {
  const mode = modeOf(config);
  if (mode === 'incrementing' && config['incrementing.column.name'] === '') {
    throw configError('incrementing.column.name', 'is required in `incrementing` mode');
  }
  if (mode.startsWith('timestamp') && config['timestamp.column.name'].length === 0) {
    throw configError('timestamp.column.name', `is required in \`${mode}\` mode`);
  }
  if (mode === 'timestamp+incrementing' && config['incrementing.column.name'] === '') {
    throw configError('incrementing.column.name', 'is required in `timestamp+incrementing` mode');
  }
  if (config.query !== '' && (config['query.masked']?.reveal() ?? '') !== '') {
    throw configError('query.masked', 'cannot be used together with `query`: set one of them');
  }
  if (config['table.whitelist'].length > 0 && config['table.blacklist'].length > 0) {
    throw configError('table.blacklist', 'cannot be used together with `table.whitelist`');
  }
  if (config['table.exclude.list'].length > 0 && config['table.include.list'].length === 0) {
    throw configError('table.exclude.list', 'needs `table.include.list`');
  }
  for (const key of ['table.include.list', 'table.exclude.list'] as const) {
    for (const pattern of config[key]) {
      try {
        new RegExp(pattern);
      } catch {
        throw configError(key, `\`${pattern}\` is not a regular expression`);
      }
    }
  }
}

/** `timestamp.granularity` and `db.timezone` of a config. */
export function temporalOf(config: SourceConfig): TemporalOptions {
  return { granularity: config['timestamp.granularity'].toLowerCase() as TimestampGranularity, timeZone: config['db.timezone'] };
}
