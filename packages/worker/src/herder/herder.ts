import type { ConfigInfos, ConfigKeyInfo } from '@sluice/core';

/** A connector's target state, as Kafka Connect stores it (`target-state-<name>`). */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

/** `initial_state` of `POST /connectors` (KIP-980): the target state a new connector gets. */
export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** Kafka Connect's `ConnectorInfo` JSON. */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type: 'source' | 'sink';
}

/** One task of a `ConnectorStateInfo`, and the answer of `GET /connectors/{c}/tasks/{t}/status`. */
export interface TaskState {
  id: number;
  state: string;
  worker_id: string;
  /** Only when there is one, as Kafka Connect omits an empty trace. */
  trace?: string;
}

/** Kafka Connect's `ConnectorStateInfo` JSON. */
export interface ConnectorStateInfo {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: TaskState[];
  type: 'source' | 'sink';
}

/** Kafka Connect's `TaskInfo` JSON. */
export interface TaskInfo {
  id: { connector: string; task: number };
  config: Record<string, string>;
}

/** The `type` of a `GET /connector-plugins` row (KIP-769). */
export type PluginType = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

/** One row of `GET /connector-plugins`. */
export interface PluginInfo {
  class: string;
  type: PluginType;
  version: string;
}

/**
 * One partition and its offset in `GET`/`PATCH /connectors/{c}/offsets` (KIP-875). Source
 * partitions and offsets are the connector's own maps; a sink's are
 * `{"kafka_topic","kafka_partition"}` and `{"kafka_offset"}`. A `null` offset resets.
 */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** Kafka Connect's `ConnectorOffsets` JSON. */
export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** Kafka Connect's `Message` JSON, e.g. the answer to an offsets change. */
export interface Message {
  message: string;
}

/** A logger's level as `GET /admin/loggers` shows it. */
export interface LoggerLevel {
  level: string;
  /** When it was last set over REST, in ms since the epoch; `null` while it keeps its start-up level. */
  last_modified: number | null;
}

/** `GET /health` (KIP-1017): `healthy` answers 200, `starting` 503, `unhealthy` 500. */
export interface HealthStatus {
  status: 'healthy' | 'starting' | 'unhealthy';
  message: string;
}

/** `POST /connectors/{c}/restart?includeTasks&onlyFailed` (KIP-745). */
export interface RestartRequest {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

/** A config write's result, and whether it created the connector (201) or replaced its config (200). */
export interface Created<T> {
  created: boolean;
  result: T;
}

/** A config given to a write: `null` values delete keys in a PATCH. */
export type ConfigPatch = Readonly<Record<string, string | null>>;

/** An internal worker-to-worker request as received: the body's bytes exactly as sent, and the headers carrying its signature. */
export interface InternalRequest {
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * The control plane of a worker, as Kafka Connect's `Herder`: everything the REST API does goes
 * through these methods, so the standalone and the distributed herder serve the same routes.
 * Every method is async, since a distributed herder answers after a round trip (to the leader,
 * through the config topic).
 *
 * Errors carry core's codes: `NOT_FOUND` for an unknown connector or task, `ALREADY_EXISTS` for
 * a name taken, `CONFIG` for an invalid config; {@link herderError}s name the HTTP status Kafka
 * Connect answers with where no code fits (a connector that must be STOPPED first, a disabled
 * feature, a conflicting operation).
 */
export interface Herder {
  health(): Promise<HealthStatus>;

  connectors(): Promise<string[]>;
  connectorInfo(connector: string): Promise<ConnectorInfo>;
  /** The config as given, `${…}` variables unresolved and secrets `[hidden]`. */
  connectorConfig(connector: string): Promise<Record<string, string>>;
  connectorStatus(connector: string): Promise<ConnectorStateInfo>;
  taskStatus(connector: string, task: number): Promise<TaskState>;
  taskConfigs(connector: string): Promise<TaskInfo[]>;
  /** The deprecated `tasks-config` shape: `{"<c>-<n>": {config}}`. */
  tasksConfig(connector: string): Promise<Record<string, Record<string, string>>>;

  /**
   * Creates a connector, or replaces its config when `allowReplace`. The config's `name` is the
   * connector's. `initialState` applies to a new connector only (default STARTED).
   */
  putConnectorConfig(
    connector: string,
    config: Readonly<Record<string, string>>,
    options: { readonly allowReplace: boolean; readonly initialState?: TargetState },
  ): Promise<Created<ConnectorInfo>>;
  /** Applies a partial config (KIP-477): a `null` value removes the key. */
  patchConnectorConfig(connector: string, patch: ConfigPatch): Promise<ConnectorInfo>;
  deleteConnector(connector: string): Promise<void>;

  /** Target PAUSED: tasks keep their resources and stop processing. Idempotent. */
  pauseConnector(connector: string): Promise<void>;
  /** Target STARTED, from PAUSED or STOPPED. Idempotent. */
  resumeConnector(connector: string): Promise<void>;
  /** Target STOPPED: the connector and its tasks shut down and the tasks are removed. Idempotent. */
  stopConnector(connector: string): Promise<void>;

  /** Restarts the connector instance only, and resolves once it has restarted. */
  restartConnector(connector: string): Promise<void>;
  /** Starts the restarts the request selects and answers the status with those shown RESTARTING. */
  restartConnectorAndTasks(connector: string, request: RestartRequest): Promise<ConnectorStateInfo>;
  restartTask(connector: string, task: number): Promise<void>;

  /** Topics the connector's tasks produced to or consumed from since it was created or reset (KIP-558). */
  connectorActiveTopics(connector: string): Promise<string[]>;
  resetConnectorActiveTopics(connector: string): Promise<void>;

  connectorOffsets(connector: string): Promise<ConnectorOffsets>;
  /** Alters offsets of a STOPPED connector; a `null` offset resets its partition. */
  alterConnectorOffsets(connector: string, offsets: readonly ConnectorOffset[]): Promise<Message>;
  /** Resets every offset of a STOPPED connector. */
  resetConnectorOffsets(connector: string): Promise<Message>;

  plugins(connectorsOnly: boolean): Promise<PluginInfo[]>;
  pluginConfig(plugin: string): Promise<ConfigKeyInfo[]>;
  validateConnectorConfig(plugin: string, config: Readonly<Record<string, string>>): Promise<ConfigInfos>;

  /** Loggers with an explicitly set level, and `root`. */
  loggerLevels(): Promise<Record<string, LoggerLevel>>;
  /** A known logger's level (its effective one when it has none of its own), or `null`. */
  loggerLevel(logger: string): Promise<LoggerLevel | null>;
  /** Sets the level of a logger and of every logger under it on this worker; answers their names. */
  setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]>;
  /** Sets the level on every worker of the cluster (KIP-976). */
  setClusterLoggerLevel(namespace: string, level: string): Promise<void>;

  /**
   * Internal `POST /connectors/{c}/tasks` of a cluster: the leader writes task configs a worker
   * running the connector generated. `request` is the HTTP request as received — the raw body
   * bytes and the headers — for the herder to check its signature (KIP-507).
   */
  putTaskConfigs?(connector: string, configs: readonly Readonly<Record<string, string>>[], request?: InternalRequest): Promise<void>;
}
