import { validateOffsetMap } from '@sluice/core';
import type { Logger, OffsetMap, SourceRecord, SourceTask } from '@sluice/core';
import { isRecordRefusal } from '../kafka/errors.ts';
import type { KafkaProducer, ProducerRecord, RecordMetadata } from '../kafka/port.ts';
import { offsetKey } from '../storage/offset-store.ts';
import type { OffsetStore } from '../storage/offset-store.ts';
import type { RecordPipeline } from './record-pipeline.ts';

/**
 * How a source task's records reach Kafka and when their source offsets count as committed: at
 * least once ({@link AtLeastOnceCommitter}) or in transactions (`TransactionalCommitter`). The
 * runner drives it from one poll loop: `deliver` and `polled` never overlap each other; `flush`
 * may run while they are pending and must not wait for them.
 */
export interface SourceCommitter {
  /** Produces one non-empty polled batch and takes over its offsets; a rejection fails the task. */
  deliver(records: readonly SourceRecord[]): Promise<void>;
  /** After every turn of the poll loop, records or not: where a batch or time boundary ends a transaction. */
  polled(): Promise<void>;
  /** The loop is about to wait while the task is paused: nothing may stay open meanwhile. */
  pausing(): Promise<void>;
  /** The runner calls `flush` every this many milliseconds, and once at stop before waiting for the loop; `null` for never. */
  readonly flushIntervalMs: number | null;
  /** Commits what was delivered, without waiting for a `deliver` in progress. */
  flush(): Promise<void>;
  /**
   * The loop ended (or did not end within the shutdown budget: `loopDone` false): commits what
   * is left, unless the task failed. Called once.
   */
  close(failed: boolean, loopDone: boolean): Promise<void>;
}

/** What the committers share: the task, its pipeline and who to tell about topics. */
export interface CommitterOptions {
  readonly connector: string;
  readonly taskId: number;
  readonly task: SourceTask<unknown>;
  readonly pipeline: RecordPipeline;
  readonly logger: Logger;
  /** Told the topics each acknowledged batch went to (Kafka Connect's topic tracking, KIP-558). */
  readonly onTopics?: ((topics: ReadonlySet<string>) => void) | undefined;
}

/** One source partition's latest offset in what was delivered. */
export interface PendingOffset {
  readonly partition: OffsetMap;
  readonly offset: OffsetMap;
}

/**
 * Records the offsets a delivered batch reached into `pending`: per source partition, the last
 * record's offset (positions only move forward within a partition), so each partition is checked
 * and keyed once per batch rather than once per record.
 */
export function collectOffsets(connector: string, records: readonly SourceRecord[], pending: Map<string, PendingOffset>): void {
  // Newest first: the first record seen for a partition holds its latest offset. Partition
  // objects a task reuses are keyed once; equal partitions in other objects still match by key.
  const seenObjects = new Set<OffsetMap>();
  const seenKeys = new Set<string>();
  for (let i = records.length - 1; i >= 0; i--) {
    const { sourcePartition: partition, sourceOffset: offset } = records[i]!;
    if (partition === null || offset === null || seenObjects.has(partition)) continue;
    seenObjects.add(partition);
    const key = offsetKey(connector, partition);
    if (seenKeys.has(key)) continue;
    seenKeys.add(key);
    validateOffsetMap(partition, 'source partition');
    validateOffsetMap(offset);
    pending.set(key, { partition, offset });
  }
}

/** Tells the task, record by record, what Kafka acknowledged (`null`: nothing was written for it). */
export async function commitRecords(task: SourceTask<unknown>, records: readonly SourceRecord[], sent: readonly (RecordMetadata | null)[]): Promise<void> {
  if (!task.commitRecord) return;
  for (const [i, record] of records.entries()) {
    const metadata = sent[i] ?? null;
    await task.commitRecord(record, metadata && { topic: metadata.topic, partition: metadata.partition, offset: metadata.offset });
  }
}

/** Per polled record, the metadata of what was sent for it, or `null` where nothing was. */
export function perRecord(produced: readonly (ProducerRecord | null)[], sent: readonly RecordMetadata[]): (RecordMetadata | null)[] {
  let next = 0;
  return produced.map((record) => (record === null ? null : sent[next++]!));
}

export interface AtLeastOnceOptions extends CommitterOptions {
  readonly producer: KafkaProducer;
  readonly offsets: OffsetStore;
  /** Kafka Connect's `offset.flush.interval.ms`. */
  readonly offsetFlushIntervalMs: number;
}

/**
 * At least once: records are produced as polled; source offsets of acknowledged records are
 * written to the offset store every `offset.flush.interval.ms` and at stop. A crash between a
 * produce and the next offset commit re-sends those records after restart; nothing is lost.
 */
export class AtLeastOnceCommitter implements SourceCommitter {
  readonly #options: AtLeastOnceOptions;
  /** Acknowledged, not yet committed: the latest offset per source partition. */
  readonly #pending = new Map<string, PendingOffset>();
  #committing: Promise<void> = Promise.resolve();

  constructor(options: AtLeastOnceOptions) {
    this.#options = options;
  }

  get flushIntervalMs(): number {
    return this.#options.offsetFlushIntervalMs;
  }

  async deliver(records: readonly SourceRecord[]): Promise<void> {
    const { pipeline, task, connector } = this.#options;
    const produced = await pipeline.toProduce(records);
    const sent = await this.#send(records, produced);
    // Skipped records are in the dead letter queue before their offsets may be committed.
    await pipeline.errors.settle();
    // Every polled record's offset advances, also for those dropped or skipped on the way.
    collectOffsets(connector, records, this.#pending);
    await commitRecords(task, records, sent);
  }

  polled(): Promise<void> {
    return Promise.resolve();
  }

  pausing(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Produces what the pipeline made of a polled batch; per polled record, the broker's metadata
   * or `null` when nothing was sent for it. When the broker refuses records for what they are
   * (too large, invalid — not when it is unavailable) and `errors.tolerance=all`, each record is
   * sent alone and those refused are reported and skipped (Kafka Connect's KIP-779), going to
   * the dead letter queue when there is one.
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
    return perRecord(produced, sent);
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

  /** Writes the acknowledged offsets to the store, then tells the task. One commit at a time. */
  flush(): Promise<void> {
    this.#committing = this.#committing.then(async () => {
      if (this.#pending.size === 0) return;
      const { connector, taskId, offsets, task, logger } = this.#options;
      const batch = [...this.#pending.values()];
      this.#pending.clear();
      try {
        await offsets.set(connector, batch);
        await task.commit?.();
      } catch (error) {
        // Put them back unless something newer arrived meanwhile; the next commit retries.
        for (const entry of batch) {
          const key = offsetKey(connector, entry.partition);
          if (!this.#pending.has(key)) this.#pending.set(key, entry);
        }
        logger.error({ err: error }, `task ${connector}-${taskId}: committing source offsets failed`);
      }
    });
    return this.#committing;
  }

  /** What the last send got acknowledged is committed, even after a failure: those records are in Kafka. */
  close(): Promise<void> {
    return this.flush();
  }
}
