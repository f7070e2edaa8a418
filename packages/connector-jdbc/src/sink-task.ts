// Writes each `put` in one transaction, committed before `put` returns, so the offsets the
// runtime commits afterwards cover durable rows only. A lost connection is retried on a new one
// (max.retries, retry.backoff.ms), a refused login or an unknown database never; a batch with a
// record the database refuses (a data error) is written again record by record, each in a
// savepoint, to find the records that do not fit and report them. Other database failures fail
// the task: they are no record's fault.
import { connectionError, dataError, hasErrorCode, isSluiceError, retriableError } from '@sluice/core';
import type { SinkRecord, SinkTask, SinkTaskContext } from '@sluice/core';
import { connect, isConnectionRefused } from './database.ts';
import type { Credentials, Database } from './database.ts';
import type { BoundSql } from './dialect/dialect.ts';
import { parseJdbcUrl } from './jdbc-url.ts';
import type { JdbcUrl } from './jdbc-url.ts';
import { sinkSettings } from './sink-config.ts';
import type { SinkConfig, SinkSettings } from './sink-config.ts';
import { guessColumn, refusedRecord, unfitRecord } from './sink-errors.ts';
import type { RecordFailure } from './sink-errors.ts';
import { renamedOp, rowOf, segmentsOf, statementGroupsOf, tableNameOf } from './sink-rows.ts';
import type { RowOp } from './sink-rows.ts';
import { MySqlSinkSql } from './sink-sql-mysql.ts';
import { PostgresSinkSql } from './sink-sql-postgres.ts';
import type { RowBatch, SinkSql } from './sink-sql.ts';
import { SinkTables } from './sink-tables.ts';
import type { SinkTable } from './sink-tables.ts';
import { bindValue } from './sink-values.ts';
import type { BindOptions, Bound, SinkColumn } from './sink-values.ts';

/** Test seam: how the task opens its connection. */
export interface JdbcSinkTaskOptions {
  readonly connect?: (url: JdbcUrl, credentials: Credentials) => Promise<Database>;
}

/** One operation bound for its table: the columns it writes (key first) and their values. */
interface BoundOp {
  readonly op: RowOp;
  readonly batch: RowBatch;
}

interface TablePlan {
  readonly table: SinkTable;
  readonly ops: BoundOp[];
}

interface Session {
  readonly db: Database;
  readonly sql: SinkSql;
  readonly tables: SinkTables;
}

const SAVEPOINT = 'sluice_record';

export class JdbcSinkTask implements SinkTask<SinkConfig> {
  readonly #connect: NonNullable<JdbcSinkTaskOptions['connect']>;
  #settings: SinkSettings | null = null;
  #url: JdbcUrl | null = null;
  #credentials: Credentials = { user: null, password: null };
  #ctx: SinkTaskContext | null = null;
  #session: Session | null = null;
  #retriesLeft = 0;

  constructor(options: JdbcSinkTaskOptions = {}) {
    this.#connect = options.connect ?? connect;
  }

