import { describe, expect, it } from 'vitest';
import { ConsumerBuffer } from './consumer-buffer.ts';
import type { ConsumedRecord, TopicPartition } from './port.ts';

const p0: TopicPartition = { topic: 't', partition: 0 };
const p1: TopicPartition = { topic: 't', partition: 1 };
const record = (tp: TopicPartition, offset: number): ConsumedRecord => ({ ...tp, offset: BigInt(offset), key: null, value: null, headers: [], timestamp: 0n });
const offsetsOf = (records: ConsumedRecord[]) => records.map((r) => `${r.partition}@${r.offset}`);

function harness(capacity = 100) {
  const fetches: string[] = [];
  const buffer = new ConsumerBuffer((tp, offset) => fetches.push(`${tp.partition}@${offset}`), capacity);
  return { buffer, fetches };
}

describe('ConsumerBuffer', () => {
  it('hands out records in offset order per partition, at most maxRecords at a time', async () => {
    const { buffer } = harness();
    for (const offset of [0, 1, 2]) buffer.push(record(p0, offset));
    buffer.push(record(p1, 10));
    expect(offsetsOf(await buffer.poll(0, 2))).toEqual(['0@0', '0@1']);
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['0@2', '1@10']);
  });

  it('waits for records up to maxWait and wakes as soon as one arrives', async () => {
    const { buffer } = harness();
    const started = Date.now();
    setTimeout(() => buffer.push(record(p0, 0)), 20);
    expect(offsetsOf(await buffer.poll(5_000, 10))).toEqual(['0@0']);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await buffer.poll(30, 10)).toEqual([]);
  });

  it('drops duplicates that a fetch delivers again', async () => {
    const { buffer } = harness();
    buffer.push(record(p0, 0));
    buffer.push(record(p0, 1));
    buffer.push(record(p0, 1));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['0@0', '0@1']);
  });

  it('pauses a partition without losing anything: buffered and later records are fetched again on resume', async () => {
    const { buffer, fetches } = harness();
    buffer.push(record(p0, 0));
    buffer.push(record(p0, 1));
    buffer.pause(p0);
    buffer.push(record(p0, 2));
    buffer.push(record(p1, 0));
    expect(buffer.paused()).toEqual([p0]);
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['1@0']);
    buffer.resume(p0);
    expect(fetches).toEqual(['0@0']);
    for (const offset of [0, 1, 2]) buffer.push(record(p0, offset));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['0@0', '0@1', '0@2']);
  });

  it('resumes from the first record it dropped when paused before anything arrived', () => {
    const { buffer, fetches } = harness();
    buffer.pause(p0);
    buffer.push(record(p0, 40));
    buffer.resume(p0);
    expect(fetches).toEqual(['0@40']);
  });

  it('after a seek, ignores records of an earlier fetch and asks again for the target', async () => {
    const { buffer, fetches } = harness();
    buffer.push(record(p0, 10));
    buffer.seek(p0, 3n);
    expect(fetches).toEqual(['0@3']);
    buffer.push(record(p0, 11)); // from a fetch issued before the seek
    expect(fetches).toEqual(['0@3', '0@3']);
    buffer.push(record(p0, 3));
    buffer.push(record(p0, 4));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['0@3', '0@4']);
  });

  it('accepts a gap after a seek once it is confirmed: the target offset was compacted away', async () => {
    const { buffer } = harness();
    buffer.seek(p0, 5n);
    for (let i = 0; i < 3; i++) buffer.push(record(p0, 8));
    buffer.push(record(p0, 8));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['0@8']);
  });

  it('reports full at capacity and calls onDrain when a poll frees room', async () => {
    const { buffer } = harness(2);
    let drained = 0;
    buffer.onDrain = () => void drained++;
    buffer.push(record(p0, 0));
    expect(buffer.full).toBe(false);
    buffer.push(record(p0, 1));
    expect(buffer.full).toBe(true);
    await buffer.poll(0, 1);
    expect(buffer.full).toBe(false);
    expect(drained).toBe(1);
  });

  it('lets fetching resume when pausing a partition freed the room, not only when a poll did', async () => {
    const { buffer } = harness(2);
    let drained = 0;
    buffer.onDrain = () => void drained++;
    buffer.push(record(p0, 0));
    buffer.push(record(p0, 1));
    expect(buffer.full).toBe(true);
    buffer.pause(p0);
    expect(await buffer.poll(0, 10)).toEqual([]);
    expect(drained).toBe(1);
  });

  it('drops records that a fetch issued before a rebalance delivers for a revoked partition', async () => {
    const { buffer } = harness();
    buffer.retain([p1]);
    buffer.push(record(p0, 0));
    buffer.push(record(p1, 0));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['1@0']);
  });

  it('drops records of a partition revoked between two pushes of its records', async () => {
    const { buffer } = harness();
    buffer.retain([p0, p1]);
    buffer.push(record(p0, 0));
    buffer.retain([p1]);
    buffer.push(record(p0, 1));
    buffer.push(record(p1, 0));
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['1@0']);
  });

  it('forgets revoked partitions', async () => {
    const { buffer } = harness();
    buffer.push(record(p0, 0));
    buffer.push(record(p1, 0));
    buffer.retain([p1]);
    expect(offsetsOf(await buffer.poll(0, 10))).toEqual(['1@0']);
  });

  it('positions a partition at its first buffered record, else past what the client fetched and skipped', async () => {
    const { buffer } = harness();
    expect(buffer.position(p0)).toBeNull();
    buffer.push(record(p0, 0));
    buffer.push(record(p0, 1));
    // A commit marker at 2: the client fetched up to 3 and delivered nothing more.
    buffer.fetchedTo(p0, 3n);
    expect(buffer.position(p0)).toBe(0n);
    await buffer.poll(0, 1);
    expect(buffer.position(p0)).toBe(1n);
    await buffer.poll(0, 10);
    expect(buffer.position(p0)).toBe(3n);
    buffer.push(record(p0, 3));
    expect(buffer.position(p0)).toBe(3n);
    await buffer.poll(0, 10);
    expect(buffer.position(p0)).toBe(4n);
  });

  it('keeps a seek target as the position until the seek is confirmed, and a paused partition where it resumes', () => {
    const { buffer } = harness();
    buffer.push(record(p0, 5));
    buffer.seek(p0, 2n);
    buffer.fetchedTo(p0, 9n);
    expect(buffer.position(p0)).toBe(2n);
    buffer.pause(p1);
    buffer.push(record(p1, 7));
    buffer.fetchedTo(p1, 9n);
    expect(buffer.position(p1)).toBe(7n);
  });
});
