// The JDBC source in a real worker: a table in each database streamed into Kafka as the
// JsonConverter writes it, keys from the primary key, offsets in Confluent's shapes that carry
// over a restart and accept an offset written the way Confluent's connector stores it.
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { jdbcWorker, mariadb, postgres, uniqueTable } from './fixtures.ts';
import type { Db } from './fixtures.ts';

interface Case {
  readonly open: () => Promise<Db>;
  readonly ddl: (table: string) => string;
}

const CASES: Readonly<Record<string, Case>> = {
  PostgreSQL: { open: () => postgres(), ddl: (t) => `CREATE TABLE ${t} (id bigserial PRIMARY KEY, price numeric(10,2) NOT NULL, name text, seen timestamp(6))` },
  MariaDB: { open: () => mariadb(), ddl: (t) => `CREATE TABLE ${t} (id bigint AUTO_INCREMENT PRIMARY KEY, price decimal(10,2) NOT NULL, name text, seen datetime(6))` },
};

const json = (buffer: Buffer | null) => (buffer === null ? null : (JSON.parse(buffer.toString('utf8')) as { schema: unknown; payload: Record<string, unknown> }));

describe.each(Object.keys(CASES))('JDBC source → Kafka (%s)', (dbName) => {
  const bootstrap = inject('kafkaBootstrap');
  const spec = CASES[dbName]!;
  const dbs: Db[] = [];
  const cleanup: string[] = [];
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await worker?.stop('SIGKILL');
    worker = undefined;
  });
  afterAll(async () => {
    for (const db of dbs) {
      for (const table of cleanup) await db.query(`DROP TABLE IF EXISTS ${db.quote(table)}`);
      await db.close();
    }
  });
  const open = async () => {
    const db = await spec.open();
    dbs.push(db);
    return db;
  };
  const insert = async (db: Db, table: string, from: number, count: number) => {
    const rows = Array.from({ length: count }, (_, i) => `(${(from + i) * 1.25}, 'row ${from + i}', '2024-03-01 10:00:00.${String(from + i).padStart(6, '0')}')`);
    await db.query(`INSERT INTO ${db.quote(table)} (price, name, seen) VALUES ${rows.join(', ')}`);
  };

  it('streams rows as JsonConverter records with primary-key keys; offsets carry over a restart and take Confluent-shaped edits', { timeout: 180_000 }, async () => {
    const db = await open();
    const table = uniqueTable('e2e_src');
    cleanup.push(table);
    await db.query(spec.ddl(db.quote(table)));
    await insert(db, table, 1, 1000);
    const prefix = `${uniqueTopic('jdbc')}-`;
    const topic = `${prefix}${table}`;
    const setup = await jdbcWorker(bootstrap, {
      'jdbc-src': {
        'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
        'connection.url': db.url,
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'table.whitelist': table,
        'topic.prefix': prefix,
        'poll.interval.ms': '200',
      },
    });
    worker = setup.start();
    await setup.running(worker, 'jdbc-src');
    await insert(db, table, 1001, 500);
    const records = await readTopic(bootstrap, topic, 1500, 60_000);
    expect(records.map((r) => json(r.key)!.payload.id)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));

    const first = json(records[0]!.value)!;
    expect(first.payload).toEqual({ id: 1, price: 'fQ==', name: 'row 1', seen: Date.UTC(2024, 2, 1, 10) });
    expect(first.schema).toEqual({
      type: 'struct',
      name: table,
      optional: false,
      fields: [
        { type: 'int64', optional: false, field: 'id' },
        { type: 'bytes', optional: false, name: 'org.apache.kafka.connect.data.Decimal', version: 1, parameters: { scale: '2', 'connect.decimal.precision': '10' }, field: 'price' },
        { type: 'string', optional: true, field: 'name' },
        { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'seen' },
      ],
    });
    expect(json(records[0]!.key)!.schema).toEqual({ type: 'struct', name: `${table}.Key`, optional: false, fields: [{ type: 'int64', optional: false, field: 'id' }] });

    // Kafka Connect's offsets endpoint shows Confluent's partition and offset, the id a JSON number
    const partition = { protocol: '1', table: `${db.schema}.${table}` };
    await expect.poll(async () => ((await fetch(`${setup.rest}/connectors/jdbc-src/offsets`)).json()), { timeout: 10_000 }).toEqual({ offsets: [{ partition, offset: { incrementing: 1500 } }] });

    // a restart resumes after the stored offset: only new rows arrive
    expect(await worker.stop('SIGTERM')).toBe(0);
    await insert(db, table, 1501, 10);
    worker = setup.start();
    await setup.running(worker, 'jdbc-src');
    const after = await readTopic(bootstrap, topic, 1510, 60_000);
    expect(after.slice(1500).map((r) => json(r.key)!.payload.id)).toEqual(Array.from({ length: 10 }, (_, i) => 1501 + i));

    // an offset edited the way Confluent's connector stores it is where reading resumes
    const put = (path: string) => fetch(`${setup.rest}/connectors/jdbc-src/${path}`, { method: 'PUT' });
    expect((await put('stop')).status).toBe(204);
    const patch = await fetch(`${setup.rest}/connectors/jdbc-src/offsets`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsets: [{ partition: { table: `${db.schema}.${table}`, protocol: '1' }, offset: { incrementing: 1505 } }] }),
    });
    expect(patch.status).toBe(200);
    expect((await put('resume')).status).toBe(202);
    const replayed = await readTopic(bootstrap, topic, 1515, 60_000);
    expect(replayed.slice(1510).map((r) => json(r.key)!.payload.id)).toEqual([1506, 1507, 1508, 1509, 1510]);
  });
});
