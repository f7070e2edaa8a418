import { readFile } from 'node:fs/promises';
import type { OffsetMap } from '@sluice/core';
import type { ProducerRecord, RecordMetadata } from '../kafka/port.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { parseJson, stringifyJson } from './json.ts';

/** One connector's source partition and the offset reached in it. */
export interface SourceOffset {
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
}

/**
 * Where source offsets live. Writes are durable when `set` resolves; a `null` offset removes the
 * partition (Kafka Connect's tombstone). Keys are compared by value, as Kafka Connect compares
 * the serialized `["<connector>",{partition}]` key.
 */
export interface OffsetStore {
  get(connector: string, partition: OffsetMap): Promise<OffsetMap | null>;
  all(connector: string): Promise<SourceOffset[]>;
  set(connector: string, offsets: readonly SourceOffset[]): Promise<void>;
}

/**
 * Where a transactional task's source offsets go: records of the offsets topic, written in the
 * task's transaction, and the store's view updated once that transaction committed.
 * `KafkaOffsetStore` is one.
 */
export interface TransactionalOffsets {
  /** The offsets topic; a task may not produce to it (its reads would wait for its own open transaction). */
  readonly topic: string;
  /** The offsets topic records for these offsets, with Kafka Connect's key and value bytes. */
  records(connector: string, offsets: readonly SourceOffset[]): ProducerRecord[];
  /** The transaction holding those records (sent as `sent`) committed: readers see them now. */
  applied(connector: string, offsets: readonly SourceOffset[], sent: readonly RecordMetadata[]): void;
}

/** Kafka Connect's offset key: `["<connector>",{partition}]` with the partition's keys sorted for a stable identity. */
export function offsetKey(connector: string, partition: OffsetMap): string {
  const sorted = Object.fromEntries(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return stringifyJson([connector, sorted]);
}

interface Entry {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap;
}

/**
 * Standalone mode's `offset.storage.file.filename`: a JSON file of
 * `[{"key":["<connector>",{partition}],"value":{offset}}]`, rewritten atomically on every
 * commit, so a `kill -9` leaves the last committed offsets intact.
 */
export class FileOffsetStore implements OffsetStore {
  readonly #path: string;
  readonly #entries = new Map<string, Entry>();
  #loading: Promise<void> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async get(connector: string, partition: OffsetMap): Promise<OffsetMap | null> {
    await this.#loaded();
    return this.#entries.get(offsetKey(connector, partition))?.offset ?? null;
  }

  async all(connector: string): Promise<SourceOffset[]> {
    await this.#loaded();
    return [...this.#entries.values()].filter((e) => e.connector === connector).map(({ partition, offset }) => ({ partition, offset }));
  }

  async set(connector: string, offsets: readonly SourceOffset[]): Promise<void> {
    await this.#loaded();
    for (const { partition, offset } of offsets) {
      const key = offsetKey(connector, partition);
      if (offset === null) this.#entries.delete(key);
      else this.#entries.set(key, { connector, partition, offset });
    }
    await this.#persist();
  }

  #loaded(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const stored = parseJson(text);
    if (!Array.isArray(stored)) throw new Error(`offset file ${this.#path}: expected a JSON array of {key, value} entries`);
    for (const item of stored as { key?: unknown; value?: unknown }[]) {
      const key = item.key;
      if (!Array.isArray(key) || typeof key[0] !== 'string' || typeof key[1] !== 'object' || key[1] === null || typeof item.value !== 'object' || item.value === null) {
        throw new Error(`offset file ${this.#path}: malformed entry ${stringifyJson(item)}`);
      }
      const [connector, partition] = key as [string, OffsetMap];
      this.#entries.set(offsetKey(connector, partition), { connector, partition, offset: item.value as OffsetMap });
    }
  }

  /** Writes run one after another, each with the state at its turn, so the file never goes backwards. */
  #persist(): Promise<void> {
    const write = this.#writing
      .catch(() => undefined)
      .then(() => {
        const content = [...this.#entries.values()].map((e) => ({ key: [e.connector, e.partition], value: e.offset }));
        return writeFileAtomically(this.#path, stringifyJson(content));
      });
    this.#writing = write;
    return write;
  }
}
