import { describe, expect, it } from 'vitest';
import type { ProducerRecord } from './port.ts';
import { produceRequests, sendInRequests } from './produce-requests.ts';

const record = (i: number, bytes: number): ProducerRecord => ({ topic: 't', key: Buffer.from(String(i)), value: Buffer.alloc(bytes) });

describe('produceRequests', () => {
  it('splits 1,000 records of 1.1 kB (over a broker’s 1 MiB batch limit together) into requests under the limit, order kept', () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i, 1100));
    const requests = produceRequests(records);
    expect(requests.length).toBe(3);
    expect(requests.flat()).toEqual(records);
    for (const request of requests) expect(request.reduce((n, r) => n + r.value!.byteLength, 0)).toBeLessThan(512 * 1024);
  });

  it('keeps a small send whole and sends a record larger than the limit alone', () => {
    expect(produceRequests([record(1, 10), record(2, 10)])).toHaveLength(1);
    const requests = produceRequests([record(1, 10), record(2, 600 * 1024), record(3, 10)]);
    expect(requests.map((r) => r.map((x) => x.key!.toString()))).toEqual([['1'], ['2'], ['3']]);
  });

  it('sendInRequests sends one request after the other and returns the metadata in input order', async () => {
    const seen: number[] = [];
    const records = Array.from({ length: 1000 }, (_, i) => record(i, 1100));
    let offset = 0n;
    const metadata = await sendInRequests(records, async (request) => {
      seen.push(request.length);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return request.map(() => ({ topic: 't', partition: 0, offset: offset++ }));
    });
    expect(seen.reduce((a, b) => a + b)).toBe(1000);
    expect(metadata.map((m) => m.offset)).toEqual(Array.from({ length: 1000 }, (_, i) => BigInt(i)));
  });
});
