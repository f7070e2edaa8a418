import { isRetriable } from '@sluice/core';
import type { ErrantRecordReporter, Logger, SinkRecord, SinkTask, SinkTaskContext, TopicPartition, TopicPartitionOffset } from '@sluice/core';
import type { ConsumedRecord, KafkaConsumer } from '../kafka/port.ts';
import { partitionKey } from '../kafka/port.ts';
import type { RecordPipeline } from './record-pipeline.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';

/** How long to wait before redelivering a batch whose `put` failed retriably when the task named no `timeout(ms)`. */
const DEFAULT_RETRY_DELAY_MS = 1_000;

export interface SinkRunnerOptions {
  readonly connector: string;
  readonly taskId: number;
  readonly task: SinkTask<unknown>;
  /** Converts and transforms what is consumed; failures follow the connector's `errors.*` keys. */
  readonly pipeline: RecordPipeline;
  /** Whether the task gets an errant record reporter (`errors.tolerance=all`, a dead letter queue, or `errors.log.enable`). */
  readonly errantRecords: boolean;
  /** The connector as error reports name it, for records the task reports itself. */
  readonly component: string;
  /** A consumer of group `connect-<connector>`, not yet subscribed. */
  readonly consumer: KafkaConsumer;
  readonly topics: readonly string[];
  readonly offsetFlushIntervalMs: number;
  /** Kafka Connect's `consumer.max.poll.records`. */
  readonly maxPollRecords: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly onStatus: (status: Status) => void;
  /** Told the topics of each consumed batch (Kafka Connect's topic tracking, KIP-558). */
  readonly onTopics?: (topics: ReadonlySet<string>) => void;
}

/**
 * Runs one sink task: consume → convert → `put` → `preCommit`/`flush` → commit. Consumer offsets
 * are committed only for what the task said is durable (what `preCommit` returned, or everything
 * put before a `flush` resolved), so a crash redelivers instead of losing.
 */
export class SinkTaskRunner {
  readonly #options: SinkRunnerOptions;
  /** The next offset to commit per partition: after the last record handed to `put`. */
  readonly #current = new Map<string, TopicPartitionOffset>();
  #running = true;
  #loop: Promise<void> | null = null;
  #lastCommit = Date.now();
  #commitRequested = false;
  #retryDelayMs = 0;
  #failed = false;
  /** The latest batch, so a record the task reports can be traced back to its consumed bytes. */
  #batch: readonly ConsumedRecord[] = [];
  #batchIndex: Map<string, ConsumedRecord> | null = null;
  /** Partitions the task rewound with `offset()` during the current `put`. */
  readonly #rewound = new Set<string>();
  /** Paused by the worker (the connector's target state): every assigned partition is paused. */
  #paused = false;
  /** Partitions the task paused itself, which stay paused when the worker resumes. */
  readonly #taskPaused = new Map<string, TopicPartition>();

  constructor(options: SinkRunnerOptions) {
    this.#options = options;
  }

  /**
   * Starts the task and reports RUNNING, as Kafka Connect does, before the group assigned
   * partitions: joining happens in the poll loop, and a failure to join fails the task.
   */
  async start(taskConfig: unknown): Promise<void> {
    try {
      await this.#options.task.start(taskConfig, this.#context());
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#options.onStatus({ state: this.#paused ? 'PAUSED' : 'RUNNING' });
    this.#loop = this.#subscribe().then(
      () => this.#run(),
      (error: unknown) => this.#fail(error),
    );
  }

