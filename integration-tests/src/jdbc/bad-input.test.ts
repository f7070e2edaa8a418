// Bad input to the JDBC connectors in a real worker: a wrong connection.url, a missing table, and
// records that do not fit the table — each fails with a message naming what and why, and under
// errors.tolerance=all the records that do not fit go to the dead letter queue while the rest land.
import { createTopic, produceRaw, readTopic, uniqueTopic } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../standalone/worker-process.ts';
import { eventually, jdbcWorker, postgres, uniqueTable } from './fixtures.ts';
import type { Db, JdbcWorker } from './fixtures.ts';

interface Status {
  connector: { state: string; trace?: string };
  tasks: { state: string; trace?: string }[];
}

/** A JsonConverter record of the table `(id int32 key, name string, qty int32)`. */
const record = (id: number, name: string | null, qty: number | null) =>
  JSON.stringify({
    schema: {
      type: 'struct',
      optional: false,
      fields: [
        { type: 'int32', optional: false, field: 'id' },
        { type: 'string', optional: true, field: 'name' },
        { type: 'int32', optional: true, field: 'qty' },
      ],
    },
    payload: { id, name, qty },
  });

describe('JDBC connectors given bad input', () => {
  const bootstrap = inject('kafkaBootstrap');
  let db: Db;
  let setup: JdbcWorker;
  let worker: WorkerProcess;
  const tables: string[] = [];
  beforeAll(async () => {
    db = await postgres();
    setup = await jdbcWorker(bootstrap, {});
    worker = setup.start();
    await worker.waitFor(`${setup.rest}/connectors`, Array.isArray);
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    for (const table of tables) await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db?.close();
  });

  const create = (name: string, config: Record<string, string>) =>
    fetch(`${setup.rest}/connectors`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, config }) });
  const status = async (name: string) => (await (await fetch(`${setup.rest}/connectors/${name}/status`)).json()) as Status;
  const taskFailed = async (name: string): Promise<string> => {
    let last: Status | undefined;
    await eventually(async () => (last = await status(name)).tasks[0]?.state === 'FAILED' || last.connector.state === 'FAILED', 30_000, () => JSON.stringify(last));
    return last!.tasks[0]?.trace ?? last!.connector.trace ?? '';
  };

  it('a connection.url in another form is refused at creation, naming the key', async () => {
    const response = await create('bad-url-form', { 'connector.class': 'jdbc-source', 'connection.url': 'jdbc:oracle:thin:@//127.0.0.1:1521/x', mode: 'bulk', 'topic.prefix': 'x-' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/connection\.url/);
  });

  it('an unreachable database fails the connector with the address and the reason, never the password', async () => {
    const response = await create('bad-url', {
      'connector.class': 'jdbc-source',
      'connection.url': 'jdbc:postgresql://127.0.0.1:1/test',
      'connection.user': 'postgres',
      'connection.password': 'pa55w0rd-secret',
      mode: 'bulk',
      'topic.prefix': 'x-',
    });
    expect(response.status).toBe(201);
    const trace = await taskFailed('bad-url');
    expect(trace).toContain('127.0.0.1:1');
    expect(trace).toMatch(/ECONNREFUSED|refused/);
    expect(JSON.stringify(await status('bad-url'))).not.toContain('pa55w0rd-secret');
    expect(worker.output).not.toContain('pa55w0rd-secret');
  });

  it('a sink to a missing table without auto.create fails naming the table and the way out', async () => {
    const topic = uniqueTopic('jdbc-missing');
    await createTopic(bootstrap, topic);
    await produceRaw(bootstrap, topic, [record(1, 'a', 1)]);
    const table = uniqueTable('missing');
    await create('missing-table', { 'connector.class': 'jdbc-sink', 'connection.url': db.url, topics: topic, 'table.name.format': table, 'pk.mode': 'record_value', 'pk.fields': 'id' });
    const trace = await taskFailed('missing-table');
    expect(trace).toContain(table);
    expect(trace).toContain('auto.create');
  });

  it('records that do not fit the table: the task fails naming the record, column and reason; with errors.tolerance=all they go to the DLQ and the rest land', { timeout: 90_000 }, async () => {
    const table = uniqueTable('strict');
    tables.push(table);
    await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, name varchar(5) NOT NULL, qty integer)`);
    const topic = uniqueTopic('jdbc-unfit');
    await createTopic(bootstrap, topic);
    // offset 2: no name for a NOT NULL column; offset 4: a name longer than varchar(5)
    await produceRaw(bootstrap, topic, [record(1, 'ab', 1), record(2, 'cd', 2), record(3, null, 3), record(4, 'ef', 4), record(5, 'much too long', 5), record(6, 'gh', 6)]);
    const sink = { 'connector.class': 'jdbc-sink', 'connection.url': db.url, topics: topic, 'table.name.format': table, 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' };

    await create('unfit-strict', sink);
    const trace = await taskFailed('unfit-strict');
    expect(trace).toContain(`${topic}`);
    expect(trace).toMatch(/offset 2/);
    expect(trace).toContain('name');

    await db.query(`DELETE FROM ${table}`);
    const dlq = uniqueTopic('jdbc-dlq');
    await create('unfit-tolerant', {
      ...sink,
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await eventually(async () => Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n) === 4, 30_000, async () => JSON.stringify(await status('unfit-tolerant')));
    expect((await db.query(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id)).toEqual([1, 2, 4, 6]);
    const dead = await readTopic(bootstrap, dlq, 2, 30_000);
    expect(dead.map((r) => (JSON.parse(r.value!.toString('utf8')) as { payload: { id: number } }).payload.id)).toEqual([3, 5]);
    const reason = dead[0]!.headers.find(([key]) => key === '__connect.errors.exception.message')?.[1].toString('utf8');
    expect(reason).toContain('name');
    expect((await status('unfit-tolerant')).tasks[0]!.state).toBe('RUNNING');
  });
});
