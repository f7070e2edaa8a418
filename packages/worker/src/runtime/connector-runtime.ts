import { configError } from '@sluice/core';
import type { ConnectorDefinition, Logger, OffsetMap, OffsetReader, SinkConnector, SourceConnector } from '@sluice/core';
import type { KafkaClient } from '../kafka/port.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import { commonConnectorConfig, parseSinkConnectorConfig } from './connector-config.ts';
import type { ConverterFactory } from './converters.ts';
import { SinkTaskRunner } from './sink-runner.ts';
import { SourceTaskRunner } from './source-runner.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';

/** What every connector of a worker shares. */
export interface WorkerServices {
  readonly kafka: KafkaClient;
  readonly offsets: OffsetStore;
  readonly converters: ConverterFactory;
  readonly offsetFlushIntervalMs: number;
  readonly shutdownTimeoutMs: number;
  readonly maxPollRecords: number;
  readonly logger: Logger;
}

interface TaskRunner {
  stop(): Promise<void>;
}

/**
 * One connector on this worker: its instance, its task configs, its task runners and their
 * states. Lifecycle: `start` (connector `start`, `taskConfigs`, one runner per task) → `stop`
 * (runners stopped, offsets committed, connector `stop`).
 */
export class ConnectorRuntime {
  readonly name: string;
  readonly definition: ConnectorDefinition;
  readonly config: Readonly<Record<string, string>>;
  readonly #services: WorkerServices;
  readonly #logger: Logger;
  #instance: SourceConnector<unknown> | SinkConnector<unknown> | null = null;
  #taskConfigs: Readonly<Record<string, string>>[] = [];
  #runners: TaskRunner[] = [];
  #status: Status = { state: 'UNASSIGNED' };
  #taskStatus: Status[] = [];
  #reconfiguring: Promise<void> = Promise.resolve();
  #stopping = false;

  constructor(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, services: WorkerServices) {
    this.definition = definition;
    this.config = config;
    this.name = config.name!;
    this.#services = services;
    this.#logger = services.logger;
  }

  get type(): 'source' | 'sink' {
    return this.definition.type;
  }

  get status(): Status {
    return this.#status;
  }

  get taskStatuses(): readonly Status[] {
    return this.#taskStatus;
  }

  get taskConfigs(): readonly Readonly<Record<string, string>>[] {
    return this.#taskConfigs;
  }

  /**
   * Validates the whole config (common keys, then the connector's own) before anything runs;
   * a problem is a CONFIG error naming the key and the reason.
   */
  static validate(definition: ConnectorDefinition, config: Readonly<Record<string, string>>): void {
    if (definition.type === 'sink') parseSinkConnectorConfig(config);
    else commonConnectorConfig.parse(config);
    definition.config.parse(config);
  }

  async start(): Promise<void> {
    const common = commonConnectorConfig.parse(this.config);
    const parsed = this.definition.config.parse(this.config);
    const context = {
      logger: this.#logger,
      configs: () => this.config,
      requestTaskReconfiguration: () => {
        // One reconfiguration at a time, none after stop began; a failure fails the connector.
        this.#reconfiguring = this.#reconfiguring.then(() => (this.#stopping ? undefined : this.#reconfigure())).catch((error: unknown) => this.#fail(error));
      },
      raiseError: (error: unknown) => this.#fail(error),
      offsetReader: this.#offsetReader(),
    };
    try {
      const instance = this.definition.create();
      this.#instance = instance;
      await instance.start(parsed, context);
      this.#taskConfigs = (await instance.taskConfigs(common['tasks.max'])).slice(0, common['tasks.max']);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#status = { state: 'RUNNING' };
    await this.#startTasks();
  }

  async #startTasks(): Promise<void> {
    this.#taskStatus = this.#taskConfigs.map(() => ({ state: 'UNASSIGNED' }));
    const started = await Promise.allSettled(this.#taskConfigs.map((taskConfig, id) => this.#startTask(id, taskConfig)));
    // Keep every runner that started, so stop() stops it even when a sibling failed to start.
    this.#runners = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async #startTask(id: number, taskConfig: Readonly<Record<string, string>>): Promise<TaskRunner> {
    const services = this.#services;
    const onStatus = (status: Status) => {
      this.#taskStatus[id] = status;
    };
    const converters = services.converters(this.config);
    const definition = this.definition;
    const parsedTaskConfig = definition.task.config ? definition.task.config.parse(taskConfig) : taskConfig;
    const logger = this.#logger;
    if (definition.type === 'source') {
      const producer = await services.kafka.producer();
      const runner = new SourceTaskRunner({
        connector: this.name,
        taskId: id,
        task: definition.task.create(),
        converters,
        producer,
        offsets: services.offsets,
        offsetFlushIntervalMs: services.offsetFlushIntervalMs,
        shutdownTimeoutMs: services.shutdownTimeoutMs,
        logger,
        onStatus,
      });
      await runner.start(parsedTaskConfig, { logger, configs: () => taskConfig, offsetReader: this.#offsetReader() });
      return {
        stop: async () => {
          try {
            await runner.stop();
          } finally {
            await producer.close();
          }
        },
      };
    }
    const sink = parseSinkConnectorConfig(this.config);
    const consumer = await services.kafka.consumer({ groupId: `connect-${this.name}` });
    const runner = new SinkTaskRunner({
      connector: this.name,
      taskId: id,
      task: definition.task.create(),
      converters,
      consumer,
      topics: sink.topics,
      offsetFlushIntervalMs: services.offsetFlushIntervalMs,
      maxPollRecords: services.maxPollRecords,
      configs: taskConfig,
      logger,
      onStatus,
    });
    await runner.start(parsedTaskConfig);
    return runner;
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
    const common = commonConnectorConfig.parse(this.config);
    await this.#stopTasks();
    this.#taskConfigs = (await this.#instance.taskConfigs(common['tasks.max'])).slice(0, common['tasks.max']);
    await this.#startTasks();
  }

  async #stopTasks(): Promise<void> {
    const runners = this.#runners;
    this.#runners = [];
    await Promise.all(runners.map((r) => r.stop().catch((error: unknown) => this.#logger.error({ err: error }, `stopping a task of ${this.name} failed`))));
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#reconfiguring;
    await this.#stopTasks();
    try {
      await this.#instance?.stop();
    } catch (error) {
      this.#logger.error({ err: error }, `connector ${this.name}: stop failed`);
    }
    if (this.#status.state !== 'FAILED') this.#status = { state: 'UNASSIGNED' };
  }

  #fail(error: unknown): void {
    this.#logger.error({ err: error }, `connector ${this.name} failed`);
    this.#status = { state: 'FAILED', trace: traceOf(error) };
  }
}

/** The config of a connector file or REST body, with its name checked. */
export function connectorName(config: Readonly<Record<string, string>>): string {
  const name = config.name;
  if (!name) throw configError('name', 'is missing: every connector needs a unique name');
  return name;
}
