import { type ConsumedRecord, type TopicPartition, partitionKey } from './port.ts';

/** Moves the adapter's fetch position of one partition; the buffer drops what arrives before it lands. */
export type FetchFrom = (partition: TopicPartition, offset: bigint) => void;

/**
 * How many times a seek target is re-requested when records beyond it keep arriving. Records
 * fetched before the seek can still be in flight; after that, a gap means the target offset
 * no longer exists (compaction, transaction markers) and the next record is the right one.
 */
const SEEK_CONFIRMATIONS = 3;

interface PartitionState {
  readonly tp: TopicPartition;
  /** The offset after the last buffered record: what the next accepted record should carry. */
  next: bigint | null;
  queue: ConsumedRecord[];
  paused: boolean;
  seekRetries: number | null;
  /**
   * How far the client fetched, when it says so: past the last record pushed, over what it
   * skipped (transaction markers, aborted records). Only ever ahead of `next` once every record
   * before it was pushed.
   */
  fetched: bigint | null;
}

/**
 * The per-partition bookkeeping both adapters share, so `poll`, `pause`, `resume` and `seek`
 * behave the same whatever the client library: records of a paused partition are dropped and
 * fetched again from the right offset on resume, so pausing loses nothing and holds no memory.
 */
export class ConsumerBuffer {
  readonly #partitions = new Map<string, PartitionState>();
  readonly #fetchFrom: FetchFrom;
  readonly #capacity: number;
  #size = 0;
  #wake: (() => void) | null = null;
  /** The partitions the group assigned, once known; records of others are dropped. */
  #assigned: Set<string> | null = null;
  #onDrain: (() => void) | null = null;
  /** The state the last record pushed went to (an assigned partition's), until the assignment changes. */
  #lastPushed: PartitionState | null = null;

  constructor(fetchFrom: FetchFrom, capacity: number) {
    this.#fetchFrom = fetchFrom;
    this.#capacity = capacity;
  }

  get full(): boolean {
    return this.#size >= this.#capacity;
  }

  /** Called after every poll that leaves the buffer below capacity (fetching may go on). */
  set onDrain(listener: (() => void) | null) {
    this.#onDrain = listener;
  }

  push(record: ConsumedRecord): void {
    // Records come in runs of one partition: the state of the previous one is usually this one's.
    const last = this.#lastPushed;
    let state: PartitionState;
    if (last !== null && last.tp.partition === record.partition && last.tp.topic === record.topic) {
      state = last;
    } else {
      // A fetch issued before a rebalance can still deliver records of a revoked partition.
      if (this.#assigned && !this.#assigned.has(partitionKey(record))) return;
      state = this.#state(record);
      this.#lastPushed = state;
    }
    if (state.paused) {
      // Paused before anything arrived: the first dropped record is where resume starts.
      state.next ??= record.offset;
      return;
    }
    if (state.next !== null && record.offset < state.next) return;
    if (state.next !== null && record.offset > state.next && state.seekRetries !== null && state.seekRetries < SEEK_CONFIRMATIONS) {
      state.seekRetries += 1;
      this.#fetchFrom(state.tp, state.next);
      return;
    }
    state.seekRetries = null;
    state.fetched = null;
    state.queue.push(record);
    state.next = record.offset + 1n;
    this.#size += 1;
    this.#wake?.();
  }

  async poll(maxWaitMs: number, maxRecords: number): Promise<ConsumedRecord[]> {
    if (this.#size === 0 && maxWaitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#wake = null;
          resolve();
        };
        const timer = setTimeout(done, maxWaitMs);
        this.#wake = done;
      });
    }
    return this.#take(maxRecords);
  }

  /** Interrupts a waiting `poll`, which then returns what it has (possibly nothing). */
  wakeup(): void {
    this.#wake?.();
  }

  pause(tp: TopicPartition): void {
    const state = this.#state(tp);
    if (state.paused) return;
    state.paused = true;
    this.#rewindTo(state, state.queue[0]?.offset ?? state.next);
  }

  resume(tp: TopicPartition): void {
    const state = this.#partitions.get(partitionKey(tp));
    if (!state?.paused) return;
    state.paused = false;
    if (state.next !== null) this.#seek(state, state.next);
  }

  paused(): TopicPartition[] {
    return [...this.#partitions.values()].filter((s) => s.paused).map((s) => s.tp);
  }

  /**
   * The adapter fetched everything of the partition before `offset` and pushed every record of
   * it that is to be consumed; what lies between is what the client skipped (transaction
   * markers, aborted records). Ignored while paused or while a seek is unconfirmed.
   */
  fetchedTo(tp: TopicPartition, offset: bigint): void {
    if (this.#assigned && !this.#assigned.has(partitionKey(tp))) return;
    const state = this.#state(tp);
    if (state.paused || state.seekRetries !== null) return;
    if (state.next !== null && offset <= state.next) return;
    state.fetched = offset;
  }

  /**
   * The offset of the next record `poll` returns for the partition (Kafka's consumer
   * `position`): the first buffered record's, else past what was fetched, transaction markers
   * included. `null` before anything is known.
   */
  position(tp: TopicPartition): bigint | null {
    const state = this.#partitions.get(partitionKey(tp));
    if (!state) return null;
    const first = state.queue[0];
    if (first) return first.offset;
    if (state.fetched !== null && !state.paused && state.seekRetries === null) return state.fetched;
    return state.next;
  }

  seek(tp: TopicPartition, offset: bigint): void {
    const state = this.#state(tp);
    this.#rewindTo(state, offset);
    if (!state.paused) this.#seek(state, offset);
  }

  /** Forgets partitions the group took away; their buffered records will be read by their new owner. */
  retain(assignment: readonly TopicPartition[]): void {
    const keep = new Set(assignment.map(partitionKey));
    this.#assigned = keep;
    this.#lastPushed = null;
    for (const [key, state] of this.#partitions) {
      if (keep.has(key)) continue;
      this.#size -= state.queue.length;
      this.#partitions.delete(key);
    }
  }

  #seek(state: PartitionState, offset: bigint): void {
    state.seekRetries = 0;
    this.#fetchFrom(state.tp, offset);
  }

  #rewindTo(state: PartitionState, offset: bigint | null): void {
    this.#size -= state.queue.length;
    state.queue = [];
    state.next = offset;
    state.fetched = null;
  }

  #state(tp: TopicPartition): PartitionState {
    const key = partitionKey(tp);
    let state = this.#partitions.get(key);
    if (!state) {
      state = { tp: { topic: tp.topic, partition: tp.partition }, next: null, queue: [], paused: false, seekRetries: null, fetched: null };
      this.#partitions.set(key, state);
    }
    return state;
  }

  #take(maxRecords: number): ConsumedRecord[] {
    const out: ConsumedRecord[] = [];
    for (const state of this.#partitions.values()) {
      if (state.paused || state.queue.length === 0) continue;
      const room = maxRecords - out.length;
      if (room <= 0) break;
      const taken = state.queue.length <= room ? state.queue : state.queue.slice(0, room);
      state.queue = state.queue.length <= room ? [] : state.queue.slice(room);
      for (const record of taken) out.push(record);
    }
    this.#size -= out.length;
    // Pause, seek and rebalance also free room without a take: tell the adapter on every take
    // that leaves room, so a fetch paused for backpressure always resumes.
    if (!this.full) this.#onDrain?.();
    return out;
  }
}
