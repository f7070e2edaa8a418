import { ConsumerBuffer } from './consumer-buffer.ts';
import { KafkaPortError } from './errors.ts';
import { partitionKey } from './port.ts';
import type { ConsumedRecord, KafkaConsumer, RebalanceListener, TopicPartition, TopicPartitionOffset } from './port.ts';

/**
 * What both adapters' consumers share: the buffer behind `poll`, `pause`, `resume` and `seek`,
 * the current assignment with its rebalance callbacks, and failure reporting. An adapter adds
 * how to join, fetch, commit and close.
 */
export abstract class BufferedConsumer implements KafkaConsumer {
  protected readonly buffer: ConsumerBuffer;
  protected readonly groupId: string;
  #assignment: TopicPartition[] = [];
  #failure: Error | null = null;

  constructor(groupId: string, capacity: number) {
    this.groupId = groupId;
    this.buffer = new ConsumerBuffer((tp, offset) => this.fetchFrom(tp, offset), capacity);
  }

  /** Moves the client's fetch position of one partition. */
  protected abstract fetchFrom(partition: TopicPartition, offset: bigint): void;

  abstract subscribe(topics: readonly string[], listener?: RebalanceListener): Promise<void>;
  abstract commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  abstract committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]>;
  abstract close(): Promise<void>;

  protected get failure(): Error | null {
    return this.#failure;
  }

  /** Ends the consumer: the next `poll` (and a waiting one) rejects with this cause. */
  protected fail(error: unknown): void {
    this.#failure = error instanceof Error ? error : new Error(String(error));
    this.buffer.wakeup();
  }

  /** Applies the assignment the group handed out, telling the listener what was revoked, then what was added. */
  protected async rebalanced(next: TopicPartition[], listener: RebalanceListener): Promise<void> {
    const before = new Set(this.#assignment.map(partitionKey));
    const after = new Set(next.map(partitionKey));
    const revoked = this.#assignment.filter((tp) => !after.has(partitionKey(tp)));
    const assigned = next.filter((tp) => !before.has(partitionKey(tp)));
    this.#assignment = next;
    this.buffer.retain(next);
    if (revoked.length > 0) await listener.onRevoked?.(revoked);
    if (assigned.length > 0) await listener.onAssigned?.(assigned);
  }

  async poll(maxWaitMs: number, maxRecords = 500): Promise<ConsumedRecord[]> {
    const records = await this.buffer.poll(maxWaitMs, maxRecords);
    if (this.#failure) throw new KafkaPortError('KAFKA', `consumer of group ${this.groupId} failed: ${this.#failure.message}`, this.#failure);
    return records;
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.buffer.pause(tp);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.buffer.resume(tp);
  }

  paused(): TopicPartition[] {
    return this.buffer.paused();
  }

  seek(partition: TopicPartition, offset: bigint): void {
    this.buffer.seek(partition, offset);
  }

  position(partition: TopicPartition): bigint | null {
    return this.buffer.position(partition);
  }

  assignment(): TopicPartition[] {
    return [...this.#assignment];
  }
}
