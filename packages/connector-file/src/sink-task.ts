import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { connectionError } from '@sluice/core';
import type { SinkRecord, SinkTask, SinkTaskContext, TopicPartitionOffset } from '@sluice/core';
import { fileOf } from './config.ts';
import type { SinkConfig } from './config.ts';
import { lineOf } from './value-text.ts';

/** Test seam: another stream in place of `process.stdout`. */
export interface FileSinkTaskOptions {
  readonly stdout?: Writable;
}

/** Where lines go: a file opened for appending (made durable with fsync), or a stream. */
interface Output {
  write(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

class FileOutput implements Output {
  readonly #handle: FileHandle;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async write(data: Buffer): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.#handle.write(data, written, data.length - written);
      written += bytesWritten;
    }
  }

  sync(): Promise<void> {
    return this.#handle.sync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

class StreamOutput implements Output {
  readonly #stream: Writable;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  write(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.#stream.write(data, (error) => (error ? reject(error) : resolve())));
  }

  sync(): Promise<void> {
    return Promise.resolve(); // a stream has nothing to fsync; write() already waited for it
  }

  close(): Promise<void> {
    return Promise.resolve(); // never close the process's stdout
  }
}

/**
 * FileStreamSink's task: appends each record's value as one line (see `valueText`). `put` writes
 * its batch with one write; `flush`/`preCommit` fsync the file, so the consumer offsets the
 * runtime commits afterwards cover durable lines only.
 */
export class FileSinkTask implements SinkTask<SinkConfig> {
  readonly #options: FileSinkTaskOptions;
  #output: Output | null = null;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(options: FileSinkTaskOptions = {}) {
    this.#options = options;
  }

  async start(config: SinkConfig, ctx: SinkTaskContext): Promise<void> {
    const file = fileOf(config);
    if (file === null) {
      this.#output = new StreamOutput(this.#options.stdout ?? process.stdout);
      ctx.logger.info('writing lines to standard output');
      return;
    }
    try {
      this.#output = new FileOutput(await open(file, 'a'));
    } catch (error) {
      throw connectionError(`cannot open or create ${file} for appending: ${(error as Error).message}`, { cause: error, context: { file } });
    }
    ctx.logger.info(`appending lines to ${file}`);
  }

  async put(records: SinkRecord[]): Promise<void> {
    for (const record of records) {
      const line = lineOf(record.value, record.valueSchema);
      this.#pending.push(line);
      this.#pendingBytes += line.length;
    }
    // One write per batch: lines show in the file as soon as Apache's do, and flush only fsyncs.
    await this.#write();
  }

  /** Writes everything `put` was given and fsyncs it. */
  async flush(_offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    await this.#write();
    await this.#output?.sync();
  }

  /** `flush`, then all of `offsets`: every line put so far is durable. */
  async preCommit(offsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    await this.flush(offsets);
    return offsets;
  }

  /**
   * Closes the file. Lines put since the last flush may not be durable: their offsets were not
   * committed, so Kafka delivers them again (at least once).
   */
  async stop(): Promise<void> {
    const output = this.#output;
    this.#output = null;
    this.#pending = [];
    this.#pendingBytes = 0;
    await output?.close();
  }

  async #write(): Promise<void> {
    if (this.#pendingBytes === 0 || this.#output === null) return;
    const data = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#output.write(data);
  }
}
