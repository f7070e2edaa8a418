import type { ConfigProperties, ConfigRecord, RestartRequest, SessionKey, TargetState, TaskId } from './kafka-config-records.ts';

/**
 * What the config topic says at one offset (Kafka Connect's `ClusterConfigState`). Task configs
 * count only once their commit record was read; a connector whose committed task set is
 * incomplete (compaction removed a task record) is `inconsistent` and shows no tasks until the
 * leader writes them again.
 */
export interface ConfigSnapshot {
  /** The offset after the last record read, or -1 when none was. */
  readonly offset: bigint;
  readonly sessionKey: SessionKey | null;
  readonly connectorConfigs: ReadonlyMap<string, ConfigProperties>;
  readonly targetStates: ReadonlyMap<string, TargetState>;
  /** Committed task count per connector. */
  readonly taskCounts: ReadonlyMap<string, number>;
  /** Committed task configs, by connector then task number. */
  readonly taskConfigs: ReadonlyMap<string, ReadonlyMap<number, ConfigProperties>>;
  /** Task counts of the last zombie fencing per connector (`tasks-fencing-*`, KIP-618). */
  readonly taskCountRecords: ReadonlyMap<string, number>;
  /** How many times each connector's task configs were committed since this reader started. */
  readonly taskConfigGenerations: ReadonlyMap<string, number>;
  /** The connector config in force when its tasks were last committed. */
  readonly appliedConnectorConfigs: ReadonlyMap<string, ConfigProperties>;
  /** Connectors with task configs committed after their last fencing record. */
  readonly pendingFencing: ReadonlySet<string>;
  readonly inconsistent: ReadonlySet<string>;
}

/** The task ids of a connector in a snapshot: none while it is inconsistent. */
export function snapshotTasks(snapshot: ConfigSnapshot, connector: string): TaskId[] {
  if (snapshot.inconsistent.has(connector)) return [];
  const count = snapshot.taskCounts.get(connector) ?? 0;
  return Array.from({ length: count }, (_, task) => ({ connector, task }));
}

/** The committed config of one task, if any. */
export function snapshotTaskConfig(snapshot: ConfigSnapshot, id: TaskId): ConfigProperties | undefined {
  return snapshot.taskConfigs.get(id.connector)?.get(id.task);
}

/** What a record changed, for the store's listeners. */
export type ConfigChange =
  | { readonly type: 'connector-updated'; readonly connector: string }
  | { readonly type: 'connector-removed'; readonly connector: string }
  | { readonly type: 'tasks-updated'; readonly tasks: readonly TaskId[] }
  | { readonly type: 'target-state-changed'; readonly connector: string }
  | { readonly type: 'restart-requested'; readonly request: RestartRequest }
  | { readonly type: 'session-key-updated'; readonly key: SessionKey }
  | { readonly type: 'logger-level'; readonly namespace: string; readonly level: string };

/**
 * Applies config topic records in order, exactly as KafkaConfigBackingStore's read callback
 * does, and says what changed. Pure: the store owns the topic and the listeners.
 */
export class ConfigState {
  #offset = -1n;
  #sessionKey: SessionKey | null = null;
  readonly #connectorConfigs = new Map<string, ConfigProperties>();
  readonly #targetStates = new Map<string, TargetState>();
  readonly #taskCounts = new Map<string, number>();
  readonly #taskConfigs = new Map<string, Map<number, ConfigProperties>>();
  readonly #deferred = new Map<string, Map<number, ConfigProperties>>();
  readonly #taskCountRecords = new Map<string, number>();
  readonly #generations = new Map<string, number>();
  readonly #applied = new Map<string, ConfigProperties>();
  readonly #pendingFencing = new Set<string>();
  readonly #inconsistent = new Set<string>();

