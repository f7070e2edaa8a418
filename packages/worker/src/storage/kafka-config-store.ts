import type { ConsumedRecord } from '../kafka/port.ts';
import { configKeys, configValues, parseConfigRecord } from './kafka-config-records.ts';
import type { RestartRequest, SessionKey, TargetState, TaskId } from './kafka-config-records.ts';
import { ConfigState } from './kafka-config-state.ts';
import type { ConfigChange, ConfigSnapshot } from './kafka-config-state.ts';
import { TopicStore } from './topic-store.ts';
import type { TopicStoreOptions } from './topic-store.ts';
import type { LogRecord } from './kafka-log.ts';
import { parseJson } from './json.ts';

/**
 * What the herder hears from the config topic. Called from the log's reader, one at a time and
 * in topic order, only after `start` resolved (what `start` reads is in the first snapshot).
 */
export interface ConfigUpdateListener {
  onConnectorConfigUpdate?(connector: string): void;
  onConnectorConfigRemove?(connector: string): void;
  /** Tasks whose configs a commit record applied; empty when the commit applied none. */
  onTaskConfigUpdate?(tasks: readonly TaskId[]): void;
  onConnectorTargetStateChange?(connector: string): void;
  onRestartRequest?(request: RestartRequest): void;
  onSessionKeyUpdate?(key: SessionKey): void;
  onLoggingLevelUpdate?(namespace: string, level: string): void;
}

export interface KafkaConfigStoreOptions extends TopicStoreOptions {
  readonly listener?: ConfigUpdateListener;
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

/**
 * Distributed mode's connector configs in the config topic, in Kafka Connect's formats
 * (KafkaConfigBackingStore), so Sluice and Kafka Connect workers can read each other's topic.
 * Writes resolve once the records are acknowledged and read back (so the snapshot has them),
 * except `putTargetState` and `putLoggerLevel`, which resolve on acknowledgement, as in Kafka.
 * Only the group's leader should write connector and task configs.
 */
export class KafkaConfigStore extends TopicStore {
  readonly #options: KafkaConfigStoreOptions;
  readonly #state = new ConfigState();
  #started = false;

  constructor(options: KafkaConfigStoreOptions) {
    super(options, 'sluice-configs');
    this.#options = options;
  }

  /** Creates or checks the topic (compacted, one partition) and reads it to its end. */
  override async start(): Promise<void> {
    await super.start();
    this.#started = true;
  }

  override async stop(): Promise<void> {
    this.#started = false;
    await super.stop();
  }

  snapshot(): ConfigSnapshot {
    return this.#state.snapshot();
  }

  contains(connector: string): boolean {
    return this.#state.has(connector);
  }

  /** Writes the connector's config, after its target state when one is given (a connector created paused or stopped). */
  async putConnectorConfig(connector: string, properties: Readonly<Record<string, string>>, targetState?: TargetState): Promise<void> {
    const records: LogRecord[] = [];
    if (targetState) records.push(record(configKeys.targetState(connector), configValues.targetState(targetState)));
    records.push(record(configKeys.connector(connector), configValues.properties(properties)));
    await this.log.send(records);
    await this.log.readToEnd();
  }

  /** Tombstones the connector's config and target state. */
  async removeConnectorConfig(connector: string): Promise<void> {
    await this.log.send([record(configKeys.connector(connector), null), record(configKeys.targetState(connector), null)]);
    await this.log.readToEnd();
  }

  /**
   * Writes every task's config, then the commit record that makes them count together, reading
   * to the end before each step as Kafka Connect does, so the commit never precedes its tasks.
   */
  async putTaskConfigs(connector: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    await this.log.readToEnd();
    if (configs.length > 0) {
      await this.log.send(configs.map((properties, task) => record(configKeys.task({ connector, task }), configValues.properties(properties))));
      await this.log.readToEnd();
    }
    await this.log.send([record(configKeys.commit(connector), configValues.commit(configs.length))]);
    await this.log.readToEnd();
  }

  /** Resolves once acknowledged; the change reaches listeners when it is read back. */
  async putTargetState(connector: string, state: TargetState): Promise<void> {
    await this.log.send([record(configKeys.targetState(connector), configValues.targetState(state))]);
  }

  async putRestartRequest(request: RestartRequest): Promise<void> {
    await this.log.send([record(configKeys.restart(request.connector), configValues.restart(request))]);
    await this.log.readToEnd();
  }

  /** The task count of a finished zombie fencing round (exactly-once sources, KIP-618). */
  async putTaskCountRecord(connector: string, count: number): Promise<void> {
    await this.log.send([record(configKeys.taskCount(connector), configValues.taskCount(count))]);
    await this.log.readToEnd();
  }

  async putSessionKey(key: SessionKey): Promise<void> {
    await this.log.send([record(configKeys.sessionKey, configValues.sessionKey(key))]);
    await this.log.readToEnd();
  }

  async putLoggerLevel(namespace: string, level: string): Promise<void> {
    await this.log.send([record(configKeys.loggerLevel(namespace), configValues.loggerLevel(level))]);
  }

  protected read(consumed: ConsumedRecord): void {
    if (consumed.key === null) {
      this.logger.error(`config topic ${this.log.topic}: ignoring the record without a key at offset ${consumed.offset}`);
      return;
    }
    const key = utf8.decode(consumed.key);
    let value: unknown;
    try {
      value = consumed.value === null ? null : parseJson(utf8.decode(consumed.value));
    } catch (error) {
      this.logger.error({ err: error }, `config topic ${this.log.topic}: ignoring record ${key} at offset ${consumed.offset}: its value is not JSON`);
      return;
    }
    const parsed = parseConfigRecord(key, value);
    if (parsed.type === 'malformed') this.logger.error(`config topic ${this.log.topic}: ignoring record ${key} at offset ${consumed.offset}: ${parsed.reason}`);
    const changes = this.#state.apply(parsed, consumed.offset);
    if (this.#started) for (const change of changes) this.#notify(change);
  }

  #notify(change: ConfigChange): void {
    const listener = this.#options.listener;
    if (!listener) return;
    switch (change.type) {
      case 'connector-updated':
        return listener.onConnectorConfigUpdate?.(change.connector);
      case 'connector-removed':
        return listener.onConnectorConfigRemove?.(change.connector);
      case 'tasks-updated':
        return listener.onTaskConfigUpdate?.(change.tasks);
      case 'target-state-changed':
        return listener.onConnectorTargetStateChange?.(change.connector);
      case 'restart-requested':
        return listener.onRestartRequest?.(change.request);
      case 'session-key-updated':
        return listener.onSessionKeyUpdate?.(change.key);
      case 'logger-level':
        return listener.onLoggingLevelUpdate?.(change.namespace, change.level);
    }
  }
}

function record(key: string, value: string | null): LogRecord {
  return { key: text.encode(key), value: value === null ? null : text.encode(value) };
}

