import { SluiceError } from '@sluice/core';
import type { SourceRecord, TransactionContext } from '@sluice/core';

/** How a run of records ends its transaction: committed, aborted, or left open. */
export type TransactionEnd = 'commit' | 'abort' | null;

/** A run of polled records and how the task asked its transaction to end after the last of them. */
export interface Segment {
  readonly records: readonly SourceRecord[];
  readonly end: TransactionEnd;
}

function conflict(what: string): SluiceError {
  return new SluiceError('ILLEGAL_STATE', `the task asked both to commit and to abort the transaction ${what}`);
}

/**
 * The transaction context a task gets with `transaction.boundary=connector` (Kafka's
 * WorkerTransactionContext): it records the task's requests, and the committer consumes them
 * as it processes what `poll` returned. Records are matched by identity.
 */
export class TaskTransactionContext implements TransactionContext {
  readonly #commitAfter = new Set<SourceRecord>();
  readonly #abortAfter = new Set<SourceRecord>();
  #commitBatch = false;
  #abortBatch = false;

  commitTransaction(record?: SourceRecord): void {
    if (record === undefined) this.#commitBatch = true;
    else this.#commitAfter.add(record);
  }

  abortTransaction(record?: SourceRecord): void {
    if (record === undefined) this.#abortBatch = true;
    else this.#abortAfter.add(record);
  }

  /**
   * Splits a polled batch after each record the task asked to end a transaction on, consuming
   * those requests. Throws when a record has both requests: the task must fail rather than guess.
   */
  segments(records: readonly SourceRecord[]): Segment[] {
    if (this.#commitAfter.size === 0 && this.#abortAfter.size === 0) return [{ records, end: null }];
    const segments: Segment[] = [];
    let start = 0;
    for (const [i, record] of records.entries()) {
      const commit = this.#commitAfter.has(record);
      const abort = this.#abortAfter.has(record);
      if (commit && abort) throw conflict(`after the record for topic ${record.topic}`);
      if (!commit && !abort) continue;
      this.#commitAfter.delete(record);
      this.#abortAfter.delete(record);
      segments.push({ records: records.slice(start, i + 1), end: commit ? 'commit' : 'abort' });
      start = i + 1;
    }
    if (start < records.length || segments.length === 0) segments.push({ records: records.slice(start), end: null });
    return segments;
  }

  /** The batch-level request made since the last call, consumed. */
  batchEnd(): TransactionEnd {
    if (this.#commitBatch && this.#abortBatch) {
      this.#commitBatch = this.#abortBatch = false;
      throw conflict('after the same batch');
    }
    const end: TransactionEnd = this.#commitBatch ? 'commit' : this.#abortBatch ? 'abort' : null;
    this.#commitBatch = this.#abortBatch = false;
    return end;
  }
}
