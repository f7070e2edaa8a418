import { describe, expect, it } from 'vitest';
import { SettledMarks } from './source-guard.ts';
import type { Advance } from './source-guard.ts';

const open = (...sessions: string[]) => new Set(sessions);

/** A mark, then the open transactions listed right after it. */
function step(marks: SettledMarks, value: bigint | null, sessions: ReadonlySet<string>): Advance {
  marks.add(value);
  return marks.settle(sessions);
}

describe('settled marks', () => {
  it('settles a mark at once when no transaction is open', () => {
    expect(step(new SettledMarks(), 10n, open())).toEqual({ settled: true, value: 10n });
  });

  it('holds reads back until every transaction open at a mark has ended, then goes up to the newest settled mark', () => {
    const marks = new SettledMarks();
    expect(step(marks, 5n, open('t1'))).toEqual({ settled: false });
    expect(step(marks, 7n, open('t1', 't2'))).toEqual({ settled: false });
    // t1 ended, t2 still open: the first mark is settled, the second waits for t2
    expect(step(marks, 9n, open('t2'))).toEqual({ settled: true, value: 5n });
    expect(marks.waitingFor()).toEqual(open('t2'));
    expect(step(marks, 9n, open())).toEqual({ settled: true, value: 9n });
    expect(marks.pending).toBe(0);
  });

  it('never lets a transaction that began after a mark hold that mark back', () => {
    const marks = new SettledMarks();
    expect(step(marks, 5n, open('t1'))).toEqual({ settled: false });
    expect(step(marks, 6n, open('t2'))).toEqual({ settled: true, value: 5n });
  });

  it('keeps few marks while one long transaction holds the table back, and reads nothing of an empty table', () => {
    const marks = new SettledMarks();
    for (let i = 0n; i < 100n; i++) step(marks, i, open('long', `short${i}`));
    expect(marks.pending).toBeLessThanOrEqual(2);
    expect(step(marks, 100n, open())).toEqual({ settled: true, value: 100n });
    expect(step(new SettledMarks(), null, open())).toEqual({ settled: true, value: null });
  });

  it('gives a mark the first list taken after it, however many marks came between', () => {
    const marks = new SettledMarks();
    marks.add(5n);
    marks.add(6n);
    expect(marks.settle(open('t1'))).toEqual({ settled: false });
    expect(step(marks, 7n, open())).toEqual({ settled: true, value: 7n });
  });

  it('keeps an older mark that waits for less than a newer one', () => {
    const marks = new SettledMarks();
    step(marks, 5n, open('a'));
    step(marks, 8n, open('a', 'b'));
    expect(step(marks, 8n, open('b'))).toEqual({ settled: true, value: 5n });
  });
});
