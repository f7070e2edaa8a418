// The drivers behind one small interface: plain queries, and reads that hand rows over in batches
// from an open cursor (PostgreSQL) or a paused result stream (MySQL), never a whole table at once.
import { connectionError } from '@sluice/core';
import mysql from 'mysql2';
import pg from 'pg';
import type { SqlDialect, BoundSql } from './dialect/dialect.ts';
import { MySqlDialect } from './dialect/mysql.ts';
import { PostgresDialect } from './dialect/postgres.ts';
import type { JdbcUrl } from './jdbc-url.ts';

export type Row = Readonly<Record<string, unknown>>;

/** An open read; `next(n)` returns up to `n` rows, `[]` once the read is exhausted. */
export interface RowReader {
  next(max: number): Promise<Row[]>;
  close(): Promise<void>;
}

/** One connection. Methods are called one at a time (a task polls sequentially). */
export interface Database {
  readonly dialect: SqlDialect;
  query(sql: BoundSql): Promise<Row[]>;
  /**
   * Runs a statement whose values the server binds (a prepared statement on MySQL, where
   * `query` interpolates on the client); resolves with the affected row count.
   */
  execute(sql: BoundSql): Promise<number>;
  read(sql: BoundSql): Promise<RowReader>;
  close(): Promise<void>;
}

export interface Credentials {
  readonly user: string | null;
  readonly password: string | null;
}

export interface ConnectOptions {
  /** PostgreSQL's `application_name` of the session (how a source recognises its own reads). */
  readonly applicationName?: string;
}

export async function connect(url: JdbcUrl, credentials: Credentials, options: ConnectOptions = {}): Promise<Database> {
  const where = `${url.dialect} at ${url.host}:${url.port}${url.database === null ? '' : `/${url.database}`}`;
  try {
    return url.dialect === 'postgresql' ? await connectPostgres(url, credentials, options) : await connectMySql(url, credentials);
  } catch (error) {
    // the driver's message names the user at most, never the password
    throw connectionError(`cannot connect to ${where}: ${(error as Error).message}`, { cause: error });
  }
}

// Exact types come as text and are converted by the dialect's shared base (column-types.ts):
// int8, numeric, date, time, timestamp, timestamptz, json, jsonb.
const PG_TEXT_TYPES = new Set([20, 1700, 1082, 1083, 1114, 1184, 114, 3802]);

const keepText = (text: string): string => text;
const textParsers = ((oid: number, format?: 'text' | 'binary'): unknown =>
  PG_TEXT_TYPES.has(oid) ? keepText : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

async function connectPostgres(url: JdbcUrl, credentials: Credentials, options: ConnectOptions): Promise<Database> {
  const client = new pg.Client({
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    host: url.host,
    port: url.port,
    database: url.database ?? undefined,
    user: credentials.user ?? url.properties.user,
    password: credentials.password ?? url.properties.password,
    // timestamptz printed in UTC so its text carries `+00`
    options: '-c TimeZone=UTC -c DateStyle=ISO',
    types: { getTypeParser: textParsers },
  });
  // A connection lost while idle is reported on the next query; unheard, the 'error' event would end the process.
  client.on('error', () => undefined);
  await client.connect();
  const dialect = new PostgresDialect();
  let cursors = 0;
  return {
    dialect,
    async query(sql) {
      return (await client.query({ text: sql.sql, values: [...sql.params] })).rows as Row[];
    },
    async execute(sql) {
      return (await client.query({ text: sql.sql, values: [...sql.params] })).rowCount ?? 0;
    },
    async read(sql) {
      const cursor = `sluice_read_${++cursors}`;
      await client.query('BEGIN READ ONLY');
      try {
        await client.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql.sql}`, values: [...sql.params] });
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      let open = true;
      const close = async () => {
        if (!open) return;
        open = false;
        await client.query('COMMIT');
      };
      return {
        async next(max) {
          if (!open) return [];
          const rows = (await client.query(`FETCH FORWARD ${Math.max(1, Math.floor(max))} FROM ${cursor}`)).rows as Row[];
          if (rows.length === 0) await close();
          return rows;
        },
        close,
      };
    },
    async close() {
      await client.end();
    },
  };
}

async function connectMySql(url: JdbcUrl, credentials: Credentials): Promise<Database> {
  const options: mysql.ConnectionOptions = {
    host: url.host,
    port: url.port,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    // JSON stays the text the server stored (MariaDB's JSON is LONGTEXT anyway)
    typeCast: (field, next) => (field.type === 'JSON' ? field.string('utf8') : next()),
  };
  if (url.database !== null) options.database = url.database;
  const user = credentials.user ?? url.properties.user;
  const password = credentials.password ?? url.properties.password;
  if (user !== undefined) options.user = user;
  if (password !== undefined) options.password = password;
  // execute() prepares each distinct statement; the least recently used are closed beyond this many
  options.maxPreparedStatements = 64;
  const connection = mysql.createConnection(options);
  // A connection lost while idle is reported on the next query; unheard, the 'error' event would end the process.
  connection.on('error', () => undefined);
  await connection.promise().connect();
  // TIMESTAMP columns printed in UTC, as db.timezone=UTC reads them
  await connection.promise().query("SET time_zone = '+00:00'");
  const dialect = new MySqlDialect();
  let reading = false;
  return {
    dialect,
    async query(sql) {
      const [rows] = await connection.promise().query(sql.sql, [...sql.params]);
      return rows as Row[];
    },
    async execute(sql) {
      const [result] = await connection.promise().execute(sql.sql, [...sql.params] as mysql.ExecuteValues);
      return (result as mysql.ResultSetHeader).affectedRows ?? 0;
    },
    read(sql) {
      const stream = connection.query(sql.sql, [...sql.params]).stream({ objectMode: true, highWaterMark: 256 });
      const rows = stream[Symbol.asyncIterator]() as AsyncIterator<Row>;
      let open = true;
      reading = true;
      return Promise.resolve({
        async next(max) {
          const batch: Row[] = [];
          while (open && batch.length < max) {
            const step = await rows.next();
            if (step.done === true) {
              open = false;
              reading = false;
              break;
            }
            batch.push(step.value);
          }
          return batch;
        },
        async close() {
          if (!open) return;
          open = false;
          reading = false;
          // the rest of the result set has to be read off the wire before the connection is usable
          for await (const _ of { [Symbol.asyncIterator]: () => rows }) void _;
        },
      });
    },
    async close() {
      // A paused result stream holds the connection until its last row is read, and `end()`
      // would wait for that: drop the socket instead; the server abandons the query.
      if (reading) connection.destroy();
      else await connection.promise().end();
    },
  };
}
