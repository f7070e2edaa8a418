import { createTopic, readTopic, uniqueTopic } from '@sluice/testkit';
import type { ReadOptions } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { testPlugins } from '../standalone/test-plugins.ts';
import { clustersPerTest, eventually } from './cluster.ts';
import type { Cluster } from './cluster.ts';

/**
 * Issue 5, end to end: with `exactly.once.source.support=enabled`, a source task killed (SIGKILL)
 * in the middle of a transaction and started again — on another worker, or on the same worker
 * restarted — produces every record exactly once to a `read_committed` consumer. The records
 * the killed task had sent in its open transaction are in the topic, aborted: a
 * `read_uncommitted` consumer sees them twice.
 */
const plugins = testPlugins();

/**
 * A source counting 0 … `counter.total`-1 into `topic` (value: the number as text; source offset
 * `{n}`), `counter.batch` numbers per poll after a sleep of `counter.poll.delay.ms`, resuming
 * after its committed offset. Each task start logs where it counts from.
 */
const COUNTER_PLUGIN = `
import { defineConfig, definePlugin, defineSourceConnector, sourceRecord } from '@sluice/core';

const config = defineConfig({
  topic: { type: 'string', importance: 'high', doc: 'where the numbers go' },
  'counter.total': { type: 'int', importance: 'high', doc: 'how many numbers: 0 to total - 1' },
  'counter.batch': { type: 'int', default: 5, importance: 'low', doc: 'numbers per poll' },
  'counter.poll.delay.ms': { type: 'int', default: 20, importance: 'low', doc: 'sleep before each poll' },
});
const PARTITION = { counter: 'numbers' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const counter = defineSourceConnector({
  name: 'counter-source',
  config,
  exactlyOnceSupport: () => 'supported',
  create: () => {
    let taskConfig = {};
    return {
      start(_config, ctx) { taskConfig = { ...ctx.configs() }; },
      taskConfigs: () => [taskConfig],
      stop() {},
    };
  },
  task: {
    config,
    create: () => {
      let settings;
      let next = 0;
      return {
        async start(parsed, context) {
          settings = parsed;
          const committed = await context.offsetReader.offset(PARTITION);
          next = committed === null ? 0 : Number(committed.n) + 1;
          context.logger.info('counting from ' + next);
        },
        async poll() {
          const total = settings['counter.total'];
          await sleep(next >= total ? 200 : settings['counter.poll.delay.ms']);
          if (next >= total) return null;
          const records = [];
          for (const end = Math.min(total, next + settings['counter.batch']); next < end; next++) {
            records.push(sourceRecord({ sourcePartition: PARTITION, sourceOffset: { n: next }, topic: settings.topic, value: String(next) }));
          }
          return records;
        },
        stop() {},
      };
    },
  },
});
export default definePlugin({ name: 'counter-plugin', version: '1.0.0', connectors: [counter] });
`;

