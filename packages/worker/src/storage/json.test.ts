import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './json.ts';

describe('JSON with int64', () => {
  it('writes bigint as a plain number and reads integers beyond 2^53 back as bigint', () => {
    const text = stringifyJson({ big: 9223372036854775807n, small: 5n, n: 1.5, s: 'x' });
    expect(text).toBe('{"big":9223372036854775807,"small":5,"n":1.5,"s":"x"}');
    expect(parseJson(text)).toEqual({ big: 9223372036854775807n, small: 5, n: 1.5, s: 'x' });
  });

  it('keeps large floats as numbers', () => {
    expect(parseJson('[1e300, -9007199254740993]')).toEqual([1e300, -9007199254740993n]);
  });
});
