import type { ConnectorDefinition, Logger, OffsetMap, OffsetReader, SinkConnector, SourceConnector } from '@sluice/core';
import type { TargetState } from '../herder/herder.ts';
import { commonConnectorConfig } from '../runtime/connector-config.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import { traceOf } from '../runtime/status.ts';
import type { Status } from '../runtime/status.ts';

/** What a connector instance reports to its herder. */
export interface LocalConnectorEvents {
  onStatus(status: Status): void;
  /** The task configs the connector generated; the herder publishes them when they changed. */
  onTaskConfigs(configs: readonly Readonly<Record<string, string>>[]): Promise<void>;
}

/** An offset reader over the worker's offset store, for one connector. */
export function offsetReader(services: WorkerServices, connector: string): OffsetReader {
  const offsets = services.offsets;
  return {
    offset: (partition: OffsetMap) => offsets.get(connector, partition),
    offsets: (partitions: readonly OffsetMap[]) => Promise.all(partitions.map(async (partition) => ({ partition, offset: await offsets.get(connector, partition) }))),
  };
}

/**
 * The connector instance of one connector that the group assigned to this worker (task id -1
 * in Kafka's assignment): it starts, generates task configs for the herder to publish, and
 * regenerates them when it asks for a reconfiguration. Its tasks run wherever the group put
 * them. Target STARTED runs it; PAUSED keeps it running (its tasks pause); STOPPED stops it.
 */
export class LocalConnector {
  readonly name: string;
  readonly #definition: ConnectorDefinition;
  readonly #config: Readonly<Record<string, string>>;
  readonly #services: WorkerServices;
  readonly #events: LocalConnectorEvents;
  readonly #logger: Logger;
  #instance: SourceConnector<unknown> | SinkConnector<unknown> | null = null;
  #work: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, services: WorkerServices, events: LocalConnectorEvents) {
    this.name = config.name!;
    this.#definition = definition;
    this.#config = config;
    this.#services = services;
    this.#events = events;
    this.#logger = services.loggers?.(`sluice.connector.${this.name}`) ?? services.logger;
  }

  /** Moves to a target state; one change at a time, none after `stop`. */
  setTargetState(target: TargetState): Promise<void> {
    this.#work = this.#work.then(() => (this.#stopped ? undefined : this.#transition(target))).catch((error: unknown) => this.#fail(error));
    return this.#work;
  }

  async #transition(target: TargetState): Promise<void> {
    if (target === 'STOPPED') {
      await this.#stopInstance();
      this.#events.onStatus({ state: 'STOPPED' });
      return;
    }
    if (!this.#instance) await this.#start();
    if (this.#instance) this.#events.onStatus({ state: target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
  }

  async #start(): Promise<void> {
    const parsed = this.#definition.config.parse(this.#config);
    const instance = this.#definition.create();
    this.#instance = instance;
    const current = () => this.#instance === instance && !this.#stopped;
    const started = instance.start(parsed, {
      logger: this.#logger,
      configs: () => this.#config,
      requestTaskReconfiguration: () => {
        this.#work = this.#work.then(() => (current() ? this.#publishTasks(instance) : undefined)).catch((error: unknown) => this.#fail(error));
      },
      raiseError: (error: unknown) => {
        if (current()) this.#fail(error);
      },
      offsetReader: offsetReader(this.#services, this.name),
    });
    try {
      await started;
    } catch (error) {
      this.#instance = null;
      throw error;
    }
    await this.#publishTasks(instance);
  }

  async #publishTasks(instance: SourceConnector<unknown> | SinkConnector<unknown>): Promise<void> {
    const max = commonConnectorConfig.parse(this.#config)['tasks.max'];
    await this.#events.onTaskConfigs((await instance.taskConfigs(max)).slice(0, max));
  }

  async #stopInstance(): Promise<void> {
    const instance = this.#instance;
    this.#instance = null;
    try {
      await instance?.stop();
    } catch (error) {
      this.#logger.error({ err: error }, `connector ${this.name}: stop failed`);
    }
  }

  #fail(error: unknown): void {
    this.#logger.error({ err: error }, `connector ${this.name} failed`);
    this.#events.onStatus({ state: 'FAILED', trace: traceOf(error) });
  }

  /** Stops the instance for good (revoked, deleted or reconfigured). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#work;
    await this.#stopInstance();
  }
}