  /** Applies the record found at `offset`; returns the changes listeners hear of (none for a malformed record). */
  apply(record: ConfigRecord, offset: bigint): ConfigChange[] {
    this.#offset = offset + 1n;
    switch (record.type) {
      case 'target-state':
        return this.#targetState(record.connector, record.state);
      case 'connector':
        if (record.properties === null) {
          this.#removeConnector(record.connector);
          return [{ type: 'connector-removed', connector: record.connector }];
        }
        this.#connectorConfigs.set(record.connector, record.properties);
        // Connectors created before target states existed start as STARTED.
        if (!this.#targetStates.has(record.connector)) this.#targetStates.set(record.connector, 'STARTED');
        return [{ type: 'connector-updated', connector: record.connector }];
      case 'task': {
        const deferred = this.#deferred.get(record.id.connector) ?? new Map<number, ConfigProperties>();
        deferred.set(record.id.task, record.properties);
        this.#deferred.set(record.id.connector, deferred);
        return [];
      }
      case 'commit':
        return this.#commit(record.connector, record.tasks);
      case 'restart':
        return [{ type: 'restart-requested', request: record.request }];
      case 'task-count':
        this.#taskCountRecords.set(record.connector, record.count);
        this.#pendingFencing.delete(record.connector);
        return [];
      case 'session-key':
        this.#sessionKey = record.key;
        return [{ type: 'session-key-updated', key: record.key }];
      case 'logger-level':
        return [{ type: 'logger-level', namespace: record.namespace, level: record.level }];
      case 'malformed':
        return [];
    }
  }

  has(connector: string): boolean {
    return this.#connectorConfigs.has(connector);
  }

  get offset(): bigint {
    return this.#offset;
  }

  snapshot(): ConfigSnapshot {
    return {
      offset: this.#offset,
      sessionKey: this.#sessionKey,
      connectorConfigs: new Map(this.#connectorConfigs),
      targetStates: new Map(this.#targetStates),
      taskCounts: new Map(this.#taskCounts),
      taskConfigs: new Map([...this.#taskConfigs].map(([connector, tasks]) => [connector, new Map(tasks)])),
      taskCountRecords: new Map(this.#taskCountRecords),
      taskConfigGenerations: new Map(this.#generations),
      appliedConnectorConfigs: new Map(this.#applied),
      pendingFencing: new Set(this.#pendingFencing),
      inconsistent: new Set(this.#inconsistent),
    };
  }

  #targetState(connector: string, state: TargetState | null): ConfigChange[] {
    if (state === null) {
      // Written beside a connector's removal; that removal tells the listeners. A connector
      // that still has a config keeps a valid target state.
      this.#targetStates.delete(connector);
      if (this.#connectorConfigs.has(connector)) this.#targetStates.set(connector, 'STARTED');
      return [];
    }
    const previous = this.#targetStates.get(connector);
    this.#targetStates.set(connector, state);
    // A target state written before its connector's config (create with an initial state) is not news yet.
    return previous !== state && this.#connectorConfigs.has(connector) ? [{ type: 'target-state-changed', connector }] : [];
  }

  #commit(connector: string, count: number): ConfigChange[] {
    const config = this.#connectorConfigs.get(connector);
    if (config === undefined) {
      // The connector was deleted and compaction has removed its config and tombstone: ignore its tasks.
      this.#removeConnector(connector);
      return [];
    }
    const deferred = this.#deferred.get(connector);
    const updated: TaskId[] = [];
    // Only tasks 0..count-1 must be there: compaction may leave configs of tasks beyond the count.
    const complete = Array.from({ length: count }, (_, task) => task).every((task) => deferred?.has(task));
    if (!complete) {
      this.#inconsistent.add(connector);
    } else {
      if (deferred) {
        const tasks = this.#taskConfigs.get(connector) ?? new Map<number, ConfigProperties>();
        for (const [task, properties] of deferred) {
          tasks.set(task, properties);
          updated.push({ connector, task });
        }
        this.#taskConfigs.set(connector, tasks);
        const generation = this.#generations.get(connector);
        this.#generations.set(connector, generation === undefined ? 0 : generation + 1);
      }
      this.#inconsistent.delete(connector);
      this.#applied.set(connector, config);
    }
    // Never keep what came before a commit, applied or not: the next set must be complete on its own.
    deferred?.clear();
    this.#taskCounts.set(connector, count);
    this.#pendingFencing.add(connector);
    return [{ type: 'tasks-updated', tasks: updated }];
  }

  #removeConnector(connector: string): void {
    this.#connectorConfigs.delete(connector);
    this.#taskCounts.delete(connector);
    this.#taskConfigs.delete(connector);
    this.#deferred.delete(connector);
    this.#applied.delete(connector);
  }
}
