import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import type { ConfigProvider } from './config-provider.ts';
import { ConfigTransformer } from './config-transformer.ts';

/** A provider over a fixed table of paths, recording each lookup. */
function tableProvider(table: Record<string, Record<string, string>>, calls: string[] = []): ConfigProvider {
  return {
    get(path, keys) {
      calls.push(`${path}:${[...keys].sort().join(',')}`);
      const entries = table[path];
      if (!entries) return Promise.reject(new Error(`no such path ${path}`));
      return Promise.resolve(new Map([...keys].filter((k) => k in entries).map((k) => [k, entries[k]!])));
    },
    missing: (path, key) => `${path} has no key \`${key}\``,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('ConfigTransformer', () => {
  it('resolves ${provider:path:key} and ${provider:key}, asking each provider once per path', async () => {
    const calls: string[] = [];
    const transformer = new ConfigTransformer(
      new Map([
        ['file', tableProvider({ '/s/a.properties': { user: 'alice', password: 'pa55word' } }, calls)],
        ['env', tableProvider({ '': { TOKEN: 't0ken-value' } })],
      ]),
    );
    const result = await transformer.transform({
      'connection.user': '${file:/s/a.properties:user}',
      'connection.password': '${file:/s/a.properties:password}',
      'connection.url': 'jdbc:x://h/db?token=${env:TOKEN}&u=${file:/s/a.properties:user}',
      topic: 'plain',
    });
    expect(result.config).toEqual({
      'connection.user': 'alice',
      'connection.password': 'pa55word',
      'connection.url': 'jdbc:x://h/db?token=t0ken-value&u=alice',
      topic: 'plain',
    });
    expect(calls).toEqual(['/s/a.properties:password,user']);
    expect(new Set(result.provided)).toEqual(new Set(['alice', 'pa55word', 't0ken-value']));
    expect(result.resolvedKeys).toEqual(new Set(['connection.user', 'connection.password', 'connection.url']));
  });

  it('leaves variables of providers the worker does not have as written, as Kafka does', async () => {
    const transformer = new ConfigTransformer(new Map([['env', tableProvider({ '': { A: 'value-a' } })]]));
    const result = await transformer.transform({ a: '${vault:secret/db:password} and ${env:A}', b: '${not a variable', c: '$x{y}' });
    expect(result.config).toEqual({ a: '${vault:secret/db:password} and value-a', b: '${not a variable', c: '$x{y}' });
  });

  it('takes the path up to the first colon, as Kafka’s pattern does', async () => {
    const transformer = new ConfigTransformer(new Map([['p', tableProvider({ one: { 'two:three': 'deep-value' } })]]));
    expect((await transformer.transform({ k: '${p:one:two:three}' })).config.k).toBe('deep-value');
  });

  it('fails with a CONFIG error naming the config key when a configured provider lacks the key', async () => {
    const transformer = new ConfigTransformer(new Map([['file', tableProvider({ '/s/a.properties': { user: 'alice' } })]]));
    const error = await failure(transformer.transform({ 'connection.user': '${file:/s/a.properties:user}', 'connection.password': '${file:/s/a.properties:pw}' }));
    expect(hasErrorCode(error, 'CONFIG')).toBe(true);
    expect(error.message).toBe('config key `connection.password`: `${file:/s/a.properties:pw}`: /s/a.properties has no key `pw`');
    expect(error.message).not.toContain('alice');
  });

  it('fails with a CONFIG error naming the config key when the provider cannot read the path', async () => {
    const transformer = new ConfigTransformer(new Map([['file', tableProvider({})]]));
    const error = await failure(transformer.transform({ secret: '${file:/nope:k}' }));
    expect(error.message).toBe('config key `secret`: `${file:/nope:k}`: no such path /nope');
  });

  it('takes skipped keys as written', async () => {
    const transformer = new ConfigTransformer(new Map([['env', tableProvider({ '': { A: 'value-a' } })]]));
    expect((await transformer.transform({ 'config.providers.x.param.p': '${env:A}' }, (key) => key.startsWith('config.providers'))).config).toEqual({
      'config.providers.x.param.p': '${env:A}',
    });
  });
});
