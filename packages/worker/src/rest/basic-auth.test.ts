import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRejectsWithCode } from '@sluice/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BasicAuthenticator, basicCredentials, hashPassword, isInternalRequest, requireBasicAuth } from './basic-auth.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-basic-auth-'));
let files = 0;
function usersFile(text: string): string {
  const file = join(dir, `users-${++files}.properties`);
  writeFileSync(file, text);
  return file;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** Cheap scrypt parameters, so the tests do not spend their time hashing. */
const FAST = { N: 1024, r: 8, p: 1 };

describe('basicCredentials', () => {
  it('reads the Authorization header as Kafka’s filter does', () => {
    expect(basicCredentials(basic('ann', 'p:w:d'))).toEqual({ user: 'ann', password: 'p:w:d' });
    expect(basicCredentials(`basic ${Buffer.from('ann:').toString('base64')}`)).toEqual({ user: 'ann', password: '' });
    expect(basicCredentials(undefined)).toBeUndefined();
    expect(basicCredentials('Bearer abc')).toBeUndefined();
    expect(basicCredentials('Basic')).toBeUndefined();
    expect(basicCredentials(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(basicCredentials(`Basic ${Buffer.from(':empty-user').toString('base64')}`)).toBeUndefined();
    expect(basicCredentials('Basic !!!')).toBeUndefined();
  });
});

describe('BasicAuthenticator', () => {
  it('accepts Kafka’s users file: user=password and user: password, the whole value being the password', async () => {
    const auth = await BasicAuthenticator.fromFile(usersFile('# Kafka Connect users\nann=s3cret\nbob: pa55,admin\n'), 'k');
    expect(await auth.authenticate(basic('ann', 's3cret'))).toBe('ann');
    expect(await auth.authenticate(basic('bob', 'pa55,admin'))).toBe('bob');
    expect(await auth.authenticate(basic('bob', 'pa55'))).toBeUndefined();
    expect(await auth.authenticate(basic('ann', 's3cre'))).toBeUndefined();
    expect(await auth.authenticate(basic('ann', 's3cret '))).toBeUndefined();
    expect(await auth.authenticate(basic('eve', 's3cret'))).toBeUndefined();
    expect(await auth.authenticate(undefined)).toBeUndefined();
    expect(auth.plainPasswords().sort()).toEqual(['pa55,admin', 's3cret']);
  });

  it('accepts scrypt hashes made by hashPassword, again from its cache, and keeps them out of plainPasswords', async () => {
    const hash = await hashPassword('correct horse', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    expect(await hashPassword('correct horse', FAST)).not.toBe(hash);
    const auth = await BasicAuthenticator.fromFile(usersFile(`carol=${hash}\n`), 'k');
    expect(await auth.authenticate(basic('carol', 'correct horse'))).toBe('carol');
    expect(await auth.authenticate(basic('carol', 'correct horse'))).toBe('carol');
    expect(await auth.authenticate(basic('carol', 'correct horsE'))).toBeUndefined();
    expect(await auth.authenticate(basic('dave', 'correct horse'))).toBeUndefined();
    expect(auth.plainPasswords()).toEqual([]);
  });

  it('uses the default cost when none is given', async () => {
    expect(await hashPassword('x')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('refuses an empty, missing or malformed file naming the user but never the password', async () => {
    const refused = async (path: string, message: string) => {
      const error = await assertRejectsWithCode(BasicAuthenticator.fromFile(path, 'rest.basic.auth.users.file'), 'CONFIG');
      expect(error.message).toContain(message);
      return error.message;
    };
    await refused(usersFile('# nobody\n'), 'has no users; basic auth would refuse everyone');
    await refused(join(dir, 'absent'), 'config key `rest.basic.auth.users.file`: cannot read the users file');
    const message = await refused(usersFile('erin=scrypt$1000$8$1$c2FsdA==$aGFzaA==\n'), 'user `erin`: scrypt N must be a power of 2');
    expect(message).not.toContain('c2FsdA');
    await refused(usersFile('erin=scrypt$1024$8$1$c2FsdA==\n'), 'must read scrypt$N$r$p$salt$hash');
    await refused(usersFile('erin=scrypt$1048576$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==\n'), 'needs more than 256 MiB');
    await refused(usersFile('erin=scrypt$1024$8$1$c2FsdA==$aGFzaA==\n'), 'at least 16 bytes');
  });
});

describe('requireBasicAuth', () => {
  async function app() {
    const server = Fastify();
    requireBasicAuth(server, await BasicAuthenticator.fromFile(usersFile('ann=s3cret\n'), 'k'));
    server.get('/connectors', () => ['c']);
    server.post('/connectors/:c/tasks', () => ({ internal: true }));
    return server;
  }

  it('answers 401 with WWW-Authenticate and Kafka’s error body without or with wrong credentials, and lets the right ones through', async () => {
    const server = await app();
    for (const authorization of [undefined, basic('ann', 'wrong'), basic('eve', 's3cret'), 'Bearer token']) {
      const response = await server.inject({ url: '/connectors', headers: authorization ? { authorization } : {} });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="Sluice", charset="UTF-8"');
      expect(response.json()).toEqual({ error_code: 401, message: 'User cannot access the resource.' });
    }
    const ok = await server.inject({ url: '/connectors', headers: { authorization: basic('ann', 's3cret') } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual(['c']);
    await server.close();
  });

  it('leaves Kafka’s signed internal endpoints to their request signature, as Kafka’s filter does', async () => {
    const server = await app();
    expect((await server.inject({ method: 'POST', url: '/connectors/c/tasks' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/connectors/c/tasks' })).statusCode).toBe(401);
    await server.close();
    expect(isInternalRequest('PUT', '/connectors/c/fence?x=1')).toBe(true);
    expect(isInternalRequest('PUT', '/connectors/c/config')).toBe(false);
    expect(isInternalRequest('POST', '/connectors/c/tasks/0/restart')).toBe(false);
  });
});
