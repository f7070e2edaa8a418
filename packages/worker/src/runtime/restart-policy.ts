import type { Logger } from '@sluice/core';
import type { Status } from './status.ts';

/** The `sluice.restart.*` settings of a connector. */
export interface RestartSettings {
  readonly 'sluice.restart.on.failure': boolean;
  readonly 'sluice.restart.max.attempts': number;
  readonly 'sluice.restart.backoff.ms': number;
  readonly 'sluice.restart.backoff.max.ms': number;
}

/** What to do about a failure: wait and restart, or stay FAILED. */
export type RestartDecision = { readonly restart: true; readonly attempt: number; readonly delayMs: number } | { readonly restart: false; readonly reason: string };

/** The shortest run that counts as healthy, whatever the backoff settings. */
const MIN_HEALTHY_RUN_MS = 1_000;

/**
 * Sluice's automatic restarts of one connector or task: exponential backoff from
 * `sluice.restart.backoff.ms`, doubled each time up to `sluice.restart.backoff.max.ms`, with up
 * to a quarter of random jitter; at most `sluice.restart.max.attempts` in a row. A run that
 * stayed RUNNING for `backoff.max.ms` (at least a second) counts as healthy and starts the
 * count again; a start that fails before RUNNING never does.
 */
export class RestartPolicy {
  readonly #settings: RestartSettings;
  readonly #random: () => number;
  #attempts = 0;
  /** When it last reached RUNNING; 0 once it failed since. */
  #runningSince = 0;

  constructor(settings: RestartSettings, random: () => number = Math.random) {
    this.#settings = settings;
    this.#random = random;
  }

  /** Call when the connector or task reaches RUNNING. */
  running(now = Date.now()): void {
    this.#runningSince = now;
  }

  /** Call when it failed: whether, and after how long, to restart it. */
  failed(now = Date.now()): RestartDecision {
    const settings = this.#settings;
    if (!settings['sluice.restart.on.failure']) return { restart: false, reason: 'sluice.restart.on.failure is false' };
    const healthyAfter = Math.max(settings['sluice.restart.backoff.max.ms'], settings['sluice.restart.backoff.ms'], MIN_HEALTHY_RUN_MS);
    if (this.#runningSince > 0 && now - this.#runningSince >= healthyAfter) this.#attempts = 0;
    this.#runningSince = 0;
    const max = settings['sluice.restart.max.attempts'];
    if (max >= 0 && this.#attempts >= max) return { restart: false, reason: `gave up after ${this.#attempts} restarts in a row (sluice.restart.max.attempts=${max})` };
    this.#attempts++;
    const base = Math.min(settings['sluice.restart.backoff.ms'] * 2 ** Math.min(this.#attempts - 1, 30), settings['sluice.restart.backoff.max.ms']);
    const delayMs = Math.round(base * (1 - 0.25 * this.#random()));
    return { restart: true, attempt: this.#attempts, delayMs };
  }

  /** `restart 2 of 5` or `restart 2`, as status traces show it. */
  describe(attempt: number): string {
    const max = this.#settings['sluice.restart.max.attempts'];
    return max >= 0 ? `restart ${attempt} of ${max}` : `restart ${attempt}`;
  }
}

/**
 * A {@link RestartPolicy} with its pending restart: turns a failure into the status to show —
 * RESTARTING with `restart 2 of 5 in 1873 ms after:\n<trace>` while a restart waits out its
 * backoff, or FAILED (`…\nNot restarted: <why>` when restarts are on) — and runs the restart
 * when the backoff is over, unless {@link cancel}led first.
 */
export class AutoRestart {
  readonly #settings: RestartSettings;
  readonly #policy: RestartPolicy;
  /** `task c-0` or `connector c`, as the log names it. */
  readonly #label: string;
  readonly #logger: Pick<Logger, 'warn'>;
  #timer: NodeJS.Timeout | null = null;

  constructor(settings: RestartSettings, label: string, logger: Pick<Logger, 'warn'>, random: () => number = Math.random) {
    this.#settings = settings;
    this.#policy = new RestartPolicy(settings, random);
    this.#label = label;
    this.#logger = logger;
  }

  /** Whether a restart waits for its backoff. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  /** Call when it reaches RUNNING. */
  running(): void {
    this.#policy.running();
  }

  /**
   * Call when it failed with `trace`: the status to show. When the policy restarts it (and
   * `allowed`: false while it is being stopped), `restart` runs after the backoff.
   */
  failed(trace: string, restart: () => void, allowed = true): Status {
    const decision = this.#policy.failed();
    if (!decision.restart || !allowed) {
      return { state: 'FAILED', trace: this.#settings['sluice.restart.on.failure'] && !decision.restart ? `${trace}\nNot restarted: ${decision.reason}` : trace };
    }
    const what = this.#policy.describe(decision.attempt);
    this.#logger.warn(`${this.#label} failed; ${what} in ${decision.delayMs} ms`);
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      restart();
    }, decision.delayMs);
    return { state: 'RESTARTING', trace: `${what} in ${decision.delayMs} ms after:\n${trace}` };
  }

  /** Drops the pending restart, if any. */
  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
