import { validateOffsetMap } from '@sluice/core';
import { isRecordRefusal } from '../kafka/errors.ts';
import type { Logger, OffsetMap, SourceRecord, SourceTask, SourceTaskContext } from '@sluice/core';
import type { KafkaProducer, ProducerRecord, RecordMetadata } from '../kafka/port.ts';
import { offsetKey } from '../storage/offset-store.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import type { RecordPipeline } from './record-pipeline.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';

export interface SourceRunnerOptions {
  readonly connector: string;
  readonly taskId: number;
  readonly task: SourceTask<unknown>;
  /** Transforms and converts what `poll` returns; failures follow the connector's `errors.*` keys. */
  readonly pipeline: RecordPipeline;
  readonly producer: KafkaProducer;
  readonly offsets: OffsetStore;
  /** Kafka Connect's `offset.flush.interval.ms`. */
  readonly offsetFlushIntervalMs: number;
  /** How long `stop` waits for a `poll` to return once its signal is aborted. */
  readonly shutdownTimeoutMs: number;
  readonly logger: Logger;
  readonly onStatus: (status: Status) => void;
  /** Told the topics each acknowledged batch went to (Kafka Connect's topic tracking, KIP-558). */
  readonly onTopics?: (topics: ReadonlySet<string>) => void;
}

/**
 * Runs one source task: poll → convert → produce, and commits source offsets only for records
 * the broker acknowledged — every `offset.flush.interval.ms` and at stop. A crash between a
 * produce and the next offset commit re-sends those records after restart (at least once);
 * nothing is lost.
 */
export class SourceTaskRunner {
  readonly #options: SourceRunnerOptions;
  readonly #abort = new AbortController();
  /** Acknowledged, not yet committed: the latest offset per source partition. */
  readonly #pending = new Map<string, { partition: OffsetMap; offset: OffsetMap }>();
  #loop: Promise<void> | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
  #committing: Promise<void> = Promise.resolve();
  #failed = false;
  /** Set while paused: the poll loop waits for it to resolve (on resume or stop). */
  #paused: PromiseWithResolvers<void> | null = null;

  constructor(options: SourceRunnerOptions) {
    this.#options = options;
  }

