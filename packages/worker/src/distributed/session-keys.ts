import type { Logger } from '@sluice/core';
import { noopLogger } from '@sluice/core';
import type { RequestSigner, SessionKey, Verification } from '../rest/request-signing.ts';

/** What {@link SessionKeys} needs of the config topic: the `KafkaConfigStore` methods of that name. */
export interface SessionKeyTopic {
  snapshot(): { readonly sessionKey: SessionKey | null };
  putSessionKey(key: SessionKey): Promise<void>;
}

export interface SessionKeysOptions {
  readonly signer: RequestSigner;
  readonly topic: SessionKeyTopic;
  /** `inter.worker.key.ttl.ms`. */
  readonly ttlMs: number;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** How long the leader waits before it tries again to write a key after a failed write. */
  readonly retryMs?: number;
  /** Checked before every write: whether this worker still leads a group that signs (leadership may end between rebalances). */
  readonly stillLeading?: () => boolean;
}

/** The shortest time between two keys, so that `inter.worker.key.ttl.ms=0` cannot make the leader write keys in a loop. */
export const MIN_ROTATION_MS = 1_000;

/**
 * The session key of a Connect cluster (KIP-507), as the `sessioned` protocol uses it: the leader
 * writes a new key to the config topic when it starts leading and finds none or an expired one,
 * and again each time the key has lived `inter.worker.key.ttl.ms`; every worker reads the key
 * from the topic, signs the internal requests it sends with it, and the leader verifies the
 * internal requests it gets against it. The key this worker holds is always the config topic's
 * latest, read from the store's snapshot.
 */
export class SessionKeys {
  readonly #options: SessionKeysOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  #leading = false;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #stopped = false;

  constructor(options: SessionKeysOptions) {
    this.#options = options;
    this.#log = options.logger ?? noopLogger;
    this.#now = options.now ?? Date.now;
  }

  /** The key this worker last read from the config topic, null before the first. */
  get key(): SessionKey | null {
    return this.#options.topic.snapshot().sessionKey;
  }

  /**
   * Called after every rebalance: whether this worker now leads a group that signs internal
   * requests. A new leader writes a key at once when there is none or it has expired, then
   * replaces it whenever it expires; a worker that stops leading stops replacing keys.
   */
  async lead(leading: boolean): Promise<void> {
    this.#leading = leading && !this.#stopped;
    if (!this.#leading) {
      this.#cancel();
      return;
    }
    await this.#rotateIfDue();
  }

  /** The config topic brought a key (the listener's `onSessionKeyUpdate`): the next rotation is due when it expires. */
  onKeyUpdate(): void {
    if (this.#leading) this.#schedule();
  }

  /** The headers signing `body` with this worker's key and `inter.worker.signature.algorithm`; none before a key was read. */
  sign(body: Uint8Array): Readonly<Record<string, string>> {
    const key = this.key;
    return key === null ? {} : this.#options.signer.sign(key, body);
  }

  /** Checks an internal request against the key this worker holds (see {@link RequestSigner.verify}). */
  verify(request: Parameters<RequestSigner['verify']>[0]): Verification {
    return this.#options.signer.verify(request, this.key, this.#now());
  }

  /** Stops replacing keys (the worker is shutting down). */
  stop(): void {
    this.#stopped = true;
    this.#leading = false;
    this.#cancel();
  }

  async #rotateIfDue(): Promise<void> {
    if (this.#writing) return this.#writing;
    if (this.#options.stillLeading?.() === false) {
      this.#leading = false;
      this.#cancel();
      return;
    }
    const key = this.key;
    if (key !== null && !this.#options.signer.keyExpired(key, this.#now())) {
      this.#schedule();
      return;
    }
    this.#writing = this.#write(key === null ? 'no session key has been distributed yet' : 'the session key has expired').finally(() => (this.#writing = null));
    return this.#writing;
  }

  async #write(reason: string): Promise<void> {
    const key = this.#options.signer.generateKey(this.#now());
    try {
      await this.#options.topic.putSessionKey(key);
      this.#log.info(`wrote a new session key for internal requests to the config topic: ${reason}`);
      this.#schedule();
    } catch (error) {
      const retryMs = this.#options.retryMs ?? 5_000;
      this.#log.warn({ err: error }, `writing a new session key to the config topic failed (${reason}); trying again in ${retryMs} ms`);
      this.#schedule(retryMs);
    }
  }

  /** Wakes up when the current key expires (or after `delayMs`), to replace it if this worker still leads. */
  #schedule(delayMs?: number): void {
    this.#cancel();
    if (!this.#leading) return;
    const key = this.key;
    const due = delayMs ?? (key === null ? 0 : key.creationTimestamp + this.#options.ttlMs - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#leading) void this.#rotateIfDue();
    }, Math.max(due, MIN_ROTATION_MS));
    this.#timer.unref();
  }

  #cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
