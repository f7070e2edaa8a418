import type { OffsetMap } from '@sluice/core';
import type { ConsumedRecord, ProducerRecord, RecordMetadata } from '../kafka/port.ts';
import { TopicStore } from './topic-store.ts';
import type { TopicStoreOptions } from './topic-store.ts';
import { offsetKeyText, offsetValueText, parseOffsetKey, parseOffsetValue } from './kafka-offset-records.ts';
import { offsetKey } from './offset-store.ts';
import type { OffsetStore, SourceOffset, TransactionalOffsets } from './offset-store.ts';

export type KafkaOffsetStoreOptions = TopicStoreOptions;

interface Entry {
  readonly connector: string;
  readonly partition: OffsetMap;
  /** `null` once tombstoned: the key bytes are still worth remembering. */
  readonly offset: OffsetMap | null;
  /** The key as the topic holds it, reused for later writes so one partition keeps one key. */
  readonly keyText: string;
  /** Where the value came from, so an older record read late does not undo a newer write. */
  readonly at: { readonly partition: number; readonly offset: bigint };
}

/** One offset on its way to the topic. */
interface Write {
  readonly id: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
  readonly keyText: string;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

const text = new TextEncoder();
const utf8 = new TextDecoder();

/**
 * Distributed mode's source offsets in the offsets topic, byte-compatible with Kafka Connect's
 * KafkaOffsetBackingStore: a Kafka Connect worker reading the topic finds the offsets Sluice
 * wrote, and the other way round. Reads come from memory, which the topic's reader keeps up to
 * date; `set` resolves once the broker acknowledged every record (acks=all), and what it wrote
 * is readable at once. `refresh` reads to the end of the topic first, for a task taking over a
 * partition another worker was writing.
 */
export class KafkaOffsetStore extends TopicStore implements OffsetStore, TransactionalOffsets {
  readonly #entries = new Map<string, Entry>();

  constructor(options: KafkaOffsetStoreOptions) {
    super(options, 'sluice-offsets');
  }

  get(connector: string, partition: OffsetMap): Promise<OffsetMap | null> {
    return Promise.resolve(this.#entries.get(offsetKey(connector, partition))?.offset ?? null);
  }

  all(connector: string): Promise<SourceOffset[]> {
    const offsets: SourceOffset[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.connector === connector && entry.offset !== null) offsets.push({ partition: entry.partition, offset: entry.offset });
    }
    return Promise.resolve(offsets);
  }

  /** The connectors that have offsets. */
  connectors(): string[] {
    return [...new Set([...this.#entries.values()].filter((e) => e.offset !== null).map((e) => e.connector))];
  }

  async set(connector: string, offsets: readonly SourceOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const writes = this.#writes(connector, offsets);
    const sent = await this.log.send(writes.map((w) => ({ key: w.key, value: w.value })));
    this.#applyWrites(connector, writes, sent);
  }

  /** The offsets topic's name. */
  get topic(): string {
    return this.log.topic;
  }

  /**
   * The records `set` would write, for a transactional writer to send in its own transaction
   * (exactly-once source tasks): same key bytes (a partition the topic already holds keeps its
   * key), value bytes and partition (by the key, as Kafka's default partitioner). The store does
   * not show them until {@link applied}.
   */
  records(connector: string, offsets: readonly SourceOffset[]): ProducerRecord[] {
    return this.#writes(connector, offsets).map((w) => ({ topic: this.topic, key: w.key, value: w.value }));
  }

  /**
   * The transaction holding {@link records} for these offsets committed, with `sent` the
   * broker's metadata of each: `get` and `all` show them at once, before the reader gets to them.
   */
  applied(connector: string, offsets: readonly SourceOffset[], sent: readonly RecordMetadata[]): void {
    this.#applyWrites(connector, this.#writes(connector, offsets), sent);
  }

  #writes(connector: string, offsets: readonly SourceOffset[]): Write[] {
    return offsets.map(({ partition, offset }) => {
      const id = offsetKey(connector, partition);
      const keyText = this.#entries.get(id)?.keyText ?? offsetKeyText(connector, partition);
      return { id, partition, offset, keyText, key: text.encode(keyText), value: offset === null ? null : text.encode(offsetValueText(offset)) };
    });
  }

  #applyWrites(connector: string, writes: readonly Write[], sent: readonly RecordMetadata[]): void {
    writes.forEach((w, i) => {
      this.#apply(w.id, { connector, partition: w.partition, offset: w.offset, keyText: w.keyText, at: { partition: sent[i]!.partition, offset: sent[i]!.offset } });
    });
  }

  protected read(record: ConsumedRecord): void {
    const keyText = record.key === null ? null : utf8.decode(record.key);
    const key = keyText === null ? null : parseOffsetKey(keyText);
    if (keyText === null || key === null) {
      this.logger.warn(`offsets topic ${this.log.topic}: ignoring the record at ${record.partition}/${record.offset}: its key is not ["<connector>",{partition}]`);
      return;
    }
    const offset = parseOffsetValue(record.value === null ? null : utf8.decode(record.value));
    if (offset === undefined) {
      this.logger.warn(`offsets topic ${this.log.topic}: ignoring the record at ${record.partition}/${record.offset}: its value is not a JSON object`);
      return;
    }
    this.#apply(offsetKey(key.connector, key.partition), { ...key, offset, keyText, at: { partition: record.partition, offset: record.offset } });
  }

  #apply(id: string, entry: Entry): void {
    const current = this.#entries.get(id);
    if (current && current.at.partition === entry.at.partition && current.at.offset > entry.at.offset) return;
    this.#entries.set(id, entry);
  }
}
