// The source task's connection, and getting it back after an outage: `connection.attempts` tries
// `connection.backoff.ms` apart at start, and after a loss one try per poll when due, for as long
// as the database stays away. A refused password or an unknown database is never retried.
import { connectionError } from '@sluice/core';
import type { Logger } from '@sluice/core';
import type { ConnectionSettings } from './connection-config.ts';
import { connect, isConnectionLost, isConnectionRefused } from './database.ts';
import type { ConnectOptions, Credentials, Database } from './database.ts';
import type { JdbcUrl } from './jdbc-url.ts';

/** How a task opens a connection (a test seam, as the sink task's). */
export type ConnectFn = (url: JdbcUrl, credentials: Credentials, options: ConnectOptions) => Promise<Database>;

/** While the connection is gone: how many tries failed, and when the next is due. */
interface Outage {
  failures: number;
  nextTryAt: number;
}

export class SourceConnection {
  readonly #settings: ConnectionSettings;
  readonly #options: ConnectOptions;
  readonly #logger: Logger;
  readonly #connect: ConnectFn;
  #db: Database | null = null;
  #outage: Outage | null = null;

  constructor(settings: ConnectionSettings, options: ConnectOptions, logger: Logger, connectFn: ConnectFn = connect) {
    this.#settings = settings;
    this.#options = options;
    this.#logger = logger;
    this.#connect = connectFn;
  }

  /** The open connection; null while it is gone. */
  get db(): Database | null {
    return this.#db;
  }

  /** `host:port/database`, for messages (never the credentials). */
  get where(): string {
    const { url } = this.#settings;
    return `${url.dialect} at ${url.host}:${url.port}${url.database === null ? '' : `/${url.database}`}`;
  }

  /** Connects, `connection.attempts` times at most; a refusal (password, database) fails at once. */
  async open(): Promise<Database> {
    const { attempts, backoffMs } = this.#settings;
    for (let attempt = 1; ; attempt++) {
      try {
        this.#db = await this.#connect(this.#settings.url, this.#settings.credentials, this.#options);
        return this.#db;
      } catch (error) {
        if (isConnectionRefused(error) || !isConnectionLost(error)) throw error;
        if (attempt >= attempts) {
          throw connectionError(`JDBC source: cannot connect to ${this.where} after ${attempts} attempt(s) (connection.attempts): ${(error as Error).message}`, { cause: error });
        }
        this.#logger.warn(`JDBC source: connecting to ${this.where} failed (${(error as Error).message}); trying again in ${backoffMs} ms (attempt ${attempt} of ${attempts})`);
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
      }
    }
  }

  /**
   * Whether `error` means the connection is gone; if so the connection is dropped (its reads
   * with it) and a warning says so, and {@link restore} brings a new one on later polls.
   */
  lost(error: unknown): boolean {
    if (this.#db === null || !isConnectionLost(error)) return false;
    const db = this.#db;
    this.#db = null;
    // the socket is gone or going: closing cannot be waited for, nor can it fail in a way that matters
    void db.close().catch(() => undefined);
    this.#outage = { failures: 0, nextTryAt: Date.now() };
    this.#logger.warn(`JDBC source: lost the connection to ${this.where} (${(error as Error).message}); reconnecting, and reading on from the last rows handed over`);
    return true;
  }

  /** When the next try to reconnect is due (ms since the epoch); only while the connection is gone. */
  get nextTryAt(): number {
    return this.#outage?.nextTryAt ?? 0;
  }

  /**
   * One try to reconnect, if one is due: the new connection, or null while the database stays
   * away. A refusal (the password or the database changed meanwhile) fails the task.
   */
  async restore(): Promise<Database | null> {
    const outage = this.#outage;
    if (outage === null) return this.#db;
    if (Date.now() < outage.nextTryAt) return null;
    try {
      this.#db = await this.#connect(this.#settings.url, this.#settings.credentials, this.#options);
    } catch (error) {
      if (isConnectionRefused(error) || !isConnectionLost(error)) throw error;
      outage.failures++;
      outage.nextTryAt = Date.now() + this.#settings.backoffMs;
      if (outage.failures % this.#settings.attempts === 0) {
        this.#logger.warn(`JDBC source: ${this.where} is still unreachable after ${outage.failures} attempt(s) (${(error as Error).message}); trying again every ${this.#settings.backoffMs} ms`);
      }
      return null;
    }
    this.#logger.info(`JDBC source: reconnected to ${this.where}${outage.failures === 0 ? '' : ` after ${outage.failures + 1} attempt(s)`}`);
    this.#outage = null;
    return this.#db;
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    this.#outage = null;
    await db?.close();
  }
}
