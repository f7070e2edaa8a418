import { configError } from '@sluice/core';
import type { ConnectorDefinition, Logger, OffsetMap, OffsetReader, SinkConnector, SourceConnector } from '@sluice/core';
import type { KafkaClient } from '../kafka/port.ts';
import type { PluginRegistry } from '../plugins/registry.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import { commonConnectorConfig, parseSinkConnectorConfig } from './connector-config.ts';
import type { CommonConnectorConfig } from './connector-config.ts';
import type { ConverterFactory } from './converters.ts';
import { DeadLetterQueue, sourceEncoder } from './dead-letter-queue.ts';
import { ErrorHandler } from './error-handler.ts';
import type { RecordConverters } from './record-conversion.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { RestartPolicy } from './restart-policy.ts';
import { SinkTaskRunner } from './sink-runner.ts';
import { SourceTaskRunner } from './source-runner.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';
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
}

interface TaskRunner {
  stop(): Promise<void>;
}

/** One task of the connector: its runner, its state, and its restarts. */
interface TaskSlot {
  runner: TaskRunner | null;
  status: Status;
  readonly restarts: RestartPolicy;
  /** Bumped whenever the slot's runner is replaced, so a retired runner's reports are ignored. */
  generation: number;
  timer: NodeJS.Timeout | null;
  restarting: Promise<void>;
}

/**
 * One connector on this worker: its instance, its task configs, its task runners and their
 * states. Lifecycle: `start` (connector `start`, `taskConfigs`, one runner per task) → `stop`
 * (runners stopped, offsets committed, connector `stop`). With `sluice.restart.on.failure`, a
 * failed task or connector is restarted after a backoff and shows RESTARTING meanwhile.
 */
export class ConnectorRuntime {
  readonly name: string;
  readonly definition: ConnectorDefinition;
  readonly config: Readonly<Record<string, string>>;
  readonly #services: WorkerServices;
  readonly #logger: Logger;
  readonly #settings: CommonConnectorConfig;
  readonly #restarts: RestartPolicy;
  #instance: SourceConnector<unknown> | SinkConnector<unknown> | null = null;
  #taskConfigs: Readonly<Record<string, string>>[] = [];
  #slots: TaskSlot[] = [];
  #status: Status = { state: 'UNASSIGNED' };
  #reconfiguring: Promise<void> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | null = null;
  #stopping = false;

  constructor(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, services: WorkerServices) {
    this.definition = definition;
    this.config = config;
    this.name = config.name!;
    this.#services = services;
    this.#logger = services.logger;
    this.#settings = commonConnectorConfig.parse(config);
    this.#restarts = new RestartPolicy(this.#settings);
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
    const common = definition.type === 'sink' ? parseSinkConnectorConfig(config) : commonConnectorConfig.parse(config);
    definition.config.parse(config);
    TransformChain.build(registry, config, common.transforms, common.predicates).close();
  }

  /** Starts the connector and its tasks; one start, reconfiguration or restart runs at a time, and none after `stop`. */
  start(): Promise<void> {
    const started = this.#reconfiguring.then(() => (this.#stopping ? undefined : this.#start()));
    this.#reconfiguring = started.catch((error: unknown) => this.#fail(error));
    return this.#reconfiguring;
  }

  async #start(): Promise<void> {
    const parsed = this.definition.config.parse(this.config);
    let instance: SourceConnector<unknown> | SinkConnector<unknown>;
    try {
      instance = this.definition.create();
    } catch (error) {
      this.#fail(error);
      return;
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

  async #generateTaskConfigs(instance: SourceConnector<unknown> | SinkConnector<unknown>): Promise<Readonly<Record<string, string>>[]> {
    const max = this.#settings['tasks.max'];
    return (await instance.taskConfigs(max)).slice(0, max);
  }

