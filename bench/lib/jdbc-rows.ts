// The rows of the JDBC benchmarks: one 10-column table (bigint key, ints, numeric, text,
// timestamps, boolean, double) whose row i is the same everywhere — in the CSV the databases bulk
// load, in the PostgreSQL table the source reads, and in the Kafka records the sinks write, which
// are what Kafka Connect's JsonConverter with schemas makes of such a row.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Database } from './databases.ts';
import { sql } from './databases.ts';

const EPOCH_2024 = Date.UTC(2024, 0, 1);

interface Row {
  id: number;
  quantity: number;
  code: number;
  /** numeric(12,2) in cents. */
  priceCents: bigint;
  name: string;
  note: string;
  createdAt: number;
  updatedAt: number;
  active: boolean;
  ratio: number;
}

function row(i: number): Row {
  const hash = (Math.imul(i, 2654435761) >>> 0).toString(16).padStart(8, '0');
  return {
    id: i,
    quantity: (i * 7919) % 100_000,
    code: i % 30_000,
    priceCents: BigInt((i * 37) % 10_000_000),
    name: `customer-${i}`,
    note: hash.repeat(4),
    createdAt: EPOCH_2024 + i * 1000,
    updatedAt: EPOCH_2024 + i * 1000 + (i % 1000),
    active: i % 3 === 0,
    ratio: i / 7,
  };
}

/** Creates `table` empty (dropped first when it exists), with the same column types on both databases. */
export function createTable(db: Database, table: string): void {
  const columns =
    db.kind === 'postgresql'
      ? 'id bigint PRIMARY KEY, quantity integer NOT NULL, code smallint NOT NULL, price numeric(12,2) NOT NULL, name text NOT NULL, note varchar(64) NOT NULL, created_at timestamp(3) NOT NULL, updated_at timestamp(3) NOT NULL, active boolean NOT NULL, ratio double precision NOT NULL'
      : 'id BIGINT PRIMARY KEY, quantity INT NOT NULL, code SMALLINT NOT NULL, price DECIMAL(12,2) NOT NULL, name VARCHAR(64) NOT NULL, note VARCHAR(64) NOT NULL, created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NOT NULL, active BOOLEAN NOT NULL, ratio DOUBLE NOT NULL';
  sql(db, `DROP TABLE IF EXISTS ${table}`);
  sql(db, `CREATE TABLE ${table} (${columns})`);
}

const decimalText = (cents: bigint) => `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
const timestampText = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Writes rows 1..count as CSV (no header, no quoting needed) for `\copy … FROM` and `LOAD DATA LOCAL INFILE`. */
export async function writeCsv(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  for (let start = 1; start <= count; start += 10_000) {
    let chunk = '';
    for (let i = start; i < Math.min(start + 10_000, count + 1); i++) {
      const r = row(i);
      chunk += `${r.id},${r.quantity},${r.code},${decimalText(r.priceCents)},${r.name},${r.note},${timestampText(r.createdAt)},${timestampText(r.updatedAt)},${r.active ? 1 : 0},${r.ratio}\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The statement that bulk loads the CSV into `table`: psql's `\copy … FROM` or MariaDB's `LOAD DATA LOCAL INFILE`. */
export function bulkLoadStatement(db: Database, table: string, file: string): string {
  return db.kind === 'postgresql'
    ? `\\copy ${table} FROM '${file}' WITH (FORMAT csv)`
    : `LOAD DATA LOCAL INFILE '${file}' INTO TABLE ${table} FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n'`;
}

const field = (name: string, type: string, logical?: string, parameters?: Record<string, string>) => ({
  field: name,
  type,
  optional: false,
  ...(logical === undefined ? {} : { name: logical, version: 1 }),
  ...(parameters === undefined ? {} : { parameters }),
});

const VALUE_SCHEMA = JSON.stringify({
  type: 'struct',
  fields: [
    field('id', 'int64'),
    field('quantity', 'int32'),
    field('code', 'int16'),
    field('price', 'bytes', 'org.apache.kafka.connect.data.Decimal', { scale: '2', 'connect.decimal.precision': '12' }),
    field('name', 'string'),
    field('note', 'string'),
    field('created_at', 'int64', 'org.apache.kafka.connect.data.Timestamp'),
    field('updated_at', 'int64', 'org.apache.kafka.connect.data.Timestamp'),
    field('active', 'boolean'),
    field('ratio', 'double'),
  ],
  optional: false,
  name: 'bench_jdbc',
});

const KEY_SCHEMA = JSON.stringify({ type: 'struct', fields: [field('id', 'int64')], optional: false, name: 'bench_jdbc_key' });

/** A Decimal's unscaled value as JsonConverter writes it: big-endian two's complement, base64. */
function decimalBase64(unscaled: bigint): string {
  let hex = unscaled.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return Buffer.from(hex, 'hex').toString('base64');
}

/** Row i as a JsonConverter record with schemas: the key `{id}` and the whole row as the value. */
export function jsonRecord(i: number): { key: string; value: string } {
  const r = row(i);
  const payload = JSON.stringify({
    id: r.id,
    quantity: r.quantity,
    code: r.code,
    price: decimalBase64(r.priceCents),
    name: r.name,
    note: r.note,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    active: r.active,
    ratio: r.ratio,
  });
  return { key: `{"schema":${KEY_SCHEMA},"payload":{"id":${r.id}}}`, value: `{"schema":${VALUE_SCHEMA},"payload":${payload}}` };
}

/**
 * What a table holding rows 1..count must sum to — quantities, codes, prices, active rows, note
 * lengths and the latest updated_at — so a side whose rows arrived but with other values (a time
 * zone shift, a lost fraction) is caught.
 */
export function expectedDigest(count: number): string {
  let quantity = 0;
  let code = 0;
  let cents = 0n;
  let active = 0;
  let notes = 0;
  let latest = 0;
  for (let i = 1; i <= count; i++) {
    const r = row(i);
    quantity += r.quantity;
    code += r.code;
    cents += r.priceCents;
    active += r.active ? 1 : 0;
    notes += r.note.length;
    latest = Math.max(latest, r.updatedAt);
  }
  return [quantity, code, decimalText(cents), active, notes, timestampText(latest)].join('|');
}

export function tableDigest(db: Database, table: string): string {
  const columns =
    db.kind === 'postgresql'
      ? `sum(quantity), sum(code), sum(price), sum(CASE WHEN active THEN 1 ELSE 0 END), sum(length(note)), to_char(max(updated_at), 'YYYY-MM-DD HH24:MI:SS.MS')`
      : `sum(quantity), sum(code), sum(price), sum(CASE WHEN active THEN 1 ELSE 0 END), sum(length(note)), LEFT(DATE_FORMAT(max(updated_at), '%Y-%m-%d %H:%i:%s.%f'), 23)`;
  return sql(db, `SELECT ${columns} FROM ${table}`).replaceAll('\t', '|');
}
