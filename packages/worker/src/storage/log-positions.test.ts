import { describe, expect, it } from 'vitest';
import { LogPositions } from './log-positions.ts';

const timeout = () => new Error('timed out');

describe('LogPositions', () => {
  it('accepts each offset once and drops records fetched again after a rebalance', () => {
    const positions = new LogPositions();
    expect([0n, 1n, 2n].map((o) => positions.accept(0, o))).toEqual([true, true, true]);
    expect(positions.accept(0, 1n)).toBe(false);
    // Compaction leaves gaps: a later offset is always new.
    expect(positions.accept(0, 7n)).toBe(true);
    expect(positions.position(0)).toBe(8n);
    expect(positions.position(1)).toBeUndefined();
  });

  it('releases a reader once every partition reached its end offset', async () => {
    const positions = new LogPositions();
    let done = false;
    const waiting = positions.waitFor(new Map([[0, 2n], [1, 1n]]), 5_000, timeout).then(() => (done = true));
    positions.accept(0, 0n);
    positions.accept(0, 1n);
    positions.reached();
    await Promise.resolve();
    expect(done).toBe(false);
    positions.accept(1, 0n);
    positions.reached();
    await waiting;
    expect(done).toBe(true);
    await expect(positions.waitFor(new Map(), 10, timeout)).resolves.toBeUndefined();
  });

  it('times out a reader that cannot get there, and fails every reader after a failure', async () => {
    const positions = new LogPositions();
    await expect(positions.waitFor(new Map([[0, 1n]]), 20, timeout)).rejects.toThrow('timed out');
    const waiting = positions.waitFor(new Map([[0, 1n]]), 5_000, timeout);
    positions.fail(new Error('consumer failed'));
    await expect(waiting).rejects.toThrow('consumer failed');
    await expect(positions.waitFor(new Map([[0, 1n]]), 5_000, timeout)).rejects.toThrow('consumer failed');
  });
});
