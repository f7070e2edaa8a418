import { configError } from '@sluice/core';
import type { ConnectorDefinition, Logger, OffsetMap, OffsetReader, SinkConnector, SourceConnector } from '@sluice/core';
import { herderError } from '../herder/errors.ts';
import type { ConnectorOffset, ConnectorOffsets, TargetState } from '../herder/herder.ts';
import type { RestartPlan } from '../herder/restart-plan.ts';
import type { KafkaClient } from '../kafka/port.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import { commonConnectorConfig, parseSinkConnectorConfig, sourceConnectorConfig } from './connector-config.ts';
import type { CommonConnectorConfig } from './connector-config.ts';
import { modifyOffsets, readOffsets } from './connector-offsets.ts';
import type { ConverterFactory } from './converters.ts';
import { AutoRestart } from './restart-policy.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';
import { SupervisedTask } from './supervised-task.ts';
import { startTaskRunner } from './task-runners.ts';
import { TransformChain } from './transform-chain.ts';

/** What every connector of a worker shares. */
export interface WorkerServices {
  readonly kafka: KafkaClient;
  readonly offsets: OffsetStore;
  readonly converters: ConverterFactory;
  /** Where transforms and predicates named in connector configs are found. */
  readonly registry: PluginRegistry;
  readonly offsetFlushIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxPollRecords: number;
  readonly logger: Logger;
  /** Hides known secrets in text that leaves the worker outside the log (dead letter queue headers). */
  readonly scrub: (text: string) => string;
  /** Named loggers (`sluice.connector.<name>`, `….task.<id>`) whose levels `/admin/loggers` sets; `logger` for all when absent. */
  readonly loggers?: (name: string) => Logger;
}

/** Options of one connector beyond its config. */
export interface ConnectorRuntimeOptions {
  /** Where it starts: STARTED (default), PAUSED or STOPPED (`initial_state`). */
  readonly targetState?: TargetState;
  /** Told the topics its tasks produce to or consume from (topic tracking). */
  readonly onTopics?: (topics: ReadonlySet<string>) => void;
}

/**
 * One connector on this worker: its instance, its task configs, its task runners and their
 * states. Lifecycle: `start` (connector `start`, `taskConfigs`, one runner per task) → `stop`
 * (runners stopped, offsets committed, connector `stop`). With `sluice.restart.on.failure`, a
 * failed task or connector is restarted after a backoff and shows RESTARTING meanwhile.
 *
 * The target state (Kafka Connect's STARTED, PAUSED, STOPPED) is owned here and changed with
 * `setTargetState`: PAUSED stops the connector instance and pauses the tasks, which keep their
 * clients and show PAUSED; STOPPED shuts the tasks down and drops their configs, leaving the
 * connector STOPPED with no tasks; STARTED starts again from either. Starts, target changes,
 * restarts, offset changes and `stop` run one at a time, in the order asked.
 */
export class ConnectorRuntime {
  readonly name: string;
  readonly definition: ConnectorDefinition;
  readonly config: Readonly<Record<string, string>>;
  readonly #services: WorkerServices;
  readonly #logger: Logger;
  readonly #settings: CommonConnectorConfig;
  readonly #restarts: AutoRestart;
  #instance: SourceConnector<unknown> | SinkConnector<unknown> | null = null;
  #taskConfigs: Readonly<Record<string, string>>[] = [];
  #slots: SupervisedTask[] = [];
  #status: Status = { state: 'UNASSIGNED' };
  #reconfiguring: Promise<void> = Promise.resolve();
  #stopping = false;
  #target: TargetState;
  readonly #onTopics: (topics: ReadonlySet<string>) => void;

  constructor(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, services: WorkerServices, options: ConnectorRuntimeOptions = {}) {
    this.definition = definition;
    this.config = config;
    this.name = config.name!;
    this.#services = services;
    this.#logger = services.loggers?.(`sluice.connector.${this.name}`) ?? services.logger;
    this.#settings = commonConnectorConfig.parse(config);
    this.#restarts = new AutoRestart(this.#settings, `connector ${this.name}`, this.#logger);
    this.#target = options.targetState ?? 'STARTED';
    this.#onTopics = options.onTopics ?? (() => undefined);
  }

  get targetState(): TargetState {
    return this.#target;
  }

  get type(): 'source' | 'sink' {
    return this.definition.type;
  }

  get status(): Status {
    return this.#status;
  }

  get taskStatuses(): readonly Status[] {
    return this.#slots.map((slot) => slot.status);
  }

  get taskConfigs(): readonly Readonly<Record<string, string>>[] {
    return this.#taskConfigs;
  }

  /**
   * Validates the whole config (common keys, the connector's own, and every transform and
   * predicate with its keys) before anything runs; a problem is a CONFIG error naming the key
   * and the reason, e.g. ``config key `transforms.mask.fields`: is required``.
   */
  static validate(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, registry: PluginRegistry): void {
    const common = definition.type === 'sink' ? parseSinkConnectorConfig(config) : sourceConnectorConfig.parse(config);
    definition.config.parse(config);
    TransformChain.build(registry, config, common.transforms, common.predicates).close();
  }

