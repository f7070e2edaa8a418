// What a source task reads, table by table (or its one `query`): the columns and schemas, the
// source partition and topic, and where the read stands.
import { SchemaBuilder, dataError } from '@sluice/core';
import type { Field, OffsetMap, Schema, SourceTaskContext } from '@sluice/core';
import type { Database, Row, RowReader } from './database.ts';
import { schemaOfKind } from './dialect/column-types.ts';
import type { ColumnKind } from './dialect/column-types.ts';
import { columnInfo } from './dialect/dialect.ts';
import type { CatalogColumnRow, TableId } from './dialect/dialect.ts';
import { positionOf } from './read-position.ts';
import type { Position } from './read-position.ts';
import { numericMappingOf, temporalOf } from './source-config.ts';
import type { Mode, SourceTaskConfig } from './source-config.ts';
import { SettledMarks } from './source-guard.ts';
import { fullName } from './tables.ts';

/** Confluent's partition protocol (OffsetProtocols). */
const PROTOCOL_V1 = '1';
/** Confluent's source partition in query mode: one constant, so editing the query keeps the offset. */
const QUERY_PARTITION = { query: 'query' };

export interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
}

/** How a column becomes a field of the value: `field` is the value schema's own, `label` names the column in errors. */
export interface ValueField {
  readonly column: Column;
  readonly field: Field;
  readonly label: string;
}

/** A table, or the `query` of query mode. */
export type ReadSource = { readonly table: TableId } | { readonly query: string };

/** One table's (or the query's) read state. */
export interface Querier {
  /** How messages name it: `schema.table`, or `query`. */
  readonly name: string;
  /** What the SELECT reads FROM: the quoted table, or the query as a subquery. */
  readonly from: string;
  readonly topic: string;
  readonly partition: OffsetMap;
  readonly columns: readonly Column[];
  readonly valueSchema: Schema;
  /** The columns in the value schema's order, each with its field. */
  readonly fields: readonly ValueField[];
  /** The primary key; per key field, the field of the value it copies. */
  readonly key: { readonly schema: Schema; readonly columns: readonly Column[]; readonly valueFields: readonly Field[] } | null;
  /**
   * The zone the timestamp columns of the timestamp modes show wall-clock time in (db.timezone),
   * so their bounds are bound as wall-clock times there; null when they hold instants.
   */
  readonly wallZone: string | null;
  /** The last row read, where the next read starts. */
  position: Position;
  /** The position the offset of a record may claim: all rows up to it have been returned. */
  safe: Position;
  reader: RowReader | null;
  /** The row read ahead of the last batch. */
  ahead: Row[];
  nextReadAt: number;
  /** Where reads may go while transactions commit out of order (transaction.wait.enabled). */
  readonly marks: SettledMarks;
  /** The wait before looking again at a table held back by open transactions. */
  retryMs: number;
  /** A settled mark found while another table's read was looked at, for this table's next read. */
  settled: bigint | null | undefined;
}

export interface QuerierSetup {
  readonly db: Database;
  readonly config: SourceTaskConfig;
  readonly mode: Mode;
  readonly ctx: SourceTaskContext;
  /** Where the timestamp modes start without an offset, in microseconds. */
  readonly initialTimestamp: () => Promise<bigint>;
  readonly firstRetryMs: number;
}

export async function createQuerier(source: ReadSource, setup: QuerierSetup): Promise<Querier> {
  const { db, config, mode, ctx } = setup;
  const d = db.dialect;
  const temporal = temporalOf(config);
  const name = 'table' in source ? fullName(source.table) : 'query';
  const what = 'table' in source ? `table \`${name}\`` : 'the query';
  const rows = 'table' in source ? ((await db.query(d.columns(source.table))) as unknown as CatalogColumnRow[]) : await db.describe(source.query);
  const columns: Column[] = [];
  // Confluent names the value schema after the table, and leaves it unnamed in query mode
  const schema = 'table' in source ? SchemaBuilder.struct().name(source.table.name) : SchemaBuilder.struct();
  for (const row of rows) {
    const info = columnInfo(row);
    const classified = d.classify(info);
    // Confluent maps JDBC NUMERIC (PostgreSQL's numeric), never MySQL's DECIMAL
    const kind = classified?.kind === 'decimal' && d.name === 'PostgreSQL' ? mapNumeric(classified, numericMappingOf(config)) : classified;
    if (kind === null) {
      ctx.logger.warn(`column \`${info.name}\` of ${what} has type \`${info.dataType}\`, which has no Connect schema yet; it is left out`);
      continue;
    }
    columns.push({ name: info.name, kind, nullable: info.nullable });
    schema.field(info.name, schemaOfKind(kind, info.nullable, temporal));
  }
  if (columns.length === 0) throw dataError(`${what} has no columns Sluice can read${'table' in source ? ' (or does not exist)' : ''}`);
  const wallZone = checkTrackedColumns(what, columns, config, mode, 'table' in source);
  const key = 'table' in source ? await primaryKey(db, source.table, columns, (kind) => schemaOfKind(kind, false, temporal)) : null;
  let partition: OffsetMap = QUERY_PARTITION;
  let offset: OffsetMap | null;
  if ('table' in source) {
    partition = { table: name, protocol: PROTOCOL_V1 };
    // v1 partitions first, then Confluent's legacy v0 (`{table: name}`), as its task does
    const [v1, v0] = await ctx.offsetReader.offsets([partition, { table: source.table.name }]);
    offset = v1?.offset ?? v0?.offset ?? null;
  } else {
    offset = await ctx.offsetReader.offset(partition);
  }
  const position = positionOf(offset, { incrementing: -1n, timestamp: await setup.initialTimestamp() });
  const valueSchema = schema.build();
  const fields = columns.map((column, i) => ({ column, field: valueSchema.fields![i]!, label: `${name}.${column.name}` }));
  return {
    name,
    from: 'table' in source ? d.qualifiedName(source.table) : `(${source.query}) AS ${d.quoteIdentifier('sluice_query')}`,
    // query mode writes to topic.prefix alone
    topic: 'table' in source ? `${config['topic.prefix']}${source.table.name}` : config['topic.prefix'],
    partition,
    columns,
    valueSchema,
    fields,
    key: key === null ? null : { ...key, valueFields: key.columns.map((c) => fields[columns.indexOf(c)]!.field) },
    wallZone,
    position,
    safe: position,
    reader: null,
    ahead: [],
    nextReadAt: 0,
    marks: new SettledMarks(),
    retryMs: setup.firstRetryMs,
    settled: undefined,
  };
}