  async start(config: SinkConfig, ctx: SinkTaskContext): Promise<void> {
    this.#settings = sinkSettings(config);
    this.#url = parseJdbcUrl(config['connection.url']);
    this.#credentials = { user: config['connection.user'], password: config['connection.password']?.reveal() ?? null };
    this.#ctx = ctx;
    this.#retriesLeft = this.#settings.maxRetries;
    try {
      await this.#open();
    } catch (error) {
      if (!this.#transient(error)) throw this.#refusal(error) ?? error;
      // the database may be back by the first put, which reconnects max.retries times
      ctx.logger.warn(`JDBC sink: cannot connect yet (${this.#reason(error)}); the first put tries again, up to max.retries=${this.#settings.maxRetries} times`);
    }
    ctx.logger.info(`JDBC sink task writes to ${this.#url.dialect} at ${this.#url.host}:${this.#url.port} in ${this.#settings.insertMode} mode, pk.mode=${this.#settings.pkMode}`);
  }

  async #open(): Promise<Session> {
    const db = await this.#connect(this.#url!, this.#credentials);
    try {
      const sql = this.#url!.dialect === 'postgresql' ? new PostgresSinkSql(db.dialect) : new MySqlSinkSql(db.dialect);
      const versionSql = sql.serverVersionSql();
      if (versionSql !== null && sql instanceof MySqlSinkSql) {
        const [row] = await db.query({ sql: versionSql, params: [] });
        sql.serverVersion(typeof row?.version === 'string' ? row.version : '');
      }
      for (const statement of sql.sessionSql()) await db.query({ sql: statement, params: [] });
      const [current] = await db.query({ sql: db.dialect.currentSchemaSql(), params: [] });
      const schema = current?.schema;
      if (typeof schema !== 'string') throw connectionError('the connection has no current database: name one in connection.url (`jdbc:mysql://host:3306/database`)');
      this.#session = { db, sql, tables: new SinkTables(db, sql, this.#settings!, this.#ctx!.logger, schema) };
      return this.#session;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }

  async put(records: SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const settings = this.#settings!;
    try {
      const session = this.#session ?? (await this.#open());
      await this.#write(session, records);
      this.#retriesLeft = settings.maxRetries;
    } catch (error) {
      if (!this.#transient(error)) throw this.#refusal(error) ?? this.#failed(error, records.length);
      const reason = this.#reason(error);
      await this.#drop();
      if (this.#retriesLeft <= 0) {
        throw connectionError(`JDBC sink: writing ${records.length} record(s) failed after max.retries=${settings.maxRetries} retries: ${reason}`, { cause: error });
      }
      this.#retriesLeft--;
      this.#ctx!.timeout(settings.retryBackoffMs);
      throw retriableError(`JDBC sink: writing ${records.length} record(s) failed (${reason}); retrying on a new connection in ${settings.retryBackoffMs} ms (${this.#retriesLeft} retries left)`, { cause: error });
    }
  }

  #transient(error: unknown): boolean {
    if (isConnectionRefused(error)) return false;
    if (isSluiceError(error)) return hasErrorCode(error, 'CONNECTION');
    return this.#session === null || this.#session.sql.failure(error).kind === 'transient';
  }

  /**
   * A database failure that is neither transient nor a record's (a privilege, a full disk, a
   * trigger's exception) as the task's failure: retrying would not mend it, and reporting the
   * records as errant would commit their offsets with nothing written.
   */
  #failed(error: unknown, count: number): unknown {
    if (isSluiceError(error) || this.#session === null) return error;
    return connectionError(`JDBC sink: writing ${count} record(s) failed, and not for anything in the records: ${this.#session.sql.failure(error).reason}`, { cause: error });
  }

  /** A refused login or an unknown database as the task's failure, or null for other errors: no retry mends them. */
  #refusal(error: unknown): Error | null {
    if (!isConnectionRefused(error)) return null;
    return connectionError(`JDBC sink: ${(error as Error).message}; not retried: check connection.user, connection.password and the database in connection.url`, { cause: error });
  }

  #reason(error: unknown): string {
    if (isSluiceError(error) || this.#session === null) return (error as Error).message;
    return this.#session.sql.failure(error).reason;
  }

  async #drop(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    // the connection is broken already; closing it only frees the socket
    await session?.db.close().catch(() => undefined);
  }

