import type { Logger, SourceRecord, SourceTask, SourceTaskContext } from '@sluice/core';
import type { RecordPipeline } from './record-pipeline.ts';
import type { SourceCommitter } from './source-commit.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';

export interface SourceRunnerOptions {
  readonly connector: string;
  readonly taskId: number;
  readonly task: SourceTask<unknown>;
  /** Transforms and converts what `poll` returns; failures follow the connector's `errors.*` keys. */
  readonly pipeline: RecordPipeline;
  /** How records reach Kafka and when offsets are committed: at least once, or in transactions. */
  readonly committer: SourceCommitter;
  /** How long `stop` waits for a `poll` to return once its signal is aborted. */
  readonly shutdownTimeoutMs: number;
  readonly logger: Logger;
  readonly onStatus: (status: Status) => void;
}

/**
 * Runs one source task: poll → hand the batch to the committer, which converts, produces and
 * commits source offsets (at least once, or exactly once in transactions). Owns the task's
 * lifecycle: start, pause and resume, stop within the shutdown budget, and failure.
 */
export class SourceTaskRunner {
  readonly #options: SourceRunnerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | null = null;
  #flushTimer: NodeJS.Timeout | null = null;
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
    const { committer } = this.#options;
    if (committer.flushIntervalMs !== null) this.#flushTimer = setInterval(() => void committer.flush(), committer.flushIntervalMs);
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const { task, committer } = this.#options;
    const signal = this.#abort.signal;
    while (!signal.aborted) {
      try {
        if (this.#paused) {
          await committer.pausing();
          await this.#paused.promise;
          continue;
        }
        const records: SourceRecord[] | null = await task.poll(signal);
        if (signal.aborted) continue;
        if (records && records.length > 0) await committer.deliver(records);
        await committer.polled();
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

  /** Stops polling, commits what was delivered, and stops the task. */
  async stop(): Promise<void> {
    this.#abort.abort();
    this.#paused?.resolve();
    if (this.#flushTimer) clearInterval(this.#flushTimer);
    const { committer } = this.#options;
    // Commit what is delivered first: the worker's shutdown budget may run out while a poll
    // that ignores its signal is still pending. Then wait (half the budget) for the loop, and
    // commit what its last send delivered.
    if (committer.flushIntervalMs !== null) await committer.flush();
    const finished = this.#loop ?? Promise.resolve();
    const waitMs = Math.floor(this.#options.shutdownTimeoutMs / 2);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
    const loopDone = (await Promise.race([finished.then(() => 'done' as const), timedOut])) === 'done';
    if (!loopDone) this.#options.logger.warn(`task ${this.#options.connector}-${this.#options.taskId}: poll did not return within ${waitMs} ms of stop`);
    clearTimeout(timer);
    try {
      await committer.close(this.#failed, loopDone);
    } catch (error) {
      this.#options.logger.error({ err: error }, `task ${this.#options.connector}-${this.#options.taskId}: committing at stop failed`);
    }
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
