import { assertErrorCode, Headers, sinkRecord, sourceRecord } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { regexRouter } from './regex-router.ts';

const definition = regexRouter.transforms[0]!;

function router(regex: string, replacement: string) {
  const transform = definition.create();
  transform.configure(definition.config.parse({ regex, replacement }));
  return transform;
}

const route = (regex: string, replacement: string, topic: string): string | undefined =>
  router(regex, replacement).apply(sinkRecord({ topic, kafkaPartition: 0, kafkaOffset: 0n, value: null }))?.topic;

describe('RegexRouter', () => {
  it('is named after the Java class', () => {
    expect(definition.name).toBe('RegexRouter');
    expect(regexRouter.aliases).toEqual({ 'org.apache.kafka.connect.transforms.RegexRouter': 'RegexRouter' });
  });

  it('renames a matching topic', () => {
    expect(route('foo', 'bar', 'foo')).toBe('bar');
    expect(route('(.*)', '$1', 'orig')).toBe('orig');
    expect(route('(.*)', 'prefix-$1', 'orig')).toBe('prefix-orig');
    expect(route('(.*)', '$1-suffix', 'orig')).toBe('orig-suffix');
    expect(route('(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117')).toBe('index');
  });

  it('replaces only the first unanchored match once the whole topic matches, as Kafka does', () => {
    expect(route('(.*?)-(\\d+)', '$1_$2', 'a-1-2')).toBe('a_1-2');
    expect(route('foo|foo-bar', 'X', 'foo-bar')).toBe('X-bar');
    expect(route('(.*?)', '$1-x', 'foo')).toBe('-xfoo');
    expect(route('(a+?)', '<$1>', 'aaa')).toBe('<a>aa');
  });

  it('reads Java hexadecimal and octal escapes', () => {
    expect(route('(\\w+)\\x{2D}raw', '$1', 'orders-raw')).toBe('orders');
    expect(route('(\\w+)\\055raw', '$1', 'orders-raw')).toBe('orders');
  });

  it('rejects a malformed octal escape, naming `regex`', () => {
    expect(assertErrorCode(() => router('a\\0', 'x'), 'CONFIG').context['key']).toBe('regex');
  });

  it('leaves a topic the regex does not match in full unchanged', () => {
    expect(route('foo', 'bar', 'orig')).toBe('orig');
    expect(route('foo', 'bar', 'foobar')).toBe('foobar');
  });

  it('keeps everything else of the record', () => {
    const headers = new Headers().addString('h', 'v');
    const record = sourceRecord({ topic: 'a-raw', kafkaPartition: 2, key: 'k', value: 'v', timestamp: 5, headers, sourcePartition: { f: 'x' }, sourceOffset: { pos: 1 } });
    const out = router('(.*)-raw', '$1').apply(record);
    expect(out).toEqual({ ...record, topic: 'a', headers: expect.any(Headers) as unknown });
    expect(out?.headers.toArray()).toEqual(headers.toArray());
  });

  it('rejects an invalid regex naming `regex`', () => {
    const error = assertErrorCode(() => definition.config.parse({ regex: '(', replacement: 'x' }), 'CONFIG');
    expect(error.context['key']).toBe('regex');
    expect(error.message).toMatch(/invalid regex/);
  });

  it('rejects a replacement that refers to a missing group, naming `replacement`', () => {
    const error = assertErrorCode(() => router('(a)', '$2'), 'CONFIG');
    expect(error.context['key']).toBe('replacement');
  });

  it('requires both keys', () => {
    const error = assertErrorCode(() => definition.config.parse({}), 'CONFIG');
    expect(error.message).toMatch(/regex/);
    expect(error.message).toMatch(/replacement/);
  });
});
