import type { Logger } from '@sluice/core';
import type { ConfigSecrets } from '../config/config-secrets.ts';
import type { TargetState } from '../herder/herder.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import { commonConnectorConfig } from '../runtime/connector-config.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import { traceOf } from '../runtime/status.ts';
import type { Status } from '../runtime/status.ts';
import { SupervisedTask } from '../runtime/supervised-task.ts';
import { startTaskRunner } from '../runtime/task-runners.ts';
import type { ConfigProperties, ConfigSnapshot, KafkaOffsetStore, TaskId } from '../storage/index.ts';
import { snapshotTaskConfig } from '../storage/index.ts';
import { LocalConnector, offsetReader } from './local-connector.ts';

/** A config from the config topic as a plain config: Kafka Connect may store `null` values, which mean "not set". */
export function plainConfig(properties: ConfigProperties | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties ?? {})) if (value !== null) out[key] = value;
  return out;
}

export const taskKey = (id: TaskId): string => `${id.connector}/${id.task}`;

/**
 * A task config as it may be written to the config topic (Kafka's `reverseTransform`): a value
 * the connector copied from a key its config resolved through a provider gets that key's
 * `${…}` text back, so no provider value lands in the topic.
 */
export function reverseTransform(
  taskConfig: Readonly<Record<string, string>>,
  raw: Readonly<Record<string, string>>,
  resolved: { readonly config: Readonly<Record<string, string>>; readonly resolvedKeys: ReadonlySet<string> },
): Record<string, string> {
  const out: Record<string, string> = { ...taskConfig };
  for (const key of resolved.resolvedKeys) {
    if (out[key] !== undefined && out[key] === resolved.config[key] && raw[key] !== undefined) out[key] = raw[key];
  }
  return out;
}

/** `exactly.once.source.support=enabled`: source tasks write records and offsets in one transaction (KIP-618). */
export interface ExactlyOnceSources {
  readonly groupId: string;
  readonly offsets: KafkaOffsetStore;
}

/** A task the group assigned here: its runner (once its config resolved) and its target. */
interface LocalTask {
  readonly id: TaskId;
  task: SupervisedTask | null;
  /** Started and restarted paused (target PAUSED). */
  paused: boolean;
}

/** How the work a worker runs reports and publishes, through its herder. */
export interface LocalWorkEvents {
  connectorStatus(connector: string, status: Status): void;
  taskStatus(id: TaskId, status: Status): void;
  /** Task configs to publish, with config-provider values given back their `${…}` text. */
  taskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void>;
  topics(id: TaskId, topics: ReadonlySet<string>): void;
}

/**
 * The connectors and tasks the group assigned to this worker, started from the config topic's
 * snapshot: configs resolved through the worker's config providers here, where they run, so the
 * topic keeps the `${…}` text. Changes run one at a time.
 *
 * With `sluice.restart.on.failure`, a failed connector or task is restarted here after a
 * backoff and shows RESTARTING meanwhile, as in standalone mode. Stopping it (revoked, deleted,
 * reconfigured) drops a restart that waits: a task that moved starts afresh on its new owner.
 */
export class LocalWork {
  readonly #registry: PluginRegistry;
  readonly #services: WorkerServices;
  readonly #secrets: ConfigSecrets;
  readonly #events: LocalWorkEvents;
  readonly #logger: Logger;
  readonly #exactlyOnce: ExactlyOnceSources | null;
  readonly #connectors = new Map<string, LocalConnector>();
  readonly #tasks = new Map<string, LocalTask>();
  #queue: Promise<void> = Promise.resolve();

  constructor(registry: PluginRegistry, services: WorkerServices, secrets: ConfigSecrets, events: LocalWorkEvents, exactlyOnce: ExactlyOnceSources | null = null) {
    this.#exactlyOnce = exactlyOnce;
    this.#registry = registry;
    this.#services = services;
    this.#secrets = secrets;
    this.#events = events;
    this.#logger = services.logger;
  }

