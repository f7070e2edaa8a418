import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';

function drain(splitter: LineSplitter): [string, number][] {
  const out: [string, number][] = [];
  for (let line = splitter.next(); line !== null; line = splitter.next()) out.push([line.text, line.end]);
  return out;
}

describe('LineSplitter', () => {
  it('splits at LF, CRLF and a lone CR, with byte positions after each line end', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('a\nbb\r\nccc\rd\n\n'));
    expect(drain(splitter)).toEqual([
      ['a', 2],
      ['bb', 6],
      ['ccc', 10],
      ['d', 12],
      ['', 13],
    ]);
    expect(splitter.position).toBe(13);
  });

  it('counts multi-byte UTF-8 characters as their bytes, even when a chunk splits one', () => {
    const bytes = Buffer.from('é\n中文\n🙂\n');
    const splitter = new LineSplitter(100);
    for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1));
    expect(drain(splitter)).toEqual([
      ['é', 103],
      ['中文', 110],
      ['🙂', 115],
    ]);
  });

  it('holds a partial line, and a trailing CR until the next byte says CR or CRLF', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('one\r'));
    expect(splitter.next()).toBeNull();
    splitter.push(Buffer.from('\ntw'));
    expect(drain(splitter)).toEqual([['one', 5]]);
    expect(splitter.pendingBytes).toBe(2);
    splitter.push(Buffer.from('o\rthree'));
    expect(drain(splitter)).toEqual([['two', 9]]);
    splitter.push(Buffer.from('\n'));
    expect(drain(splitter)).toEqual([['three', 15]]);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('finds LF-ended lines after CR-ended ones across many pushes', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i}${i % 3 === 0 ? '\r' : i % 3 === 1 ? '\n' : '\r\n'}`).join('') + 'end\n';
    const bytes = Buffer.from(text);
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 7) {
      splitter.push(bytes.subarray(i, i + 7));
      lines.push(...drain(splitter).map(([t]) => t));
    }
    expect(lines).toEqual([...Array.from({ length: 200 }, (_, i) => `line ${i}`), 'end']);
    expect(splitter.position).toBe(bytes.length);
  });
});
