import type { Logger } from '@sluice/core';
import { noopLogger } from '@sluice/core';
import type { ConsumedRecord, KafkaAdmin, KafkaClient, KafkaProducer } from '../kafka/port.ts';
import type { InternalTopicSpec } from './internal-topics.ts';
import { ensureInternalTopic } from './internal-topics.ts';
import { KafkaLog } from './kafka-log.ts';

/** What each store of distributed mode is built with. */
export interface TopicStoreOptions {
  readonly client: KafkaClient;
  /** From `internalTopicSpec(kind, workerProperties)`. */
  readonly topic: InternalTopicSpec;
  readonly producer?: KafkaProducer;
  readonly admin?: KafkaAdmin;
  readonly logger?: Logger;
  /** Bound of every write and read to the end. Default 30 s, as Kafka Connect. */
  readonly timeoutMs?: number;
}

/**
 * What the config, offset and status stores share (Kafka Connect's KafkaTopicBasedBackingStore):
 * one compacted internal topic, created or checked at start, read from the beginning through a
 * {@link KafkaLog} that hands every record to `read`.
 */
export abstract class TopicStore {
  protected readonly log: KafkaLog;
  protected readonly logger: Logger;
  readonly #options: TopicStoreOptions;

  constructor(options: TopicStoreOptions, groupPrefix: string) {
    this.#options = options;
    this.logger = options.logger ?? noopLogger;
    this.log = new KafkaLog({
      client: options.client,
      topic: options.topic.name,
      groupPrefix,
      onRecord: (record) => this.read(record),
      ...(options.producer ? { producer: options.producer } : {}),
      ...(options.admin ? { admin: options.admin } : {}),
      logger: this.logger,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }

  /** Applies one record of the topic, in topic order. */
  protected abstract read(record: ConsumedRecord): void;

  /** Creates or checks the topic, then reads it to its end. */
  async start(): Promise<void> {
    const admin = this.#options.admin ?? (await this.#options.client.admin());
    try {
      await ensureInternalTopic(admin, this.#options.topic);
    } finally {
      if (!this.#options.admin) await admin.close();
    }
    await this.log.start();
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  /** Reads to the end of the topic (Kafka Connect's `refresh`). */
  refresh(timeoutMs?: number): Promise<void> {
    return this.log.readToEnd(timeoutMs);
  }
}