  /** Runs `work` after every change asked before it; a failure is logged, not passed on. */
  serially(what: string, work: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(work).catch((error: unknown) => this.#logger.error({ err: error }, `${what} failed`));
    return this.#queue;
  }

  hasConnector(connector: string): boolean {
    return this.#connectors.has(connector);
  }

  hasTask(id: TaskId): boolean {
    return this.#tasks.has(taskKey(id));
  }

  tasksOf(connector: string): TaskId[] {
    return [...this.#tasks.values()].filter((t) => t.id.connector === connector).map((t) => t.id);
  }

  /** Every connector and task running here. */
  all(): { connectors: string[]; tasks: TaskId[] } {
    return { connectors: [...this.#connectors.keys()], tasks: [...this.#tasks.values()].map((t) => t.id) };
  }

  async startConnector(connector: string, snapshot: ConfigSnapshot): Promise<void> {
    if (this.#connectors.has(connector)) return;
    const raw = plainConfig(snapshot.connectorConfigs.get(connector));
    try {
      const resolved = await this.#secrets.resolve(raw);
      const definition = this.#registry.resolve('connector', resolved.config['connector.class'] ?? '');
      this.#secrets.remember(definition.config, resolved.config);
      const local = new LocalConnector(definition, resolved.config, this.#services, {
        onStatus: (status) => this.#events.connectorStatus(connector, status),
        onTaskConfigs: (configs) => this.#events.taskConfigs(connector, configs.map((config) => reverseTransform(config, raw, resolved))),
      });
      this.#connectors.set(connector, local);
      await local.setTargetState(snapshot.targetStates.get(connector) ?? 'STARTED');
    } catch (error) {
      this.#logger.error({ err: error }, `connector ${connector} could not start`);
      this.#events.connectorStatus(connector, { state: 'FAILED', trace: traceOf(error) });
    }
  }

  async stopConnector(connector: string): Promise<void> {
    const local = this.#connectors.get(connector);
    if (!local) return;
    this.#connectors.delete(connector);
    await local.stop();
    // As Kafka Connect: no longer running here, until its new owner says otherwise.
    this.#events.connectorStatus(connector, { state: 'UNASSIGNED' });
  }

  async restartConnector(connector: string, snapshot: ConfigSnapshot): Promise<void> {
    if (!this.#connectors.has(connector)) return;
    await this.stopConnector(connector);
    await this.startConnector(connector, snapshot);
  }

  async setConnectorTarget(connector: string, target: TargetState): Promise<void> {
    await this.#connectors.get(connector)?.setTargetState(target);
  }

  async startTask(id: TaskId, snapshot: ConfigSnapshot): Promise<void> {
    const key = taskKey(id);
    if (this.#tasks.has(key)) return;
    const slot: LocalTask = { id, task: null, paused: (snapshot.targetStates.get(id.connector) ?? 'STARTED') === 'PAUSED' };
    this.#tasks.set(key, slot);
    const current = () => this.#tasks.get(key) === slot;
    const report = (status: Status) => {
      if (current()) this.#events.taskStatus(id, status);
    };
    const label = `task ${id.connector}-${id.task}`;
    let task: SupervisedTask;
    try {
      const raw = plainConfig(snapshot.connectorConfigs.get(id.connector));
      const resolved = await this.#secrets.resolve(raw);
      const taskConfig = await this.#secrets.resolve(plainConfig(snapshotTaskConfig(snapshot, id)));
      const definition = this.#registry.resolve('connector', resolved.config['connector.class'] ?? '');
      this.#secrets.remember(definition.task.config ?? definition.config, taskConfig.config);
      const settings = commonConnectorConfig.parse(resolved.config);
      const exactlyOnce = definition.type === 'source' ? this.#exactlyOnce : null;
      task = new SupervisedTask({
        label,
        logger: this.#logger,
        restarts: settings,
        onStatus: report,
        start: async (onStatus) => {
          // A task that moved here (or restarts) resumes from what its last transaction committed: read the offsets topic to its end first.
          if (exactlyOnce) await exactlyOnce.offsets.refresh();
          return startTaskRunner({
            ...(exactlyOnce ? { exactlyOnce } : {}),
            connector: id.connector,
            definition,
            config: resolved.config,
            settings,
            services: this.#services,
            logger: this.#services.loggers?.(`sluice.connector.${id.connector}.task.${id.task}`) ?? this.#logger,
            offsetReader: offsetReader(this.#services, id.connector),
            id: id.task,
            taskConfig: taskConfig.config,
            paused: slot.paused,
            onStatus,
            onTopics: (topics) => this.#events.topics(id, topics),
          });
        },
      });
    } catch (error) {
      // A config that does not resolve or parse is not restarted, as in standalone mode.
      this.#logger.error({ err: error }, `${label} could not start`);
      report({ state: 'FAILED', trace: traceOf(error) });
      return;
    }
    if (!current()) return;
    slot.task = task;
    await task.start();
  }

  async stopTask(id: TaskId): Promise<void> {
    const key = taskKey(id);
    const slot = this.#tasks.get(key);
    if (!slot) return;
    this.#tasks.delete(key);
    await slot.task?.stop();
    this.#events.taskStatus(id, { state: 'UNASSIGNED' });
  }

  async restartTask(id: TaskId, snapshot: ConfigSnapshot): Promise<void> {
    if (!this.hasTask(id)) return;
    await this.stopTask(id);
    await this.startTask(id, snapshot);
  }

  /** Pauses or resumes the connector's tasks here (PAUSED / STARTED); STOPPED tasks are removed by their empty task configs. */
  setTasksTarget(connector: string, target: TargetState): void {
    for (const slot of this.#tasks.values()) {
      if (slot.id.connector !== connector || target === 'STOPPED') continue;
      slot.paused = target === 'PAUSED';
      if (slot.paused) slot.task?.pause();
      else slot.task?.resume();
    }
  }

  /** Stops everything, within the worker's shutdown budget for all together. */
  async stopAll(): Promise<void> {
    const { connectors, tasks } = this.all();
    await Promise.all([...tasks.map((t) => this.stopTask(t)), ...connectors.map((c) => this.stopConnector(c))]);
  }
}
