import { SluiceError } from '@sluice/core';
import type { SourceRecord } from '@sluice/core';
import type { KafkaProducer, ProducerRecord, ProducerTransaction, RecordMetadata } from '../kafka/port.ts';
import type { TransactionalOffsets } from '../storage/offset-store.ts';
import type { TransactionBoundary } from './exactly-once-config.ts';
import { collectOffsets, commitRecords, perRecord } from './source-commit.ts';
import type { CommitterOptions, PendingOffset, SourceCommitter } from './source-commit.ts';
import type { TaskTransactionContext, TransactionEnd } from './transaction-context.ts';

export interface TransactionalOptions extends CommitterOptions {
  /** Made with the task's transactional id; only this committer uses it. */
  readonly producer: KafkaProducer;
  readonly offsets: TransactionalOffsets;
  readonly boundary: TransactionBoundary;
  /** With the `interval` boundary: how long a transaction stays open. */
  readonly intervalMs: number;
  /** With the `connector` boundary: the context the task got. */
  readonly context?: TaskTransactionContext | undefined;
  /** The producer's transactional id, for messages. */
  readonly transactionalId?: string | undefined;
  /** For tests: the clock of the `interval` boundary. */
  readonly now?: () => number;
}

/** One record of the open transaction, told to the task (`commitRecord`) once it committed. */
interface Delivered {
  readonly record: SourceRecord;
  metadata: RecordMetadata | null;
}

/**
 * Exactly once (KIP-618): a task's records and their source offsets go to Kafka in one
 * transaction, so a consumer reading committed records sees each record once, and a task that
 * restarts resumes exactly after what was committed. The store's offsets move only after commit.
 *
 * A transaction begins with the first record sent after the last one ended, and ends where
 * `transaction.boundary` says: after each polled batch (`poll`), once `intervalMs` passed
 * (`interval`, checked after every poll), or where the task asks (`connector`). Any failure to
 * send or commit fails the task, as in Kafka Connect: `errors.tolerance` does not cover producer
 * errors here, since a transaction with a failed send cannot commit. The records and offsets
 * of the open transaction are then aborted, and read again from the committed offsets after a
 * restart. Dead letter queue records (`sendInTransaction`) join the transaction of the records
 * they were skipped from.
 */
export class TransactionalCommitter implements SourceCommitter {
  readonly flushIntervalMs = null;
  readonly #options: TransactionalOptions;
  readonly #now: () => number;
  #transaction: Promise<ProducerTransaction> | null = null;
  readonly #pending = new Map<string, PendingOffset>();
  #delivered: Delivered[] = [];
  #lastCommit: number;
  /** A deliver or commit is under way: at stop, nothing may be committed from outside the loop. */
  #busy = false;

  constructor(options: TransactionalOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#lastCommit = this.#now();
    if (options.boundary === 'connector' && !options.context) throw new SluiceError('ILLEGAL_STATE', 'connector-defined transaction boundaries need the task’s transaction context');
  }

  /** Sends records in the open transaction, beginning one when none is open. */
  async sendInTransaction(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    try {
      this.#transaction ??= this.#options.producer.beginTransaction();
      return await (await this.#transaction).send(records);
    } catch (error) {
      throw this.#failure('writing records in the transaction', error);
    }
  }

  /**
   * A failed transaction as the task's failure (Kafka Connect: "Failed to flush offsets and/or
   * records"), saying when a newer producer fenced this one: the task then runs elsewhere.
   */
  #failure(what: string, error: unknown): SluiceError {
    if (error instanceof SluiceError && error.message.startsWith(`task ${this.#options.connector}-`)) return error;
    const reasons = causes(error);
    const id = this.#options.transactionalId ?? 'of this task';
    const fenced = reasons.some((r) => /fenc|epoch/i.test(r)) ? `; it was fenced by a newer producer with transactional id ${id} (a newer generation of the task is running)` : '';
    return new SluiceError('INTERNAL', `task ${this.#options.connector}-${this.#options.taskId}: ${what} failed${fenced}: ${reasons.join('; ')}`, { cause: error });
  }

  async deliver(records: readonly SourceRecord[]): Promise<void> {
    this.#busy = true;
    try {
      const segments = this.#options.context?.segments(records) ?? [{ records, end: null }];
      for (const segment of segments) {
        await this.#send(segment.records);
        if (segment.end) await this.#end(segment.end);
      }
      if (this.#options.boundary === 'connector' && segments.at(-1)!.end !== null) {
        // A record-level request on the batch's last record wins over a batch-level one.
        this.#options.context!.batchEnd();
      }
    } finally {
      this.#busy = false;
    }
  }

