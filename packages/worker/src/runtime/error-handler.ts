import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { isRetriable, SluiceError } from '@sluice/core';
import type { Logger, SourceRecord } from '@sluice/core';
import type { ConsumedRecord } from '../kafka/port.ts';
import { stringifyJson } from '../storage/json.ts';

/** Kafka Connect's stages of a record's way through a task (its `Stage` enum). */
export type Stage = 'TASK_POLL' | 'TASK_PUT' | 'TRANSFORMATION' | 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'KAFKA_PRODUCE' | 'KAFKA_CONSUME';

/** One failed record: where it failed, in which component, why, and the record as it came in. */
export interface Failure {
  readonly stage: Stage;
  /** The component that failed, as the config names it (a converter or transform class, the connector). */
  readonly component: string;
  readonly error: unknown;
  /** Sink side: the record as consumed from Kafka. */
  readonly consumed?: ConsumedRecord;
  /** Source side: the record as the task returned it. */
  readonly source?: SourceRecord;
}

/** Where a reported failure goes besides the log: the dead letter queue. */
export interface FailureSink {
  /** Resolves once the failure is durable. */
  write(failure: Failure): Promise<void>;
}

/** The `errors.*` settings of a connector. */
export interface ErrorSettings {
  readonly 'errors.retry.timeout': number;
  readonly 'errors.retry.delay.max.ms': number;
  readonly 'errors.tolerance': string;
  readonly 'errors.log.enable': boolean;
  readonly 'errors.log.include.messages': boolean;
}

/** The first wait between retries, as Kafka Connect's `RETRIES_DELAY_MIN_MS`. */
export const RETRY_DELAY_MIN_MS = 300;

/** Marks a record that failed and was tolerated: leave it out and go on. */
export const SKIPPED: unique symbol = Symbol('skipped');

/**
 * The wait before retry `attempt` (from 1): 300 ms doubling, and once that passes `maxDelayMs`
 * a random wait below it, so tasks that failed together do not retry together; never past
 * `deadline`.
 */
export function retryDelay(attempt: number, maxDelayMs: number, now: number, deadline: number, random: () => number = Math.random): number {
  let delay = RETRY_DELAY_MIN_MS * 2 ** Math.min(attempt - 1, 30);
  if (delay > maxDelayMs) delay = Math.floor(random() * maxDelayMs);
  return Math.max(0, Math.min(delay, deadline - now));
}