  async #write(session: Session, records: readonly SinkRecord[]): Promise<void> {
    const settings = this.#settings!;
    const failures: RecordFailure[] = [];
    const byTable = new Map<string, RowOp[]>();
    for (const record of records) {
      const name = tableNameOf(settings.tableNameFormat, record.topic);
      try {
        const op = settings.quoteIdentifiers ? rowOf(record, settings) : foldedOp(rowOf(record, settings), session.sql);
        const ops = byTable.get(name);
        if (ops === undefined) byTable.set(name, [op]);
        else ops.push(op);
      } catch (error) {
        if (!hasErrorCode(error, 'DATA')) throw error;
        failures.push({ record, error: unfitRecord(record, name, error) });
      }
    }
    const plans: TablePlan[] = [];
    for (const [name, ops] of byTable) {
      let prepared;
      try {
        prepared = await session.tables.prepare(name, ops);
      } catch (error) {
        // a missing table, or DDL the database refused for a value (a default): every record of the table is refused with it
        const data = hasErrorCode(error, 'DATA');
        if (!data && (isSluiceError(error) || session.sql.failure(error).kind !== 'data')) throw error;
        const refusal = data ? error : dataError(`creating or altering the table failed: ${session.sql.failure(error).reason}`, { cause: error });
        for (const op of ops) failures.push({ record: op.record, error: unfitRecord(op.record, name, refusal) });
        continue;
      }
      const { table, unfit } = prepared;
      const plan: TablePlan = { table, ops: [] };
      const options: BindOptions = { ...session.sql.bindOptions, timeZone: settings.timeZone };
      const columnSets = new Map<string, SinkColumn[]>();
      for (const op of ops) {
        const refused = unfit.get(op);
        if (refused !== undefined) {
          failures.push({ record: op.record, error: unfitRecord(op.record, table.display, refused) });
          continue;
        }
        try {
          plan.ops.push({ op, batch: this.#bind(table, op, options, columnSets) });
        } catch (error) {
          if (!hasErrorCode(error, 'DATA')) throw error;
          failures.push({ record: op.record, error: unfitRecord(op.record, table.display, error) });
        }
      }
      plans.push(plan);
    }
    // Without a reporter a record that does not fit fails the task before anything is written.
    if (failures.length > 0 && this.#ctx!.errantRecordReporter === undefined) throw failures[0]!.error;
    const statements = this.#setStatements(session.sql, plans);
    try {
      // a single statement is a transaction of its own (autocommit): no BEGIN and COMMIT round trips
      if (statements.length === 1) await session.sql.write(session.db, statements[0]!);
      else if (statements.length > 1) await this.#transaction(session, async () => {
        for (const statement of statements) await session.sql.write(session.db, statement);
      });
    } catch (error) {
      if (this.#transient(error) || session.sql.failure(error).kind !== 'data') throw error;
      // the database refused a record of the batch: find the records it refuses, one savepoint each
      session.tables.forget();
      failures.push(...(await this.#writeOneByOne(session, plans, new Map(records.map((r, i) => [r, i])))));
    }
    for (const failure of failures) await this.#ctx!.errantRecordReporter!.report(failure.record, failure.error);
  }

  /** `op`'s row; `columnSets` holds the table's columns per {@link RowOp.columns} seen so far. */
  #bind(table: SinkTable, op: RowOp, options: BindOptions, columnSets: Map<string, SinkColumn[]>): RowBatch {
    let columns = columnSets.get(op.columns);
    if (columns === undefined) {
      columns = [...op.key.keys(), ...op.values.keys()].map((name) => table.columns.get(name)!);
      columnSets.set(op.columns, columns);
    }
    const row: Bound[] = [];
    for (const field of op.key.values()) row.push(bindValue(columns[row.length]!, field, options));
    for (const field of op.values.values()) row.push(bindValue(columns[row.length]!, field, options));
    return { columns, keyCount: op.key.size, rows: [row] };
  }

  async #transaction(session: Session, body: () => Promise<void>): Promise<void> {
    await session.db.query({ sql: 'BEGIN', params: [] });
    try {
      await body();
      await session.db.query({ sql: 'COMMIT', params: [] });
    } catch (error) {
      await session.db.query({ sql: 'ROLLBACK', params: [] }).catch(() => undefined);
      throw error;
    }
  }

  /** Every table's operations as set statements, in the order they run: per segment, deletes then writes by column set. */
  #setStatements(sql: SinkSql, plans: readonly TablePlan[]): BoundSql[] {
    const settings = this.#settings!;
    const statements: BoundSql[] = [];
    for (const plan of plans) {
      const bound = new Map(plan.ops.map((b) => [b.op, b.batch]));
      for (const segment of segmentsOf(plan.ops.map((b) => b.op), settings.insertMode)) {
        const { deletes, writes } = statementGroupsOf(segment);
        if (deletes.length > 0) {
          const first = bound.get(deletes[0]!)!;
          const batch: RowBatch = { columns: first.columns.slice(0, first.keyCount), keyCount: first.keyCount, rows: deletes.map((op) => bound.get(op)!.rows[0]!.slice(0, first.keyCount)) };
          statements.push(...sql.delete(plan.table.id, batch, settings.batchSize));
        }
        for (const group of writes) {
          const first = bound.get(group[0]!)!;
          const batch: RowBatch = { columns: first.columns, keyCount: first.keyCount, rows: group.map((op) => bound.get(op)!.rows[0]!) };
          statements.push(...this.#writeStatements(sql, plan.table, batch));
        }
      }
    }
    return statements;
  }

  #writeStatements(sql: SinkSql, table: SinkTable, batch: RowBatch) {
    const settings = this.#settings!;
    switch (settings.insertMode) {
      case 'insert':
        return sql.insert(table.id, batch, settings.batchSize, false);
      case 'upsert':
        return sql.insert(table.id, batch, settings.batchSize, true);
      case 'update':
        // nothing but the key: an UPDATE would have nothing to set
        return batch.columns.length === batch.keyCount ? [] : sql.update(table.id, batch, settings.batchSize);
    }
  }

