import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Decimal, SchemaBuilder, Schemas, Struct, noopLogger, sinkRecord } from '@sluice/core';
import type { Schema, SinkRecord, SinkTaskContext } from '@sluice/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sinkConfig } from './config.ts';
import { FileSinkTask } from './sink-task.ts';
import { valueText } from './value-text.ts';

const context: SinkTaskContext = {
  logger: noopLogger,
  configs: () => ({}),
  assignment: () => [],
  pause: () => undefined,
  resume: () => undefined,
  offset: () => undefined,
  timeout: () => undefined,
  requestCommit: () => undefined,
};

let dir: string;
let offset = 0n;
const tasks: FileSinkTask[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-file-sink-'));
});
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((t) => t.stop()));
  rmSync(dir, { recursive: true, force: true });
});

function record(value: unknown, valueSchema?: Schema): SinkRecord {
  return sinkRecord({ topic: 'lines', kafkaPartition: 0, kafkaOffset: offset++, value, ...(valueSchema ? { valueSchema } : {}) });
}

async function startTask(raw: Record<string, string>, stdout?: PassThrough): Promise<FileSinkTask> {
  const task = new FileSinkTask(stdout ? { stdout } : {});
  tasks.push(task);
  await task.start(sinkConfig.parse(raw), context);
  return task;
}

describe('FileStreamSink task', () => {
  it('appends one line per record value; flush makes them readable on disk', async () => {
    const file = join(dir, 'out.txt');
    const task = await startTask({ file });
    await task.put([record('first'), record('zweite ü'), record('')]);
    await task.put([record('中文 🙂')]);
    await task.flush([{ topic: 'lines', partition: 0, offset: 4n }]);
    expect(readFileSync(file, 'utf8')).toBe('first\nzweite ü\n\n中文 🙂\n');
  });

  it('preCommit writes and fsyncs what was put, and returns the offsets it was given', async () => {
    const file = join(dir, 'out.txt');
    const task = await startTask({ file });
    await task.put([record('a'), record('b')]);
    const offsets = [{ topic: 'lines', partition: 0, offset: 2n }];
    expect(await task.preCommit(offsets)).toEqual(offsets);
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  it('appends to an existing file instead of replacing it', async () => {
    const file = join(dir, 'out.txt');
    writeFileSync(file, 'kept\n');
    const task = await startTask({ file });
    await task.put([record('added')]);
    await task.flush([]);
    await task.stop();
    const again = await startTask({ file });
    await again.put([record('again')]);
    await again.flush([]);
    expect(readFileSync(file, 'utf8')).toBe('kept\nadded\nagain\n');
  });

  it('writes each put to the file at once, as Apache’s sink does; flush makes it durable', async () => {
    const file = join(dir, 'out.txt');
    const task = await startTask({ file });
    await task.put([record('first'), record('second')]);
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\n');
    await task.flush([]);
    await task.stop();
    expect(readFileSync(file, 'utf8')).toBe('first\nsecond\n');
  });

  it('writes to standard output when `file` is unset', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const task = await startTask({}, stdout);
    await task.put([record('to stdout'), record(null)]);
    await task.flush([]);
    expect(Buffer.concat(chunks).toString()).toBe('to stdout\nnull\n');
  });

  it('writes other values as Java prints them, bytes raw', async () => {
    const file = join(dir, 'out.txt');
    const task = await startTask({ file });
    const person = SchemaBuilder.struct().field('name', Schemas.STRING).field('age', Schemas.INT32).field('note', Schemas.OPTIONAL_STRING).build();
    await task.put([
      record(null),
      record(42, Schemas.INT32),
      record(12345678901234n, Schemas.INT64),
      record(true, Schemas.BOOLEAN),
      record(1.5, Schemas.FLOAT64),
      record(100),
      record(new Struct(person).put('name', 'Alice').put('age', 30)),
      record(Uint8Array.from([0x68, 0x69])),
    ]);
    await task.flush([]);
    expect(readFileSync(file, 'utf8')).toBe(['null', '42', '12345678901234', 'true', '1.5', '100.0', 'Struct{name=Alice,age=30}', 'hi', ''].join('\n'));
  });
});

describe('valueText', () => {
  it('prints floats as Java Double.toString and Float.toString', () => {
    expect([1, 0.001, 1234567, 1e7, 1.5e-4, -2.5, -0, Number.NaN, -Infinity].map((v) => valueText(v, Schemas.FLOAT64))).toEqual([
      '1.0',
      '0.001',
      '1234567.0',
      '1.0E7',
      '1.5E-4',
      '-2.5',
      '-0.0',
      'NaN',
      '-Infinity',
    ]);
    expect(valueText(Math.fround(0.1), Schemas.FLOAT32)).toBe('0.1');
    expect(valueText(Math.fround(3.4e38), Schemas.FLOAT32)).toBe('3.4E38');
  });

  it('prints maps, arrays, decimals, nested bytes and dates', () => {
    const mapSchema = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(valueText(new Map([['a', 1], ['b', 2]]), mapSchema)).toBe('{a=1, b=2}');
    expect(valueText(['x', null, 'z'])).toBe('[x, null, z]');
    expect(valueText(Decimal.parse('12.30'))).toBe('12.30');
    expect(valueText([Uint8Array.from([1, 2, 3])])).toBe('[AQID]');
    expect(valueText(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
  });
});
