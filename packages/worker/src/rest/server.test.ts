import { describe, expect, it } from 'vitest';
import { parseListener } from './server.ts';

describe('parseListener', () => {
  it('reads Kafka Connect listeners; an empty host means every interface', () => {
    expect(parseListener('http://:8083')).toEqual({ host: '0.0.0.0', port: 8083 });
    expect(parseListener('http://127.0.0.1:18083')).toEqual({ host: '127.0.0.1', port: 18083 });
    expect(parseListener('http://[::1]:8083/')).toEqual({ host: '::1', port: 8083 });
  });

  it('names the listeners key for what it cannot serve', () => {
    expect(() => parseListener('https://:8443')).toThrow('config key `listeners`: `https://:8443` is not of the form http://host:port');
  });
});
