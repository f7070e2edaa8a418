import { describe, expect, it } from 'vitest';
import { FileOffsetStore } from '../storage/offset-store.ts';
import { mergedOffsetReader } from './connector-offsets-topic.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('a connector with its own offsets topic', () => {
  it('reads its own offsets first, then the worker’s for partitions it has none for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-offsets-'));
    const own = new FileOffsetStore(join(dir, 'own.json'));
    const worker = new FileOffsetStore(join(dir, 'worker.json'));
    await worker.set('c', [{ partition: { f: 'a' }, offset: { n: 1 } }, { partition: { f: 'b' }, offset: { n: 2 } }]);
    await worker.set('other', [{ partition: { f: 'c' }, offset: { n: 9 } }]);
    await own.set('c', [{ partition: { f: 'a' }, offset: { n: 10 } }]);
    const reader = mergedOffsetReader('c', own, worker);
    expect(await reader.offset({ f: 'a' })).toEqual({ n: 10 });
    expect(await reader.offsets([{ f: 'b' }, { f: 'c' }])).toEqual([
      { partition: { f: 'b' }, offset: { n: 2 } },
      { partition: { f: 'c' }, offset: null },
    ]);
  });
});
