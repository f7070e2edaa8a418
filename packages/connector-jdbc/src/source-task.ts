// Reads a task's tables (or its one query) in turn: each read is an open cursor handing over
// `batch.max.rows` rows per poll, and a table is read again `poll.interval.ms` after its previous read ended.
import { Struct, sourceRecord } from '@sluice/core';
import type { OffsetMap, SourceRecord, SourceTask, SourceTaskContext } from '@sluice/core';
import { connectionSettings } from './connection-config.ts';
import type { Database, Row } from './database.ts';
import { epochMicros, textOf, timestampMicros, valueOfKind } from './dialect/column-types.ts';
import type { TemporalOptions } from './dialect/column-types.ts';
import type { BoundSql, TableId } from './dialect/dialect.ts';
import { INCREMENTING_FIELD, criteria, offsetOf } from './read-position.ts';
import type { Position } from './read-position.ts';
import { modeOf, queryOf, temporalOf } from './source-config.ts';
import type { Mode, SourceTaskConfig } from './source-config.ts';
import { SourceConnection } from './source-connection.ts';
import type { ConnectFn } from './source-connection.ts';
import { SOURCE_APPLICATION, TransactionGuard } from './source-guard.ts';
import { createQuerier } from './source-querier.ts';
import { readAhead } from './source-read-ahead.ts';
import type { Querier, ReadSource } from './source-querier.ts';

/** How long an idle `poll` waits before returning `null`, so the runtime gets control back. */
const IDLE_MS = 1000;
/**
 * The first wait before a table held back by open transactions is looked at again; it doubles up
 * to `poll.interval.ms`. Above 100 ms, so that MySQL/MariaDB refresh innodb_trx in between.
 */
const FIRST_RETRY_MS = 120;

/** What a table's next read is: a query, nothing to read yet, or a wait for open transactions. */
type Next = BoundSql | 'nothing' | 'wait';

/** Test seam: how the task opens its connections. */
export interface JdbcSourceTaskOptions {
  readonly connect?: ConnectFn;
}

export class JdbcSourceTask implements SourceTask<SourceTaskConfig> {
  readonly #connect: ConnectFn | undefined;
  #connection: SourceConnection | null = null;
  /** The open connection; null while it is gone (an outage), until {@link SourceConnection.restore} brings it back. */
  #db: Database | null = null;
  #mode: Mode = 'bulk';
  #config: SourceTaskConfig | null = null;
  #queriers: Querier[] = [];
  #turn = 0;
  #guard: TransactionGuard | null = null;
  #temporal: TemporalOptions | null = null;

  constructor(options: JdbcSourceTaskOptions = {}) {
    this.#connect = options.connect;
  }

  async start(config: SourceTaskConfig, ctx: SourceTaskContext): Promise<void> {
    this.#config = config;
    this.#mode = modeOf(config);
    this.#temporal = temporalOf(config);
    const tables = JSON.parse(config.tables) as TableId[];
    const query = queryOf(config);
    const sources: ReadSource[] = query === '' ? tables.map((table) => ({ table })) : [{ query }];
    const settings = connectionSettings(config);
    this.#connection = new SourceConnection(settings, { applicationName: SOURCE_APPLICATION }, ctx.logger, this.#connect);
    this.#db = await this.#connection.open();
    try {
      if (config['transaction.wait.enabled'] && this.#mode !== 'bulk') this.#guard = await TransactionGuard.open(this.#db, ctx.logger, settings.credentials.user ?? '(default)');
      const setup = { db: this.#db, config, mode: this.#mode, ctx, initialTimestamp: () => this.#initialTimestamp(), firstRetryMs: FIRST_RETRY_MS };
      for (const source of sources) this.#queriers.push(await createQuerier(source, setup));
    } catch (error) {
      // a task that fails to start leaves no connection behind
      await this.stop();
      throw error;
    }
    ctx.logger.info(`JDBC source task reads ${this.#queriers.map((q) => q.name).join(', ')} in ${this.#mode} mode`);
  }

  /** `timestamp.initial` in microseconds: the epoch when unset, the database's time for -1. */
  async #initialTimestamp(): Promise<bigint> {
    const initial = this.#config!['timestamp.initial'];
    if (initial === null) return 0n;
    return initial === -1 ? this.#dbNow() : BigInt(initial) * 1000n;
  }

  async #dbNow(): Promise<bigint> {
    const [row] = await this.#db!.query({ sql: this.#db!.dialect.currentTimeSql(), params: [] });
    return epochMicros(textOf(row?.now, 'now'), 'now');
  }

  /**
   * The next batch, or null when nothing is new within a second. A lost connection (the server
   * stopped, the session killed) is dropped with any open read, and each table reads on from the
   * last rows handed over once a new connection is had: rows may come twice, none is lost.
   */
  async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + IDLE_MS;
    try {
      if (this.#db === null && !(await this.#reconnect(deadline, signal))) return null;
      return await this.#pollTables(deadline, signal);
    } catch (error) {
      if (!this.#connection!.lost(error)) throw error;
      this.#dropped();
      return null;
    }
  }

  /** Waits (until `deadline` at most) for the next try to reconnect and makes it; whether the connection is back. */
  async #reconnect(deadline: number, signal: AbortSignal): Promise<boolean> {
    const connection = this.#connection!;
    const wait = Math.min(connection.nextTryAt, deadline) - Date.now();
    if (wait > 0) await sleep(wait, signal);
    const db = signal.aborted ? null : await connection.restore();
    if (db === null) return false;
    this.#db = db;
    this.#guard?.useDatabase(db);
    return true;
  }

