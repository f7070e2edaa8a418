import { describe, expect, it } from 'vitest';
import { parseProperties } from './properties.ts';

const parse = (text: string) => Object.fromEntries(parseProperties(text));

describe('parseProperties, as java.util.Properties reads', () => {
  it('reads Apache Kafka connect-file-source.properties', () => {
    const text = [
      '# Licensed to the Apache Software Foundation (ASF) under one or more',
      '',
      'name=local-file-source',
      'connector.class=FileStreamSource',
      'tasks.max=1',
      'file=test.txt',
      'topic=connect-test',
    ].join('\n');
    expect(parse(text)).toEqual({ name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: 'test.txt', topic: 'connect-test' });
  });

  it('separates key and value with =, : or whitespace, trimming around the separator', () => {
    expect(parse('a=1\nb : 2\nc 3\n  d\t=\t4 \ne=\nf')).toEqual({ a: '1', b: '2', c: '3', d: '4 ', e: '', f: '' });
  });

  it('keeps = and : after the first separator in the value', () => {
    expect(parse('url=jdbc:postgresql://h:5432/db?a=b\nx==y')).toEqual({ url: 'jdbc:postgresql://h:5432/db?a=b', x: '=y' });
  });

  it('skips # and ! comments, even indented, and CRLF or CR line ends', () => {
    expect(parse('  # c\r\n! c\r\na=1\rb=2\r\n')).toEqual({ a: '1', b: '2' });
  });

  it('joins continuation lines and drops the next line’s leading whitespace', () => {
    expect(parse('plugin.path=/a,\\\n    /b,\\\n    /c\nnext=1')).toEqual({ 'plugin.path': '/a,/b,/c', next: '1' });
  });

  it('treats an even number of trailing backslashes as escaped backslashes, not a continuation', () => {
    expect(parse('path=C:\\\\dir\\\\\nnext=1')).toEqual({ path: 'C:\\dir\\', next: '1' });
  });

  it('unescapes \\t \\n \\uXXXX and escaped separators in keys', () => {
    expect(parse('a\\=b\\ c=x\\ty\\nz\ngreeting=caf\\u00e9 \\u4e2d')).toEqual({ 'a=b c': 'x\ty\nz', greeting: 'café 中' });
  });

  it('reads UTF-8 text as written, and the last value wins for a repeated key', () => {
    expect(parse('name=Grüße ☃\nname=second')).toEqual({ name: 'second' });
    expect(parse('name=Grüße ☃')).toEqual({ name: 'Grüße ☃' });
  });

  it('rejects a malformed \\u escape, naming it', () => {
    expect(() => parse('a=\\u12')).toThrow('malformed \\uxxxx escape `\\u12`');
  });
});
