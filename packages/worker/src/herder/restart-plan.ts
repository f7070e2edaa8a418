import type { ConnectorStateInfo, RestartRequest } from './herder.ts';

/** What a restart request covers, given the connector's status when it arrived. */
export interface RestartPlan {
  readonly connector: boolean;
  readonly tasks: readonly number[];
}

/**
 * Kafka Connect's `RestartRequest` rules (KIP-745): the connector restarts unless `onlyFailed`
 * and it is not FAILED; tasks restart only with `includeTasks`, and with `onlyFailed` only the
 * FAILED ones.
 */
export function restartPlan(status: ConnectorStateInfo, request: RestartRequest): RestartPlan {
  const restarts = (state: string) => !request.onlyFailed || state === 'FAILED';
  return {
    connector: restarts(status.connector.state),
    tasks: request.includeTasks ? status.tasks.filter((task) => restarts(task.state)).map((task) => task.id) : [],
  };
}

/** The status answered to a restart request: what the plan restarts shows RESTARTING, without its old trace. */
export function restartingState(status: ConnectorStateInfo, plan: RestartPlan): ConnectorStateInfo {
  const restarting = <T extends { state: string; trace?: string }>(entry: T, restarts: boolean): T => {
    if (!restarts) return entry;
    const { trace: _trace, ...rest } = entry;
    return { ...rest, state: 'RESTARTING' } as T;
  };
  return {
    ...status,
    connector: restarting(status.connector, plan.connector),
    tasks: status.tasks.map((task) => restarting(task, plan.tasks.includes(task.id))),
  };
}
