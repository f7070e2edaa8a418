import { defineConfig } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { ConfigSecrets } from './config-secrets.ts';
import type { ConfigProvider } from './config-provider.ts';
import { ConfigTransformer } from './config-transformer.ts';

const env: ConfigProvider = {
  get: (_path, keys) => Promise.resolve(new Map([...keys].filter((k) => k.startsWith('DB_')).map((k) => [k, `value-of-${k}`]))),
  missing: (_path, key) => `environment variable ${key} is not set`,
};
const spec = defineConfig({
  'db.password': { type: 'password', importance: 'high', doc: 'password' },
  'db.user': { type: 'string', importance: 'high', doc: 'user' },
  'db.url': { type: 'string', importance: 'high', doc: 'url' },
});

describe('ConfigSecrets', () => {
  it('remembers provider values and secret keys’ values, and hides them wherever they show up', async () => {
    const secrets = new ConfigSecrets(new ConfigTransformer(new Map([['env', env]])));
    const raw = { 'db.password': '${env:DB_PASSWORD}', 'db.user': '${env:DB_USER}', 'db.url': 'jdbc:x://h/db', 'api.token': 'tok-given-directly' };
    const resolved = await secrets.resolve(raw);
    secrets.remember(spec, resolved.config);
    expect(resolved.config).toEqual({ 'db.password': 'value-of-DB_PASSWORD', 'db.user': 'value-of-DB_USER', 'db.url': 'jdbc:x://h/db', 'api.token': 'tok-given-directly' });

    // The connector config as given: references stay, a secret given directly does not.
    expect(secrets.shown(spec, raw)).toEqual({ 'db.password': '${env:DB_PASSWORD}', 'db.user': '${env:DB_USER}', 'db.url': 'jdbc:x://h/db', 'api.token': '[hidden]' });

    // A task config: keys the connector resolved show their reference; a value quoting a secret is hidden.
    const task = { 'db.password': 'value-of-DB_PASSWORD', 'db.user': 'value-of-DB_USER', 'db.url': 'jdbc:x://h/db?u=value-of-DB_USER', other: 'tok-given-directly' };
    expect(secrets.shown(spec, task, { raw, resolved })).toEqual({
      'db.password': '${env:DB_PASSWORD}',
      'db.user': '${env:DB_USER}',
      'db.url': '[hidden]',
      other: '[hidden]',
    });
    expect(secrets.scrub('connect as value-of-DB_USER with value-of-DB_PASSWORD')).toBe('connect as [hidden] with [hidden]');
  });

  it('hides a secret key holding literal text beside a reference', () => {
    const secrets = new ConfigSecrets(new ConfigTransformer(new Map([['env', env]])));
    expect(secrets.shown(spec, { 'db.password': 'pre-${env:DB_PASSWORD}', 'db.user': '${vault:x:y}' })).toEqual({ 'db.password': '[hidden]', 'db.user': '${vault:x:y}' });
    expect(secrets.shown(spec, { 'db.password': '${vault:x:y}' })).toEqual({ 'db.password': '[hidden]' });
  });
});
