import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTopic, uniqueTopic } from '@sluice/testkit';
import { describe, expect, inject, it } from 'vitest';
import { clustersPerTest, eventually, linesOf, placement } from './cluster.ts';
import type { Cluster, ConnectorStatus } from './cluster.ts';

/**
 * A FileStreamSource reading `input` into `topic` and a FileStreamSink writing it to `output`.
 * Connector names are unique per test: a sink's consumer group is `connect-<name>`, and a killed
 * worker's consumer of an earlier test must not hold up this one's.
 */
class Pipeline {
  readonly source = uniqueTopic('source');
  readonly sink = uniqueTopic('sink');
  readonly topic = uniqueTopic('lines');
  readonly tag: string;
  readonly input: string;
  readonly output: string;
  #written = 0;

  constructor(dir: string, tag: string) {
    this.tag = tag;
    this.input = join(dir, `${tag}.in.txt`);
    this.output = join(dir, `${tag}.out.txt`);
    writeFileSync(this.input, '');
  }

  get connectors(): string[] {
    return [this.source, this.sink];
  }

  sourceConfig(): Record<string, string> {
    return { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: this.input, topic: this.topic };
  }

  sinkConfig(file = this.output): Record<string, string> {
    return { 'connector.class': 'FileStreamSink', 'tasks.max': '1', file, topics: this.topic };
  }

  async create(cluster: Cluster, sourceOn: number, sinkOn: number): Promise<void> {
    await cluster.createConnector(sourceOn, this.source, this.sourceConfig());
    await cluster.createConnector(sinkOn, this.sink, this.sinkConfig());
  }

  /** Appends `count` new lines to the input; resolves with them. */
  append(count: number): string[] {
    const lines = Array.from({ length: count }, (_, i) => `${this.tag} ${String(this.#written + i).padStart(6, '0')} café 🚀`);
    this.#written += count;
    appendFileSync(this.input, lines.map((l) => `${l}\n`).join(''));
    return lines;
  }

  /** Every line written to the input so far. */
  written(): string[] {
    return linesOf(this.input);
  }
}

/** Waits until `file` holds every one of `expected` (in any order, duplicates allowed); resolves with its lines. */
async function waitForAll(cluster: Cluster, file: string, expected: readonly string[], timeoutMs: number): Promise<string[]> {
  let got: string[] = [];
  return eventually(
    `${file} holds all ${expected.length} lines`,
    () => {
      got = linesOf(file);
      const have = new Set(got);
      return expected.every((l) => have.has(l)) ? got : undefined;
    },
    () => {
      const have = new Set(got);
      const missing = expected.filter((l) => !have.has(l));
      return `${missing.length} missing, e.g. ${JSON.stringify(missing.slice(0, 5))}\n${cluster.logs()}`;
    },
    timeoutMs,
  );
}

/** Waits until worker 0 shows `connector`'s committed offset (its only partition) satisfying `ready`. */
async function committed(cluster: Cluster, connector: string, ready: (offset: Record<string, unknown>) => boolean): Promise<void> {
  let last: unknown;
  await eventually(
    `${connector}'s offset committed`,
    async () => {
      last = (await cluster.call(0, 'GET', `/connectors/${connector}/offsets`)).body;
      const offset = (last as { offsets?: { offset: Record<string, unknown> }[] }).offsets?.[0]?.offset;
      return offset && ready(offset) ? true : undefined;
    },
    () => `last answer ${JSON.stringify(last)}\n${cluster.logs()}`,
    15_000,
  );
}

/** Every line of `got` was written, and every written line is there: the sets are equal. Returns the duplicates' count. */
function expectSameLines(got: readonly string[], written: readonly string[], what: string): number {
  expect(new Set(got), what).toEqual(new Set(written));
  return got.length - new Set(got).size;
}

