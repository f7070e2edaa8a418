import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const CLI = fileURLToPath(new URL('../../../packages/worker/src/cli.ts', import.meta.url));

/** A `sluice standalone …` process, as a user starts it, for tests that stop or kill it. */
export class WorkerProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--conditions=@sluice/source', CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves when `GET url` answers 200 with JSON for which `ready` holds; fails after `timeoutMs` showing the worker's output. */
  async waitFor(url: string, ready: (body: unknown) => boolean, timeoutMs = 30_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = 'no answer';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`worker exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        const response = await fetch(url);
        last = await response.json();
        if (response.ok && ready(last)) return last;
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${url} not ready within ${timeoutMs} ms (last answer ${JSON.stringify(last)}); worker output:\n${this.output}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** The quickstart worker's REST API (its files keep Kafka Connect's default listener). */
export const REST = 'http://127.0.0.1:8083';

/**
 * Starts workers in `dir` for the tests of one file (`start`), killing whichever is still
 * running after each test so the next one gets the REST port.
 */
export function workersPerTest(args: readonly string[]): { start(dir: string): WorkerProcess } {
  let current: WorkerProcess | undefined;
  afterEach(async () => {
    await current?.stop('SIGKILL');
    current = undefined;
  });
  return {
    start(dir) {
      current = new WorkerProcess(dir, args);
      return current;
    },
  };
}

/** Polls until `file` holds at least `lines` lines; returns its text. */
export async function waitForLines(file: string, lines: number, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while (Date.now() < deadline) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    count = text === '' ? 0 : text.split('\n').length - 1;
    if (count >= lines) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${file} has ${count} of ${lines} lines after ${timeoutMs} ms`);
}

/** Every `connector` and task state of a `GET /connectors/{c}/status` answer is RUNNING. */
export function allRunning(body: unknown): boolean {
  const status = body as { connector?: { state?: string }; tasks?: { state?: string }[] };
  return status.connector?.state === 'RUNNING' && (status.tasks?.length ?? 0) > 0 && status.tasks!.every((t) => t.state === 'RUNNING');
}

/** A free loopback port for a worker's `listeners`. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The text of a `.properties` file with these entries, backslashes escaped as Java reads them. */
export function propertiesText(entries: Readonly<Record<string, string>>): string {
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}\n`)
    .join('');
}

/** A standalone worker's folder: its properties, one file per connector, and how to start it. */
export interface PluginWorker {
  readonly dir: string;
  readonly rest: string;
  start(): WorkerProcess;
  /** Resolves when every connector and task of `name` is RUNNING. */
  running(worker: WorkerProcess, name: string, timeoutMs?: number): Promise<unknown>;
}

/**
 * A standalone worker with `worker` as its properties plus a file offset store in its folder, the
 * plugin package at `pluginPath` on `plugin.path` (found as an installed plugin is), a free REST
 * port, and these connectors.
 */
export async function pluginWorker(pluginPath: string, worker: Readonly<Record<string, string>>, connectors: Readonly<Record<string, Readonly<Record<string, string>>>>): Promise<PluginWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-plugin-worker-'));
  const port = await freePort();
  writeFileSync(join(dir, 'worker.properties'), propertiesText({ 'offset.storage.file.filename': join(dir, 'connect.offsets'), 'plugin.path': pluginPath, listeners: `http://127.0.0.1:${port}`, ...worker }));
  const files = Object.entries(connectors).map(([name, config]) => {
    writeFileSync(join(dir, `${name}.properties`), propertiesText({ name, ...config }));
    return `${name}.properties`;
  });
  const rest = `http://127.0.0.1:${port}`;
  return {
    dir,
    rest,
    start: () => new WorkerProcess(dir, ['standalone', 'worker.properties', ...files]),
    running: (process, name, timeoutMs = 60_000) => process.waitFor(`${rest}/connectors/${encodeURIComponent(name)}/status`, allRunning, timeoutMs),
  };
}

/** Polls `probe` until it returns true, failing after `timeoutMs` with what `describe` says. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, describe: () => Promise<string> | string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not reached within ${timeoutMs} ms: ${await describe()}`);
}
