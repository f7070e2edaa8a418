/**
 * bench/rebalance: how long a distributed cluster takes to give a killed worker's tasks to the
 * others. Three workers (Sluice's, then Apache Kafka Connect 4.1.1's, same broker, same
 * settings) run a FileStreamSink with `tasks.max` tasks over a topic with as many partitions;
 * the follower holding the most tasks gets SIGKILL, and the clock runs until every task and the
 * connector are RUNNING on the survivors (as `GET /connectors/{c}/status` on a survivor shows
 * it). Kafka Connect runs twice: with its default `scheduled.rebalance.max.delay.ms` (5 min)
 * and with 0. Ratios last.
 *
 *   ./dev pnpm build && ./dev pnpm --filter @sluice/bench run rebalance [tasks]   (default 6)
 *
 * Needs Java 17 and Maven (for Kafka Connect's jars) and a broker: KAFKA_BOOTSTRAP_SERVERS or
 * the local stack (`./dev stack up`). Kafka Connect with its default delay takes over five
 * minutes by design.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, connectCommand, fetchConnectJars, sluiceBin } from '../lib/kafka-connect.ts';

const tasks = Number(process.argv[2] ?? 6);

interface Variant {
  readonly name: string;
  readonly basePort: number;
  /** Worker keys besides the common ones. */
  readonly extra: Readonly<Record<string, string>>;
  command(workerFile: string): [string, string[]];
}

interface Status {
  connector?: { state?: string; worker_id?: string };
  tasks?: { id: number; state?: string; worker_id?: string }[];
}

const variants: Variant[] = [
  { name: 'sluice', basePort: 28091, extra: {}, command: (file) => [process.execPath, [sluiceBin, 'distributed', file]] },
  { name: 'kafka-connect (default delay)', basePort: 18091, extra: {}, command: (file) => connectCommand('ConnectDistributed', [file]) },
  { name: 'kafka-connect (delay 0)', basePort: 18191, extra: { 'scheduled.rebalance.max.delay.ms': '0' }, command: (file) => connectCommand('ConnectDistributed', [file]) },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(url: string, init?: RequestInit): Promise<T | undefined> {
  try {
    const response = await fetch(url, init);
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

function allRunning(status: Status | undefined, excluding?: string): boolean {
  const placed = (s: { state?: string; worker_id?: string } | undefined) => s?.state === 'RUNNING' && s.worker_id !== excluding;
  return placed(status?.connector) && status?.tasks?.length === tasks && status.tasks.every(placed);
}

/** Seconds from SIGKILL of the busiest worker to every task RUNNING on the others. */
async function measure(variant: Variant): Promise<number> {
  console.log(`running ${variant.name} …`);
  const stamp = `${variant.name.replace(/\W+/g, '-')}-${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'bench-rebalance-'));
  const ports = [0, 1, 2].map((i) => variant.basePort + i);
  const workers: ChildProcess[] = ports.map((port) => {
    const file = join(dir, `worker-${port}.properties`);
    const keys: Record<string, string> = {
      'bootstrap.servers': bootstrap,
      'group.id': `bench-rebalance-${stamp}`,
      'config.storage.topic': `bench-rebalance-${stamp}-configs`,
      'offset.storage.topic': `bench-rebalance-${stamp}-offsets`,
      'status.storage.topic': `bench-rebalance-${stamp}-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      listeners: `http://127.0.0.1:${port}`,
      ...variant.extra,
    };
    writeFileSync(file, Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n'));
    const [command, args] = variant.command(file);
    return spawn(command, args, { cwd: dir, stdio: 'ignore' });
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  try {
    // GET /health answers 200 once the worker joined the cluster (KIP-1017, both sides).
    for (const port of ports) await until(`worker ${port} healthy`, 120_000, () => json(`${url(port)}/health`));
    // Its own name, so its consumer group (`connect-<name>`) never meets another run's members.
    const connector = `bench-rebalance-sink-${stamp}`;
    const created = await fetch(`${url(ports[0]!)}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: connector, config: { 'connector.class': 'FileStreamSink', 'tasks.max': String(tasks), file: '/dev/null', topics: `bench-rebalance-${stamp}` } }),
    });
    if (created.status !== 201) throw new Error(`creating the connector: ${created.status} ${await created.text()}`);
    const status = (port: number) => json<Status>(`${url(port)}/connectors/${connector}/status`);
    const spread = await until('all tasks RUNNING', 120_000, async () => {
      const s = await status(ports[0]!);
      return allRunning(s) ? s : undefined;
    });
    const count = (id: string) => spread.tasks!.filter((t) => t.worker_id === id).length;
    const ids = ports.map((port) => `127.0.0.1:${port}`);
    // A follower: the first worker started leads the group, and when the leader itself dies
    // Kafka Connect's new leader knows nothing of the lost work and reassigns it at once.
    const victim = ids.slice(1).reduce((a, b) => (count(b) > count(a) ? b : a));
    const survivor = ports[0]!;
    console.log(`  tasks per worker before: ${ids.map((id) => `${id}=${count(id)}`).join(' ')}; killing ${victim}`);
    const killed = performance.now();
    workers[ids.indexOf(victim)]!.kill('SIGKILL');
    await until('tasks RUNNING on the survivors', 900_000, async () => (allRunning(await status(survivor), victim) ? true : undefined));
    return (performance.now() - killed) / 1000;
  } finally {
    for (const worker of workers) worker.kill('SIGKILL');
  }
}

fetchConnectJars();
const only = process.env.BENCH_VARIANTS?.split(',');
const results: [string, number][] = [];
for (const variant of variants.filter((v) => !only || only.some((o) => v.name.startsWith(o)))) {
  const seconds = await measure(variant);
  results.push([variant.name, seconds]);
  console.log(`${variant.name.padEnd(32)} ${seconds.toFixed(1)} s from SIGKILL to all ${tasks} tasks RUNNING elsewhere`);
}
const of = (name: string) => results.find(([n]) => n === name)?.[1];
const sluice = of('sluice');
const ratios = ['kafka-connect (default delay)', 'kafka-connect (delay 0)'].flatMap((name) => {
  const theirs = of(name);
  return sluice === undefined || theirs === undefined ? [] : [`vs ${name} ${(sluice / theirs).toFixed(2)}x`];
});
console.log(ratios.length > 0 ? `ratios sluice/kafka-connect (seconds to recover ${tasks} tasks): ${ratios.join(', ')}` : 'ratios: need the sluice variant and a kafka-connect one in the same run');