/**
 * Task and connector starts in a worker's output, one per start, as `name` (connector) or
 * `name-N` (task). The file connectors log where they begin — "starting file source connector
 * reading from …", "reading lines from … at byte N", "appending lines to …" — with the logger
 * `sluice.connector.<name>[.task.<N>]`, so a start is visible in the log of the worker it ran on.
 */
function starts(output: string): string[] {
  const out: string[] = [];
  const marker = /INFO (?:starting file (?:source|sink) connector|reading lines from|appending lines to) .* \(sluice\.connector\.([^.\s]+)(?:\.task\.(\d+))?\)$/gm;
  for (const match of output.matchAll(marker)) out.push(match[2] === undefined ? match[1]! : `${match[1]}-${match[2]}`);
  return out;
}

const count = (items: readonly string[], item: string) => items.filter((i) => i === item).length;

/** Everything of `statuses` runs on the workers `on`, none elsewhere. */
const runsOn = (cluster: Cluster, on: readonly number[]) => (statuses: ConnectorStatus[]) => [...placement(statuses).values()].every((id) => on.includes(cluster.indexOf(id)));

/** The worker index each connector and task runs on. */
function owners(cluster: Cluster, statuses: readonly ConnectorStatus[]): Map<string, number> {
  return new Map([...placement(statuses)].map(([item, id]) => [item, cluster.indexOf(id)]));
}

function load(cluster: Cluster, where: Map<string, number>): number[] {
  return Array.from({ length: cluster.size }, (_, i) => [...where.values()].filter((w) => w === i).length);
}

/**
 * The group's leader: the worker that last logged assigning as the group leader (only the leader
 * assigns; the log's timestamps sort as text).
 */
function leader(cluster: Cluster): number {
  const last = (i: number) => [...cluster.output(i).matchAll(/^\[([^\]]+)\] INFO assigned connectors and tasks as the group leader$/gm)].map((m) => m[1]!).pop() ?? '';
  const [first] = cluster.running().sort((a, b) => last(b).localeCompare(last(a)));
  if (first === undefined || last(first) === '') throw new Error(`no worker logged being the group leader\n${cluster.logs()}`);
  return first;
}

/** Three pipelines on a three-worker cluster: each worker runs some of the six connectors and six tasks. */
async function threePipelines(cluster: Cluster, lines: number): Promise<Pipeline[]> {
  const pipelines = ['alpha', 'beta', 'gamma'].map((tag) => new Pipeline(cluster.dir, tag));
  for (const [i, p] of pipelines.entries()) {
    p.append(lines);
    await p.create(cluster, i, (i + 1) % cluster.size);
  }
  return pipelines;
}

