export { IncrementalCooperativeAssignor } from './assignor.ts';
export type { AssignmentResult, AssignmentRound, ConfigSnapshot } from './assignor.ts';
export {
  ASSIGNMENT_CONFIG_MISMATCH,
  ASSIGNMENT_NO_ERROR,
  CONNECT_PROTOCOL_VERSIONS,
  CONNECTOR_TASK,
  decodeAssignment,
  decodeWorkerMetadata,
  encodeAssignment,
  encodeWorkerMetadata,
  joinProtocols,
} from './connect-protocol.ts';
export type { ConnectAssignment, ConnectProtocolName, ConnectorTaskId, WorkerMetadata } from './connect-protocol.ts';
export { WorkerGroup } from './worker-group.ts';
export type { ConfigSource, RevokedWork, WorkerGroupListener, WorkerGroupOptions, WorkerGroupState } from './worker-group.ts';
export { DEFAULT_SCHEDULED_REBALANCE_MAX_DELAY_MS, workerGroupConfig } from './worker-group-config.ts';
export type { WorkerGroupConfig } from './worker-group-config.ts';
// Exactly-once source tasks (KIP-618): the worker key, the connector preflight, zombie fencing,
// and the task runner a herder starts tasks with (`TaskStart.exactlyOnce` makes them transactional).
export { exactlyOnceErrors, exactlyOnceWorkerConfig, taskTransactionalId } from '../runtime/exactly-once-config.ts';
export type { ExactlyOnceWorkerConfig, TransactionBoundary } from '../runtime/exactly-once-config.ts';
export { fenceTaskGeneration } from '../runtime/zombie-fencing.ts';
export { connectorOffsetStore, mergedOffsetReader } from '../runtime/connector-offsets-topic.ts';
export { startTaskRunner } from '../runtime/task-runners.ts';
export type { ExactlyOnceTask, TaskRunner, TaskStart } from '../runtime/task-runners.ts';
export type { WorkerServices } from '../runtime/connector-runtime.ts';
export { sourceConnectorConfig } from '../runtime/connector-config.ts';
