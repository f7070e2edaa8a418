import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Schemas, connectionError, dataError, sourceRecord } from '@sluice/core';
import type { Logger, OffsetMap, SourceRecord, SourceTask, SourceTaskContext } from '@sluice/core';
import { fileOf } from './config.ts';
import type { SourceConfig } from './config.ts';
import { LineSplitter } from './line-splitter.ts';
import type { Line } from './line-splitter.ts';

/** The source partition key and offset key, as Apache's FileStreamSourceTask names them. */
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';

const CHUNK_BYTES = 64 * 1024;
/** How long a `poll` waits for data (or for the file to appear) before returning `null`. */
const IDLE_MS = 1000;
/** How often it looks again while waiting. */
const RECHECK_MS = 100;

/** Test seams: another stream in place of `process.stdin`, shorter waits. */
export interface FileSourceTaskOptions {
  readonly stdin?: Readable;
  readonly idleMs?: number;
}

/** Where the bytes come from: a file read by position, or a stream (stdin). */
interface Input {
  /** Pushes bytes available now into the splitter; false when there were none. */
  fill(splitter: LineSplitter): Promise<boolean>;
  close(): Promise<void>;
}

class FileInput implements Input {
  readonly #handle: FileHandle;
  #position: number;
  #spare: Buffer | null = null;

  constructor(handle: FileHandle, position: number) {
    this.#handle = handle;
    this.#position = position;
  }

  async fill(splitter: LineSplitter): Promise<boolean> {
    // A chunk handed to the splitter stays referenced, so each read that returns bytes needs a
    // new buffer; one that found nothing (an idle file) leaves its buffer for the next read.
    const buffer = this.#spare ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.#spare = null;
    const { bytesRead } = await this.#handle.read(buffer, 0, CHUNK_BYTES, this.#position);
    if (bytesRead === 0) {
      this.#spare = buffer;
      return false;
    }
    this.#position += bytesRead;
    splitter.push(buffer.subarray(0, bytesRead));
    return true;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

class StreamInput implements Input {
  readonly #stream: Readable;

  constructor(stream: Readable) {
    this.#stream = stream;
  }

  fill(splitter: LineSplitter): Promise<boolean> {
    // Paused mode: read() hands over what is buffered and lets the stream apply backpressure.
    const chunk = this.#stream.read() as Buffer | string | null;
    if (chunk === null) return Promise.resolve(false);
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve(); // never close the process's stdin
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

/** The byte position stored for `file`, or 0; anything but a non-negative integer is a `DATA` error. */
function storedPosition(file: string, offset: OffsetMap | null): number {
  const value = offset?.[POSITION_FIELD];
  if (value === undefined || value === null) return 0;
  const position = typeof value === 'bigint' ? Number(value) : value;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw dataError(`the stored source offset of file ${file}: \`${POSITION_FIELD}\` must be a non-negative integer byte position, got ${JSON.stringify(String(value))}`, {
      context: { key: POSITION_FIELD, file },
    });
  }
  return position;
}

/**
 * FileStreamSource's task: emits each line of a file (or stdin) as a STRING record. Records of a
 * file carry the source partition `{ filename }` and the offset `{ position }`: the byte position
 * just after the line's end, so a task restarted from a committed offset reads the next line.
 */
export class FileSourceTask implements SourceTask<SourceConfig> {
  readonly #options: FileSourceTaskOptions;
  #file: string | null = null;
  #topic = '';
  #batchSize = 1;
  #logger: Logger | null = null;
  #partition: OffsetMap | null = null;
  #resumeAt = 0;
  #input: Input | null = null;
  #splitter = new LineSplitter();
  #warnedMissing = false;
  #stopped = false;

  constructor(options: FileSourceTaskOptions = {}) {
    this.#options = options;
  }

  async start(config: SourceConfig, ctx: SourceTaskContext): Promise<void> {
    this.#file = fileOf(config);
    this.#topic = config.topic;
    this.#batchSize = config['batch.size'];
    this.#logger = ctx.logger;
    if (this.#file === null) {
      // stdin has no position to resume from, so its records carry no source offsets
      const stdin = this.#options.stdin ?? process.stdin;
      this.#input = new StreamInput(stdin);
      ctx.logger.info('reading lines from standard input');
      return;
    }
    this.#partition = Object.freeze({ [FILENAME_FIELD]: this.#file });
    this.#resumeAt = storedPosition(this.#file, await ctx.offsetReader.offset(this.#partition));
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + (this.#options.idleMs ?? IDLE_MS);
    for (;;) {
      if (signal.aborted || this.#stopped) return null;
      const records = await this.#read();
      if (records.length > 0) return records;
      if (Date.now() >= deadline) return null;
      await sleep(RECHECK_MS, signal);
    }
  }

  /** Reads what is available now, up to `batch.size` lines. */
  async #read(): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    if (this.#stopped) return records;
    if (this.#input === null && !(await this.#openFile())) return records;
    const input = this.#input as Input;
    while (records.length < this.#batchSize) {
      const line = this.#splitter.next();
      if (line !== null) {
        records.push(this.#record(line));
      } else if (this.#stopped || !(await input.fill(this.#splitter))) {
        break;
      }
    }
    return records;
  }

  #record(line: Line): SourceRecord {
    return sourceRecord({
      topic: this.#topic,
      sourcePartition: this.#partition,
      sourceOffset: this.#partition === null ? null : { [POSITION_FIELD]: line.end },
      value: line.text,
      valueSchema: Schemas.STRING,
      timestamp: Date.now(),
    });
  }

  /** Opens the file at the resume position; false (after one warning) while it does not exist. */
  async #openFile(): Promise<boolean> {
    const file = this.#file as string;
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (!isMissing(error)) throw connectionError(`cannot open ${file} for reading: ${(error as Error).message}`, { cause: error, context: { file } });
      if (!this.#warnedMissing) this.#logger?.warn(`file ${file} does not exist; waiting for it to be created`);
      this.#warnedMissing = true;
      return false;
    }
    if (this.#stopped) {
      await handle.close();
      return false;
    }
    let position = this.#resumeAt;
    const { size } = await handle.stat();
    if (position > size) {
      // Truncated or replaced since the offset was committed: read it again rather than skip data.
      this.#logger?.warn(`file ${file} has ${size} bytes, fewer than the committed position ${position}; reading it from the start`);
      position = 0;
    }
    this.#input = new FileInput(handle, position);
    this.#splitter = new LineSplitter(position);
    this.#logger?.info(`reading lines from ${file} at byte ${position}`);
    return true;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const input = this.#input;
    this.#input = null;
    await input?.close();
  }
}