/** Where a record came from, as an error report and a status trace show it. */
export function describeOrigin(failure: Pick<Failure, 'consumed' | 'source'>): string {
  if (failure.consumed) {
    const { topic, partition, offset } = failure.consumed;
    return `topic ${topic}, partition ${partition}, offset ${offset}`;
  }
  const source = failure.source;
  if (source) {
    const at = source.sourcePartition ? `, source partition ${stringifyJson(source.sourcePartition)}, source offset ${stringifyJson(source.sourceOffset)}` : '';
    return `the source record for topic ${source.topic}${at}`;
  }
  return 'no record';
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function recordDetails(failure: Failure): string {
  const shown = (value: unknown) => inspect(value, { depth: 4, breakLength: Infinity, maxStringLength: 1_000 });
  if (failure.consumed) {
    const { key, value, headers, timestamp } = failure.consumed;
    const text = (bytes: Uint8Array | null) => (bytes === null ? 'null' : shown(Buffer.from(bytes).toString('utf8')));
    return `; key ${text(key)}, value ${text(value)}, timestamp ${timestamp}, headers ${shown(headers.map((h) => `${h.key}=${h.value === null ? 'null' : Buffer.from(h.value).toString('utf8')}`))}`;
  }
  if (failure.source) {
    const { key, value, headers, timestamp } = failure.source;
    return `; key ${shown(key)}, value ${shown(value)}, timestamp ${timestamp ?? 'none'}, headers ${shown([...headers].map((h) => `${h.key}=${shown(h.value)}`))}`;
  }
  return '';
}

/**
 * Kafka Connect's `RetryWithToleranceOperator` for one task: retries retriable failures within
 * `errors.retry.timeout`, then either tolerates the record (`errors.tolerance=all`: logged if
 * asked, written to the dead letter queue, skipped) or fails the task with an error whose
 * message names the stage, the component and the record.
 *
 * Callers run a stage synchronously and come here only when it threw, so records that convert
 * cleanly pay nothing. Dead letter queue writes are collected and awaited by {@link settle},
 * which a runner calls before it commits offsets past the skipped records.
 */
export class ErrorHandler {
  readonly #settings: ErrorSettings;
  readonly #task: string;
  readonly #logger: Logger;
  readonly #sink: FailureSink | null;
  readonly #signal: AbortSignal;
  /** Every dead letter queue write so far, chained, so each settle() waits for all started before it. */
  #written: Promise<void> = Promise.resolve();
  #writeError: unknown = null;
  /** A failure the task reported that is not tolerated: the task must fail. */
  #fatal: SluiceError | null = null;

  constructor(options: { settings: ErrorSettings; task: string; logger: Logger; sink: FailureSink | null; signal: AbortSignal }) {
    this.#settings = options.settings;
    this.#task = options.task;
    this.#logger = options.logger;
    this.#sink = options.sink;
    this.#signal = options.signal;
  }

  get toleratesAll(): boolean {
    return this.#settings['errors.tolerance'].toLowerCase() === 'all';
  }

  /**
   * Handles a stage that threw `error`. Retries `retry` (the whole stage again) while the error
   * is retriable and `errors.retry.timeout` allows; returns its result if a retry succeeds,
   * {@link SKIPPED} if the failure is tolerated, and throws if it is not. `describe` says where
   * an error happened (it is asked again after a failed retry, whose stage may differ). A
   * retriable failure is never skipped because the task is stopping: it fails instead, and the
   * record is delivered again after the restart.
   */
  async failed<T>(error: unknown, describe: (error: unknown) => Failure, retry: () => T): Promise<T | typeof SKIPPED> {
    let current = describe(error);
    const timeout = this.#settings['errors.retry.timeout'];
    const deadline = timeout < 0 ? Number.POSITIVE_INFINITY : Date.now() + timeout;
    for (let attempt = 1; isRetriable(current.error) && Date.now() < deadline && !this.#signal.aborted; attempt++) {
      const delay = retryDelay(attempt, this.#settings['errors.retry.delay.max.ms'], Date.now(), deadline);
      this.#logger.debug(`task ${this.#task}: retrying ${current.stage} in ${delay} ms after: ${reasonOf(current.error)}`);
      await sleep(delay, undefined, { signal: this.#signal }).catch(() => undefined);
      if (this.#signal.aborted) break;
      try {
        return retry();
      } catch (next) {
        current = describe(next);
      }
    }
    if (this.#signal.aborted && isRetriable(current.error)) throw current.error;
    this.#report(current);
    if (!this.toleratesAll) throw this.#toleranceExceeded(current);
    if (this.#sink) this.#track(this.#sink.write(current));
    return SKIPPED;
  }

  /**
   * For failures the task itself reports (the errant record reporter): reported like any other.
   * The promise resolves once a tolerated failure is durable and rejects when it is not
   * tolerated; either way the runner sees the outcome ({@link settle}, {@link throwIfFatal}),
   * so a task that ignores the promise still cannot get offsets committed past the record.
   */
  reported(failure: Failure): Promise<void> {
    this.#report(failure);
    let outcome: Promise<void>;
    if (!this.toleratesAll) {
      const error = this.#toleranceExceeded(failure);
      this.#fatal ??= error;
      outcome = Promise.reject(error);
    } else {
      outcome = this.#sink ? this.#sink.write(failure) : Promise.resolve();
      this.#track(outcome);
    }
    // Handled here, so a task that never awaits it does not crash the worker; awaiting it still throws.
    outcome.catch(() => undefined);
    return outcome;
  }

  /** Throws the first failure a task reported that is not tolerated. */
  throwIfFatal(): void {
    if (this.#fatal) throw this.#fatal;
  }

  /** Waits until every dead letter queue write so far is durable; a failed write, or a fatal report, fails the caller. */
  async settle(): Promise<void> {
    await this.#written;
    this.throwIfFatal();
    const failure = this.#writeError;
    if (failure !== null) throw failure instanceof Error ? failure : new Error(inspect(failure));
  }

  #track(write: Promise<void>): void {
    // Caught here: a rejection must not go unhandled before the next settle() sees it.
    const settled = write.catch((error: unknown) => void (this.#writeError ??= error));
    this.#written = Promise.all([this.#written, settled]).then(() => undefined);
  }

  #report(failure: Failure): void {
    if (!this.#settings['errors.log.enable']) return;
    const details = this.#settings['errors.log.include.messages'] ? recordDetails(failure) : '';
    this.#logger.error({ err: failure.error }, `task ${this.#task}: stage ${failure.stage} with ${failure.component} failed on ${describeOrigin(failure)}${details}`);
  }

  #toleranceExceeded(failure: Failure): SluiceError {
    const message = `Tolerance exceeded in error handler: stage ${failure.stage} with ${failure.component} failed on ${describeOrigin(failure)}: ${reasonOf(failure.error)}`;
    return new SluiceError('DATA', message, { cause: failure.error, context: { stage: failure.stage } });
  }
}
