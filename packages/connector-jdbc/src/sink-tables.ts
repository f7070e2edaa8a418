// The destination tables as the sink sees them: read from the catalog and cached, read again
// when a batch has a field the cached table lacks, created (auto.create) or given new columns
// (auto.evolve) before the batch's transaction opens — MySQL commits any open transaction on DDL.
import { dataError } from '@sluice/core';
import type { Logger } from '@sluice/core';
import type { Database } from './database.ts';
import type { TableId } from './dialect/dialect.ts';
import type { SinkSettings } from './sink-config.ts';
import { newColumnsOf } from './sink-columns.ts';
import type { RowOp } from './sink-rows.ts';
import type { SinkSql } from './sink-sql.ts';
import type { SinkColumn } from './sink-values.ts';

export interface SinkTable {
  readonly id: TableId;
  /** `schema.table`, for messages. */
  readonly display: string;
  readonly columns: ReadonlyMap<string, SinkColumn>;
}

/** A table ready for a batch, and the operations that cannot be written to it, with why. */
export interface PreparedTable {
  readonly table: SinkTable;
  readonly unfit: ReadonlyMap<RowOp, Error>;
}

export class SinkTables {
  readonly #db: Database;
  readonly #sql: SinkSql;
  readonly #settings: SinkSettings;
  readonly #logger: Logger;
  readonly #defaultSchema: string;
  readonly #cache = new Map<string, SinkTable>();

  constructor(db: Database, sql: SinkSql, settings: SinkSettings, logger: Logger, defaultSchema: string) {
    this.#db = db;
    this.#sql = sql;
    this.#settings = settings;
    this.#logger = logger;
    this.#defaultSchema = defaultSchema;
  }

  /** A formatted table name as a table: `schema.table` or `table` in the connection's schema. */
  tableId(name: string): TableId {
    const fold = (part: string) => (this.#settings.quoteIdentifiers ? part : this.#sql.foldIdentifier(part));
    const parts = name.split('.');
    const table = fold(parts.at(-1)!);
    return { schema: parts.length > 1 ? fold(parts.at(-2)!) : this.#defaultSchema, name: table };
  }

  /** Forgets what was read, so the next batch reads the catalog again (after a failure). */
  forget(): void {
    this.#cache.clear();
  }

  async #read(id: TableId): Promise<SinkTable | null> {
    const rows = await this.#db.query(this.#sql.catalogColumns(id));
    if (rows.length === 0) return null;
    const columns = new Map(rows.map((row) => this.#sql.sinkColumn(row)).map((c) => [c.name, c]));
    return { id, display: `${id.schema}.${id.name}`, columns };
  }

  /**
   * The table the operations go to, created or evolved as the config allows. A missing table
   * without auto.create is a `DATA` error naming it; a field without a column marks the
   * operations that have it as unfit.
   */
  async prepare(name: string, ops: readonly RowOp[]): Promise<PreparedTable> {
    const id = this.tableId(name);
    const display = `${id.schema}.${id.name}`;
    const cached = this.#cache.get(name);
    let table: SinkTable = cached ?? (await this.#read(id)) ?? (await this.#create(id, display, ops));
    const unfit = new Map<RowOp, Error>();
    // one operation of each column set stands for the others
    const shapes = new Map<string, RowOp>();
    for (const op of ops) if (!shapes.has(op.columns)) shapes.set(op.columns, op);
    const names = new Set<string>();
    for (const op of shapes.values()) for (const name of [...op.key.keys(), ...op.values.keys()]) names.add(name);
    let missing = [...names].filter((c) => !table.columns.has(c));
    if (missing.length > 0 && cached !== undefined) {
      // the columns may have been added since the table was read: by a DBA, or by another task's auto.evolve
      table = (await this.#read(id)) ?? table;
      missing = missing.filter((c) => !table.columns.has(c));
    }
    const refused = new Map<string, string>();
    if (missing.length > 0 && this.#settings.autoEvolve) {
      for (const column of newColumnsOf(missing, ops, new Set(), display)) {
        if (!column.optional && (column.defaultValue === undefined || column.defaultValue === null || this.#sql.defaultLiteral(column.defaultValue, column.type) === null)) {
          refused.set(column.name, `field \`${column.name}\` is required and has no default this database takes, so auto.evolve cannot add it to table \`${display}\`: make the field optional or give it a default`);
          continue;
        }
        await this.#ddl(this.#sql.addColumn(id, column), async () => (await this.#read(id))?.columns.has(column.name) === true);
        this.#logger.info(`JDBC sink: added column \`${column.name}\` (${this.#sql.sqlType(column.type, false)}) to table \`${display}\``);
      }
      table = (await this.#read(id)) ?? table;
    }
    const columns = table.columns;
    const absentOf = new Map<string, string>();
    for (const [id, op] of shapes) {
      const absent = [...op.key.keys(), ...op.values.keys()].find((c) => !columns.has(c));
      if (absent !== undefined) absentOf.set(id, absent);
    }
    for (const op of absentOf.size === 0 ? [] : ops) {
      const absent = absentOf.get(op.columns);
      if (absent === undefined) continue;
      const reason = refused.get(absent) ?? `table \`${display}\` has no column \`${absent}\`; auto.evolve=true would add it`;
      unfit.set(op, dataError(reason, { context: { column: absent } }));
    }
    this.#cache.set(name, table);
    return { table, unfit };
  }

  /** Runs DDL; a failure is fine when `done` says another task made the same change meanwhile. */
  async #ddl(sql: string, done: () => Promise<boolean>): Promise<void> {
    try {
      await this.#db.query({ sql, params: [] });
    } catch (error) {
      if (this.#sql.failure(error).kind === 'transient' || !(await done())) throw error;
    }
  }

  async #create(id: TableId, display: string, ops: readonly RowOp[]): Promise<SinkTable> {
    if (!this.#settings.autoCreate) throw dataError(`table \`${display}\` does not exist; auto.create=true would create it`, { context: { table: display } });
    const writes = ops.filter((op) => op.kind === 'write');
    if (writes.length === 0) throw dataError(`table \`${display}\` does not exist and the batch only deletes from it, so it has no columns to create it with`, { context: { table: display } });
    const keys = [...writes[0]!.key.keys()];
    const names = [...new Set(writes.flatMap((op) => [...op.key.keys(), ...op.values.keys()]))];
    const columns = newColumnsOf(names, writes, new Set(keys), display);
    await this.#ddl(this.#sql.createTable(id, columns, keys), async () => (await this.#read(id)) !== null);
    this.#logger.info(`JDBC sink: created table \`${display}\` with ${columns.length} column(s)${keys.length > 0 ? `, primary key (${keys.join(', ')})` : ''}`);
    const created = await this.#read(id);
    if (created === null) throw dataError(`table \`${display}\` was created but cannot be found in the catalog`);
    return created;
  }
}
