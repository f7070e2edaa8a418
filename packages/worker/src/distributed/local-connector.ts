import type { ConnectorDefinition, Logger, OffsetMap, OffsetReader, SinkConnector, SourceConnector } from '@sluice/core';
import type { TargetState } from '../herder/herder.ts';
import { commonConnectorConfig } from '../runtime/connector-config.ts';
import type { CommonConnectorConfig } from '../runtime/connector-config.ts';
import type { WorkerServices } from '../runtime/connector-runtime.ts';
import { AutoRestart } from '../runtime/restart-policy.ts';
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
 * With `sluice.restart.on.failure`, a failed instance is restarted after a backoff and shows
 * RESTARTING meanwhile, as in standalone mode; STOPPED or `stop` drops a restart that waits.
 */
export class LocalConnector {
  readonly name: string;
  readonly #definition: ConnectorDefinition;
  readonly #config: Readonly<Record<string, string>>;
  readonly #services: WorkerServices;
  readonly #events: LocalConnectorEvents;
  readonly #logger: Logger;
  readonly #settings: CommonConnectorConfig;
  readonly #restarts: AutoRestart;
  #instance: SourceConnector<unknown> | SinkConnector<unknown> | null = null;
  #work: Promise<void> = Promise.resolve();
  #stopped = false;
  #target: TargetState = 'STARTED';

  constructor(definition: ConnectorDefinition, config: Readonly<Record<string, string>>, services: WorkerServices, events: LocalConnectorEvents) {
    this.name = config.name!;
    this.#definition = definition;
    this.#config = config;
    this.#services = services;
    this.#events = events;
    this.#logger = services.loggers?.(`sluice.connector.${this.name}`) ?? services.logger;
    this.#settings = commonConnectorConfig.parse(config);
    this.#restarts = new AutoRestart(this.#settings, `connector ${this.name}`, this.#logger);
  }

  /** Moves to a target state; one change at a time, none after `stop`. */
  setTargetState(target: TargetState): Promise<void> {
    return this.#serially(() => this.#transition(target));
  }

  /** Runs `work` after what was asked before, never after `stop`; a failure fails the connector. */
  #serially(work: () => Promise<void>): Promise<void> {
    this.#work = this.#work.then(() => (this.#stopped ? undefined : work())).catch((error: unknown) => this.#fail(error));
    return this.#work;
  }

  async #transition(target: TargetState): Promise<void> {
    this.#target = target;
    if (target === 'STOPPED') {
      this.#restarts.cancel();
      await this.#stopInstance();
      this.#events.onStatus({ state: 'STOPPED' });
      return;
    }
    // A restart that waits starts it in the target state then.
    if (this.#restarts.pending) return;
    if (!this.#instance) await this.#start();
    if (!this.#instance) return;
    this.#restarts.running();
    this.#events.onStatus({ state: target === 'PAUSED' ? 'PAUSED' : 'RUNNING' });
  }

  /** The automatic restart: a new instance, in the target state of now. */
  async #restart(): Promise<void> {
    this.#logger.info(`restarting connector ${this.name}`);
    await this.#stopInstance();
    await this.#transition(this.#target);
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
        void this.#serially(() => (current() ? this.#publishTasks(instance) : Promise.resolve()));
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
    const max = this.#settings['tasks.max'];
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
    // A restart already on its way covers this failure too (it is in the log).
    if (this.#restarts.pending) return;
    this.#events.onStatus(this.#restarts.failed(traceOf(error), () => void this.#serially(() => this.#restart()), !this.#stopped));
  }

  /** Stops the instance for good (revoked, deleted or reconfigured); a restart that waits is dropped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#restarts.cancel();
    await this.#work;
    await this.#stopInstance();
  }
}
