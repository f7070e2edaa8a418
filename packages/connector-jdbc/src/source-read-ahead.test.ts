import { describe, expect, it } from 'vitest';
import type { Row, RowReader } from './database.ts';
import { readAhead } from './source-read-ahead.ts';

/** A reader of rows {i: 1..count} that records its calls and checks that they never overlap. */
function fakeReader(count: number, failAt: number | null = null) {
  const calls: string[] = [];
  let next = 1;
  let busy = false;
  const reader: RowReader = {
    async next(max) {
      if (busy) throw new Error('overlapping requests');
      busy = true;
      calls.push(`next(${max})`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      busy = false;
      if (failAt !== null && next + max > failAt) throw new Error('connection lost');
      const rows: Row[] = [];
      for (; rows.length < max && next <= count; next++) rows.push({ i: next });
      return rows;
    },
    close() {
      if (busy) return Promise.reject(new Error('close during a request'));
      calls.push('close');
      return Promise.resolve();
    },
  };
  return { reader, calls };
}

const ids = (rows: Row[]) => rows.map((r) => r.i);

describe('readAhead', () => {
  it('hands over the same rows in the same batches, asking for the next batch after each full one', async () => {
    const { reader, calls } = fakeReader(7);
    const ahead = readAhead(reader);
    expect(ids(await ahead.next(3))).toEqual([1, 2, 3]);
    expect(calls).toEqual(['next(3)', 'next(3)']);
    // a full batch out of what was read ahead; the next request tops the rest up to the batch
    expect(ids(await ahead.next(2))).toEqual([4, 5]);
    expect(calls).toEqual(['next(3)', 'next(3)', 'next(1)']);
    expect(ids(await ahead.next(3))).toEqual([6, 7]);
    expect(await ahead.next(3)).toEqual([]);
    await ahead.close();
    expect(calls).toEqual(['next(3)', 'next(3)', 'next(1)', 'next(1)', 'close']);
  });

  it('closes after the read ahead ends, and throws its error from the next call', async () => {
    const { reader, calls } = fakeReader(10);
    const ahead = readAhead(reader);
    await ahead.next(4);
    await ahead.close();
    expect(calls).toEqual(['next(4)', 'next(4)', 'close']);
    const failing = readAhead(fakeReader(10, 6).reader);
    expect(ids(await failing.next(4))).toEqual([1, 2, 3, 4]);
    await expect(failing.next(4)).rejects.toThrow('connection lost');
  });
});
