import { describe, expect, it } from 'vitest';
import { JavaPattern, JavaReplacement, javaRegexValidator } from './java-regex.ts';

const expand = (regex: string, replacement: string, text: string): string | null => {
  const pattern = new JavaPattern(regex);
  const match = pattern.matches(text);
  return match === null ? null : new JavaReplacement(replacement, pattern).expand(match);
};

describe('JavaPattern', () => {
  it('matches the whole text, like Matcher.matches()', () => {
    const p = new JavaPattern('my-prefix-.*');
    expect(p.matches('my-prefix-foo')).not.toBeNull();
    expect(p.matches('x-my-prefix-foo')).toBeNull();
    expect(new JavaPattern('a|b').matches('ab')).toBeNull();
    expect(new JavaPattern('a|b').matches('b')).not.toBeNull();
  });

  it('finds the first unanchored match, like Matcher.find()', () => {
    const found = new JavaPattern('(\\d+)').find('ab12cd34');
    expect(found?.[0]).toBe('12');
    expect(found?.index).toBe(2);
    expect(new JavaPattern('x').find('abc')).toBeNull();
  });

  it('replaces the first unanchored match and keeps the rest, like Matcher.replaceFirst()', () => {
    const replaceFirst = (regex: string, replacement: string, text: string): string => {
      const pattern = new JavaPattern(regex);
      return pattern.replaceFirst(text, new JavaReplacement(replacement, pattern));
    };
    expect(replaceFirst('(.*?)-(\\d+)', '$1_$2', 'a-1-2')).toBe('a_1-2');
    expect(replaceFirst('foo|foo-bar', 'X', 'foo-bar')).toBe('X-bar');
    expect(replaceFirst('(.*?)', '$1-x', 'foo')).toBe('-xfoo');
    expect(replaceFirst('b', 'X', 'abc')).toBe('aXc');
    expect(replaceFirst('z', 'X', 'abc')).toBe('abc');
  });

  it('translates Java-only syntax', () => {
    expect(new JavaPattern('\\Qa.b\\E-\\d+').matches('a.b-12')).not.toBeNull();
    expect(new JavaPattern('\\Qa.b\\E-\\d+').matches('axb-12')).toBeNull();
    expect(new JavaPattern('\\p{Alpha}+\\p{Digit}').matches('abc1')).not.toBeNull();
    expect(new JavaPattern('[\\p{Lower}_]+').matches('a_b')).not.toBeNull();
    expect(new JavaPattern('\\Aabc\\z').matches('abc')).not.toBeNull();
    expect(new JavaPattern('(?i)orders').matches('ORDERS')).not.toBeNull();
    expect(new JavaPattern('[]a]+').matches(']a]')).not.toBeNull();
  });

  it('translates hexadecimal escapes `\\x{…}` and `\\xhh`', () => {
    expect(new JavaPattern('a\\x{2D}b').matches('a-b')).not.toBeNull();
    expect(new JavaPattern('a\\x{2D}b').matches('ax{2D}b')).toBeNull();
    expect(new JavaPattern('[\\x{41}-\\x{5A}]+').matches('ABZ')).not.toBeNull();
    expect(new JavaPattern('[\\x{41}-\\x{5A}]+').matches('ABz')).toBeNull();
    expect(new JavaPattern('\\x2D').matches('-')).not.toBeNull();
    expect(new JavaPattern('x\\x{1F600}+').matches('x\u{1F600}\u{1F600}')).not.toBeNull();
    expect(() => new JavaPattern('\\x{110000}')).toThrow(/beyond U\+10FFFF/);
    expect(() => new JavaPattern('\\xZ')).toThrow(/hexadecimal escape/);
    expect(() => new JavaPattern('[\\x{1F600}]')).toThrow(/not supported/);
  });

  it('translates octal escapes `\\0n`, `\\0nn` and `\\0mnn`', () => {
    expect(new JavaPattern('\\0101').matches('A')).not.toBeNull();
    expect(new JavaPattern('\\0101').matches('\b1')).toBeNull();
    expect(new JavaPattern('\\055').matches('-')).not.toBeNull();
    expect(new JavaPattern('\\07').matches('\x07')).not.toBeNull();
    // \0mnn needs m ≤ 3: \0477 is \047 (an apostrophe) then "7".
    expect(new JavaPattern('\\0477').matches("'7")).not.toBeNull();
    expect(new JavaPattern('[\\060-\\071]+').matches('2024')).not.toBeNull();
    expect(() => new JavaPattern('\\0')).toThrow(/octal escape/);
    expect(() => new JavaPattern('\\08')).toThrow(/octal escape/);
  });

  it('counts capturing groups, named ones included', () => {
    expect(new JavaPattern('(a)(?:b)(?<c>c)').groupCount).toBe(2);
    expect(new JavaPattern('(a)(?:b)(?<c>c)').groupNames).toEqual(new Set(['c']));
  });

  it('rejects invalid patterns and Java constructs it cannot translate', () => {
    expect(() => new JavaPattern('[')).toThrow(SyntaxError);
    expect(() => new JavaPattern('*')).toThrow(SyntaxError);
    expect(() => new JavaPattern('a*+')).toThrow(/possessive/);
    expect(() => new JavaPattern('(?>a)')).toThrow(/atomic/);
    expect(() => new JavaPattern('[a-z&&[^b]]')).toThrow(/not supported/);
    expect(() => new JavaPattern('a(?i)b')).toThrow(/inline flags/);
    expect(() => new JavaPattern('\\p{IsGreek}')).toThrow(/not supported/);
  });

  it('reports a bad pattern through the config validator', () => {
    expect(javaRegexValidator().check('(')).toMatch(/^invalid regex: /);
    expect(javaRegexValidator().check('ok.*')).toBeUndefined();
  });
});

describe('JavaReplacement', () => {
  it('inserts numbered and named groups', () => {
    expect(expand('(.*)-(\\d{8})', '$2_$1', 'index-20160117')).toBe('20160117_index');
    expect(expand('(?<name>.*)-raw', 'clean-${name}', 'orders-raw')).toBe('clean-orders');
  });

  it('reads $12 as group 1 then "2" when there are fewer than 12 groups', () => {
    expect(expand('(a)', '$12', 'a')).toBe('a2');
  });

  it('makes the character after a backslash literal', () => {
    expect(expand('(a)', '\\$1\\\\', 'a')).toBe('$1\\');
  });

  it('leaves a group that took no part empty', () => {
    expect(expand('(a)?b', '[$1]', 'b')).toBe('[]');
  });

  it('rejects references to groups the pattern lacks, and malformed references', () => {
    const p = new JavaPattern('(a)');
    expect(() => new JavaReplacement('$2', p)).toThrow(/no group 2/);
    expect(() => new JavaReplacement('${x}', p)).toThrow(/no group named `x`/);
    expect(() => new JavaReplacement('$', p)).toThrow(SyntaxError);
    expect(() => new JavaReplacement('$x', p)).toThrow(SyntaxError);
    expect(() => new JavaReplacement('a\\', p)).toThrow(SyntaxError);
  });
});