/** A numeric(precision, scale) column's kind under `numeric.mapping` (Confluent's GenericDatabaseDialect rules). */
export function mapNumeric(kind: ColumnKind & { kind: 'decimal' }, mapping: string): ColumnKind {
  const { precision, scale } = kind;
  const integer = (): ColumnKind => ({ kind: precision > 9 ? 'int64' : precision > 4 ? 'int32' : precision > 2 ? 'int16' : 'int8' });
  switch (mapping.toLowerCase()) {
    case 'precision_only':
      return scale === 0 && precision <= 18 ? integer() : kind;
    case 'best_fit':
      if (precision > 18) return kind;
      return scale <= 0 ? integer() : { kind: 'float64' };
    case 'best_fit_eager_double':
      if (scale > 0) return { kind: 'float64' };
      return precision <= 18 ? integer() : kind;
    default:
      return kind;
  }
}

async function primaryKey(db: Database, table: TableId, columns: readonly Column[], schemaOf: (kind: ColumnKind) => Schema): Promise<{ schema: Schema; columns: Column[] } | null> {
  const pkNames = (await db.query(db.dialect.primaryKey(table))).map((r) => String(r.name));
  const keyColumns = pkNames.map((name) => columns.find((c) => c.name === name)).filter((c): c is Column => c !== undefined);
  if (keyColumns.length === 0 || keyColumns.length !== pkNames.length) return null;
  return { columns: keyColumns, schema: keyColumns.reduce((b, c) => b.field(c.name, schemaOf(c.kind)), SchemaBuilder.struct().name(`${table.name}.Key`)).build() };
}

/**
 * The incrementing and timestamp columns exist, have the right kind and, for tables, cannot be
 * NULL (validate.non.null). Returns the zone the timestamp columns' bounds are bound in: db.timezone
 * for wall-clock columns, null for columns with a time zone.
 */
function checkTrackedColumns(what: string, columns: readonly Column[], config: SourceTaskConfig, mode: Mode, isTable: boolean): string | null {
  let wallZone: string | null = null;
  if (mode.includes('incrementing')) {
    const inc = columns.find((c) => c.name === config['incrementing.column.name']);
    if (inc === undefined || !['int8', 'int16', 'int32', 'int64'].includes(inc.kind.kind)) {
      throw dataError(`${what}: incrementing column \`${config['incrementing.column.name']}\` ${inc === undefined ? 'does not exist' : 'is not an integer column'}`);
    }
  }
  if (mode.startsWith('timestamp')) {
    for (const name of config['timestamp.column.name']) {
      const ts = columns.find((c) => c.name === name);
      if (ts?.kind.kind !== 'timestamp') {
        throw dataError(`${what}: timestamp column \`${name}\` ${ts === undefined ? 'does not exist' : 'is not a timestamp column'}`);
      }
    }
    const zoned = config['timestamp.column.name'].map((name) => columns.find((c) => c.name === name)!.kind).map((k) => k.kind === 'timestamp' && k.zoned === true);
    const zone = config['db.timezone'];
    // COALESCE of a column with a time zone and one without compares them in the session's zone (UTC)
    if (zoned.includes(true) && zoned.includes(false) && zone !== 'UTC' && zone !== 'Etc/UTC') {
      throw dataError(`${what}: timestamp columns ${config['timestamp.column.name'].map((n) => `\`${n}\``).join(', ')} mix columns with and without a time zone, which cannot be compared in db.timezone \`${zone}\``);
    }
    if (!zoned.includes(true)) wallZone = zone;
  }
  // A query's result does not say whether a column can be NULL; Confluent checks tables only.
  if (config['validate.non.null'] && isTable) {
    const tracked = [...(mode.includes('incrementing') ? [config['incrementing.column.name']] : []), ...(mode.startsWith('timestamp') ? config['timestamp.column.name'] : [])];
    const nullable = tracked.filter((name) => columns.find((c) => c.name === name)?.nullable === true);
    if (nullable.length > 0) {
      throw dataError(
        `${what}: column(s) ${nullable.map((n) => `\`${n}\``).join(', ')} can be NULL, and rows with NULL there would never be read; make them NOT NULL or set validate.non.null=false`,
      );
    }
  }
  return wallZone;
}
