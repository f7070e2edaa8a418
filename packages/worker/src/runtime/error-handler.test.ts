import { dataError, noopLogger, retriableError, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { ErrorHandler, retryDelay, SKIPPED } from './error-handler.ts';
import type { ErrorSettings, Failure } from './error-handler.ts';

const consumed = { topic: 'orders', partition: 2, offset: 41n, key: null, value: Buffer.from('{oops'), headers: [], timestamp: 1_700_000_000_000n };

function handler(settings: Partial<ErrorSettings> = {}, written: Failure[] = [], lines: string[] = []) {
  const logger = { ...noopLogger, error: (_obj: object | string, msg?: string) => void lines.push(msg ?? '') };
  return new ErrorHandler({
    settings: { 'errors.retry.timeout': 0, 'errors.retry.delay.max.ms': 60_000, 'errors.tolerance': 'none', 'errors.log.enable': false, 'errors.log.include.messages': false, ...settings },
    task: 'sink-0',
    logger,
    sink: { write: (failure) => (written.push(failure), Promise.resolve()) },
    signal: new AbortController().signal,
  });
}

const failure = (error: unknown): Failure => ({ stage: 'VALUE_CONVERTER', component: 'JsonConverter', error, consumed });

describe('retryDelay', () => {
  it('starts at 300 ms and doubles', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, 60_000, 0, Number.POSITIVE_INFINITY))).toEqual([300, 600, 1200, 2400]);
  });

  it('waits a random time below the cap once doubling passes it, and never past the deadline', () => {
    expect(retryDelay(10, 1000, 0, Number.POSITIVE_INFINITY, () => 0.5)).toBe(500);
    expect(retryDelay(1, 60_000, 1000, 1100)).toBe(100);
  });
});

describe('ErrorHandler', () => {
  it('with errors.tolerance=none fails naming the stage, the component, the topic, partition and offset', async () => {
    const written: Failure[] = [];
    const h = handler({}, written);
    await expect(h.failed(dataError('Unexpected character'), failure, () => 'never')).rejects.toThrow(
      'Tolerance exceeded in error handler: stage VALUE_CONVERTER with JsonConverter failed on topic orders, partition 2, offset 41: Unexpected character',
    );
    expect(written).toEqual([]);
  });

  it('with errors.tolerance=all skips the record and writes it to the dead letter queue, durable after settle', async () => {
    const written: Failure[] = [];
    const h = handler({ 'errors.tolerance': 'all' }, written);
    expect(await h.failed(dataError('bad'), failure, () => 'never')).toBe(SKIPPED);
    await h.settle();
    expect(written.map((f) => f.consumed?.offset)).toEqual([41n]);
  });

  it('retries a retriable failure within errors.retry.timeout and returns what the retry gives', async () => {
    let calls = 0;
    const h = handler({ 'errors.retry.timeout': 5_000 });
    const result = await h.failed(retriableError('busy'), failure, () => {
      calls++;
      if (calls < 2) throw retriableError('still busy');
      return 'converted';
    });
    expect(result).toBe('converted');
    expect(calls).toBe(2);
  });

  it('does not retry when errors.retry.timeout is 0', async () => {
    let calls = 0;
    const h = handler({ 'errors.tolerance': 'all' });
    expect(await h.failed(retriableError('busy'), failure, () => ++calls)).toBe(SKIPPED);
    expect(calls).toBe(0);
  });

  it('logs the failure with errors.log.enable, and the record itself only with errors.log.include.messages', async () => {
    const lines: string[] = [];
    await handler({ 'errors.tolerance': 'all', 'errors.log.enable': true }, [], lines).failed(dataError('bad'), failure, () => null);
    await handler({ 'errors.tolerance': 'all', 'errors.log.enable': true, 'errors.log.include.messages': true }, [], lines).failed(dataError('bad'), failure, () => null);
    expect(lines[0]).toBe('task sink-0: stage VALUE_CONVERTER with JsonConverter failed on topic orders, partition 2, offset 41');
    expect(lines[1]).toContain("value '{oops'");
    expect(lines[0]).not.toContain('oops');
  });

  it('names a source record by its source partition and offset', async () => {
    const source = sourceRecord({ topic: 'lines', value: 'x', sourcePartition: { filename: 'in.txt' }, sourceOffset: { position: 10 } });
    await expect(handler().failed(dataError('not a number'), (error) => ({ stage: 'TRANSFORMATION', component: 'Cast$Value', error, source }), () => null)).rejects.toThrow(
      'stage TRANSFORMATION with Cast$Value failed on the source record for topic lines, source partition {"filename":"in.txt"}, source offset {"position":10}: not a number',
    );
  });

  it('makes settle fail when a dead letter queue write failed, so offsets do not pass the record', async () => {
    const h = new ErrorHandler({
      settings: { 'errors.retry.timeout': 0, 'errors.retry.delay.max.ms': 1, 'errors.tolerance': 'all', 'errors.log.enable': false, 'errors.log.include.messages': false },
      task: 't-0',
      logger: noopLogger,
      sink: { write: () => Promise.reject(new Error('broker down')) },
      signal: new AbortController().signal,
    });
    await h.failed(dataError('bad'), failure, () => null);
    await expect(h.settle()).rejects.toThrow('broker down');
  });

  it('reports what a task hands the errant record reporter: rejected and remembered when not tolerated', async () => {
    const h = handler();
    await expect(h.reported({ ...failure(new Error('row rejected')), stage: 'TASK_PUT' })).rejects.toThrow('stage TASK_PUT');
    await expect(h.settle()).rejects.toThrow('Tolerance exceeded');
    expect(() => h.throwIfFatal()).toThrow('Tolerance exceeded');
  });

  it('waits in settle() for every write started before it, also when another settle() is already waiting', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const h = new ErrorHandler({
      settings: { 'errors.retry.timeout': 0, 'errors.retry.delay.max.ms': 1, 'errors.tolerance': 'all', 'errors.log.enable': false, 'errors.log.include.messages': false },
      task: 't-0',
      logger: noopLogger,
      sink: { write: () => slow },
      signal: new AbortController().signal,
    });
    await h.failed(dataError('bad'), failure, () => null);
    const first = h.settle();
    let secondDone = false;
    const second = h.settle().then(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(secondDone).toBe(false);
    release();
    await Promise.all([first, second]);
    expect(secondDone).toBe(true);
  });

  it('fails rather than skips a retriable failure when the task is stopping, so the record comes again after restart', async () => {
    const stop = new AbortController();
    stop.abort();
    const h = new ErrorHandler({
      settings: { 'errors.retry.timeout': -1, 'errors.retry.delay.max.ms': 1, 'errors.tolerance': 'all', 'errors.log.enable': false, 'errors.log.include.messages': false },
      task: 't-0',
      logger: noopLogger,
      sink: null,
      signal: stop.signal,
    });
    await expect(h.failed(retriableError('backend busy'), failure, () => null)).rejects.toThrow('backend busy');
  });
});