  /**
   * After the connection was lost: open reads are gone with it, and each table goes back to the
   * position of the last record handed over whose offset is complete (in timestamp mode, rows
   * sharing the last timestamp are read again), to be read again as soon as the connection is back.
   */
  #dropped(): void {
    this.#db = null;
    for (const querier of this.#queriers) {
      querier.reader = null;
      querier.ahead = [];
      querier.position = querier.safe;
      querier.settled = undefined;
      querier.retryMs = FIRST_RETRY_MS;
      querier.nextReadAt = 0;
    }
  }

  async #pollTables(deadline: number, signal: AbortSignal): Promise<SourceRecord[] | null> {
    // every table read once without a row: nothing new right now, give the runtime control back
    let emptyReads = 0;
    while (!signal.aborted) {
      const now = Date.now();
      const ready = this.#nextReady(now);
      if (ready !== null) {
        const records = await this.#read(ready);
        // a table held back by open transactions is looked at again soon, within this poll if it can
        if (records === null) continue;
        if (records.length > 0) return records;
        if (++emptyReads >= this.#queriers.length) return null;
        continue;
      }
      const wake = Math.min(deadline, ...this.#queriers.map((q) => q.nextReadAt));
      if (wake > deadline || now >= deadline) return null;
      await sleep(Math.max(1, wake - now), signal);
    }
    return null;
  }

  /**
   * The table whose read is open (one connection holds one read at a time), else the next
   * table in turn that is due for a read.
   */
  #nextReady(now: number): Querier | null {
    const open = this.#queriers.find((q) => q.reader !== null);
    if (open !== undefined) return open;
    for (let i = 0; i < this.#queriers.length; i++) {
      const querier = this.#queriers[(this.#turn + i) % this.#queriers.length]!;
      if (querier.nextReadAt <= now) {
        this.#turn = (this.#turn + i + 1) % this.#queriers.length;
        return querier;
      }
    }
    return null;
  }

  /** The next batch of `querier`'s table; null while open transactions hold it back. */
  async #read(querier: Querier): Promise<SourceRecord[] | null> {
    const db = this.#db!;
    if (querier.reader === null) {
      const next = await this.#next(querier);
      if (next === 'wait') {
        // with jitter, so the retries do not keep meeting another session that reads innodb_trx on a fixed period
        querier.nextReadAt = Date.now() + querier.retryMs + Math.floor((Math.random() * querier.retryMs) / 2);
        querier.retryMs = Math.min(querier.retryMs * 2, Math.max(FIRST_RETRY_MS, this.#config!['poll.interval.ms']));
        return null;
      }
      querier.retryMs = FIRST_RETRY_MS;
      if (next === 'nothing') {
        querier.nextReadAt = Date.now() + this.#config!['poll.interval.ms'];
        return [];
      }
      querier.reader = readAhead(await db.read(next));
    }
    const max = this.#config!['batch.max.rows'];
    // one row read ahead, so the batch's last row knows whether the next one shares its timestamp
    const read = await querier.reader.next(max + 1 - querier.ahead.length);
    const fetched = querier.ahead.length === 0 ? read : querier.ahead.concat(read);
    const exhausted = fetched.length <= max;
    const rows = exhausted ? fetched : fetched.slice(0, max);
    querier.ahead = exhausted ? [] : fetched.slice(max);
    if (exhausted) {
      await querier.reader.close();
      querier.reader = null;
      querier.nextReadAt = Date.now() + this.#config!['poll.interval.ms'];
    }
    const records = new Array<SourceRecord>(rows.length);
    if (this.#mode === 'bulk') {
      for (let i = 0; i < rows.length; i++) records[i] = this.#record(querier, rows[i]!, null);
      return records;
    }
    if (this.#mode === 'incrementing') {
      // every row's position is complete: its own offset
      const column = this.#config!['incrementing.column.name'];
      let incrementing = querier.position.incrementing;
      for (let i = 0; i < rows.length; i++) {
        incrementing = BigInt(rows[i]![column] as string | number | bigint);
        records[i] = this.#record(querier, rows[i]!, { [INCREMENTING_FIELD]: incrementing });
      }
      if (rows.length > 0) querier.position = querier.safe = { incrementing, timestamp: querier.position.timestamp };
      return records;
    }
    const positions = fetched.map((row) => this.#positionOf(querier, row));
    for (let i = 0; i < rows.length; i++) {
      const position = positions[i]!;
      querier.position = position;
      // In timestamp mode a row's timestamp becomes the offset only once every row sharing it has
      // been returned (Confluent PR #1093): a restart at `> timestamp` would skip the others.
      const next = positions[i + 1];
      const complete = this.#mode !== 'timestamp' || next === undefined || next.timestamp > position.timestamp;
      if (complete) querier.safe = position;
      records[i] = this.#record(querier, rows[i]!, offsetOf(this.#mode, querier.safe));
    }
    return records;
  }

  /** The position of a row in the timestamp modes. */
  #positionOf(querier: Querier, row: Row): Position {
    const config = this.#config!;
    const incrementing = this.#mode === 'timestamp+incrementing' ? BigInt(row[config['incrementing.column.name']] as string | number | bigint) : querier.position.incrementing;
    // the first non-NULL of the timestamp columns, as COALESCE picks it
    const column = config['timestamp.column.name'].find((c) => row[c] !== null && row[c] !== undefined);
    if (column === undefined) return { incrementing, timestamp: querier.position.timestamp };
    const kind = querier.columns.find((c) => c.name === column)?.kind;
    return { incrementing, timestamp: timestampMicros(kind?.kind === 'timestamp' ? kind : {}, textOf(row[column], column), `${querier.name}.${column}`, this.#temporal!.timeZone) };
  }

  /**
   * The next read of `querier`'s table. With the guard, the bound is the newest settled mark: the
   * mark's value (the database's clock in the timestamp modes, the column's visible maximum in
   * incrementing mode) is read first, the open transactions after it (see source-guard.ts).
   */
  async #next(querier: Querier): Promise<Next> {
    const db = this.#db!;
    const d = db.dialect;
    const config = this.#config!;
    const timestamps = this.#mode.startsWith('timestamp');
    const now = timestamps ? await this.#dbNow() : 0n;
    let end = now - BigInt(config['timestamp.delay.interval.ms']) * 1000n;
    let upper: bigint | null = null;
    if (this.#guard !== null) {
      const settled = querier.settled ?? (await this.#settle(querier, now));
      querier.settled = undefined;
      if (settled === undefined) {
        this.#guard.warnLongOpen(querier.name, querier.marks.waitingFor());
        return 'wait';
      }
      if (settled === null) return 'nothing';
      if (timestamps) end = end < settled + 1n ? end : settled + 1n;
      else upper = settled;
    }
    const columns = querier.columns.map((c) => d.quoteIdentifier(c.name)).join(', ');
    const where = criteria(d, this.#mode, { incrementing: config['incrementing.column.name'], timestamps: config['timestamp.column.name'] }, querier.position, end, upper, querier.wallZone);
    const suffix = config['query.suffix'] === '' ? '' : ` ${config['query.suffix']}`;
    return { sql: `SELECT ${columns} FROM ${querier.from}${where.sql}${suffix}`, params: where.params };
  }

  /**
   * The newest settled mark of `querier` (undefined: none yet). One list of open transactions
   * serves every table due for a read: each gets a mark first, and keeps what settles for its turn.
   */
  async #settle(querier: Querier, now: bigint): Promise<bigint | null | undefined> {
    const timestamps = this.#mode.startsWith('timestamp');
    const due = this.#queriers.filter((q) => q === querier || (q.reader === null && q.settled === undefined && q.nextReadAt <= Date.now()));
    for (const q of due) q.marks.add(timestamps ? now : await this.#maxIncrementing(q));
    const open = await this.#guard!.openTransactions(due.map((q) => q.name));
    if (open === null) return undefined;
    let mine: bigint | null | undefined;
    for (const q of due) {
      const advance = q.marks.settle(new Set(open.keys()));
      if (!advance.settled) continue;
      if (q === querier) mine = advance.value;
      else q.settled = advance.value;
    }
    return mine;
  }

  /** The highest incrementing value a fresh statement sees, null for an empty table. */
  async #maxIncrementing(querier: Querier): Promise<bigint | null> {
    const d = this.#db!.dialect;
    const [row] = await this.#db!.query({ sql: `SELECT MAX(${d.quoteIdentifier(this.#config!['incrementing.column.name'])}) AS ${d.quoteIdentifier('v')} FROM ${querier.from}`, params: [] });
    const value = row?.v;
    return value === null || value === undefined ? null : BigInt(value as string | number | bigint);
  }

  #record(querier: Querier, row: Row, offset: OffsetMap | null): SourceRecord {
    const value = new Struct(querier.valueSchema);
    const temporal = this.#temporal!;
    // the schemas' own fields: Struct skips the lookup by name
    for (const { column, field, label } of querier.fields) value.put(field, valueOfKind(column.kind, row[column.name], label, temporal));
    let key: Struct | null = null;
    if (querier.key !== null) {
      const { schema, valueFields } = querier.key;
      key = new Struct(schema);
      for (let i = 0; i < valueFields.length; i++) key.put(schema.fields![i]!, value.get(valueFields[i]!));
    }
    return sourceRecord({
      topic: querier.topic,
      sourcePartition: querier.partition,
      sourceOffset: offset,
      key,
      ...(querier.key === null ? {} : { keySchema: querier.key.schema }),
      value,
      valueSchema: querier.valueSchema,
    });
  }

  async stop(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    this.#db = null;
    this.#queriers = [];
    this.#guard = null;
    await connection?.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