  /**
   * The batch again in record order, each record in a savepoint: the refused ones are rolled
   * back to it and returned, the others committed — unless there is no reporter, in which case
   * the first refusal fails the task and nothing is committed. A failure that is not a data
   * error fails the whole pass, so a database failing every record is never read as every
   * record being errant.
   */
  async #writeOneByOne(session: Session, plans: readonly TablePlan[], positions: ReadonlyMap<SinkRecord, number>): Promise<RecordFailure[]> {
    const failures: RecordFailure[] = [];
    const ordered = plans.flatMap((plan) => plan.ops.map((b) => ({ plan, ...b }))).sort((a, b) => positions.get(a.op.record)! - positions.get(b.op.record)!);
    await this.#transaction(session, async () => {
      for (const { plan, op, batch } of ordered) {
        await session.db.query({ sql: `SAVEPOINT ${SAVEPOINT}`, params: [] });
        try {
          const statements = op.kind === 'delete' ? session.sql.delete(plan.table.id, { columns: batch.columns.slice(0, batch.keyCount), keyCount: batch.keyCount, rows: [batch.rows[0]!.slice(0, batch.keyCount)] }, 1) : this.#writeStatements(session.sql, plan.table, batch);
          for (const statement of statements) await session.sql.write(session.db, statement);
          await session.db.query({ sql: `RELEASE SAVEPOINT ${SAVEPOINT}`, params: [] });
        } catch (error) {
          const failure = session.sql.failure(error);
          // not the record's fault: the whole batch fails (rolled back), none of it reported
          if (failure.kind !== 'data') throw error;
          await session.db.query({ sql: `ROLLBACK TO SAVEPOINT ${SAVEPOINT}`, params: [] });
          const column = failure.column ?? guessColumn(failure.reason, batch.columns, batch.rows[0]!);
          const refused = refusedRecord(op.record, plan.table.display, failure, column, error);
          if (this.#ctx!.errantRecordReporter === undefined) throw refused;
          failures.push({ record: op.record, error: refused });
        }
      }
    });
    return failures;
  }

  async stop(): Promise<void> {
    await this.#drop();
  }
}

/** `op` with its column names folded as the database folds unquoted names (`quote.sql.identifiers=never`). */
function foldedOp(op: RowOp, sql: SinkSql): RowOp {
  return renamedOp(op, (name) => sql.foldIdentifier(name));
}