  async #startTasks(): Promise<void> {
    this.#slots = this.#taskConfigs.map(() => ({
      runner: null,
      status: { state: 'UNASSIGNED' },
      restarts: new RestartPolicy(this.#settings),
      generation: 0,
      timer: null,
      restarting: Promise.resolve(),
    }));
    await Promise.all(this.#slots.map((slot, id) => this.#runTask(slot, id)));
  }

  /** Starts the slot's task; a failure to start is a task failure like any other. */
  async #runTask(slot: TaskSlot, id: number): Promise<void> {
    const generation = ++slot.generation;
    try {
      const runner = await this.#startTask(id, this.#taskConfigs[id]!, (status) => {
        if (slot.generation !== generation) return;
        if (status.state === 'FAILED') this.#taskFailed(slot, id, status);
        else slot.status = status;
        if (status.state === 'RUNNING') slot.restarts.running();
      });
      if (slot.generation === generation) slot.runner = runner;
      else await runner.stop();
    } catch (error) {
      this.#logger.error({ err: error }, `task ${this.name}-${id} could not start`);
      if (slot.generation === generation) this.#taskFailed(slot, id, { state: 'FAILED', trace: traceOf(error) });
    }
  }

  #taskFailed(slot: TaskSlot, id: number, failure: Status): void {
    const decision = slot.restarts.failed();
    if (!decision.restart || this.#stopping) {
      slot.status = this.#settings['sluice.restart.on.failure'] && !decision.restart ? { state: 'FAILED', trace: `${failure.trace ?? ''}\nNot restarted: ${decision.reason}` } : failure;
      return;
    }
    const what = slot.restarts.describe(decision.attempt);
    slot.status = { state: 'RESTARTING', trace: `${what} in ${decision.delayMs} ms after:\n${failure.trace ?? ''}` };
    this.#logger.warn(`task ${this.name}-${id} failed; ${what} in ${decision.delayMs} ms`);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      slot.restarting = this.#restartTask(slot, id);
    }, decision.delayMs);
  }

  async #restartTask(slot: TaskSlot, id: number): Promise<void> {
    if (this.#stopping || !this.#slots.includes(slot)) return;
    const old = slot.runner;
    slot.runner = null;
    slot.generation++;
    await old?.stop().catch((error: unknown) => this.#logger.error({ err: error }, `stopping failed task ${this.name}-${id} failed`));
    if (this.#stopping || !this.#slots.includes(slot)) return;
    this.#logger.info(`restarting task ${this.name}-${id}`);
    await this.#runTask(slot, id);
  }

  async #startTask(id: number, taskConfig: Readonly<Record<string, string>>, onStatus: (status: Status) => void): Promise<TaskRunner> {
    const services = this.#services;
    const definition = this.definition;
    const logger = this.#logger;
    const abort = new AbortController();
    // What is open so far, closed again if the start fails half-way.
    const opened: (() => unknown)[] = [];
    try {
      const converters = services.converters(this.config);
      const parsedTaskConfig = definition.task.config ? definition.task.config.parse(taskConfig) : taskConfig;
      const { pipeline, deadLetterQueue } = await this.#pipeline(id, converters, abort.signal);
      opened.push(() => pipeline.close(), () => deadLetterQueue?.close());
      const closePipeline = async (stop: () => Promise<void>) => {
        abort.abort();
        try {
          await stop();
        } finally {
          await deadLetterQueue?.close();
        }
      };
      if (definition.type === 'source') {
        const producer = await services.kafka.producer();
        opened.push(() => producer.close());
        const runner = new SourceTaskRunner({
          connector: this.name,
          taskId: id,
          task: definition.task.create(),
          pipeline,
          producer,
          offsets: services.offsets,
          offsetFlushIntervalMs: services.offsetFlushIntervalMs,
          shutdownTimeoutMs: services.shutdownTimeoutMs,
          logger,
          onStatus,
        });
        await runner.start(parsedTaskConfig, { logger, configs: () => taskConfig, offsetReader: this.#offsetReader() });
        return {
          stop: () =>
            closePipeline(async () => {
              try {
                await runner.stop();
              } finally {
                await producer.close();
              }
            }),
        };
      }
      const sink = parseSinkConnectorConfig(this.config);
      const consumer = await services.kafka.consumer({ groupId: `connect-${this.name}` });
      opened.push(() => consumer.close());
      const runner = new SinkTaskRunner({
        connector: this.name,
        taskId: id,
        task: definition.task.create(),
        pipeline,
        errantRecords: pipeline.errors.toleratesAll || deadLetterQueue !== null || this.#settings['errors.log.enable'],
        component: this.config['connector.class'] ?? definition.name,
        consumer,
        topics: sink.topics,
        offsetFlushIntervalMs: services.offsetFlushIntervalMs,
        maxPollRecords: services.maxPollRecords,
        configs: taskConfig,
        logger,
        onStatus,
      });
      await runner.start(parsedTaskConfig);
      return { stop: () => closePipeline(() => runner.stop()) };
    } catch (error) {
      abort.abort();
      await Promise.allSettled(opened.map((close) => Promise.resolve().then(close)));
      throw error;
    }
  }

  /** A task's transforms, error handler and dead letter queue, from the connector's keys. */
  async #pipeline(id: number, converters: RecordConverters, signal: AbortSignal): Promise<{ pipeline: RecordPipeline; deadLetterQueue: DeadLetterQueue | null }> {
    const settings = this.#settings;
    const chain = TransformChain.build(this.#services.registry, this.config, settings.transforms, settings.predicates);
    const topic = settings['errors.deadletterqueue.topic.name'];
    let deadLetterQueue: DeadLetterQueue | null = null;
    try {
      if (topic !== '') {
        deadLetterQueue = await DeadLetterQueue.open(this.#services.kafka, {
          topic,
          replicationFactor: settings['errors.deadletterqueue.topic.replication.factor'],
          contextHeaders: settings['errors.deadletterqueue.context.headers.enable'],
          connector: this.name,
          taskId: id,
          encodeSource: sourceEncoder(converters),
          scrub: this.#services.scrub,
        });
      }
    } catch (error) {
      chain.close();
      throw error;
    }
    const errors = new ErrorHandler({ settings, task: `${this.name}-${id}`, logger: this.#logger, sink: deadLetterQueue, signal });
    return { pipeline: new RecordPipeline(converters, chain, errors), deadLetterQueue };
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
    await Promise.all(
      slots.map(async (slot, id) => {
        if (slot.timer) clearTimeout(slot.timer);
        await slot.restarting;
        slot.generation++;
        await slot.runner?.stop().catch((error: unknown) => this.#logger.error({ err: error }, `stopping task ${this.name}-${id} failed`));
      }),
    );
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
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
    const trace = traceOf(error);
    // A restart already on its way covers this failure too (it is in the log).
    if (this.#restartTimer) return;
    const decision = this.#restarts.failed();
    if (!decision.restart || this.#stopping) {
      this.#status = { state: 'FAILED', trace: this.#settings['sluice.restart.on.failure'] && !decision.restart ? `${trace}\nNot restarted: ${decision.reason}` : trace };
      return;
    }
    const what = this.#restarts.describe(decision.attempt);
    this.#status = { state: 'RESTARTING', trace: `${what} in ${decision.delayMs} ms after:\n${trace}` };
    this.#logger.warn(`connector ${this.name} failed; ${what} in ${decision.delayMs} ms`);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#reconfiguring = this.#reconfiguring.then(() => this.#restartConnector()).catch((e: unknown) => this.#fail(e));
    }, decision.delayMs);
  }

  async #restartConnector(): Promise<void> {
    if (this.#stopping) return;
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
