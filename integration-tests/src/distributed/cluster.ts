import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueTopic } from '@sluice/testkit';
import { afterEach } from 'vitest';
import { WorkerProcess, freePort } from '../standalone/worker-process.ts';

/** One connector or task of a `GET /connectors/{c}/status` answer. */
export interface WorkState {
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: WorkState;
  readonly tasks: readonly (WorkState & { readonly id: number })[];
  readonly type: string;
}

/** A REST answer, its body parsed when there is one. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns a value other than `undefined`; fails after `timeoutMs` with
 * `describe()` — what was last seen and the workers' output, so a stuck cluster explains itself.
 */
export async function eventually<T>(what: string, check: () => T | undefined | Promise<T | undefined>, describe: () => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A worker that is starting or gone refuses connections: that is "not yet", not a failure.
    const value = await Promise.resolve()
      .then(check)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${describe()}`);
    await sleep(200);
  }
}

/**
 * A Connect cluster of `sluice distributed` processes on the real broker, each started as a user
 * starts it from its own worker file. Every cluster has its own group and internal topics, so a
 * killed worker of one test never holds a session in the group of another. Worker `i` always
 * listens on the same port, so a restarted worker comes back under the same id.
 */
export class Cluster {
  readonly dir: string;
  readonly group: string;
  readonly #ports: readonly number[];
  readonly #workers: (WorkerProcess | undefined)[];
  /** Output of earlier runs of each worker, so a failure shows a restarted worker's whole story. */
  readonly #history: string[];

  private constructor(dir: string, group: string, ports: readonly number[]) {
    this.dir = dir;
    this.group = group;
    this.#ports = ports;
    this.#workers = ports.map(() => undefined);
    this.#history = ports.map(() => '');
  }

  /** `extra` keys go into every worker's file, over the defaults below. */
  static async create(bootstrap: string, size: number, extra: Readonly<Record<string, string>> = {}): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-cluster-'));
    const group = uniqueTopic('sluice-cluster');
    const ports: number[] = [];
    // Distinct ports: freePort may hand back a port it just released.
    while (ports.length < size) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    const cluster = new Cluster(dir, group, ports);
    ports.forEach((port, i) => {
      const properties = {
        'bootstrap.servers': bootstrap,
        'group.id': group,
        'config.storage.topic': `${group}-configs`,
        'offset.storage.topic': `${group}-offsets`,
        'status.storage.topic': `${group}-status`,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'status.storage.replication.factor': '1',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'offset.flush.interval.ms': '1000',
        listeners: `http://127.0.0.1:${port}`,
        ...extra,
      };
      writeFileSync(join(dir, `worker-${i}.properties`), Object.entries(properties).map(([k, v]) => `${k}=${v}\n`).join(''));
    });
    return cluster;
  }

  get size(): number {
    return this.#ports.length;
  }

  url(i: number): string {
    return `http://127.0.0.1:${this.#ports[i]}`;
  }

  /** The `worker_id` statuses carry: the worker's advertised host:port. */
  id(i: number): string {
    return `127.0.0.1:${this.#ports[i]}`;
  }

  /** The worker with this `worker_id`. */
  indexOf(workerId: string): number {
    const i = this.#ports.findIndex((_, j) => this.id(j) === workerId);
    if (i < 0) throw new Error(`no worker of this cluster is ${workerId}`);
    return i;
  }

  process(i: number): WorkerProcess {
    const worker = this.#workers[i];
    if (!worker) throw new Error(`worker ${i} is not running`);
    return worker;
  }

  /** Worker `i`'s output since it was last started. */
  output(i: number): string {
    return this.#workers[i]?.output ?? '';
  }

  /** Starts worker `i` (again) and resolves once it joined the group (`/health` healthy). */
  async start(i: number): Promise<WorkerProcess> {
    if (this.#alive(i)) throw new Error(`worker ${i} is already running`);
    this.#history[i] += this.#workers[i]?.output ?? '';
    const worker = new WorkerProcess(this.dir, ['distributed', `worker-${i}.properties`]);
    this.#workers[i] = worker;
    await worker.waitFor(`${this.url(i)}/health`, (body) => (body as { status?: string }).status === 'healthy', 60_000);
    return worker;
  }

  /** Starts every worker at once. */
  async startAll(): Promise<void> {
    await Promise.all(this.#ports.map((_, i) => this.start(i)));
  }

  /** Stops worker `i` with `signal` and resolves with its exit code (null when killed). */
  async stop(i: number, signal: NodeJS.Signals): Promise<number | null> {
    return (await this.#workers[i]?.stop(signal)) ?? null;
  }

  /** The workers running now. */
  running(): number[] {
    return this.#ports.map((_, i) => i).filter((i) => this.#alive(i));
  }

  #alive(i: number): boolean {
    const child = this.#workers[i]?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Every worker's output, earlier runs included, for failure messages. */
  logs(): string {
    return this.#ports.map((_, i) => `---- worker ${i} (${this.id(i)}) ----\n${this.#history[i]}${this.#workers[i]?.output ?? ''}`).join('\n');
  }

  async call(i: number, method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${this.url(i)}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** `POST /connectors` on worker `i`; fails unless it answers 201. */
  async createConnector(i: number, name: string, config: Record<string, string>): Promise<void> {
    const answer = await this.call(i, 'POST', '/connectors', { name, config });
    if (answer.status !== 201) throw new Error(`POST /connectors on worker ${i} answered ${answer.status}: ${JSON.stringify(answer.body)}\n${this.logs()}`);
  }

  async status(i: number, connector: string): Promise<ConnectorStatus | undefined> {
    const answer = await this.call(i, 'GET', `/connectors/${connector}/status`);
    return answer.status === 200 ? (answer.body as ConnectorStatus) : undefined;
  }

  /**
   * Polls worker `on` until each connector and all its tasks are RUNNING (and `accept` holds for
   * the statuses); resolves with them.
   */
  async waitForRunning(on: number, connectors: readonly string[], timeoutMs = 30_000, accept: (statuses: ConnectorStatus[]) => boolean = () => true): Promise<ConnectorStatus[]> {
    let last: unknown;
    return eventually(
      `${connectors.join(', ')} RUNNING as seen by worker ${on}`,
      async () => {
        const statuses = await Promise.all(connectors.map((c) => this.status(on, c)));
        last = statuses;
        if (!statuses.every((s): s is ConnectorStatus => s !== undefined && allRunning(s))) return undefined;
        return accept(statuses) ? statuses : undefined;
      },
      () => `last statuses: ${JSON.stringify(last)}\n${this.logs()}`,
      timeoutMs,
    );
  }

  /** Kills whatever still runs and removes the cluster's files. */
  async destroy(): Promise<void> {
    for (const worker of this.#workers) await worker?.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function allRunning(status: ConnectorStatus): boolean {
  return status.connector.state === 'RUNNING' && status.tasks.length > 0 && status.tasks.every((t) => t.state === 'RUNNING');
}

/** Every connector and task of these statuses, as `name` / `name-N`, with the worker running it. */
export function placement(statuses: readonly ConnectorStatus[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of statuses) {
    out.set(s.name, s.connector.worker_id);
    for (const t of s.tasks) out.set(`${s.name}-${t.id}`, t.worker_id);
  }
  return out;
}

/** Clusters for the tests of one file, each destroyed (its workers SIGKILLed) after its test. */
export function clustersPerTest(bootstrap: string): { create(size?: number, extra?: Readonly<Record<string, string>>): Promise<Cluster> } {
  const made: Cluster[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((c) => c.destroy()));
  });
  return {
    async create(size = 3, extra = {}) {
      const cluster = await Cluster.create(bootstrap, size, extra);
      made.push(cluster);
      return cluster;
    },
  };
}

/** The lines of a text file (none when it does not exist yet); a last line without `\n` is left out, as still being written. */
export function linesOf(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}