  #subscribe(): Promise<void> {
    const { task, consumer } = this.#options;
    return consumer.subscribe(this.#options.topics, {
      onAssigned: (partitions) => {
        if (this.#paused) consumer.pause(partitions);
        return task.open?.(partitions);
      },
      onRevoked: async (partitions) => {
        await this.#commit(partitions);
        await task.close?.(partitions);
        for (const tp of partitions) {
          this.#current.delete(partitionKey(tp));
          this.#taskPaused.delete(partitionKey(tp));
        }
      },
    });
  }

  #context(): SinkTaskContext {
    const consumer = this.#options.consumer;
    return {
      logger: this.#options.logger,
      configs: () => this.#options.configs,
      assignment: () => consumer.assignment(),
      pause: (...partitions: TopicPartition[]) => {
        for (const tp of partitions) this.#taskPaused.set(partitionKey(tp), tp);
        consumer.pause(partitions);
      },
      resume: (...partitions: TopicPartition[]) => {
        for (const tp of partitions) this.#taskPaused.delete(partitionKey(tp));
        // While the worker has the connector paused, its partitions wait for the worker's resume.
        if (!this.#paused) consumer.resume(partitions);
      },
      offset: (partition: TopicPartition, offset: bigint) => {
        consumer.seek(partition, offset);
        // What the task rewound to is what it has not made durable: never commit past it.
        const key = partitionKey(partition);
        this.#current.set(key, { topic: partition.topic, partition: partition.partition, offset });
        this.#rewound.add(key);
      },
      timeout: (ms: number) => {
        this.#retryDelayMs = ms;
      },
      requestCommit: () => {
        this.#commitRequested = true;
      },
      errantRecordReporter: this.#options.errantRecords ? this.#errantRecordReporter() : undefined,
    };
  }

  /**
   * Kafka Connect's errant record reporter: the record goes where a failed conversion would
   * (log, dead letter queue) — as consumed when it is from the latest batch, otherwise written
   * again through the connector's converters.
   */
  #errantRecordReporter(): ErrantRecordReporter {
    return {
      report: (record: SinkRecord, error: unknown) => {
        const consumed = this.#consumedOf(record) ?? this.#options.pipeline.asConsumed(record);
        return this.#options.pipeline.errors.reported({ stage: 'TASK_PUT', component: this.#options.component, error, consumed });
      },
    };
  }

  #consumedOf(record: SinkRecord): ConsumedRecord | undefined {
    const key = (topic: string, partition: number, offset: bigint) => `${topic}\u0000${partition}\u0000${offset}`;
    this.#batchIndex ??= new Map(this.#batch.map((c) => [key(c.topic, c.partition, c.offset), c]));
    return this.#batchIndex.get(key(record.originalTopic, record.originalKafkaPartition, record.originalKafkaOffset));
  }

  async #run(): Promise<void> {
    const { consumer, pipeline, task } = this.#options;
    while (this.#running) {
      try {
        const consumed = await consumer.poll(500, this.#options.maxPollRecords);
        if (!this.#running) break;
        if (consumed.length > 0) {
          this.#options.onTopics?.(new Set(consumed.map((r) => r.topic)));
          this.#batch = consumed;
          this.#batchIndex = null;
          this.#rewound.clear();
          await this.#deliver(task, await pipeline.toSink(consumed));
          // A record the task reported and that is not tolerated fails the task now, as in Kafka Connect.
          pipeline.errors.throwIfFatal();
          this.#advance(consumed);
        }
        if (this.#commitRequested || Date.now() - this.#lastCommit >= this.#options.offsetFlushIntervalMs) await this.#commit();
      } catch (error) {
        this.#fail(error);
        return;
      }
    }
  }

  /**
   * Moves the offsets to commit past a delivered batch — except for partitions revoked while
   * `put` ran (their commit already happened) and partitions the task rewound during `put`.
   */
  #advance(consumed: readonly ConsumedRecord[]): void {
    const assigned = new Set(this.#options.consumer.assignment().map(partitionKey));
    for (let i = 0; i < consumed.length; i++) {
      const r = consumed[i]!;
      const next = consumed[i + 1];
      // the last record of each run of one partition moves it (a batch holds each partition's records in offset order)
      if (next !== undefined && next.partition === r.partition && next.topic === r.topic) continue;
      const key = partitionKey(r);
      if (assigned.has(key) && !this.#rewound.has(key)) this.#current.set(key, { topic: r.topic, partition: r.partition, offset: r.offset + 1n });
    }
  }

  /** `put`, redelivering the same batch after `timeout(ms)` while it fails with a RETRIABLE error. */
  async #deliver(task: SinkTask<unknown>, records: SinkRecord[]): Promise<void> {
    for (;;) {
      try {
        await task.put(records);
        return;
      } catch (error) {
        if (!isRetriable(error) || !this.#running) throw error;
        // The task names the wait with timeout(ms) before each retriable failure, as in Kafka Connect.
        const delay = this.#retryDelayMs > 0 ? this.#retryDelayMs : DEFAULT_RETRY_DELAY_MS;
        this.#retryDelayMs = 0;
        this.#options.logger.warn({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: put will be retried in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Asks the task what is durable and commits that; `only` limits it to some partitions (revocation). */
  async #commit(only?: readonly TopicPartition[]): Promise<void> {
    this.#commitRequested = false;
    this.#lastCommit = Date.now();
    // Records skipped or reported on the way are durable in the dead letter queue first.
    await this.#options.pipeline.errors.settle();
    const keys = only ? new Set(only.map(partitionKey)) : null;
    const current = [...this.#current.values()].filter((o) => !keys || keys.has(partitionKey(o)));
    if (current.length === 0) return;
    const { task, consumer } = this.#options;
    let durable: readonly TopicPartitionOffset[];
    if (task.preCommit) {
      durable = await task.preCommit(current);
    } else {
      await task.flush?.(current);
      durable = current;
    }
    // Records the task reported during preCommit/flush are durable in the dead letter queue too.
    await this.#options.pipeline.errors.settle();
    await consumer.commit(durable);
  }

  /**
   * Pauses every assigned partition (and those assigned later) until {@link resume}: the
   * consumer stays in its group and the task keeps its resources (Kafka Connect's PAUSED). May
   * be called before `start`, which then reports PAUSED.
   */
  pause(): void {
    if (this.#paused || this.#failed) return;
    this.#paused = true;
    this.#options.consumer.pause(this.#options.consumer.assignment());
    if (this.#loop) this.#options.onStatus({ state: 'PAUSED' });
  }

  /** Resumes the partitions the worker paused, except those the task paused itself. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const consumer = this.#options.consumer;
    consumer.resume(consumer.assignment().filter((tp) => !this.#taskPaused.has(partitionKey(tp))));
    if (this.#loop && !this.#failed) this.#options.onStatus({ state: 'RUNNING' });
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    const { task, consumer, logger } = this.#options;
    try {
      if (!this.#failed) await this.#commit();
      await task.close?.(consumer.assignment());
    } catch (error) {
      logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: final commit failed`);
    }
    try {
      await task.stop();
    } finally {
      try {
        this.#options.pipeline.close();
      } catch (error) {
        logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: closing its transforms failed`);
      }
      await consumer.close();
    }
    if (!this.#failed) this.#options.onStatus({ state: 'UNASSIGNED' });
  }

  #fail(error: unknown): void {
    this.#failed = true;
    this.#running = false;
    this.#options.logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId} failed`);
    this.#options.onStatus({ state: 'FAILED', trace: traceOf(error) });
  }
}