  /** Starts the connector and its tasks, or shows it PAUSED or STOPPED as its target state says. */
  start(): Promise<void> {
    return this.#serially(() => (this.#target === 'STARTED' ? this.#start() : this.#idle(this.#target)));
  }

  /** Runs `work` after what was asked before, never after `stop`; a failure fails the connector. */
  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#reconfiguring.then(() => (this.#stopping ? undefined : work()));
    this.#reconfiguring = run.catch((error: unknown) => this.#fail(error));
    return this.#reconfiguring;
  }

  /** PAUSED or STOPPED without tasks: nothing runs. */
  async #idle(state: 'PAUSED' | 'STOPPED'): Promise<void> {
    await this.#stopTasks();
    this.#taskConfigs = [];
    await this.#stopInstance();
    this.#status = { state };
  }

  /** Starts the connector instance, then its tasks from the task configs it gives. */
  async #start(): Promise<void> {
    const instance = await this.#startInstance();
    if (!instance) return;
    try {
      this.#taskConfigs = await this.#generateTaskConfigs(instance);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#stopping) return;
    this.#status = { state: 'RUNNING' };
    this.#restarts.running();
    await this.#startTasks();
  }

  /** Creates and starts a connector instance; `null` (and the connector FAILED) when that fails. */
  async #startInstance(): Promise<SourceConnector<unknown> | SinkConnector<unknown> | null> {
    const parsed = this.definition.config.parse(this.config);
    let instance: SourceConnector<unknown> | SinkConnector<unknown>;
    try {
      instance = this.definition.create();
    } catch (error) {
      this.#fail(error);
      return null;
    }
    this.#instance = instance;
    // Calls from an instance that has since been restarted are ignored.
    const current = () => this.#instance === instance && !this.#stopping;
    const context = {
      logger: this.#logger,
      configs: () => this.config,
      requestTaskReconfiguration: () => {
        // One reconfiguration at a time, none after stop began; a failure fails the connector.
        this.#reconfiguring = this.#reconfiguring.then(() => (current() ? this.#reconfigure() : undefined)).catch((error: unknown) => this.#fail(error));
      },
      raiseError: (error: unknown) => {
        if (current()) this.#fail(error);
      },
      offsetReader: this.#offsetReader(),
    };
    try {
      await instance.start(parsed, context);
    } catch (error) {
      this.#fail(error);
      return null;
    }
    return instance;
  }

  /**
   * Moves to a target state (Kafka Connect's pause, resume and stop); asking for the current
   * one changes nothing. A FAILED connector stays FAILED while its tasks follow the target.
   */
  setTargetState(target: TargetState): Promise<void> {
    return this.#serially(() => this.#transition(target));
  }

  async #transition(target: TargetState): Promise<void> {
    const state = this.#status.state;
    this.#target = target;
    if (target !== 'STARTED') this.#restarts.cancel();
    if (target === 'STOPPED') {
      if (state !== 'STOPPED') await this.#idle('STOPPED');
      return;
    }
    if (target === 'PAUSED') {
      // As in Kafka Connect, a paused connector's instance is stopped; its tasks only pause.
      await this.#stopInstance();
      for (const slot of this.#slots) slot.pause();
      if (state !== 'FAILED') this.#status = { state: 'PAUSED' };
      return;
    }
    if (state === 'PAUSED' && this.#slots.length > 0) await this.#resumePaused();
    else if (state === 'PAUSED' || state === 'STOPPED' || state === 'UNASSIGNED') await this.#start();
    else for (const slot of this.#slots) slot.resume();
  }

  /** From PAUSED with tasks: the instance starts again; the tasks resume, or restart when their configs changed meanwhile. */
  async #resumePaused(): Promise<void> {
    if (await this.#startInstanceKeepingTasks()) for (const slot of this.#slots) slot.resume();
  }

  /**
   * Starts the instance beside running (or paused) tasks, as Kafka Connect's herder does after a
   * resume or restart: true when the tasks are kept, false when they were restarted with the new
   * configs the instance gave, or the instance failed.
   */
  async #startInstanceKeepingTasks(): Promise<boolean> {
    const instance = await this.#startInstance();
    if (!instance) return false;
    const configs = await this.#generateTaskConfigs(instance);
    this.#status = { state: 'RUNNING' };
    this.#restarts.running();
    if (JSON.stringify(configs) === JSON.stringify(this.#taskConfigs)) return true;
    await this.#stopTasks();
    this.#taskConfigs = configs;
    await this.#startTasks();
    return false;
  }

  /**
   * Restarts the connector instance and/or some tasks, as `POST …/restart` asks; what it covers
   * shows RESTARTING at once. A restarted connector whose task configs changed restarts all its
   * tasks with the new ones. Resolves once everything restarted.
   */
  restart(plan: RestartPlan): Promise<void> {
    if (plan.connector) this.#status = { state: 'RESTARTING' };
    const slots = this.#slots;
    for (const id of plan.tasks) slots[id]?.showRestarting();
    return this.#serially(async () => {
      if (plan.connector && !(await this.#restartInstance())) return;
      await Promise.all(plan.tasks.map((id) => (this.#slots === slots && slots[id] ? slots[id].restart() : Promise.resolve())));
    });
  }

  /** Restarts the instance; false when the tasks were restarted with it (their configs changed) or it failed. */
  async #restartInstance(): Promise<boolean> {
    this.#restarts.cancel();
    await this.#stopInstance();
    if (this.#target !== 'STARTED') {
      this.#status = { state: this.#target };
      return true;
    }
    if (this.#slots.length === 0) {
      await this.#start();
      return false;
    }
    return this.#startInstanceKeepingTasks();
  }

  /** The connector's offsets (KIP-875): source offsets from the store, sink offsets from its consumer group. */
  offsets(): Promise<ConnectorOffsets> {
    return readOffsets(this.type, this.#offsetsPlace());
  }

  /**
   * Alters or resets (`'reset'`) the offsets; only while STOPPED, as Kafka Connect requires.
   * Resolves with what the connector's `alterOffsets` answered (false without one).
   */
  modifyOffsets(change: readonly ConnectorOffset[] | 'reset'): Promise<boolean> {
    let handled = false;
    const run = this.#reconfiguring.then(async () => {
      if (this.#target !== 'STOPPED' || this.#slots.length > 0) {
        throw herderError(
          400,
          `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${this.name}/stop' endpoint`,
        );
      }
      handled = await modifyOffsets(this.definition, this.config, this.#offsetsPlace(), change);
    });
    // A refused change is the caller's error, not the connector's failure.
    this.#reconfiguring = run.catch(() => undefined);
    return run.then(() => handled);
  }

  #offsetsPlace() {
    return { connector: this.name, offsets: this.#services.offsets, kafka: this.#services.kafka };
  }

  async #generateTaskConfigs(instance: SourceConnector<unknown> | SinkConnector<unknown>): Promise<Readonly<Record<string, string>>[]> {
    const max = this.#settings['tasks.max'];
    return (await instance.taskConfigs(max)).slice(0, max);
  }

  async #startTasks(): Promise<void> {
    this.#slots = this.#taskConfigs.map((taskConfig, id) => {
      const task: SupervisedTask = new SupervisedTask({
        label: `task ${this.name}-${id}`,
        logger: this.#logger,
        restarts: this.#settings,
        active: () => !this.#stopping && this.#slots.includes(task),
        start: (onStatus) =>
          startTaskRunner({
            connector: this.name,
            definition: this.definition,
            config: this.config,
            settings: this.#settings,
            services: this.#services,
            logger: this.#services.loggers?.(`sluice.connector.${this.name}.task.${id}`) ?? this.#logger,
            offsetReader: this.#offsetReader(),
            id,
            taskConfig,
            paused: this.#target === 'PAUSED',
            onStatus,
            onTopics: this.#onTopics,
          }),
      });
      return task;
    });
    await Promise.all(this.#slots.map((slot) => slot.start()));
  }

  #offsetReader(): OffsetReader {
    const offsets = this.#services.offsets;
    return {
      offset: (partition: OffsetMap) => offsets.get(this.name, partition),
      offsets: (partitions: readonly OffsetMap[]) => Promise.all(partitions.map(async (partition) => ({ partition, offset: await offsets.get(this.name, partition) }))),
    };
  }

  async #reconfigure(): Promise<void> {
    if (!this.#instance || this.#status.state !== 'RUNNING') return;
    await this.#stopTasks();
    this.#taskConfigs = await this.#generateTaskConfigs(this.#instance);
    await this.#startTasks();
  }

  async #stopTasks(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(slots.map((slot) => slot.stop()));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#restarts.cancel();
    await this.#reconfiguring;
    await this.#stopTasks();
    await this.#stopInstance();
    if (this.#status.state !== 'FAILED') this.#status = { state: 'UNASSIGNED' };
  }

  async #stopInstance(): Promise<void> {
    try {
      await this.#instance?.stop();
    } catch (error) {
      this.#logger.error({ err: error }, `connector ${this.name}: stop failed`);
    }
    this.#instance = null;
  }

  #fail(error: unknown): void {
    this.#logger.error({ err: error }, `connector ${this.name} failed`);
    // A restart already on its way covers this failure too (it is in the log).
    if (this.#restarts.pending) return;
    this.#status = this.#restarts.failed(traceOf(error), () => void this.#serially(() => this.#restartConnector()), !this.#stopping);
  }

  async #restartConnector(): Promise<void> {
    if (this.#stopping || this.#target !== 'STARTED') return;
    this.#logger.info(`restarting connector ${this.name}`);
    await this.#stopTasks();
    await this.#stopInstance();
    if (this.#stopping) return;
    await this.#start();
  }
}

/** The config of a connector file or REST body, with its name checked. */
export function connectorName(config: Readonly<Record<string, string>>): string {
  const name = config.name;
  if (!name) throw configError('name', 'is missing: every connector needs a unique name');
  return name;
}