/** How many numbers the source counts; at about 450 a second, a run of about 9 s. */
const TOTAL = 4_000;
const INTERVAL_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('exactly-once source tasks on a distributed cluster', () => {
  const bootstrap = inject('kafkaBootstrap');
  const clusters = clustersPerTest(bootstrap);
  /**
   * Exactly-once sources, the counter plugin, and a dead worker noticed sooner than by default:
   * a killed worker's task runs again 7 to 11 s later, after the reads of {@link atKill} (3 s).
   */
  const workerKeys = () => ({
    'exactly.once.source.support': 'enabled',
    'plugin.path': plugins.add('counter', COUNTER_PLUGIN),
    'session.timeout.ms': '8000',
    'heartbeat.interval.ms': '2000',
  });

  /** The counter connector, created on worker 0 of `cluster`, writing to its own one-partition topic. */
  async function counter(cluster: Cluster): Promise<{ name: string; topic: string }> {
    const name = uniqueTopic('counter');
    const topic = uniqueTopic('numbers');
    await createTopic(bootstrap, topic, 1);
    await cluster.createConnector(0, name, {
      'connector.class': 'counter-source',
      'tasks.max': '1',
      topic,
      'counter.total': String(TOTAL),
      'counter.batch': '10',
      'counter.poll.delay.ms': '20',
      'exactly.once.support': 'required',
      'transaction.boundary': 'interval',
      'transaction.boundary.interval.ms': String(INTERVAL_MS),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    return { name, topic };
  }

  /** The connector's committed offset `n` as worker `on` reads it from the offsets topic; -1 before the first commit. */
  async function committedOffset(cluster: Cluster, on: number, connector: string): Promise<number> {
    const body = (await cluster.call(on, 'GET', `/connectors/${connector}/offsets`)).body as { offsets?: { offset: { n?: number } }[] };
    return body.offsets?.[0]?.offset.n ?? -1;
  }

  /**
   * How many records a consumer with `isolation` reads from `topic` within `ms`: the topic must
   * not change meanwhile. (`readTopic` reads until a count; asked for more than there are, it
   * fails saying how many it read.)
   */
  async function countRecords(topic: string, isolation: NonNullable<ReadOptions['isolation']>, ms = 3_000): Promise<number> {
    try {
      return (await readTopic(bootstrap, topic, Number.MAX_SAFE_INTEGER, ms, { isolation })).length;
    } catch (error) {
      const read = /read (\d+) of/.exec(String(error));
      if (!read) throw error;
      return Number(read[1]);
    }
  }

  /**
   * Waits until worker `on` saw a commit, then until it sees the next one: a new transaction has
   * just begun. SIGKILLs worker `victim` a third of an interval later, with that transaction open
   * and records sent in it. Resolves once the worker is dead.
   */
  async function killMidTransaction(cluster: Cluster, on: number, connector: string, victim: number): Promise<void> {
    const first = await eventually(
      `${connector} committed`,
      async () => {
        const n = await committedOffset(cluster, on, connector);
        return n >= 0 ? n : undefined;
      },
      () => cluster.logs(),
      20_000,
    );
    await eventually(
      `${connector} committed again`,
      async () => ((await committedOffset(cluster, on, connector)) > first ? true : undefined),
      () => cluster.logs(),
      INTERVAL_MS * 3,
    );
    await sleep(INTERVAL_MS / 3);
    expect(await cluster.stop(victim, 'SIGKILL')).toBeNull();
  }

  /**
   * Just after the kill, before the task runs again: the killed task's transaction is open, so a
   * `read_committed` consumer stops before it (at what was committed) while `read_uncommitted`
   * sees the records sent in it.
   */
  async function atKill(topic: string): Promise<{ committed: number; uncommitted: number }> {
    const [committed, uncommitted] = await Promise.all([countRecords(topic, 'read_committed'), countRecords(topic, 'read_uncommitted')]);
    expect(committed, 'records committed before the kill').toBeGreaterThan(0);
    expect(uncommitted, 'records the killed task sent in its open transaction, beyond the committed ones').toBeGreaterThan(committed);
    return { committed, uncommitted };
  }

  /** Reads exactly `count` records of `topic` with `isolation`, and checks that no more follow; resolves with their values, in offset order. */
  async function readExactly(topic: string, count: number, isolation: NonNullable<ReadOptions['isolation']>): Promise<number[]> {
    const [records] = await Promise.all([
      readTopic(bootstrap, topic, count, 20_000, { isolation }),
      expect(readTopic(bootstrap, topic, count + 1, 3_000, { isolation }), `${isolation}: a record beyond ${count}`).rejects.toThrow(`read ${count} of ${count + 1}`),
    ]);
    return records.map((r) => Number(r.value?.toString()));
  }

  /**
   * After the source finished: a `read_committed` consumer reads 0 … TOTAL-1, each once, and
   * nothing more; a `read_uncommitted` one also reads the killed transaction's records, aborted:
   * exactly the numbers it had sent beyond the commit, a second time.
   */
  async function expectExactlyOnce(topic: string, kill: { committed: number; uncommitted: number }): Promise<void> {
    const aborted = kill.uncommitted - kill.committed;
    const [committed, everything] = await Promise.all([readExactly(topic, TOTAL, 'read_committed'), readExactly(topic, TOTAL + aborted, 'read_uncommitted')]);
    const seen = new Map<number, number>();
    for (const n of committed) seen.set(n, (seen.get(n) ?? 0) + 1);
    const numbers = Array.from({ length: TOTAL }, (_, i) => i);
    const missing = numbers.filter((n) => !seen.has(n));
    const duplicated = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    expect({ missing, duplicated }, 'read_committed: numbers missing or read more than once').toEqual({ missing: [], duplicated: [] });
    // One partition, and the resumed task sends from the committed offset on: in order too.
    expect(committed, 'read_committed: 0 … TOTAL-1 in order').toEqual(numbers);
    // The log: the committed numbers, the killed task's aborted ones, then the resumed task's from the commit on.
    const zombie = Array.from({ length: aborted }, (_, i) => kill.committed + i);
    expect(everything, 'read_uncommitted: the killed transaction’s records between the committed ones and the resumed task’s').toEqual([...numbers.slice(0, kill.committed), ...zombie, ...numbers.slice(kill.committed)]);
  }

  it('a task SIGKILLed mid-transaction runs again on another worker and every number reaches read_committed exactly once', { timeout: 90_000 }, async () => {
    const startedAt = Date.now();
    const cluster = await clusters.create(3, workerKeys());
    await cluster.startAll();
    const { name, topic } = await counter(cluster);
    const [status] = await cluster.waitForRunning(0, [name]);
    const victim = cluster.indexOf(status!.tasks[0]!.worker_id);
    const survivors = [0, 1, 2].filter((i) => i !== victim);

    await killMidTransaction(cluster, survivors[0]!, name, victim);
    const killedAt = Date.now();
    const kill = await atKill(topic);
    const readIn = (Date.now() - killedAt) / 1000;

    const [moved] = await cluster.waitForRunning(survivors[0]!, [name], 30_000, ([s]) => s!.tasks[0]!.worker_id !== cluster.id(victim));
    const owner = cluster.indexOf(moved!.tasks[0]!.worker_id);
    const movedAfter = (Date.now() - killedAt) / 1000;
    // It resumed right after the last committed number.
    expect(cluster.output(owner)).toContain(`counting from ${kill.committed} (sluice.connector.${name}.task.0)`);
    await eventually('the counter finished', async () => ((await committedOffset(cluster, owner, name)) === TOTAL - 1 ? true : undefined), () => cluster.logs(), 45_000);

    await expectExactlyOnce(topic, kill);
    const aborted = kill.uncommitted - kill.committed;
    console.log(
      `moved: SIGKILL of worker ${victim} with ${kill.committed} numbers committed and ${aborted} more sent; ` +
        `read in ${readIn.toFixed(1)} s; the task ran on worker ${owner} ${movedAfter.toFixed(1)} s later; read_committed ${TOTAL}, read_uncommitted ${TOTAL + aborted} (${aborted} aborted); ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`,
    );
  });

  it('a worker SIGKILLed mid-transaction and started again runs its task on, and every number reaches read_committed exactly once', { timeout: 90_000 }, async () => {
    const startedAt = Date.now();
    // One worker: the task can only run again where it ran.
    const cluster = await clusters.create(1, workerKeys());
    await cluster.startAll();
    const { name, topic } = await counter(cluster);
    await cluster.waitForRunning(0, [name]);

    await killMidTransaction(cluster, 0, name, 0);
    const killedAt = Date.now();
    const kill = await atKill(topic);

    await cluster.start(0);
    // Not by its status: the status topic still says RUNNING on this worker id from before the kill.
    const from = await eventually(
      'the task started again',
      () => new RegExp(`counting from (\\d+) \\(sluice\\.connector\\.${name}\\.task\\.0\\)`).exec(cluster.output(0))?.[1],
      () => cluster.logs(),
      30_000,
    );
    const backAfter = (Date.now() - killedAt) / 1000;
    // It resumed right after the last committed number.
    expect(Number(from)).toBe(kill.committed);
    await eventually('the counter finished', async () => ((await committedOffset(cluster, 0, name)) === TOTAL - 1 ? true : undefined), () => cluster.logs(), 45_000);

    await expectExactlyOnce(topic, kill);
    const aborted = kill.uncommitted - kill.committed;
    console.log(
      `restarted: SIGKILL with ${kill.committed} numbers committed and ${aborted} more sent; ` +
        `the task ran again ${backAfter.toFixed(1)} s later; read_committed ${TOTAL}, read_uncommitted ${TOTAL + aborted} (${aborted} aborted); ` +
        `${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`,
    );
  });
});
