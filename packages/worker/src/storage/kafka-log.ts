import { randomUUID } from 'node:crypto';
import type { Logger } from '@sluice/core';
import { noopLogger, timeoutError } from '@sluice/core';
import type { ConsumedRecord, KafkaAdmin, KafkaClient, KafkaConsumer, KafkaProducer, RecordMetadata } from '../kafka/port.ts';
import { LogPositions } from './log-positions.ts';

/** One record for {@link KafkaLog.send}: a `null` value is a tombstone. */
export interface LogRecord {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

export interface KafkaLogOptions {
  readonly client: KafkaClient;
  readonly topic: string;
  /** Called once per record, in offset order per partition, never twice for one offset. */
  readonly onRecord: (record: ConsumedRecord) => void;
  /** Prefix of the reader's throwaway group name. Default `sluice-log`. */
  readonly groupPrefix?: string;
  /** Shared clients; the log closes only the clients it made itself. */
  readonly producer?: KafkaProducer;
  readonly admin?: KafkaAdmin;
  readonly logger?: Logger;
  /** How long `start` and a `readToEnd` without its own timeout may take. Default 30 s (Kafka Connect's READ_WRITE_TOTAL_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

type State = 'new' | 'starting' | 'running' | 'stopped';

/**
 * A compacted topic read as a log, as Kafka Connect's `KafkaBasedLog`: `start` reads the topic
 * from its beginning to its end, then a background loop keeps consuming and hands every record
 * to `onRecord`; `readToEnd` waits until everything written before the call has been handed
 * over, so a writer that awaits it sees its own writes.
 *
 * The reader is a consumer of a group of its own (a fresh random name, never committed): both
 * client libraries behind the port consume only through a group, and a group with one member
 * is assigned every partition and, having no committed offsets, starts at the earliest one.
 * A rebalance of that group (after a long pause of the process) can make the client fetch a
 * partition again from the start; {@link LogPositions} drops what was already handed over.
 *
 * Writes go through the port's producer (acks=all, idempotent); `send` resolves when the broker
 * acknowledged, `flush` when every send made so far has settled.
 */
export class KafkaLog {
  readonly topic: string;
  readonly #options: KafkaLogOptions;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #positions = new LogPositions();
  readonly #inFlight = new Set<Promise<unknown>>();
  #state: State = 'new';
  #consumer: KafkaConsumer | null = null;
  #producer: KafkaProducer | null = null;
  #admin: KafkaAdmin | null = null;
  #loop: Promise<void> | null = null;
  #partitions = 0;

  constructor(options: KafkaLogOptions) {
    this.topic = options.topic;
    this.#options = options;
    this.#logger = options.logger ?? noopLogger;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The number of partitions the topic had when last read to its end. */
  get partitionCount(): number {
    return this.#partitions;
  }

  /** Opens the clients, joins the reader's group and reads the topic to its end. The topic must exist. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`log of topic ${this.topic} was already started`);
    this.#state = 'starting';
    const { client } = this.#options;
    try {
      this.#admin = this.#options.admin ?? (await client.admin());
      this.#producer = this.#options.producer ?? (await client.producer());
      const groupId = `${this.#options.groupPrefix ?? 'sluice-log'}-${this.topic}-${randomUUID()}`;
      this.#consumer = await client.consumer({ groupId, autoOffsetReset: 'earliest' });
      await this.#consumer.subscribe([this.topic]);
      this.#state = 'running';
      this.#loop = this.#consume(this.#consumer);
      await this.readToEnd();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * Resolves once every record the topic held when this was called has been handed to
   * `onRecord` (the end offsets are the high watermarks at call time).
   */
  async readToEnd(timeoutMs = this.#timeoutMs): Promise<void> {
    if (this.#state !== 'running') throw new Error(`log of topic ${this.topic} is not running`);
    const admin = this.#admin!;
    const [earliest, latest] = await Promise.all([admin.listOffsets(this.topic, 'earliest'), admin.listOffsets(this.topic, 'latest')]);
    this.#partitions = latest.length;
    const start = new Map(earliest.map((o) => [o.partition, o.offset]));
    // An empty partition (end at its start) has nothing to wait for.
    const targets = new Map(latest.filter((o) => o.offset > (start.get(o.partition) ?? 0n)).map((o) => [o.partition, o.offset]));
    await this.#positions.waitFor(targets, timeoutMs, () =>
      timeoutError(`reading topic ${this.topic} to its end took longer than ${timeoutMs} ms (at ${this.#positions.describe()}, end ${describeOffsets(targets)})`),
    );
  }

  /** Sends the records in one batch; resolves when the broker acknowledged all of them. */
  send(records: readonly LogRecord[]): Promise<RecordMetadata[]> {
    if (this.#state !== 'running' || !this.#producer) return Promise.reject(new Error(`log of topic ${this.topic} is not running`));
    const sent = this.#producer.send(records.map((r) => ({ topic: this.topic, key: r.key, value: r.value })));
    this.#inFlight.add(sent);
    const forget = () => this.#inFlight.delete(sent);
    sent.then(forget, forget);
    return sent;
  }

  /** Waits until every `send` made so far has been acknowledged or has failed. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#positions.fail(new Error(`log of topic ${this.topic} was stopped`));
    await this.flush();
    await this.#consumer?.close().catch((error: unknown) => this.#logger.warn({ err: error }, `closing the reader of topic ${this.topic} failed`));
    await this.#loop;
    if (!this.#options.producer) await this.#producer?.close().catch(() => undefined);
    if (!this.#options.admin) await this.#admin?.close().catch(() => undefined);
  }

  async #consume(consumer: KafkaConsumer): Promise<void> {
    while (this.#state === 'running') {
      let records: ConsumedRecord[];
      try {
        records = await consumer.poll(500, 1_000);
      } catch (error) {
        if (this.#state !== 'running') return;
        this.#logger.error({ err: error }, `reading topic ${this.topic} failed; its stored state no longer follows the topic`);
        this.#positions.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      for (const record of records) {
        if (!this.#positions.accept(record.partition, record.offset)) continue;
        try {
          this.#options.onRecord(record);
        } catch (error) {
          // As KafkaBasedLog: a record the store cannot apply is logged, and reading goes on.
          this.#logger.error({ err: error }, `record at offset ${record.offset} of ${this.topic}-${record.partition} could not be applied`);
        }
      }
      // A topic written in transactions ends with a commit marker no record carries; the
      // consumer's position moves past it, as KafkaBasedLog's readToEnd relies on.
      for (const tp of consumer.assignment()) {
        const position = consumer.position(tp);
        if (position !== null) this.#positions.skipTo(tp.partition, position);
      }
      this.#positions.reached();
    }
  }
}

function describeOffsets(offsets: ReadonlyMap<number, bigint>): string {
  return [...offsets].map(([partition, offset]) => `${partition}:${offset}`).join(', ') || 'none';
}
