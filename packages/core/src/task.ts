import type { SinkTaskContext, SourceTaskContext, TopicPartition, TopicPartitionOffset } from './context.ts';
import type { SinkRecord, SourceRecord } from './records.ts';

/** A value or a promise of it. @since 0.1.0 */
export type MaybePromise<T> = T | Promise<T>;

/** A raw task config, as returned by a connector's `taskConfigs`. @since 0.1.0 */
export type TaskConfig = Readonly<Record<string, string>>;

/**
 * What Kafka acknowledged for a produced source record.
 *
 * @since 0.1.0
 */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  /** Milliseconds since the epoch, when the broker reported one. */
  readonly timestamp?: number | undefined;
}

/**
 * A source task: reads from an external system and returns records to write to Kafka.
 *
 * **Lifecycle.** `start` → (`poll` | `commit` | `commitRecord`)* → `stop`. A task instance is
 * started once; after `stop` it is discarded.
 *
 * **Concurrency.**
 * - `poll` is never called concurrently with itself, and the next `poll` is called only after
 *   the previous one settled.
 * - `poll` must return regularly (return `null` or `[]` when there is no data, within about a
 *   second) so that the runtime can pause, commit and stop the task.
 * - `stop` may be called while a `poll` is pending. The runtime aborts the `signal` passed to
 *   that `poll` first; `poll` must then settle promptly (returning `null` is fine).
 * - `commitRecord(record, metadata)` is called once per record, in order per Kafka partition,
 *   after the broker acknowledged the write; `metadata` is `null` when a transform dropped the
 *   record or a producer error was tolerated. It may run while a `poll` is pending.
 * - `commit` is called after the runtime has committed the source offsets of the records
 *   returned so far; it may run while a `poll` is pending.
 *
 * @since 0.1.0
 */
export interface SourceTask<C = TaskConfig> {
  /** Opens resources; `config` is the task config, parsed by the task's spec when it has one. */
  start(config: C, ctx: SourceTaskContext): MaybePromise<void>;
  /**
   * The next batch of records, or `null` when there is none right now.
   *
   * @param signal aborted when the task is stopping; stop waiting and return.
   */
  poll(signal: AbortSignal): Promise<SourceRecord[] | null>;
  /** Optional: the offsets of the records returned so far have been committed. */
  commit?(): MaybePromise<void>;
  /** Optional: one record has been acknowledged by Kafka (or dropped: `metadata` is `null`). */
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): MaybePromise<void>;
  /** Releases resources. Called once, possibly while `poll` is pending (see above). */
  stop(): MaybePromise<void>;
}

/**
 * A sink task: receives records consumed from Kafka and writes them to an external system.
 *
 * **Lifecycle.** `start` → `open(partitions)` → (`put` | `preCommit`/`flush`)* →
 * `close(partitions)` → … (rebalances repeat `open`/`close`) → `stop`.
 *
 * **Concurrency.** All methods are called one at a time: `put`, `flush`, `preCommit`, `open`
 * and `close` are never concurrent with each other. `stop` is called after the last of them
 * settled.
 *
 * **Offsets.** The runtime commits consumer offsets from what `preCommit` returns. Without a
 * `preCommit`, the runtime calls `flush(current)` (when defined) and commits `current`; a task
 * that writes asynchronously returns only the offsets that are durable. Returning `[]` disables
 * commits for that round. `flush`, `preCommit`, `open` and `close` always use the original
 * (pre-transform) topic partitions.
 *
 * **Errors.** If `put` throws a `RETRIABLE` error, the runtime pauses consumption, waits the
 * time set with `ctx.timeout(ms)`, and redelivers the same batch. Any other error fails the task.
 *
 * @since 0.1.0
 */
export interface SinkTask<C = TaskConfig> {
  start(config: C, ctx: SinkTaskContext): MaybePromise<void>;
  /** Partitions newly assigned to this task; open writers for them. */
  open?(partitions: readonly TopicPartition[]): MaybePromise<void>;
  /** Writes (or buffers) a batch. May be empty (after a pause, for instance). */
  put(records: SinkRecord[]): MaybePromise<void>;
  /** Makes everything up to `offsets` durable. */
  flush?(offsets: readonly TopicPartitionOffset[]): MaybePromise<void>;
  /** Returns the offsets safe to commit; default: `flush(offsets)` then `offsets`. */
  preCommit?(offsets: readonly TopicPartitionOffset[]): MaybePromise<readonly TopicPartitionOffset[]>;
  /** Partitions taken away from this task; close their writers. */
  close?(partitions: readonly TopicPartition[]): MaybePromise<void>;
  stop(): MaybePromise<void>;
}
