import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrorCode } from '@sluice/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigProvider } from './config-provider.ts';
import { configProviders } from './config-providers.ts';

const root = mkdtempSync(join(tmpdir(), 'sluice-providers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const secrets = join(root, 'secrets');
const outside = join(root, 'outside');
mkdirSync(join(secrets, 'db'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(secrets, 'db.properties'), '# credentials\ndb.user = alice\ndb.password=pa\\u0073s:word\n');
writeFileSync(join(secrets, 'db', 'password'), 'from-a-file\n');
writeFileSync(join(outside, 'other.properties'), 'db.password=elsewhere\n');
writeFileSync(join(outside, 'password'), 'elsewhere\n');
symlinkSync(join(outside, 'password'), join(secrets, 'db', 'escape'));

function provider(name: string, className: string, params: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): ConfigProvider {
  const config = { 'config.providers': name, [`config.providers.${name}.class`]: className };
  for (const [key, value] of Object.entries(params)) config[`config.providers.${name}.param.${key}`] = value;
  return configProviders(config, env).get(name)!;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a failure');
}

function syncFailure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('FileConfigProvider', () => {
  const file = provider('file', 'org.apache.kafka.common.config.provider.FileConfigProvider', { 'allowed.paths': secrets });

  it('reads the asked keys of a Java properties file, escapes decoded', async () => {
    expect(await file.get(join(secrets, 'db.properties'), new Set(['db.user', 'db.password', 'absent']))).toEqual(
      new Map([
        ['db.user', 'alice'],
        ['db.password', 'pass:word'],
      ]),
    );
    expect(file.missing('/s/x.properties', 'absent')).toBe('/s/x.properties has no key `absent`');
  });

  it('refuses a path outside allowed.paths, also one that climbs out with ..', async () => {
    expect(await failure(file.get(join(outside, 'other.properties'), new Set(['db.password'])))).toBe(
      `path ${join(outside, 'other.properties')} is outside the allowed.paths of config provider \`file\``,
    );
    expect(await failure(file.get(`${secrets}/../outside/other.properties`, new Set(['db.password'])))).toMatch(/is outside the allowed.paths/);
  });

  it('names a file it cannot read without quoting its content', async () => {
    expect(await failure(file.get(join(secrets, 'nope.properties'), new Set(['k'])))).toBe(`cannot read ${join(secrets, 'nope.properties')} (ENOENT)`);
  });

  it('reads any path when allowed.paths is unset, and takes the simple class name', async () => {
    const open = provider('file', 'FileConfigProvider');
    expect(await open.get(join(outside, 'other.properties'), new Set(['db.password']))).toEqual(new Map([['db.password', 'elsewhere']]));
  });

  it('rejects allowed.paths entries that are relative or do not exist, naming the worker key', () => {
    const relative = syncFailure(() => provider('file', 'FileConfigProvider', { 'allowed.paths': 'etc/secrets' }));
    expect(hasErrorCode(relative, 'CONFIG')).toBe(true);
    expect(relative.message).toBe('config key `config.providers.file.param.allowed.paths`: path etc/secrets is not absolute');
    expect(syncFailure(() => provider('file', 'FileConfigProvider', { 'allowed.paths': `${secrets},${join(root, 'missing')}` })).message).toBe(
      `config key \`config.providers.file.param.allowed.paths\`: path ${join(root, 'missing')} does not exist`,
    );
  });
});

describe('DirectoryConfigProvider', () => {
  const dir = provider('dir', 'org.apache.kafka.common.config.provider.DirectoryConfigProvider', { 'allowed.paths': secrets });

  it('reads the whole content of the file named by the key', async () => {
    expect(await dir.get(join(secrets, 'db'), new Set(['password', 'absent', '../db.properties']))).toEqual(new Map([['password', 'from-a-file\n']]));
    expect(dir.missing('/run/secrets', 'absent')).toBe('/run/secrets holds no file `absent`');
  });

  it('refuses a folder outside allowed.paths, and a link inside that leads out', async () => {
    expect(await failure(dir.get(outside, new Set(['password'])))).toBe(`path ${outside} is outside the allowed.paths of config provider \`dir\``);
    expect(await failure(dir.get(join(secrets, 'db'), new Set(['escape'])))).toMatch(/escape is outside the allowed.paths of config provider `dir`/);
  });

  it('says when the path is not a folder', async () => {
    expect(await failure(dir.get(join(secrets, 'db.properties'), new Set(['x'])))).toBe(`${join(secrets, 'db.properties')} is not a readable folder`);
  });
});

describe('EnvVarConfigProvider', () => {
  const env = { DB_PASSWORD: 'from-env', HOME: '/home/alice' };

  it('reads environment variables, and no path', async () => {
    const provider_ = provider('env', 'EnvVarConfigProvider', {}, env);
    expect(await provider_.get('', new Set(['DB_PASSWORD', 'HOME', 'UNSET']))).toEqual(
      new Map([
        ['DB_PASSWORD', 'from-env'],
        ['HOME', '/home/alice'],
      ]),
    );
    expect(provider_.missing('', 'UNSET')).toBe('environment variable UNSET is not set');
    expect(await failure(provider_.get('/etc', new Set(['HOME'])))).toMatch(/takes no path, got `\/etc`/);
  });

  it('reads only variables whose whole name matches allowlist.pattern', async () => {
    const provider_ = provider('env', 'org.apache.kafka.common.config.provider.EnvVarConfigProvider', { 'allowlist.pattern': 'DB_.*' }, env);
    expect(await provider_.get('', new Set(['DB_PASSWORD', 'HOME']))).toEqual(new Map([['DB_PASSWORD', 'from-env']]));
    expect(provider_.missing('', 'HOME')).toBe('environment variable HOME does not match allowlist.pattern `DB_.*`');
    const partial = provider('env', 'EnvVarConfigProvider', { 'allowlist.pattern': 'DB' }, env);
    expect(await partial.get('', new Set(['DB_PASSWORD']))).toEqual(new Map());
  });

  it('rejects an allowlist.pattern that is not a regular expression', () => {
    expect(syncFailure(() => provider('env', 'EnvVarConfigProvider', { 'allowlist.pattern': '(' })).message).toMatch(
      /^config key `config.providers.env.param.allowlist.pattern`: is not a valid regular expression/,
    );
  });
});

describe('configProviders', () => {
  it('builds the providers config.providers lists; none when it is unset', () => {
    const providers = configProviders({
      'config.providers': 'file, dir,env',
      'config.providers.file.class': 'FileConfigProvider',
      'config.providers.dir.class': 'DirectoryConfigProvider',
      'config.providers.env.class': 'EnvVarConfigProvider',
      'config.providers.unlisted.class': 'FileConfigProvider',
    });
    expect([...providers.keys()]).toEqual(['file', 'dir', 'env']);
    expect(configProviders({}).size).toBe(0);
  });

  it('names the key of a provider without a class or with an unknown class', () => {
    expect(syncFailure(() => configProviders({ 'config.providers': 'vault' })).message).toBe(
      'config key `config.providers.vault.class`: is missing: `config.providers` lists provider `vault`',
    );
    expect(syncFailure(() => configProviders({ 'config.providers': 'vault', 'config.providers.vault.class': 'com.example.VaultConfigProvider' })).message).toMatch(
      /^config key `config.providers.vault.class`: `com.example.VaultConfigProvider` is not a config provider Sluice knows \(built in: org.apache.kafka.common.config.provider.FileConfigProvider, /,
    );
  });
});
