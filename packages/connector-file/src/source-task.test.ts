import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Schemas, hasErrorCode, noopLogger } from '@sluice/core';
import type { Logger, OffsetMap, SourceRecord, SourceTaskContext } from '@sluice/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceConfig } from './config.ts';
import { FileSourceTask } from './source-task.ts';

/** The committed source offsets, keyed as the runtime keys them: by the partition's JSON. */
class Offsets {
  readonly #stored = new Map<string, OffsetMap>();
  commit(records: readonly SourceRecord[]): void {
    for (const r of records) if (r.sourcePartition && r.sourceOffset) this.#stored.set(JSON.stringify(r.sourcePartition), r.sourceOffset);
  }
  set(partition: OffsetMap, offset: OffsetMap): void {
    this.#stored.set(JSON.stringify(partition), offset);
  }
  context(logger: Logger = noopLogger): SourceTaskContext {
    const get = (partition: OffsetMap) => Promise.resolve(this.#stored.get(JSON.stringify(partition)) ?? null);
    return {
      logger,
      configs: () => ({}),
      offsetReader: {
        offset: get,
        offsets: (partitions) => Promise.all(partitions.map(async (partition) => ({ partition, offset: await get(partition) }))),
      },
    };
  }
}

let dir: string;
const tasks: FileSourceTask[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-file-source-'));
});
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((t) => t.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function startTask(raw: Record<string, string>, offsets = new Offsets(), logger?: Logger, idleMs = 300): Promise<FileSourceTask> {
  const task = new FileSourceTask({ idleMs });
  tasks.push(task);
  await task.start(sourceConfig.parse({ topic: 'lines', ...raw }), offsets.context(logger));
  return task;
}

const never = new AbortController().signal;
const values = (records: readonly SourceRecord[] | null) => (records ?? []).map((r) => r.value);
const positions = (records: readonly SourceRecord[] | null) => (records ?? []).map((r) => r.sourceOffset?.['position']);

describe('FileStreamSource task', () => {
  it('emits each line as a STRING record with the byte position after its line end', async () => {
    const file = join(dir, 'in.txt');
    const text = 'plain ascii\r\ncafé\n中文\r🙂 emoji\n';
    writeFileSync(file, text);
    const task = await startTask({ file });
    const records = await task.poll(never);
    expect(values(records)).toEqual(['plain ascii', 'café', '中文', '🙂 emoji']);
    expect(positions(records)).toEqual([13, 19, 26, Buffer.byteLength(text)]);
    const [first] = records!;
    expect(first).toMatchObject({ topic: 'lines', key: null, valueSchema: Schemas.STRING, sourcePartition: { filename: file } });
    expect(first!.kafkaPartition).toBeUndefined();
    expect(typeof first!.timestamp).toBe('number');
  });

  it('resumes a new task at the line after the committed offset, also after multi-byte lines', async () => {
    const file = join(dir, 'in.txt');
    const lines = ['ünïcödé', '中文字', '🙂🙃', 'ascii', 'last'];
    writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
    const offsets = new Offsets();
    const first = await startTask({ file, 'batch.size': '2' }, offsets);
    const batch = await first.poll(never);
    expect(values(batch)).toEqual(['ünïcödé', '中文字']);
    offsets.commit(batch!);
    await first.stop();

    const second = await startTask({ file, 'batch.size': '2' }, offsets);
    const next = await second.poll(never);
    expect(values(next)).toEqual(['🙂🙃', 'ascii']);
    offsets.commit(next!);
    await second.stop();

    const third = await startTask({ file }, offsets);
    expect(values(await third.poll(never))).toEqual(['last']);
  });

  it('holds a partial last line until its line end is appended', async () => {
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'whole\npart');
    const task = await startTask({ file });
    const first = await task.poll(never);
    expect(values(first)).toEqual(['whole']);
    expect(await task.poll(never)).toBeNull();
    appendFileSync(file, 'ial, now ');
    expect(await task.poll(never)).toBeNull();
    appendFileSync(file, 'complete\r');
    expect(await task.poll(never)).toBeNull(); // a CR may still become CRLF
    appendFileSync(file, '\nnext\n');
    const rest = await task.poll(never);
    expect(values(rest)).toEqual(['partial, now complete', 'next']);
    expect(positions(rest)).toEqual([Buffer.byteLength('whole\npartial, now complete\r\n'), Buffer.byteLength('whole\npartial, now complete\r\nnext\n')]);
  });

  it('waits for a missing file, warning once, and reads it once it is created', async () => {
    const file = join(dir, 'later.txt');
    const warnings: string[] = [];
    const logger: Logger = { ...noopLogger, warn: (m) => void warnings.push(typeof m === 'string' ? m : JSON.stringify(m)) };
    const task = await startTask({ file }, new Offsets(), logger, 150);
    expect(await task.poll(never)).toBeNull();
    expect(await task.poll(never)).toBeNull();
    expect(warnings).toEqual([`file ${file} does not exist; waiting for it to be created`]);
    writeFileSync(file, 'here now\n');
    expect(values(await task.poll(never))).toEqual(['here now']);
  });

  it('returns at most batch.size records per poll', async () => {
    const file = join(dir, 'in.txt');
    writeFileSync(file, Array.from({ length: 10 }, (_, i) => `${i}\n`).join(''));
    const task = await startTask({ file, 'batch.size': '4' });
    expect(values(await task.poll(never))).toEqual(['0', '1', '2', '3']);
    expect(values(await task.poll(never))).toEqual(['4', '5', '6', '7']);
    expect(values(await task.poll(never))).toEqual(['8', '9']);
  });

  it('returns null after about a second without data, and at once when its signal is aborted', async () => {
    const file = join(dir, 'empty.txt');
    writeFileSync(file, '');
    const idle = new FileSourceTask();
    tasks.push(idle);
    await idle.start(sourceConfig.parse({ topic: 'lines', file }), new Offsets().context());
    let started = Date.now();
    expect(await idle.poll(never)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(1500);

    const abort = new AbortController();
    started = Date.now();
    const pending = idle.poll(abort.signal);
    setTimeout(() => abort.abort(), 50);
    expect(await pending).toBeNull();
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('reads the whole file again, with a warning, when it is shorter than the committed position', async () => {
    const file = join(dir, 'in.txt');
    writeFileSync(file, 'replaced\n');
    const offsets = new Offsets();
    offsets.set({ filename: file }, { position: 5000 });
    const warnings: string[] = [];
    const task = await startTask({ file }, offsets, { ...noopLogger, warn: (m) => void warnings.push(typeof m === 'string' ? m : JSON.stringify(m)) });
    expect(values(await task.poll(never))).toEqual(['replaced']);
    expect(warnings[0]).toContain('fewer than the committed position 5000');
  });

  it('fails to start with a DATA error naming `position` when the stored offset is not a byte position', async () => {
    const file = join(dir, 'in.txt');
    const offsets = new Offsets();
    offsets.set({ filename: file }, { position: 'abc' });
    const error = await startTask({ file }, offsets).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'DATA')).toBe(true);
    expect((error as Error).message).toContain('`position` must be a non-negative integer');
  });

  it('reads standard input without source offsets when `file` is unset', async () => {
    const stdin = new PassThrough();
    const task = new FileSourceTask({ stdin, idleMs: 200 });
    tasks.push(task);
    await task.start(sourceConfig.parse({ topic: 'lines' }), new Offsets().context());
    stdin.write('from stdin\nand mo');
    const records = await task.poll(never);
    expect(values(records)).toEqual(['from stdin']);
    expect(records![0]).toMatchObject({ sourcePartition: null, sourceOffset: null });
    stdin.write('re\n');
    expect(values(await task.poll(never))).toEqual(['and more']);
  });
});
