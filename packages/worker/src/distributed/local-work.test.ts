import { defineConfig, definePlugin, defineSinkConnector } from '@sluice/core';
import type { Logger } from '@sluice/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigSecrets } from '../config/config-secrets.ts';
import { PluginRegistry } from '../plugins/registry.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import type { Status } from '../runtime/status.ts';
import type { TaskRunner, TaskStart } from '../runtime/task-runners.ts';
import type { ConfigSnapshot, TaskId } from '../storage/index.ts';
import { LocalWork } from './local-work.ts';

/** The runners LocalWork started, newest last: no Kafka, the test says how each one fares. */
const runners: FakeRunner[] = [];
/** What the next starts do: `throw` fails the start itself, `hold` waits for {@link release}. */
let startOutcomes: ('run' | 'throw' | 'hold')[] = [];
let release: () => void = () => undefined;

class FakeRunner implements TaskRunner {
  readonly start: TaskStart;
  paused: boolean;
  stopped = false;

  constructor(start: TaskStart) {
    this.start = start;
    this.paused = start.paused;
  }

  fail(message: string): void {
    this.start.onStatus({ state: 'FAILED', trace: `Error: ${message}` });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  stop(): Promise<void> {
    this.stopped = true;
    // As the real runners: a stopped runner that did not fail says UNASSIGNED.
    this.start.onStatus({ state: 'UNASSIGNED' });
    return Promise.resolve();
  }
}

vi.mock('../runtime/task-runners.ts', () => ({
  startTaskRunner: (start: TaskStart): Promise<TaskRunner> => {
    const outcome = startOutcomes.shift();
    if (outcome === 'throw') return Promise.reject(new Error('could not reach the database'));
    const runner = new FakeRunner(start);
    runners.push(runner);
    const started = () => {
      start.onStatus({ state: start.paused ? 'PAUSED' : 'RUNNING' });
      return runner;
    };
    if (outcome !== 'hold') return Promise.resolve(started());
    return new Promise((resolve) => {
      release = () => resolve(started());
    });
  },
}));

let connectorStarts = 0;
/** Fails its first `failingStarts` starts. */
let failingStarts = 0;
const config = defineConfig({});
const sink = defineSinkConnector({
  name: 'test-sink',
  config,
  create: () => ({
    start() {
      connectorStarts += 1;
      if (connectorStarts <= failingStarts) throw new Error(`connector start ${connectorStarts} failed`);
    },
    taskConfigs: (max: number) => Array.from({ length: max }, () => ({})),
    stop() {},
  }),
  task: { create: () => ({ start() {}, put() {}, stop() {} }) },
});
const registry = new PluginRegistry([definePlugin({ name: 'test-plugin', version: '1.0.0', connectors: [sink] })]);

const messages: string[] = [];
const log = (objOrMsg: object | string, msg?: string) => messages.push(typeof objOrMsg === 'string' ? objOrMsg : (msg ?? ''));
const logger: Logger = { debug: log, info: log, warn: log, error: log };
const services = { logger, offsets: {} } as unknown as WorkerServices;

const task0: TaskId = { connector: 'c', task: 0 };

function snapshot(connectorConfig: Record<string, string>, target: 'STARTED' | 'PAUSED' = 'STARTED'): ConfigSnapshot {
  return {
    offset: 0n,
    sessionKey: null,
    connectorConfigs: new Map([['c', { name: 'c', 'connector.class': 'test-sink', topics: 't', 'tasks.max': '1', ...connectorConfig }]]),
    targetStates: new Map([['c', target]]),
    taskCounts: new Map([['c', 1]]),
    taskConfigs: new Map([['c', new Map([[0, {}]])]]),
    taskCountRecords: new Map(),
    taskConfigGenerations: new Map(),
    appliedConnectorConfigs: new Map(),
    pendingFencing: new Set(),
    inconsistent: new Set(),
  };
}

const restartsOn = { 'sluice.restart.on.failure': 'true', 'sluice.restart.backoff.ms': '100', 'sluice.restart.backoff.max.ms': '400' };

/** A LocalWork whose events are recorded. */
function localWork() {
  const tasks: Status[] = [];
  const connectors: Status[] = [];
  const published: (readonly Readonly<Record<string, string>>[])[] = [];
  const work = new LocalWork(registry, services, new ConfigSecrets(), {
    connectorStatus: (_connector, status) => connectors.push(status),
    taskStatus: (_id, status) => tasks.push(status),
    taskConfigs: (_connector, configs) => {
      published.push(configs);
      return Promise.resolve();
    },
    topics: () => undefined,
  });
  return { work, tasks, connectors, published, states: () => tasks.map((s) => s.state) };
}

beforeEach(() => {
  vi.useFakeTimers();
  runners.length = 0;
  startOutcomes = [];
  messages.length = 0;
  connectorStarts = 0;
  failingStarts = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LocalWork automatic restarts of tasks', () => {
  it('shows a failed task RESTARTING with the failure in its trace, then replaces its runner after the backoff', async () => {
    const { work, tasks, states } = localWork();
    await work.startTask(task0, snapshot(restartsOn));
    runners[0]!.fail('put failed');
    expect(tasks.at(-1)!.state).toBe('RESTARTING');
    expect(tasks.at(-1)!.trace).toMatch(/^restart 1 of 5 in (7[5-9]|8\d|9\d|100) ms after:\nError: put failed$/);
    expect(messages).toContainEqual(expect.stringMatching(/^task c-0 failed; restart 1 of 5 in \d+ ms$/));
    expect(runners).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(100);
    expect(runners).toHaveLength(2);
    expect(runners[0]!.stopped).toBe(true);
    // The retired runner's UNASSIGNED on stop is not shown: RESTARTING, then the new runner's RUNNING.
    expect(states()).toEqual(['RUNNING', 'RESTARTING', 'RUNNING']);
    expect(messages).toContain('restarting task c-0');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores what a replaced runner reports later', async () => {
    const { work, states } = localWork();
    await work.startTask(task0, snapshot(restartsOn));
    runners[0]!.fail('first');
    await vi.advanceTimersByTimeAsync(100);
    runners[0]!.fail('late');
    expect(states()).toEqual(['RUNNING', 'RESTARTING', 'RUNNING']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('doubles the backoff and gives up after sluice.restart.max.attempts restarts in a row, FAILED with why', async () => {
    const { work, tasks } = localWork();
    await work.startTask(task0, snapshot({ ...restartsOn, 'sluice.restart.max.attempts': '2' }));
    runners[0]!.fail('one');
    expect(tasks.at(-1)!.trace).toMatch(/^restart 1 of 2 in \d+ ms/);
    await vi.advanceTimersByTimeAsync(100);
    runners[1]!.fail('two');
    expect(tasks.at(-1)!.trace).toMatch(/^restart 2 of 2 in (1[5-9]\d|200) ms after:\nError: two$/);
    await vi.advanceTimersByTimeAsync(200);
    runners[2]!.fail('three');
    expect(tasks.at(-1)).toEqual({ state: 'FAILED', trace: 'Error: three\nNot restarted: gave up after 2 restarts in a row (sluice.restart.max.attempts=2)' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runners).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('restarts a task whose start failed', async () => {
    const { work, tasks, states } = localWork();
    startOutcomes = ['throw'];
    await work.startTask(task0, snapshot(restartsOn));
    expect(tasks[0]!.state).toBe('RESTARTING');
    expect(tasks[0]!.trace).toMatch(/^restart 1 of 5 in \d+ ms after:\nError: could not reach the database/);
    await vi.advanceTimersByTimeAsync(100);
    expect(states()).toEqual(['RESTARTING', 'RUNNING']);
  });

  it('leaves a failed task FAILED with its own trace when sluice.restart.on.failure is off (the default)', async () => {
    const { work, tasks } = localWork();
    await work.startTask(task0, snapshot({}));
    runners[0]!.fail('put failed');
    expect(tasks.at(-1)).toEqual({ state: 'FAILED', trace: 'Error: put failed' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the waiting restart when the task is revoked or its connector deleted: no timer left, no runner started, UNASSIGNED last', async () => {
    const { work, states } = localWork();
    await work.startTask(task0, snapshot(restartsOn));
    runners[0]!.fail('put failed');
    expect(vi.getTimerCount()).toBe(1);
    await work.stopTask(task0);
    expect(vi.getTimerCount()).toBe(0);
    expect(runners[0]!.stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runners).toHaveLength(1);
    expect(work.hasTask(task0)).toBe(false);
    expect(states()).toEqual(['RUNNING', 'RESTARTING', 'UNASSIGNED']);
  });

  it('stops a runner a restart under way started once the task was revoked meanwhile', async () => {
    const { work, states } = localWork();
    await work.startTask(task0, snapshot(restartsOn));
    runners[0]!.fail('put failed');
    // The backoff is over and the restart runs; the revocation comes while it starts the new runner.
    startOutcomes = ['hold'];
    await vi.advanceTimersByTimeAsync(100);
    expect(runners).toHaveLength(2);
    const stopped = work.stopTask(task0);
    release();
    await stopped;
    expect(runners.map((r) => r.stopped)).toEqual([true, true]);
    expect(states()).toEqual(['RUNNING', 'RESTARTING', 'UNASSIGNED']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts the task afresh when it comes back, with the count of restarts from one', async () => {
    const { work, tasks } = localWork();
    const snap = snapshot(restartsOn);
    await work.startTask(task0, snap);
    runners[0]!.fail('one');
    await work.stopTask(task0);
    await work.startTask(task0, snap);
    expect(tasks.at(-1)!.state).toBe('RUNNING');
    runners[1]!.fail('two');
    expect(tasks.at(-1)!.trace).toMatch(/^restart 1 of 5 in/);
    await work.stopAll();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('restarts a task that was paused while it waited as PAUSED', async () => {
    const { work, states } = localWork();
    await work.startTask(task0, snapshot(restartsOn));
    runners[0]!.fail('put failed');
    work.setTasksTarget('c', 'PAUSED');
    await vi.advanceTimersByTimeAsync(100);
    expect(runners[1]!.paused).toBe(true);
    expect(states().at(-1)).toBe('PAUSED');
    work.setTasksTarget('c', 'STARTED');
    expect(runners[1]!.paused).toBe(false);
  });
});

describe('LocalWork automatic restarts of connectors', () => {
  it('shows a connector whose start failed RESTARTING, then starts it and publishes its task configs', async () => {
    const { work, connectors, published } = localWork();
    failingStarts = 1;
    await work.startConnector('c', snapshot(restartsOn));
    expect(connectors).toHaveLength(1);
    expect(connectors[0]!.state).toBe('RESTARTING');
    expect(connectors[0]!.trace).toMatch(/^restart 1 of 5 in \d+ ms after:\nError: connector start 1 failed/);
    expect(published).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(connectors.map((s) => s.state)).toEqual(['RESTARTING', 'RUNNING']);
    expect(published).toHaveLength(1);
    expect(messages).toContain('restarting connector c');
  });

  it('gives up on a connector that keeps failing, FAILED with why', async () => {
    const { work, connectors } = localWork();
    failingStarts = 10;
    await work.startConnector('c', snapshot({ ...restartsOn, 'sluice.restart.max.attempts': '1' }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(connectorStarts).toBe(2);
    expect(connectors.at(-1)).toMatchObject({ state: 'FAILED' });
    expect(connectors.at(-1)!.trace).toMatch(/^Error: connector start 2 failed[^]*\nNot restarted: gave up after 1 restarts in a row \(sluice.restart.max.attempts=1\)$/);
  });

  it('drops the waiting restart when the connector is deleted or revoked', async () => {
    const { work, connectors } = localWork();
    failingStarts = 1;
    await work.startConnector('c', snapshot(restartsOn));
    expect(vi.getTimerCount()).toBe(1);
    await work.stopConnector('c');
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(connectorStarts).toBe(1);
    expect(connectors.map((s) => s.state)).toEqual(['RESTARTING', 'UNASSIGNED']);
  });

  it('drops the waiting restart when the connector is stopped (target STOPPED), and starts it on resume', async () => {
    const { work, connectors } = localWork();
    failingStarts = 1;
    await work.startConnector('c', snapshot(restartsOn));
    await work.setConnectorTarget('c', 'STOPPED');
    expect(vi.getTimerCount()).toBe(0);
    await work.setConnectorTarget('c', 'STARTED');
    expect(connectors.map((s) => s.state)).toEqual(['RESTARTING', 'STOPPED', 'RUNNING']);
    expect(connectorStarts).toBe(2);
  });
});
