// The guard against transactions that commit out of order (Confluent #27, #915, #1015, #172):
// a read goes only up to a "settled mark", a value no transaction still open can write below.
// The argument is in the package README ("Rows committed out of order").
import type { Logger } from '@sluice/core';
import type { Database } from './database.ts';

/** The `application_name` of the source's PostgreSQL sessions, whose read transactions the guard leaves out. */
export const SOURCE_APPLICATION = 'sluice-jdbc-source';
/** How long a transaction may hold a table's reads back before the task says which session it is. */
export const LONG_OPEN_MS = 30_000;

/**
 * How many answers in a row from a stale innodb_trx cache before the task says which tables it
 * holds back and why (about 30 s with the default poll.interval.ms).
 */
export const STALE_WARN_AFTER = 10;

export interface OpenTransaction {
  readonly label: string;
  readonly ageMs: number;
}

/** A value of the tracked column read at one moment, and the transactions open after it (null until looked at). */
interface Mark {
  readonly value: bigint | null;
  open: Set<string> | null;
}

export type Advance = { readonly settled: false } | { readonly settled: true; readonly value: bigint | null };

/**
 * One table's marks. A mark is settled once every transaction open after its value was read has
 * ended; reads go up to the value of the newest settled mark. Pure logic: the caller reads the
 * value ({@link add}), then the open transactions ({@link settle}), in that order.
 */
export class SettledMarks {
  #pending: Mark[] = [];

  /** A mark with `value`, read just now. */
  add(value: bigint | null): void {
    this.#pending.push({ value, open: null });
  }