  /** Starts the task (its `start` is awaited) and the poll loop; resolves once RUNNING. */
  async start(taskConfig: unknown, context: SourceTaskContext): Promise<void> {
    try {
      await this.#options.task.start(taskConfig, context);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#options.onStatus({ state: this.#paused ? 'PAUSED' : 'RUNNING' });
    this.#flushTimer = setInterval(() => void this.commitOffsets(), this.#options.offsetFlushIntervalMs);
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const { task, pipeline } = this.#options;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      if (this.#paused) {
        await this.#paused.promise;
        continue;
      }
      let records: SourceRecord[] | null;
      try {
        records = await task.poll(signal);
        if (!records || records.length === 0 || signal.aborted) continue;
        const produced = await pipeline.toProduce(records);
        const sent = await this.#send(records, produced);
        // Skipped records are in the dead letter queue before their offsets may be committed.
        await pipeline.errors.settle();
        // Every polled record's offset advances, also for those dropped or skipped on the way.
        this.#acknowledged(records);
        if (task.commitRecord) {
          for (const [i, record] of records.entries()) {
            const metadata = sent[i] ?? null;
            await task.commitRecord(record, metadata && { topic: metadata.topic, partition: metadata.partition, offset: metadata.offset });
          }
        }
      } catch (error) {
        this.#fail(error);
        return;
      }
    }
  }

  /**
   * Stops polling until {@link resume}; what a poll already returned is still sent and its
   * offsets committed. The task keeps its resources (Kafka Connect's PAUSED). May be called
   * before `start`, which then reports PAUSED.
   */
  pause(): void {
    if (this.#paused || this.#failed) return;
    this.#paused = Promise.withResolvers<void>();
    if (this.#loop) this.#options.onStatus({ state: 'PAUSED' });
  }

  resume(): void {
    const paused = this.#paused;
    if (!paused) return;
    this.#paused = null;
    paused.resolve();
    if (this.#loop && !this.#failed) this.#options.onStatus({ state: 'RUNNING' });
  }

  /**
   * Produces what the pipeline made of a polled batch; per polled record, the broker's metadata
   * or `null` when nothing was sent for it. When the broker refuses records for what they are
   * (too large, invalid — not when it is unavailable) and `errors.tolerance=all`, each record is sent alone and those refused are reported and
   * skipped (Kafka Connect's KIP-779), going to the dead letter queue when there is one.
   */
  async #send(records: readonly SourceRecord[], produced: readonly (ProducerRecord | null)[]): Promise<(RecordMetadata | null)[]> {
    const { producer, pipeline } = this.#options;
    const toSend = produced.filter((r) => r !== null);
    if (toSend.length === 0) return produced.map(() => null);
    let sent: RecordMetadata[];
    try {
      sent = await producer.send(toSend);
    } catch (error) {
      if (!pipeline.errors.toleratesAll || !isRecordRefusal(error)) throw error;
      // One at a time, so records of a partition keep their order.
      const each: (RecordMetadata | null)[] = [];
      for (const [i, record] of produced.entries()) {
        each.push(record === null ? null : await this.#sendAlone(record, records[i]!));
      }
      return each;
    }
    this.#options.onTopics?.(new Set(sent.map((metadata) => metadata.topic)));
    let next = 0;
    return produced.map((record) => (record === null ? null : sent[next++]!));
  }

  async #sendAlone(record: ProducerRecord, source: SourceRecord): Promise<RecordMetadata | null> {
    const { producer, pipeline } = this.#options;
    try {
      const [metadata] = await producer.send([record]);
      this.#options.onTopics?.(new Set([metadata!.topic]));
      return metadata!;
    } catch (refused) {
      if (!isRecordRefusal(refused)) throw refused;
      await pipeline.errors.reported({ stage: 'KAFKA_PRODUCE', component: 'producer', error: refused, source });
      return null;
    }
  }

  /**
   * Records the offsets a batch reached, now that the broker acknowledged it: per source
   * partition, the last record's offset (positions only move forward within a partition), so
   * each partition is checked and keyed once per batch rather than once per record.
   */
  #acknowledged(records: readonly SourceRecord[]): void {
    // Newest first: the first record seen for a partition holds its latest offset. Partition
    // objects a task reuses are keyed once; equal partitions in other objects still match by key.
    const seenObjects = new Set<OffsetMap>();
    const seenKeys = new Set<string>();
    for (let i = records.length - 1; i >= 0; i--) {
      const { sourcePartition: partition, sourceOffset: offset } = records[i]!;
      if (partition === null || offset === null || seenObjects.has(partition)) continue;
      seenObjects.add(partition);
      const key = offsetKey(this.#options.connector, partition);
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      validateOffsetMap(partition, 'source partition');
      validateOffsetMap(offset);
      this.#pending.set(key, { partition, offset });
    }
  }

  /** Writes the acknowledged offsets to the store, then tells the task. One commit at a time. */
  commitOffsets(): Promise<void> {
    this.#committing = this.#committing.then(async () => {
      if (this.#pending.size === 0) return;
      const batch = [...this.#pending.values()];
      this.#pending.clear();
      try {
        await this.#options.offsets.set(this.#options.connector, batch);
        await this.#options.task.commit?.();
      } catch (error) {
        // Put them back unless something newer arrived meanwhile; the next commit retries.
        for (const entry of batch) {
          const key = offsetKey(this.#options.connector, entry.partition);
          if (!this.#pending.has(key)) this.#pending.set(key, entry);
        }
        this.#options.logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: committing source offsets failed`);
      }
    });
    return this.#committing;
  }

  /** Stops polling, commits what was acknowledged, and stops the task. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#paused?.resolve();
    if (this.#flushTimer) clearInterval(this.#flushTimer);
    // Commit what is acknowledged first: the worker's shutdown budget may run out while a poll
    // that ignores its signal is still pending. Then wait (half the budget) for the loop, and
    // commit what its last send got acknowledged.
    await this.commitOffsets();
    const finished = this.#loop ?? Promise.resolve();
    const waitMs = Math.floor(this.#options.shutdownTimeoutMs / 2);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
    if ((await Promise.race([finished, timedOut])) === 'timeout') {
      this.#options.logger.warn(`task ${this.#options.connector}-${this.#options.taskId}: poll did not return within ${waitMs} ms of stop`);
    }
    clearTimeout(timer);
    await this.commitOffsets();
    try {
      await this.#options.task.stop();
    } catch (error) {
      this.#options.logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: stop failed`);
    }
    this.#options.pipeline.close();
    if (!this.#failed) this.#options.onStatus({ state: 'UNASSIGNED' });
  }

  #fail(error: unknown): void {
    this.#failed = true;
    this.#abort.abort();
    this.#options.logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId} failed`);
    this.#options.onStatus({ state: 'FAILED', trace: traceOf(error) });
  }
}
