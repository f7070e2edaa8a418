import { configError } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../config/secret-scrubber.ts';
import type { Herder } from '../herder/herder.ts';
import { parseListener, restServer } from './server.ts';

describe('parseListener', () => {
  it('reads Kafka Connect listeners, http and https in any case; an empty host means every interface', () => {
    expect(parseListener('http://:8083')).toEqual({ protocol: 'http', host: '0.0.0.0', port: 8083 });
    expect(parseListener('http://127.0.0.1:18083')).toEqual({ protocol: 'http', host: '127.0.0.1', port: 18083 });
    expect(parseListener('http://[::1]:8083/')).toEqual({ protocol: 'http', host: '::1', port: 8083 });
    expect(parseListener('https://:8443')).toEqual({ protocol: 'https', host: '0.0.0.0', port: 8443 });
    expect(parseListener(' HTTPS://myhost:8084 ')).toEqual({ protocol: 'https', host: 'myhost', port: 8084 });
  });

  it('names the listeners key for what it cannot serve', () => {
    expect(() => parseListener('ftp://:21')).toThrow('config key `listeners`: `ftp://:21` is not of the form http://host:port or https://host:port');
    expect(() => parseListener('http://host')).toThrow('config key `listeners`');
  });
});

describe('restServer with known secrets', () => {
  it('hides them in every body, error messages included', async () => {
    const secrets = new SecretScrubber();
    secrets.add('pa55-leaked-by-plugin');
    const herder = {
      connectors: () => Promise.resolve(['c pa55-leaked-by-plugin']),
      connectorStatus: () => {
        throw configError('x', 'rejected pa55-leaked-by-plugin');
      },
    } as unknown as Herder;
    const app = restServer(herder, { version: '0', commit: 'x', kafkaClusterId: 'k', scrub: (text) => secrets.scrub(text) });
    expect((await app.inject({ url: '/connectors' })).json()).toEqual(['c [hidden]']);
    const failed = await app.inject({ url: '/connectors/c/status' });
    expect(failed.statusCode).toBe(400);
    expect(failed.json()).toEqual({ error_code: 400, message: 'config key `x`: rejected [hidden]' });
    await app.close();
  });
});

describe('restServer with 64-bit offsets', () => {
  it('writes bigint offsets as exact JSON numbers and reads them back exactly', async () => {
    let altered: unknown;
    const herder = {
      connectorOffsets: () => Promise.resolve({ offsets: [{ partition: { table: 'public.t', protocol: '1' }, offset: { incrementing: 9223372036854775807n, small: 5n } }] }),
      alterConnectorOffsets: (_name: string, offsets: unknown) => {
        altered = offsets;
        return Promise.resolve({ message: 'ok' });
      },
    } as unknown as Herder;
    const app = restServer(herder, { version: '0', commit: 'x', kafkaClusterId: 'k' });
    const shown = await app.inject({ url: '/connectors/c/offsets' });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toBe('{"offsets":[{"partition":{"table":"public.t","protocol":"1"},"offset":{"incrementing":9223372036854775807,"small":5}}]}');
    const body = '{"offsets":[{"partition":{"table":"public.t","protocol":"1"},"offset":{"incrementing":9223372036854775806}}]}';
    const patched = await app.inject({ method: 'PATCH', url: '/connectors/c/offsets', headers: { 'content-type': 'application/json' }, body });
    expect(patched.statusCode).toBe(200);
    expect(altered).toEqual([{ partition: { table: 'public.t', protocol: '1' }, offset: { incrementing: 9223372036854775806n } }]);
    await app.close();
  });
});