  async #send(records: readonly SourceRecord[]): Promise<void> {
    const { pipeline, offsets, connector, onTopics } = this.#options;
    const produced = await pipeline.toProduce(records);
    const toSend = produced.filter((r) => r !== null);
    const own = toSend.find((r) => r.topic === offsets.topic);
    if (own) {
      throw new SluiceError('ILLEGAL_STATE', `source tasks may not produce to their own offsets topic ${offsets.topic} with exactly-once delivery: reading offsets would wait for the task's own open transaction`);
    }
    const sent = toSend.length === 0 ? [] : await this.sendInTransaction(toSend);
    if (sent.length > 0) onTopics?.(new Set(sent.map((metadata) => metadata.topic)));
    // Dead letters of skipped records are in the transaction before it may commit.
    await pipeline.errors.settle();
    collectOffsets(connector, records, this.#pending);
    const metadata = perRecord(produced, sent);
    records.forEach((record, i) => this.#delivered.push({ record, metadata: metadata[i]! }));
  }

  async polled(): Promise<void> {
    const { boundary, context } = this.#options;
    if (boundary === 'poll') return this.#commit();
    if (boundary === 'interval') {
      if (this.#now() < this.#lastCommit + this.#options.intervalMs) return;
      return this.#commit();
    }
    const end = context!.batchEnd();
    if (end) await this.#end(end);
  }

  /** Kafka Connect commits before pausing, so no transaction hangs open (or times out) meanwhile. */
  pausing(): Promise<void> {
    return this.#commit();
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * At stop: a task that did not fail commits its open transaction (with the `connector`
   * boundary only when it asked to); otherwise, or when the loop is still inside a send, the
   * transaction is aborted or left to the broker to abort once the producer closes.
   */
  async close(failed: boolean, loopDone: boolean): Promise<void> {
    if (!loopDone && this.#busy) return;
    if (!failed) {
      if (this.#options.boundary !== 'connector') return this.#commit();
      const end = this.#options.context!.batchEnd();
      if (end) return this.#end(end);
    }
    if (this.#transaction) await this.#abort().catch(() => undefined);
  }

  async #end(end: Exclude<TransactionEnd, null>): Promise<void> {
    if (end === 'abort') {
      if (this.#transaction) await this.#abort();
      else this.#options.logger.warn(`task ${this.#options.connector}-${this.#options.taskId}: ignoring the request to abort the transaction, as it is empty`);
    }
    // After an abort the offsets are still committed, so the aborted records are not polled again.
    await this.#commit();
  }

  /** Aborts the open transaction: its records are discarded, and the task told so. */
  async #abort(): Promise<void> {
    const transaction = this.#transaction;
    this.#transaction = null;
    for (const delivered of this.#delivered) delivered.metadata = null;
    try {
      await (await transaction!).abort();
    } catch (error) {
      throw this.#failure('aborting the transaction', error);
    }
  }

  /** Writes the pending offsets in the open transaction and commits it; then the store and the task are told. */
  async #commit(): Promise<void> {
    this.#lastCommit = this.#now();
    if (!this.#transaction && this.#pending.size === 0 && this.#delivered.length === 0) return;
    const { offsets, connector, task } = this.#options;
    const entries = [...this.#pending.values()];
    const sent = entries.length === 0 ? [] : await this.sendInTransaction(offsets.records(connector, entries));
    const transaction = this.#transaction;
    this.#transaction = null;
    if (transaction) {
      const open = await transaction;
      try {
        await open.commit();
      } catch (error) {
        // Fenced, timed out or unreachable: nothing of it is committed; the task fails.
        await open.abort().catch(() => undefined);
        throw this.#failure('committing the transaction', error);
      }
    }
    this.#pending.clear();
    offsets.applied(connector, entries, sent);
    const delivered = this.#delivered;
    this.#delivered = [];
    await commitRecords(
      task,
      delivered.map((d) => d.record),
      delivered.map((d) => d.metadata),
    );
    await task.commit?.();
  }
}

/** The messages of an error, its causes and aggregated errors, innermost reasons included, each once. */
function causes(error: unknown): string[] {
  const messages = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    const { message, cause, errors } = node as { message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof message === 'string' && message !== '') messages.add(message);
    visit(cause);
    if (Array.isArray(errors)) errors.forEach(visit);
  };
  visit(error);
  if (messages.size === 0) messages.add(String(error));
  return [...messages];
}
