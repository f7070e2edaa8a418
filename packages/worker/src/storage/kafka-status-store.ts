import { isRetriable } from '@sluice/core';
import type { ConsumedRecord } from '../kafka/port.ts';
import { TopicStore } from './topic-store.ts';
import type { TopicStoreOptions } from './topic-store.ts';
import { canWriteSafely, parseStatusRecord, replacesTaskStatus, statusKeys, statusValue, topicStatusValue } from './kafka-status-records.ts';
import type { ConnectorStatus, TaskStatus, TopicStatus } from './kafka-status-records.ts';
import { parseJson } from './json.ts';

export interface KafkaStatusStoreOptions extends TopicStoreOptions {
  /** Attempts of a write that fails retriably. Default 5. */
  readonly attempts?: number;
}

export interface PutOptions {
  /**
   * Kafka Connect's `putSafe`: skip the write when the held status was written by another
   * worker in a newer generation (this worker's view is stale).
   */
  readonly safe?: boolean;
}

/** A status slot: what was last read, and a count of writes so a retry can tell it was overtaken. */
class Slot<T> {
  value: T | undefined;
  sequence = 0;
  deleted = false;
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

/**
 * Connector, task and topic statuses in the status topic, in Kafka Connect's format
 * (KafkaStatusBackingStore). A write resolves once acknowledged; what every reader (this
 * worker included) shows changes only when the record is read back, as in Kafka Connect, so
 * all workers agree on one order. A write that fails retriably is sent again unless the slot
 * was deleted, a newer generation has been written since, or (for safe writes) it is no
 * longer safe.
 */
export class KafkaStatusStore extends TopicStore {
  readonly #options: KafkaStatusStoreOptions;
  readonly #connectors = new Map<string, Slot<ConnectorStatus>>();
  readonly #tasks = new Map<string, Map<number, Slot<TaskStatus>>>();
  readonly #topics = new Map<string, Map<string, TopicStatus>>();
  /** The generation of the last status this worker wrote. */
  #generation = -1;

  constructor(options: KafkaStatusStoreOptions) {
    super(options, 'sluice-statuses');
    this.#options = options;
  }

  /** Waits for every write made so far to be acknowledged or to fail. */
  flush(): Promise<void> {
    return this.log.flush();
  }

  putConnector(status: ConnectorStatus, options: PutOptions = {}): Promise<void> {
    return this.#send(statusKeys.connector(status.connector), status, this.#connectorSlot(status.connector), options.safe ?? false);
  }

  putTask(status: TaskStatus, options: PutOptions = {}): Promise<void> {
    return this.#send(statusKeys.task(status.connector, status.task), status, this.#taskSlot(status.connector, status.task), options.safe ?? false);
  }

  async putTopic(status: TopicStatus): Promise<void> {
    await this.#sendWithRetry(statusKeys.topic(status.connector, status.topic), topicStatusValue(status), () => true);
  }

  async deleteTopic(connector: string, topic: string): Promise<void> {
    await this.#sendWithRetry(statusKeys.topic(connector, topic), null, () => true);
  }

  connector(connector: string): ConnectorStatus | undefined {
    return this.#connectors.get(connector)?.value;
  }

  task(connector: string, task: number): TaskStatus | undefined {
    return this.#tasks.get(connector)?.get(task)?.value;
  }

  /** Every task status of the connector, by task number. */
  tasks(connector: string): TaskStatus[] {
    return [...(this.#tasks.get(connector)?.values() ?? [])].flatMap((slot) => (slot.value ? [slot.value] : [])).sort((a, b) => a.task - b.task);
  }

  topic(connector: string, topic: string): TopicStatus | undefined {
    return this.#topics.get(connector)?.get(topic);
  }

  topics(connector: string): TopicStatus[] {
    return [...(this.#topics.get(connector)?.values() ?? [])];
  }

  /** Connectors this store holds a status slot for. */
  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  async #send<T extends ConnectorStatus | TaskStatus>(key: string, status: T, slot: Slot<T>, safe: boolean): Promise<void> {
    this.#generation = status.generation;
    if (safe && !canWriteSafely(slot.value, status)) return;
    const sequence = ++slot.sequence;
    const stillWanted = () => !slot.deleted && status.generation === this.#generation && (!safe || (canWriteSafely(slot.value, status) && slot.sequence === sequence));
    await this.#sendWithRetry(key, statusValue(status), stillWanted);
  }

  async #sendWithRetry(key: string, value: string | null, stillWanted: () => boolean): Promise<void> {
    const attempts = this.#options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.log.send([{ key: text.encode(key), value: value === null ? null : text.encode(value) }]);
        return;
      } catch (error) {
        if (!isRetriable(error) || attempt >= attempts) throw error;
        if (!stillWanted()) return;
        this.logger.warn({ err: error }, `writing status ${key} failed; retrying`);
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
        if (!stillWanted()) return;
      }
    }
  }

  #connectorSlot(connector: string): Slot<ConnectorStatus> {
    let slot = this.#connectors.get(connector);
    if (!slot) this.#connectors.set(connector, (slot = new Slot()));
    return slot;
  }

  #taskSlot(connector: string, task: number): Slot<TaskStatus> {
    let tasks = this.#tasks.get(connector);
    if (!tasks) this.#tasks.set(connector, (tasks = new Map<number, Slot<TaskStatus>>()));
    let slot = tasks.get(task);
    if (!slot) tasks.set(task, (slot = new Slot()));
    return slot;
  }

  protected read(consumed: ConsumedRecord): void {
    if (consumed.key === null) return;
    const key = utf8.decode(consumed.key);
    let value: unknown;
    try {
      value = consumed.value === null ? null : parseJson(utf8.decode(consumed.value));
    } catch {
      value = undefined;
    }
    const record = value === undefined ? ({ type: 'malformed', key, reason: 'the value is not JSON' } as const) : parseStatusRecord(key, value);
    switch (record.type) {
      case 'connector': {
        if (record.status === null) {
          this.#removeConnector(record.connector);
          return;
        }
        this.#connectorSlot(record.connector).value = { connector: record.connector, ...record.status };
        return;
      }
      case 'task': {
        if (record.status === null) {
          const slot = this.#tasks.get(record.connector)?.get(record.task);
          if (slot) slot.deleted = true;
          this.#tasks.get(record.connector)?.delete(record.task);
          return;
        }
        const slot = this.#taskSlot(record.connector, record.task);
        if (replacesTaskStatus(slot.value, record.status)) slot.value = { connector: record.connector, task: record.task, ...record.status };
        return;
      }
      case 'topic': {
        if (record.status === null) {
          this.#topics.get(record.connector)?.delete(record.topic);
          return;
        }
        let topics = this.#topics.get(record.connector);
        if (!topics) this.#topics.set(record.connector, (topics = new Map<string, TopicStatus>()));
        topics.set(record.topic, record.status);
        return;
      }
      case 'malformed':
        this.logger.warn(`status topic ${this.log.topic}: ignoring record ${key} at ${consumed.partition}/${consumed.offset}: ${record.reason}`);
    }
  }

  /** A connector's tombstone removes its tasks' statuses too, as Kafka Connect does. */
  #removeConnector(connector: string): void {
    const slot = this.#connectors.get(connector);
    if (slot) slot.deleted = true;
    this.#connectors.delete(connector);
    for (const task of this.#tasks.get(connector)?.values() ?? []) task.deleted = true;
    this.#tasks.delete(connector);
  }
}
