interface Waiter {
  readonly targets: ReadonlyMap<number, bigint>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * How far a log reader got in each partition (the offset after the last record handed over),
 * and who waits for it to get somewhere. Records at or beyond the position are accepted once;
 * anything before it was handed over already and is dropped.
 */
export class LogPositions {
  readonly #next = new Map<number, bigint>();
  #waiters: Waiter[] = [];
  #failure: Error | null = null;

  /** True when the record is new; moves the partition's position past it. */
  accept(partition: number, offset: bigint): boolean {
    const next = this.#next.get(partition);
    if (next !== undefined && offset < next) return false;
    this.#next.set(partition, offset + 1n);
    return true;
  }

  /**
   * Moves the partition's position to `offset` when it is ahead: the reader's consumer is past
   * records it never hands over (transaction markers, aborted records).
   */
  skipTo(partition: number, offset: bigint): void {
    const next = this.#next.get(partition);
    if (next === undefined || offset > next) this.#next.set(partition, offset);
  }

  position(partition: number): bigint | undefined {
    return this.#next.get(partition);
  }

  /** Resolves once every partition's position is at or past its target. */
  waitFor(targets: ReadonlyMap<number, bigint>, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#done(targets)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(onTimeout());
      }, timeoutMs);
      const waiter: Waiter = { targets, resolve, reject, timer };
      this.#waiters.push(waiter);
    });
  }

  /** Releases the waiters whose targets are now reached; call after handing records over. */
  reached(): void {
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#done(waiter.targets)) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else {
        still.push(waiter);
      }
    }
    this.#waiters = still;
  }

  /** Rejects every waiter, now and later, with the cause. */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#failure);
    }
    this.#waiters = [];
  }

  describe(): string {
    return [...this.#next].map(([partition, offset]) => `${partition}:${offset}`).join(', ') || 'nothing read';
  }

  #done(targets: ReadonlyMap<number, bigint>): boolean {
    for (const [partition, target] of targets) {
      if ((this.#next.get(partition) ?? -1n) < target) return false;
    }
    return true;
  }
}
