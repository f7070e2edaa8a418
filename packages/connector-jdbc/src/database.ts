// The drivers behind one small interface: plain queries, and reads that hand rows over in batches
// from an open cursor (PostgreSQL) or a paused result stream (MySQL), never a whole table at once.
import { connectionError } from '@sluice/core';
import type { ConnectionOptions } from 'node:tls';
import mysql from 'mysql2';
import pg from 'pg';
import type { SqlDialect, BoundSql, CatalogColumnRow } from './dialect/dialect.ts';
import { MySqlDialect } from './dialect/mysql.ts';
import { PostgresDialect } from './dialect/postgres.ts';
import { tlsAttempts } from './jdbc-url-tls.ts';
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
  /** The columns `SELECT * FROM (select) q` returns, as the driver describes them (no row read), in the catalog's shape. */
  describe(select: string): Promise<CatalogColumnRow[]>;
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

/**
 * Opens a connection with the TLS `connection.url` asks for; with `allow` or `prefer` a server
 * that turns the first way down is tried the other way.
 */
export async function connect(url: JdbcUrl, credentials: Credentials, options: ConnectOptions = {}): Promise<Database> {
  const where = `${url.dialect} at ${url.host}:${url.port}${url.database === null ? '' : `/${url.database}`}`;
  const tlsAsked = url.tls.mode === 'require' || url.tls.mode.startsWith('verify') ? ` (connection.url asks for TLS, ${url.tls.mode})` : '';
  try {
    const attempts = tlsAttempts(url.tls);
    for (let i = 0; ; i++) {
      try {
        return url.dialect === 'postgresql' ? await connectPostgres(url, credentials, options, attempts[i]!) : await connectMySql(url, credentials, attempts[i]!);
      } catch (error) {
        if (i + 1 >= attempts.length || unreachable(error)) throw error;
      }
    }
  } catch (error) {
    // the driver's message names the user at most, never the password
    throw connectionError(`cannot connect to ${where}${tlsAsked}: ${(error as Error).message}`, { cause: error });
  }
}

/** Whether the server was not reached at all, so trying it another way is pointless. */
function unreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'].includes(code);
}

/** How long opening a connection may take before it counts as failed (a host that drops packets). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * After how long without traffic TCP keepalive probes start: a network that drops the connection
 * silently (a NAT or firewall forgetting it) then fails a waiting poll or put within minutes
 * (the system's probe interval and count) instead of never. No statement timeout: a legitimate
 * read (a large sort before the first row, a FETCH scanning far for its rows) has no bound to cut it at.
 */
const KEEPALIVE_DELAY_MS = 10_000;

/** PostgreSQL SQLSTATEs of a connection gone or a server not answering now: shutdown, crash, start-up, too many connections. */
const PG_LOST_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** MySQL/MariaDB error numbers of the same: too many connections, shutdown, connection killed, server gone or unreachable. */
const MYSQL_LOST_ERRNOS = new Set([1040, 1053, 1927, 2002, 2003, 2006, 2013, 2055]);
const LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CONNECTION_KILLED', 'ER_SERVER_SHUTDOWN',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN', 'ENOTFOUND',
]);
/** What the drivers say without a code when the socket is gone. */
const LOST_MESSAGE = /connection terminated|not queryable|closed state|connection lost|socket|timeout expired/i;
/** Refusals another try cannot mend: a wrong password or user, an unknown database. */
const PG_REFUSED_STATES = new Set(['28P01', '28000', '3D000']);
const MYSQL_REFUSED_ERRNOS = new Set([1044, 1045, 1049, 1698]);
/** TLS asked for and not to be had: a server without TLS, a certificate that does not check out. */
const TLS_REFUSED = /does not support (?:ssl|secure connection)|certificate|self[- ]signed/i;

/** The error and its causes, outermost first (connect() wraps the driver's error). */
function chain(error: unknown): Record<string, unknown>[] {
  const errors: Record<string, unknown>[] = [];
  for (let e = error; typeof e === 'object' && e !== null && errors.length < 5; e = (e as { cause?: unknown }).cause) errors.push(e as Record<string, unknown>);
  return errors;
}

/**
 * Whether `error` says the connection is gone or the server cannot be reached right now (stopped,
 * restarting, the session killed, the network down), so that a new connection may work later.
 */
export function isConnectionLost(error: unknown): boolean {
  return chain(error).some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code.startsWith('08') || PG_LOST_STATES.has(code) || LOST_CODES.has(code)) return true;
    if (typeof e.errno === 'number' && MYSQL_LOST_ERRNOS.has(e.errno)) return true;
    if (e.fatal === true && !isRefused(e)) return true;
    return code === '' && typeof e.message === 'string' && LOST_MESSAGE.test(e.message);
  });
}

/** Whether a connection was refused for good: wrong password or user, unknown database. */
export function isConnectionRefused(error: unknown): boolean {
  return chain(error).some(isRefused);
}

function isRefused(e: Record<string, unknown>): boolean {
  if (typeof e.message === 'string' && TLS_REFUSED.test(e.message)) return true;
  return (typeof e.code === 'string' && PG_REFUSED_STATES.has(e.code)) || (typeof e.errno === 'number' && MYSQL_REFUSED_ERRNOS.has(e.errno));
}

// Every type comes as PostgreSQL's own text, converted by the dialect's shared base
// (column-types.ts), except the few parsed on purpose below: pg would parse others into floats
// (int8, numeric), local-time Dates, objects (interval, point) and JS arrays (of inet, interval…).
/** bool, bytea, int2, int4, oid, float4, float8: exact as JS values, and what catalog queries compare. */
const PG_PARSED_TYPES = new Set([16, 17, 21, 23, 26, 700, 701]);