  /**
   * The transactions `open`, listed as they were after every mark added so far was read: they
   * become the open set of marks that have none yet, and end those no longer in it. Returns the
   * newest settled value, if any.
   */
  settle(open: ReadonlySet<string>): Advance {
    for (const mark of this.#pending) {
      if (mark.open === null) {
        mark.open = new Set(open);
      } else {
        for (const session of mark.open) if (!open.has(session)) mark.open.delete(session);
      }
    }
    const newest = this.#pending.findLastIndex((m) => m.open?.size === 0);
    let result: Advance = { settled: false };
    if (newest >= 0) {
      result = { settled: true, value: this.#pending[newest]!.value };
      this.#pending = this.#pending.slice(newest + 1);
    }
    // a mark settles no earlier than a newer one waiting on fewer transactions with a value as high: drop it
    this.#pending = this.#pending.filter((mark, i) => !this.#pending.slice(i + 1).some((later) => dominates(later, mark)));
    return result;
  }

  /** The transactions the oldest pending mark still waits for. */
  waitingFor(): ReadonlySet<string> {
    return this.#pending.find((m) => m.open !== null)?.open ?? new Set();
  }

  /** How many marks wait (stays small while one transaction holds the table back). */
  get pending(): number {
    return this.#pending.length;
  }
}

function dominates(later: Mark, mark: Mark): boolean {
  return mark.open !== null && later.open !== null && atLeast(later.value, mark.value) && isSubset(later.open, mark.open);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function atLeast(a: bigint | null, b: bigint | null): boolean {
  return b === null || (a !== null && a >= b);
}

function isSubset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** Reads the open transactions on the task's connection and says, once each, which one holds a table back. */
export class TransactionGuard {
  #db: Database;
  readonly #logger: Logger;
  #warned = new Set<string>();
  #calls = 0;
  /** Answers from a stale cache in a row. */
  #stale = 0;
  /** The last list of open transactions, for the warnings. */
  #open = new Map<string, OpenTransaction>();

  private constructor(db: Database, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /**
   * The guard on `db`, or null (with a warning saying why and what to grant) when the database
   * does not let this user see other sessions' transactions at all.
   */
  static async open(db: Database, logger: Logger, user: string): Promise<TransactionGuard | null> {
    const off = 'rows of transactions that commit out of order can be skipped, as with Confluent\'s connector; set transaction.wait.enabled=false to silence this';
    try {
      await db.query(db.dialect.openTransactionsSql(SOURCE_APPLICATION, '0'));
    } catch (error) {
      logger.warn(`JDBC source: user \`${user}\` cannot list the open transactions (${(error as Error).message}); grant it PROCESS (MySQL/MariaDB) or pg_read_all_stats (PostgreSQL). Until then ${off}`);
      return null;
    }
    const check = db.dialect.transactionVisibilitySql();
    if (check !== null) {
      const [row] = await db.query({ sql: check, params: [] });
      if (row?.tracked !== true) {
        logger.warn(`JDBC source: the server does not record open transactions (track_activities is off); ${off}`);
        return null;
      }
      if (row.all_users !== true) {
        logger.warn(
          `JDBC source: user \`${user}\` sees only its own sessions' transactions; transactions of other users that commit out of order can still be skipped. Grant it pg_read_all_stats (GRANT pg_read_all_stats TO …) to cover every writer`,
        );
      }
    }
    return new TransactionGuard(db, logger);
  }

  /** Lists the transactions on `db` from now on: the task's connection after it was lost and opened again. */
  useDatabase(db: Database): void {
    this.#db = db;
  }

  /**
   * The transactions open now, by session key; null when the database answered from a cache that
   * may predate this call (MySQL/MariaDB's innodb_trx, refreshed only after 100 ms without a read).
   * `tables` (those waiting for the answer) are named in the warning after {@link STALE_WARN_AFTER} stale answers in a row.
   */
  async openTransactions(tables: readonly string[]): Promise<ReadonlyMap<string, OpenTransaction> | null> {
    const d = this.#db.dialect;
    let rows;
    if (d.openTransactionsCached) {
      // a transaction of our own, begun now: the answer is fresh if it lists it
      await this.#db.query({ sql: 'START TRANSACTION WITH CONSISTENT SNAPSHOT', params: [] });
      try {
        rows = await this.#db.query(d.openTransactionsSql(SOURCE_APPLICATION, this.#token()));
      } finally {
        await this.#db.query({ sql: 'COMMIT', params: [] });
      }
      if (!rows.some((r) => isTrue(r.own))) {
        if (++this.#stale === STALE_WARN_AFTER) {
          this.#logger.warn(
            `JDBC source: reads of ${tables.map((t) => `\`${t}\``).join(', ')} are held back: information_schema.innodb_trx answered ${STALE_WARN_AFTER} times in a row from a cache older than the query, ` +
              'most likely because another session reads it at least every 100 ms, which keeps InnoDB from refreshing it; the rows are read once it refreshes (transaction.wait.enabled=false reads as Confluent\'s connector does)',
          );
        }
        return null;
      }
      this.#stale = 0;
    } else {
      rows = await this.#db.query(d.openTransactionsSql(SOURCE_APPLICATION, this.#token()));
    }
    this.#open = new Map(rows.filter((r) => !isTrue(r.own)).map((r) => [String(r.session), { label: String(r.label), ageMs: Number(r.age_ms) }]));
    for (const session of this.#warned) if (!this.#open.has(session)) this.#warned.delete(session);
    return this.#open;
  }

  #token(): string {
    return `${process.pid}-${++this.#calls}`;
  }

  /** Warns, once per transaction, about those of `waitingFor` open longer than {@link LONG_OPEN_MS}. */
  warnLongOpen(table: string, waitingFor: ReadonlySet<string>): void {
    for (const session of waitingFor) {
      const transaction = this.#open.get(session);
      if (transaction === undefined || transaction.ageMs < LONG_OPEN_MS || this.#warned.has(session)) continue;
      this.#warned.add(session);
      this.#logger.warn(
        `JDBC source: reads of \`${table}\` wait for the transaction of ${transaction.label}, open for ${Math.round(transaction.ageMs / 1000)} s; ` +
          'rows that could commit below it are held back until it ends (transaction.wait.enabled)',
      );
    }
  }
}