describe('a three-worker Connect cluster on the real broker', () => {
  const bootstrap = inject('kafkaBootstrap');
  const clusters = clustersPerTest(bootstrap);

  it('copies lines end to end from a file source created on one worker to a file sink created on another', { timeout: 60_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const p = new Pipeline(cluster.dir, 'plain');
    p.append(2_000);
    await cluster.createConnector(0, p.source, p.sourceConfig());
    await cluster.createConnector(1, p.sink, p.sinkConfig());

    const statuses = await cluster.waitForRunning(2, p.connectors);
    await waitForAll(cluster, p.output, p.written(), 30_000);
    // One partition, one task each way: the sink file is the input, byte for byte.
    expect(readFileSync(p.output, 'utf8')).toBe(readFileSync(p.input, 'utf8'));
    // Every worker tells where each connector and task runs, and they agree.
    for (const i of [0, 1, 2]) expect(placement(await cluster.waitForRunning(i, p.connectors))).toEqual(placement(statuses));
  });

  it('runs a SIGKILLed worker’s connectors and tasks on the others within 15 s, and loses no line', { timeout: 90_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const pipelines = await threePipelines(cluster, 1_000);
    const connectors = pipelines.flatMap((p) => p.connectors);
    for (const p of pipelines) await waitForAll(cluster, p.output, p.written(), 30_000);
    // Everything read is committed (GET /connectors/{c}/offsets), so whatever the dead worker ran resumes where it was.
    const bytes = new Map(pipelines.map((p) => [p.source, statSync(p.input).size]));
    for (const p of pipelines) {
      await committed(cluster, p.source, (offset) => offset.position === bytes.get(p.source));
      await committed(cluster, p.sink, (offset) => offset.kafka_offset === 1_000);
    }

    // Of the workers running a source task, the one running the most connectors and tasks.
    const before = owners(cluster, await cluster.waitForRunning(0, connectors));
    const loads = load(cluster, before);
    const victim = [...new Set(pipelines.map((p) => before.get(`${p.source}-0`)!))].sort((a, b) => loads[b]! - loads[a]!)[0]!;
    const moved = [...before].filter(([, w]) => w === victim).map(([item]) => item);
    expect(moved.length, `worker ${victim} runs some of ${JSON.stringify([...before])}`).toBeGreaterThan(0);
    const survivors = [0, 1, 2].filter((i) => i !== victim);

    expect(await cluster.stop(victim, 'SIGKILL')).toBeNull();
    const killedAt = Date.now();
    // Lines keep coming while the worker is dead.
    for (const p of pipelines) p.append(1_000);
    const after = owners(cluster, await cluster.waitForRunning(survivors[0]!, connectors, 30_000, runsOn(cluster, survivors)));
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`SIGKILL of worker ${victim} (${moved.join(', ')}): RUNNING on workers ${survivors.join(' and ')} after ${seconds.toFixed(1)} s; now ${JSON.stringify(Object.fromEntries(after))}`);
    expect(seconds, 'seconds until the killed worker’s work runs elsewhere').toBeLessThan(15);
    expect(await cluster.waitForRunning(survivors[1]!, connectors, 10_000, runsOn(cluster, survivors))).toHaveLength(connectors.length);
    // A moved source task resumes at its committed byte, not at the file's start.
    for (const p of pipelines.filter((q) => before.get(`${q.source}-0`) === victim)) {
      const owner = after.get(`${p.source}-0`)!;
      expect(cluster.output(owner), `worker ${owner} took over ${p.source}`).toContain(`reading lines from ${p.input} at byte ${bytes.get(p.source)} (sluice.connector.${p.source}.task.0)`);
    }

    for (const p of pipelines) p.append(500);
    for (const p of pipelines) {
      const got = await waitForAll(cluster, p.output, p.written(), 45_000);
      const duplicates = expectSameLines(got, p.written(), `${p.output} against ${p.input}`);
      console.log(`SIGKILL: ${p.tag} (${p.source} ${p.sink}): ${p.written().length} lines, ${duplicates} duplicates`);
    }
  });

  it('moves work back to a killed worker that returns, without restarting the tasks the others keep', { timeout: 90_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const pipelines = await threePipelines(cluster, 200);
    const connectors = pipelines.flatMap((p) => p.connectors);
    const first = owners(cluster, await cluster.waitForRunning(0, connectors));
    const victim = 2;
    const survivors = [0, 1];
    expect(load(cluster, first)[victim], `worker ${victim} runs nothing: ${JSON.stringify([...first])}`).toBeGreaterThan(0);

    expect(await cluster.stop(victim, 'SIGKILL')).toBeNull();
    const away = owners(cluster, await cluster.waitForRunning(0, connectors, 30_000, runsOn(cluster, survivors)));
    // From here on, a start marker in a survivor's log is a restart caused by the return.
    const marks = survivors.map((i) => cluster.output(i).length);

    await cluster.start(victim);
    const returnedAt = Date.now();
    // Twelve items over three workers: each gets two connectors and two tasks back.
    const balanced = (statuses: ConnectorStatus[]) => {
      const where = owners(cluster, statuses);
      // Not by name: a connector named like `sink-24997533` ends in digits too.
      const tasks = new Set(statuses.flatMap((s) => s.tasks.map((t) => `${s.name}-${t.id}`)));
      const isTask = (item: string) => tasks.has(item);
      const per = (test: (item: string) => boolean) => load(cluster, new Map([...where].filter(([item]) => test(item))));
      return per(isTask).every((n) => n === 2) && per((item) => !isTask(item)).every((n) => n === 2);
    };
    const back = owners(cluster, await cluster.waitForRunning(victim, connectors, 30_000, balanced));
    console.log(`return of worker ${victim}: balanced 2+2 per worker after ${((Date.now() - returnedAt) / 1000).toFixed(1)} s; ${JSON.stringify(Object.fromEntries(back))}`);

    // Every survivor answers the same placement: the statuses are settled, not in flight.
    for (const i of survivors) expect(owners(cluster, await cluster.waitForRunning(i, connectors, 10_000, balanced))).toEqual(back);
    const movedBack = [...back].filter(([, w]) => w === victim).map(([item]) => item);
    const kept = [...back].filter(([item, w]) => w !== victim && away.get(item) === w).map(([item]) => item);
    expect(movedBack.length + kept.length, 'everything either moved back or stayed where it ran').toBe(back.size);
    expect(kept.length).toBe(8);
    // REST statuses say where work runs, not whether it was restarted in place: a task stopped and
    // started again on the same worker looks the same there. The start markers in each worker's
    // log (see `starts`) do show it. The returned worker started what it got, once each.
    const returnedStarts = starts(cluster.output(victim));
    for (const item of movedBack) expect(count(returnedStarts, item), `${item} starts on the returned worker ${victim}`).toBe(1);
    // What the others kept ran on untouched: no start marker since the worker came back.
    for (const item of kept) {
      const owner = back.get(item)!;
      expect(count(starts(cluster.output(owner).slice(marks[survivors.indexOf(owner)])), item), `${item} on worker ${owner} restarted when worker ${victim} returned`).toBe(0);
    }

    // And the moved work works: lines written now reach every sink.
    for (const p of pipelines) p.append(300);
    for (const p of pipelines) expectSameLines(await waitForAll(cluster, p.output, p.written(), 30_000), p.written(), p.output);
  });

  it('loses no line over a rolling restart of all three workers', { timeout: 120_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const pipelines = await threePipelines(cluster, 500);
    const connectors = pipelines.flatMap((p) => p.connectors);
    await cluster.waitForRunning(0, connectors);

    for (const i of [0, 1, 2]) {
      const others = [0, 1, 2].filter((j) => j !== i);
      const stoppedAt = Date.now();
      expect(await cluster.stop(i, 'SIGTERM'), `worker ${i} exits cleanly on SIGTERM`).toBe(0);
      for (const p of pipelines) p.append(500);
      // A worker that leaves hands its work over: it runs on the others before this one is back.
      await cluster.waitForRunning(others[0]!, connectors, 20_000, runsOn(cluster, others));
      const movedIn = (Date.now() - stoppedAt) / 1000;
      await cluster.start(i);
      await cluster.waitForRunning(i, connectors, 30_000, (statuses) => load(cluster, owners(cluster, statuses))[i]! > 0);
      console.log(`rolling restart: worker ${i}'s work ran elsewhere ${movedIn.toFixed(1)} s after SIGTERM; back in ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
    }

    for (const p of pipelines) p.append(500);
    for (const p of pipelines) {
      const duplicates = expectSameLines(await waitForAll(cluster, p.output, p.written(), 45_000), p.written(), `${p.output} against ${p.input}`);
      console.log(`rolling restart: ${p.tag}: ${p.written().length} lines, ${duplicates} duplicates`);
    }
  });

  it('applies a config change made on a follower: the sink task writes new lines to the new file', { timeout: 60_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const p = new Pipeline(cluster.dir, 'moving');
    const before = p.append(500);
    await p.create(cluster, 0, 1);
    const where = owners(cluster, await cluster.waitForRunning(0, p.connectors));
    await waitForAll(cluster, p.output, before, 30_000);

    // A follower, preferably one not running the sink task, so the change crosses workers twice.
    const lead = leader(cluster);
    const followers = [0, 1, 2].filter((i) => i !== lead);
    const on = followers.find((i) => i !== where.get(`${p.sink}-0`)) ?? followers[0]!;
    const moved = join(cluster.dir, 'moving.new.txt');
    const put = await cluster.call(on, 'PUT', `/connectors/${p.sink}/config`, { ...p.sinkConfig(moved), name: p.sink });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    for (const i of [0, 1, 2]) {
      await eventually(
        `worker ${i} shows the sink's new file in its task config`,
        async () => {
          const tasks = await cluster.call(i, 'GET', `/connectors/${p.sink}/tasks`);
          return (tasks.body as { config: { file?: string } }[])[0]?.config.file === moved ? true : undefined;
        },
        () => cluster.logs(),
        15_000,
      );
    }
    // The task restarted with the new file where it runs.
    await eventually(
      'a sink task started on the new file',
      () => (cluster.running().some((i) => cluster.output(i).includes(`appending lines to ${moved} (sluice.connector.${p.sink}.task.0)`)) ? true : undefined),
      () => cluster.logs(),
      15_000,
    );

    const after = p.append(500);
    await waitForAll(cluster, moved, after, 30_000);
    expect(linesOf(moved).every((l) => p.written().includes(l)), 'the new file holds input lines only').toBe(true);
    expect(linesOf(p.output).filter((l) => after.includes(l)), 'lines written after the change in the old file').toEqual([]);
  });

  it('forwards REST writes from followers: a connector created on one shows on all, and deleted on another goes from all', { timeout: 60_000 }, async () => {
    const cluster = await clusters.create();
    await cluster.startAll();
    const lead = leader(cluster);
    const [a, b] = [0, 1, 2].filter((i) => i !== lead) as [number, number];
    const p = new Pipeline(cluster.dir, 'forwarded');
    const first = p.append(100);
    await p.create(cluster, a, a);
    const again = await cluster.call(b, 'POST', '/connectors', { name: p.sink, config: p.sinkConfig() });
    expect(again.status, `a second POST of ${p.sink} on worker ${b}: ${JSON.stringify(again.body)}`).toBe(409);

    const expected = [...p.connectors].sort();
    const statuses = await cluster.waitForRunning(lead, p.connectors);
    for (const i of [0, 1, 2]) {
      expect((await cluster.call(i, 'GET', '/connectors')).body, `GET /connectors on worker ${i}`).toEqual(expected);
      expect(placement(await cluster.waitForRunning(i, p.connectors)), `statuses on worker ${i}`).toEqual(placement(statuses));
      expect((await cluster.call(i, 'GET', `/connectors/${p.sink}/config`)).body).toEqual({ ...p.sinkConfig(), name: p.sink });
    }
    await waitForAll(cluster, p.output, first, 30_000);

    const deleted = await cluster.call(b, 'DELETE', `/connectors/${p.sink}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    for (const i of [0, 1, 2]) {
      await eventually(
        `worker ${i} no longer lists ${p.sink}`,
        async () => {
          const list = await cluster.call(i, 'GET', '/connectors');
          const status = await cluster.call(i, 'GET', `/connectors/${p.sink}/status`);
          return JSON.stringify(list.body) === JSON.stringify([p.source]) && status.status === 404 ? true : undefined;
        },
        () => cluster.logs(),
        10_000,
      );
    }
    // The deleted sink's task is stopped too: lines the source still sends never reach its file.
    const later = p.append(50);
    await readTopic(bootstrap, p.topic, first.length + later.length);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(linesOf(p.output).filter((l) => later.includes(l)), 'lines the deleted sink wrote').toEqual([]);
  });
});
