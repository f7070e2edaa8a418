// A standalone worker — Sluice's or Apache Kafka Connect's — started with no connector, driven over
// its REST API, so a benchmark's clock can start when the connector is created rather than when
// the process (or the JVM) starts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from './kafka-connect.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function writeProperties(file: string, keys: Readonly<Record<string, string>>): void {
  writeFileSync(file, Object.entries(keys).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');
}

/**
 * BENCH_NODE_FLAGS: flags for the Node workers (not the JVM ones), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`; such a worker is stopped with SIGTERM instead of SIGKILL.
 */
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
/** Workers stopped gracefully that may still be exiting, by port: the next worker on the port waits for them. */
const exiting = new Map<number, Promise<void>>();

export interface StandaloneWorker {
  readonly name: string;
  readonly url: string;
  /** Creates a connector (POST /connectors) and resolves once the worker accepted it. */
  createConnector(name: string, config: Readonly<Record<string, string>>): Promise<void>;
  /** Whether the connector and every task are RUNNING; throws with the trace when one FAILED or the process exited. */
  running(connector: string): Promise<boolean>;
  /** Throws when the process exited. */
  checkAlive(): void;
  stop(): void;
}

interface Status {
  connector?: { state?: string; trace?: string };
  tasks?: { id: number; state?: string; trace?: string }[];
}

/**
 * Starts a standalone worker with Kafka Connect's default converters (JsonConverter with schemas
 * for keys and values), its offsets in a fresh file, and `extra` worker keys; resolves once its
 * REST API answers. `command` gets the worker file's path.
 */
export async function startStandalone(
  name: string,
  port: number,
  command: (workerFile: string) => [string, string[]],
  extra: Readonly<Record<string, string>> = {},
): Promise<StandaloneWorker> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const workerFile = join(dir, 'worker.properties');
  writeProperties(workerFile, {
    'bootstrap.servers': bootstrap,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'true',
    'value.converter.schemas.enable': 'true',
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    listeners: `http://127.0.0.1:${port}`,
    ...extra,
  });
  await exiting.get(port);
  const [program, commandArgs] = command(workerFile);
  const args = program === process.execPath ? [...nodeFlags, ...commandArgs] : commandArgs;
  const child: ChildProcess = spawn(program, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;

  const checkAlive = () => {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}: ${output}`);
  };
  const worker: StandaloneWorker = {
    name,
    url,
    checkAlive,
    async createConnector(connector, config) {
      const response = await fetch(`${url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: connector, config: { name: connector, ...config } }),
      });
      if (response.status !== 201) throw new Error(`${name}: creating ${connector} answered ${response.status}: ${await response.text()}`);
    },
    async running(connector) {
      checkAlive();
      let status: Status;
      try {
        const response = await fetch(`${url}/connectors/${connector}/status`);
        if (!response.ok) return false;
        status = (await response.json()) as Status;
      } catch {
        return false;
      }
      const failed = [status.connector, ...(status.tasks ?? [])].find((s) => s?.state === 'FAILED');
      if (failed) throw new Error(`${name}: ${connector} FAILED: ${failed.trace ?? '(no trace)'}`);
      return status.connector?.state === 'RUNNING' && (status.tasks?.length ?? 0) > 0 && status.tasks!.every((t) => t.state === 'RUNNING');
    },
    stop() {
      if (nodeFlags.length === 0 || child.exitCode !== null || child.signalCode !== null) {
        child.kill('SIGKILL');
        return;
      }
      // a profiled worker is stopped gracefully, so Node writes its profile on exit (killed after 60 s)
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
      exiting.set(port, exited.then(() => clearTimeout(kill)));
      child.kill('SIGTERM');
    },
  };

  const deadline = performance.now() + 120_000;
  for (;;) {
    checkAlive();
    try {
      if ((await fetch(`${url}/connectors`)).ok) return worker;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      worker.stop();
      throw new Error(`${name}: REST API on ${url} did not answer within 120 s: ${output}`);
    }
    await sleep(100);
  }
}
