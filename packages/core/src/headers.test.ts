import { describe, expect, it } from 'vitest';
import { assertErrorCode } from './testing.ts';
import { Headers } from './headers.ts';
import { Decimal } from './logical.ts';
import { Schemas } from './schema-builder.ts';

describe('Headers', () => {
  it('keeps insertion order and multiple values per key', () => {
    const h = new Headers().addString('trace', 'a').addInt32('retry', 1).addString('trace', 'b').add('raw', new Uint8Array([1]));
    expect(h.size).toBe(4);
    expect([...h].map((x) => x.key)).toEqual(['trace', 'retry', 'trace', 'raw']);
    expect(h.allWithName('trace').map((x) => x.value)).toEqual(['a', 'b']);
    expect(h.lastWithName('trace')?.value).toBe('b');
    expect(h.lastWithName('trace')?.schema).toBe(Schemas.OPTIONAL_STRING);
    expect(h.lastWithName('missing')).toBeUndefined();
    expect(h.lastWithName('raw')?.schema).toBeUndefined();
  });

  it('removes, retains the latest and duplicates independently', () => {
    const h = new Headers().addString('a', '1').addString('b', '1').addString('a', '2').addString('b', '2').addString('c', '1');
    const copy = h.duplicate();
    h.retainLatest('a');
    expect(h.toArray().map((x) => `${x.key}=${String(x.value)}`)).toEqual(['b=1', 'a=2', 'b=2', 'c=1']);
    h.retainLatest();
    expect(h.toArray().map((x) => `${x.key}=${String(x.value)}`)).toEqual(['a=2', 'b=2', 'c=1']);
    h.remove('b');
    expect(h.toArray().map((x) => x.key)).toEqual(['a', 'c']);
    expect(copy.size).toBe(5);
    expect(h.clear().isEmpty()).toBe(true);
  });

  it('checks typed values and names the header', () => {
    expect(assertErrorCode(() => new Headers().addInt8('small', 300), 'DATA').message).toBe(
      'header `small`: INT8 out of range [-128, 127], got `300`',
    );
    const h = new Headers().addDecimal('amount', Decimal.parse('1.25')).addInt64('big', 2n ** 62n);
    expect(h.lastWithName('amount')?.schema?.parameters).toEqual({ scale: '2' });
  });

  it('entries are frozen', () => {
    const entry = new Headers().addString('k', 'v').lastWithName('k');
    expect(Object.isFrozen(entry)).toBe(true);
  });
});
