import type { Logger } from '@sluice/core';
import { AutoRestart } from './restart-policy.ts';
import type { RestartSettings } from './restart-policy.ts';
import { traceOf } from './status.ts';
import type { Status } from './status.ts';
import type { TaskRunner } from './task-runners.ts';

/** What a {@link SupervisedTask} runs, and where it reports. */
export interface SupervisedTaskOptions {
  /** `task <connector>-<id>`, as the log names it. */
  readonly label: string;
  readonly logger: Logger;
  /** The connector's `sluice.restart.*` settings. */
  readonly restarts: RestartSettings;
  /** Starts a runner of the task that reports to `onStatus`; called again for each restart. */
  readonly start: (onStatus: (status: Status) => void) => Promise<TaskRunner>;
  /** Told every status it shows (a failure as RESTARTING or FAILED). */
  readonly onStatus?: (status: Status) => void;
  /** False while its owner stops (a failure then is not restarted); true when absent. */
  readonly active?: () => boolean;
}

/**
 * One task on this worker, standalone or distributed: its runner and its automatic restarts
 * (`sluice.restart.*`). A failed task shows RESTARTING while it waits out the backoff, then its
 * runner is stopped and a new one started; the reports of a replaced runner are ignored. Once
 * `stop` began, no restart runs and none waits.
 */
export class SupervisedTask {
  readonly #options: SupervisedTaskOptions;
  readonly #restarts: AutoRestart;
  #runner: TaskRunner | null = null;
  #status: Status = { state: 'UNASSIGNED' };
  /** Bumped whenever the runner is replaced or retired, so a retired runner's reports are ignored. */
  #generation = 0;
  #restarting: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: SupervisedTaskOptions) {
    this.#options = options;
    this.#restarts = new AutoRestart(options.restarts, options.label, options.logger);
  }

  get status(): Status {
    return this.#status;
  }

  /** Whether a restart waits for its backoff. */
  get restartPending(): boolean {
    return this.#restarts.pending;
  }

  pause(): void {
    this.#runner?.pause();
  }

  resume(): void {
    this.#runner?.resume();
  }

  /** Starts a runner; a failure to start is a task failure like any other. */
  async start(): Promise<void> {
    const generation = ++this.#generation;
    const { label, logger } = this.#options;
    try {
      const runner = await this.#options.start((status) => {
        if (this.#generation === generation) this.#report(status);
      });
      if (this.#generation === generation) this.#runner = runner;
      else await runner.stop();
    } catch (error) {
      logger.error({ err: error }, `${label} could not start`);
      if (this.#generation === generation) this.#report({ state: 'FAILED', trace: traceOf(error) });
    }
  }

  #report(status: Status): void {
    if (status.state === 'FAILED') {
      this.#show(
        this.#restarts.failed(
          status.trace ?? '',
          () => {
            this.#restarting = this.#restart();
          },
          this.#active(),
        ),
      );
      return;
    }
    if (status.state === 'RUNNING') this.#restarts.running();
    this.#show(status);
  }

  #show(status: Status): void {
    this.#status = status;
    this.#options.onStatus?.(status);
  }

  #active(): boolean {
    return !this.#stopped && (this.#options.active?.() ?? true);
  }

  /** Shows RESTARTING at once, before a {@link restart} asked for runs. */
  showRestarting(): void {
    this.#show({ state: 'RESTARTING' });
  }

  /** Restarts it now (`POST …/restart`), instead of a restart waiting and after one under way. */
  async restart(): Promise<void> {
    this.#restarts.cancel();
    await this.#restarting;
    this.showRestarting();
    this.#restarting = this.#restart();
    await this.#restarting;
  }

  async #restart(): Promise<void> {
    if (!this.#active()) return;
    const { label, logger } = this.#options;
    await this.#retireRunner(`stopping failed ${label} failed`);
    if (!this.#active()) return;
    logger.info(`restarting ${label}`);
    await this.start();
  }

  async #retireRunner(failure: string): Promise<void> {
    const runner = this.#runner;
    this.#runner = null;
    this.#generation++;
    await runner?.stop().catch((error: unknown) => this.#options.logger.error({ err: error }, failure));
  }

  /** Stops it for good: the waiting restart is dropped, one under way finishes first. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#restarts.cancel();
    await this.#restarting;
    await this.#retireRunner(`stopping ${this.#options.label} failed`);
  }
}
