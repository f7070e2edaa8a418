import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOffsetStore, offsetKey } from './offset-store.ts';

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'sluice-offsets-')), 'connect.offsets');

describe('FileOffsetStore', () => {
  it('keeps what was set across a restart, per connector and partition', async () => {
    const path = fileIn();
    const store = new FileOffsetStore(path);
    await store.set('file-source', [{ partition: { filename: '/in.txt' }, offset: { position: 120 } }]);
    await store.set('other', [{ partition: { filename: '/in.txt' }, offset: { position: 7 } }]);
    const reopened = new FileOffsetStore(path);
    expect(await reopened.get('file-source', { filename: '/in.txt' })).toEqual({ position: 120 });
    expect(await reopened.get('file-source', { filename: '/missing' })).toBeNull();
    expect(await reopened.all('other')).toEqual([{ partition: { filename: '/in.txt' }, offset: { position: 7 } }]);
  });

  it('writes Kafka Connect’s key shape and keeps int64 values exact', async () => {
    const path = fileIn();
    await new FileOffsetStore(path).set('jdbc', [{ partition: { table: 'public.orders', protocol: '1' }, offset: { incrementing: 9223372036854775807n, timestamp: 1700000000000 } }]);
    expect(readFileSync(path, 'utf8')).toBe('[{"key":["jdbc",{"table":"public.orders","protocol":"1"}],"value":{"incrementing":9223372036854775807,"timestamp":1700000000000}}]');
    expect(await new FileOffsetStore(path).get('jdbc', { table: 'public.orders', protocol: '1' })).toEqual({ incrementing: 9223372036854775807n, timestamp: 1700000000000 });
  });

  it('finds a partition whatever the order of its keys, and a null offset removes it', async () => {
    const store = new FileOffsetStore(fileIn());
    await store.set('c', [{ partition: { a: 1, b: 2 }, offset: { n: 1 } }]);
    expect(await store.get('c', { b: 2, a: 1 })).toEqual({ n: 1 });
    expect(offsetKey('c', { b: 2, a: 1 })).toBe(offsetKey('c', { a: 1, b: 2 }));
    await store.set('c', [{ partition: { b: 2, a: 1 }, offset: null }]);
    expect(await store.all('c')).toEqual([]);
  });

  it('serializes concurrent commits: the file ends with the last one and no temporary file is left', async () => {
    const path = fileIn();
    const store = new FileOffsetStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set('c', [{ partition: { p: 0 }, offset: { position: i } }])));
    expect(await new FileOffsetStore(path).get('c', { p: 0 })).toEqual({ position: 19 });
    expect(readdirSync(join(path, '..'))).toEqual(['connect.offsets']);
  });

  it('refuses a file that is not an offsets file, naming it', async () => {
    const path = fileIn();
    writeFileSync(path, '{"not":"an array"}');
    await expect(new FileOffsetStore(path).get('c', { p: 0 })).rejects.toThrow(`offset file ${path}: expected a JSON array`);
  });
});
