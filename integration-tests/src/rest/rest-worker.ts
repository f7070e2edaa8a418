import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { WorkerProcess, freePort } from '../standalone/worker-process.ts';

/** A standalone worker with no connector files, on a free port, and a client for its REST API. */
export interface RestWorker {
  readonly dir: string;
  readonly url: string;
  readonly process: WorkerProcess;
  /** Calls the REST API; the body is parsed when there is one. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** Polls `GET path` until `ready` holds for its body. */
  waitFor(path: string, ready: (body: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  /** A connector name no earlier test used, so its consumer group starts empty. */
  name(prefix: string): string;
}

export async function startRestWorker(bootstrap: string, worker: Record<string, string> = {}): Promise<RestWorker> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-rest-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const properties = {
    'bootstrap.servers': bootstrap,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': '500',
    listeners: url,
    ...worker,
  };
  writeFileSync(join(dir, 'worker.properties'), Object.entries(properties).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}\n`).join(''));
  const process = new WorkerProcess(dir, ['standalone', 'worker.properties']);
  await process.waitFor(`${url}/health`, (body) => (body as { status?: string }).status === 'healthy');
  return {
    dir,
    url,
    process,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), headers: response.headers };
    },
    waitFor: (path, ready, timeoutMs) => process.waitFor(`${url}${path}`, ready, timeoutMs),
    name: (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`,
  };
}

/** A `ConnectorStateInfo` whose connector and every task are in `state` (and there are `tasks` tasks). */
export function inState(state: string, tasks = 1): (body: unknown) => boolean {
  return (body) => {
    const status = body as { connector?: { state?: string }; tasks?: { state?: string }[] };
    return status.connector?.state === state && status.tasks?.length === tasks && status.tasks.every((t) => t.state === state);
  };
}

/** One REST worker for the tests of a file: started before them, killed after; call the result for it. */
export function restWorkerPerFile(bootstrap: string): () => RestWorker {
  let worker: RestWorker | undefined;
  beforeAll(async () => {
    worker = await startRestWorker(bootstrap);
  }, 60_000);
  afterAll(async () => {
    await worker?.process.stop('SIGKILL');
  });
  return () => {
    if (!worker) throw new Error('the REST worker did not start');
    return worker;
  };
}
