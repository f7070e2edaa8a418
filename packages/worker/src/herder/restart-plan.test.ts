import { describe, expect, it } from 'vitest';
import type { ConnectorStateInfo } from './herder.ts';
import { restartPlan, restartingState } from './restart-plan.ts';

const status: ConnectorStateInfo = {
  name: 'orders',
  connector: { state: 'RUNNING', worker_id: 'w:8083' },
  tasks: [
    { id: 0, state: 'RUNNING', worker_id: 'w:8083' },
    { id: 1, state: 'FAILED', worker_id: 'w:8083', trace: 'Error: boom' },
  ],
  type: 'source',
};

describe('restartPlan (KIP-745)', () => {
  it('restarts the connector and, with includeTasks, every task', () => {
    expect(restartPlan(status, { includeTasks: true, onlyFailed: false })).toEqual({ connector: true, tasks: [0, 1] });
    expect(restartPlan(status, { includeTasks: false, onlyFailed: false })).toEqual({ connector: true, tasks: [] });
  });

  it('with onlyFailed, restarts only what FAILED', () => {
    expect(restartPlan(status, { includeTasks: true, onlyFailed: true })).toEqual({ connector: false, tasks: [1] });
    expect(restartPlan(status, { includeTasks: false, onlyFailed: true })).toEqual({ connector: false, tasks: [] });
    const failed = { ...status, connector: { state: 'FAILED', worker_id: 'w:8083' } };
    expect(restartPlan(failed, { includeTasks: false, onlyFailed: true })).toEqual({ connector: true, tasks: [] });
  });
});

describe('restartingState', () => {
  it('shows what restarts as RESTARTING, without its old trace, and the rest as it was', () => {
    expect(restartingState(status, { connector: false, tasks: [1] })).toEqual({
      ...status,
      tasks: [status.tasks[0], { id: 1, state: 'RESTARTING', worker_id: 'w:8083' }],
    });
    expect(restartingState(status, { connector: true, tasks: [] }).connector).toEqual({ state: 'RESTARTING', worker_id: 'w:8083' });
  });
});
