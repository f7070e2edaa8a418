import type { OffsetMap, SinkRecord, SourceRecord } from './records.ts';

/**
 * One log method: `(obj, msg?)` or `(msg)`. A pino logger satisfies it.
 *
 * @since 0.1.0
 */
export type LogFn = (objOrMsg: object | string, msg?: string) => void;

/**
 * The minimal logger the runtime hands to connectors and tasks, so core stays logger-agnostic.
 * The runtime redacts secret config values before anything is written.
 *
 * @since 0.1.0
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** A logger that drops everything; handy in unit tests. @since 0.1.0 */
export const noopLogger: Logger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/** A Kafka topic partition. @since 0.1.0 */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A topic partition with an offset. In `flush`/`preCommit`, `offset` is the next offset to
 * consume (the last delivered offset + 1), which is what Kafka commits.
 *
 * @since 0.1.0
 */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
}

/** `"<topic>-<partition>"`, Kafka's string form; usable as a `Map` key. @since 0.1.0 */
export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/**
 * Reads committed source offsets (the offsets stored for source partitions).
 *
 * @since 0.1.0
 */
export interface OffsetReader {
  /** The last committed offset of a source partition, or `null` when none is stored. */
  offset(partition: OffsetMap): Promise<OffsetMap | null>;
  /** The offsets of many partitions, in the order asked. */
  offsets(partitions: readonly OffsetMap[]): Promise<{ partition: OffsetMap; offset: OffsetMap | null }[]>;
}

/**
 * What the runtime offers a running connector.
 *
 * @since 0.1.0
 */
export interface ConnectorContext {
  readonly logger: Logger;
  /** The connector's raw config (after config-provider resolution), including unknown keys. */
  configs(): Readonly<Record<string, string>>;
  /** Asks the runtime to call `taskConfigs` again and restart the tasks with the new configs. */
  requestTaskReconfiguration(): void;
  /** Moves the connector to FAILED with this error (for errors found off the call path). */
  raiseError(error: unknown): void;
}

/** @since 0.1.0 */
export interface SourceConnectorContext extends ConnectorContext {
  readonly offsetReader: OffsetReader;
}

/** @since 0.1.0 */
export type SinkConnectorContext = ConnectorContext;

/**
 * Lets a source task define its own transaction boundaries under exactly-once delivery
 * (`transaction.boundary=connector`, Kafka's KIP-618 `TransactionContext`).
 *
 * Requests take effect as the runtime processes what `poll` returned: a batch-level request
 * (no record) applies after the next batch the task returns, a record-level one right after that
 * record, which is then the last record of the transaction. When a batch carries both a
 * batch-level request and a record-level one on its last record, the record-level request wins.
 * Asking both to commit and to abort the same record or batch fails the task. Records are
 * matched by identity: pass the very object `poll` returns.
 *
 * An aborted transaction's records are discarded, but their source offsets are still committed,
 * so they are not polled again; to have them re-read, throw from `poll` instead.
 *
 * May be called from `poll` or from any other async context of the task.
 *
 * @since 0.1.0
 */
export interface TransactionContext {
  /** Commits the transaction after the next batch of records `poll` returns. */
  commitTransaction(): void;
  /** Commits the transaction right after this record; it is the transaction's last. */
  commitTransaction(record: SourceRecord): void;
  /** Aborts the transaction after the next batch of records `poll` returns. */
  abortTransaction(): void;
  /** Aborts the transaction right after this record; it is the transaction's last. */
  abortTransaction(record: SourceRecord): void;
}

/**
 * What the runtime offers a source task.
 *
 * @since 0.1.0
 */
export interface SourceTaskContext {
  readonly logger: Logger;
  /** The task's raw config (after config-provider resolution). */
  configs(): Readonly<Record<string, string>>;
  readonly offsetReader: OffsetReader;
  /**
   * Present only when exactly-once delivery is on for the task and its connector is configured
   * with `transaction.boundary=connector`; the task then decides when transactions end.
   *
   * @since 0.1.0
   */
  readonly transactionContext?: TransactionContext | undefined;
}

/**
 * Sends a record that the sink task could not process to the error path chosen by
 * `errors.tolerance` / the dead letter queue. The report is durable before the next
 * `preCommit` runs; awaiting the promise is optional.
 *
 * @since 0.1.0
 */
export interface ErrantRecordReporter {
  report(record: SinkRecord, error: unknown): Promise<void>;
}

/**
 * What the runtime offers a sink task.
 *
 * @since 0.1.0
 */
export interface SinkTaskContext {
  readonly logger: Logger;
  configs(): Readonly<Record<string, string>>;
  /** The partitions currently assigned to this task. */
  assignment(): readonly TopicPartition[];
  /** Stops fetching from these partitions until `resume`; already-fetched records may still arrive. */
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Seeks: the next record delivered for `partition` will be the one at `offset`. */
  offset(partition: TopicPartition, offset: bigint): void;
  /** After `put` throws a `RETRIABLE` error, wait this long before redelivering the batch. */
  timeout(ms: number): void;
  /** A hint to commit offsets soon (runs `preCommit` ahead of the flush interval). */
  requestCommit(): void;
  /** Present only when `errors.tolerance=all`, a dead letter queue or `errors.log.enable` is configured. */
  readonly errantRecordReporter?: ErrantRecordReporter | undefined;
}