const keepText = (text: string): string => text;
const textParsers = ((oid: number, format?: 'text' | 'binary'): unknown =>
  PG_PARSED_TYPES.has(oid) ? (pg.types.getTypeParser(oid, format) as unknown) : keepText) as typeof pg.types.getTypeParser;

async function connectPostgres(url: JdbcUrl, credentials: Credentials, options: ConnectOptions, ssl: false | ConnectionOptions): Promise<Database> {
  const client = new pg.Client({
    ssl,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    host: url.host,
    port: url.port,
    database: url.database ?? undefined,
    user: credentials.user ?? url.properties.user,
    password: credentials.password ?? url.properties.password,
    // timestamptz printed in UTC so its text carries `+00`
    options: '-c TimeZone=UTC -c DateStyle=ISO',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
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
    async describe(select) {
      const { fields } = await client.query(`SELECT * FROM (${select}) AS q LIMIT 0`);
      const types = dialect.resultTypesSql(fields.map((f) => [f.dataTypeID, f.dataTypeModifier]));
      const rows = (await client.query({ text: types.sql, values: [...types.params] })).rows as CatalogColumnRow[];
      return fields.map((f, i) => ({ ...rows[i]!, name: f.name }));
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

/**
 * What every MySQL/MariaDB session sets: TIMESTAMP columns printed in UTC, as db.timezone=UTC
 * reads them; and backslashes in string literals read as escapes, which is how mysql2 escapes the
 * values it binds on the client (a server default of NO_BACKSLASH_ESCAPES would let a `'` or `\`
 * in a table name end the literal).
 */
export const MYSQL_SESSION_SQL =
  "SET time_zone = '+00:00', sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";

async function connectMySql(url: JdbcUrl, credentials: Credentials, ssl: false | ConnectionOptions): Promise<Database> {
  const options: mysql.ConnectionOptions = {
    ...(ssl === false ? {} : { ssl: ssl as mysql.SslOptions }),
    host: url.host,
    port: url.port,
    dateStrings: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableKeepAlive: true,
    keepAliveInitialDelay: KEEPALIVE_DELAY_MS,
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
  await connection.promise().query(MYSQL_SESSION_SQL);
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
    async describe(select) {
      const [, fields] = await connection.promise().query(`SELECT * FROM (${select}) AS q LIMIT 0`);
      return fields.map(mysqlColumn);
    },
    read(sql) {
      const stream = connection.query(sql.sql, [...sql.params]).stream({ objectMode: true, highWaterMark: 256 });
      // A streamed query has no callback, so mysql2 tells the connection, not the stream, when the
      // server closes it (a killed session, a shutdown): end the stream with that error, or it would wait forever.
      const lost = (error: Error) => stream.destroy(error);
      connection.on('error', lost);
      const rows = stream[Symbol.asyncIterator]() as AsyncIterator<Row>;
      let open = true;
      reading = true;
      const done = () => {
        open = false;
        reading = false;
        connection.off('error', lost);
      };
      return Promise.resolve({
        async next(max) {
          const batch: Row[] = [];
          try {
            while (open && batch.length < max) {
              const step = await rows.next();
              if (step.done === true) {
                done();
                break;
              }
              batch.push(step.value);
            }
          } catch (error) {
            done();
            throw error;
          }
          return batch;
        },
        async close() {
          if (!open) return;
          open = false;
          try {
            // the rest of the result set has to be read off the wire before the connection is usable
            for await (const _ of { [Symbol.asyncIterator]: () => rows }) void _;
          } finally {
            done();
          }
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

/** MySQL protocol column types (include/mysql_com.h `enum_field_types`) by their catalog name. */
const MYSQL_TYPES: Readonly<Record<number, string>> = {
  0: 'decimal', 246: 'decimal', 1: 'tinyint', 2: 'smallint', 3: 'int', 4: 'float', 5: 'double', 7: 'timestamp', 8: 'bigint', 9: 'mediumint',
  10: 'date', 11: 'time', 12: 'datetime', 13: 'year', 16: 'bit', 245: 'json', 247: 'enum', 248: 'set',
};
const MYSQL_NOT_NULL = 1;
const MYSQL_UNSIGNED = 32;
const MYSQL_BINARY_CHARSET = 63;

/** A result column of mysql2 as a catalog row (what Connector/J's ResultSetMetaData tells Confluent's connector). */
function mysqlColumn(field: mysql.FieldPacket): CatalogColumnRow {
  const type = field.columnType ?? 0;
  const flags = typeof field.flags === 'number' ? field.flags : 0;
  const unsigned = (flags & MYSQL_UNSIGNED) !== 0;
  const binary = field.characterSet === MYSQL_BINARY_CHARSET;
  const length = field.columnLength ?? 0;
  const scale = field.decimals ?? 0;
  let dataType = MYSQL_TYPES[type] ?? (binary ? 'varbinary' : 'varchar');
  if ((type === 252 || (type >= 249 && type <= 251)) && !binary) dataType = 'text';
  if (type >= 249 && type <= 252 && binary) dataType = 'blob';
  const decimal = dataType === 'decimal';
  return {
    name: field.name,
    data_type: dataType,
    is_nullable: (flags & MYSQL_NOT_NULL) === 0 ? 'YES' : 'NO',
    // a DECIMAL's display length counts the sign and the point
    precision: decimal ? length - (scale > 0 ? 1 : 0) - (unsigned ? 0 : 1) : dataType === 'bit' ? length : null,
    scale: decimal ? scale : null,
    column_type: `${dataType}${dataType === 'tinyint' ? `(${length})` : ''}${unsigned ? ' unsigned' : ''}`,
  };
}
