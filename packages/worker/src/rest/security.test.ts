import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRejectsWithCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { standaloneWorkerConfig } from '../runtime/worker-config.ts';
import { BASIC_AUTH_EXTENSION, restSecurity } from './security.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-security-'));
const users = join(dir, 'users.properties');
writeFileSync(users, 'ann=s3cret\n');
const jaas = join(dir, 'connect.jaas');
writeFileSync(jaas, `KafkaConnect {\n  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required\n  file="${users}";\n};\n`);

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** A standalone worker config with these keys, parsed as the worker parses it. */
const worker = (keys: Record<string, string>) =>
  standaloneWorkerConfig.parse({ 'key.converter': 'x', 'value.converter': 'x', 'offset.storage.file.filename': '/tmp/o', ...keys });

async function refused(keys: Record<string, string>, message: string, env: Record<string, string> = {}): Promise<void> {
  const error = await assertRejectsWithCode(restSecurity(worker(keys), env), 'CONFIG');
  expect(error.message).toContain(message);
}

describe('restSecurity', () => {
  it('is nothing by default', async () => {
    expect(await restSecurity(worker({}), {})).toEqual({});
  });

  it('turns basic auth on with Kafka’s extension and the JAAS file from the key or from KAFKA_OPTS', async () => {
    const viaKey = await restSecurity(worker({ 'rest.extension.classes': BASIC_AUTH_EXTENSION, 'rest.basic.auth.jaas.file': jaas }), {});
    expect(await viaKey.basicAuth!.authenticate(basic('ann', 's3cret'))).toBe('ann');
    const viaOpts = await restSecurity(worker({ 'rest.extension.classes': 'BasicAuthSecurityRestExtension' }), { KAFKA_OPTS: `-Djava.security.auth.login.config=${jaas}` });
    expect(await viaOpts.basicAuth!.authenticate(basic('ann', 's3cret'))).toBe('ann');
  });

  it('turns basic auth on with the users file alone', async () => {
    const security = await restSecurity(worker({ 'rest.basic.auth.users.file': users }), {});
    expect(await security.basicAuth!.authenticate(basic('ann', 'nope'))).toBeUndefined();
  });

  it('reads the CORS keys', async () => {
    const security = await restSecurity(worker({ 'access.control.allow.origin': 'https://ui.example.com', 'access.control.allow.methods': 'GET,PUT' }), {});
    expect(security.cors).toEqual({ origins: ['https://ui.example.com'], methods: ['GET', 'PUT'] });
  });

  it('refuses what would leave the API open by mistake, naming the key', async () => {
    await refused({ 'rest.extension.classes': 'com.example.AuditExtension' }, 'config key `rest.extension.classes`: `com.example.AuditExtension` is a Java REST extension Sluice cannot run');
    await refused({ 'rest.extension.classes': BASIC_AUTH_EXTENSION }, 'BasicAuthSecurityRestExtension needs a JAAS file');
    await refused({ 'rest.basic.auth.jaas.file': jaas }, 'config key `rest.basic.auth.jaas.file`: takes effect only with rest.extension.classes=');
    await refused({ 'rest.basic.auth.jaas.file': jaas, 'rest.basic.auth.users.file': users }, 'give either a users file or rest.basic.auth.jaas.file, not both');
    await refused({ 'rest.extension.classes': BASIC_AUTH_EXTENSION }, 'config key `KAFKA_OPTS`: JAAS file /nowhere.jaas', { KAFKA_OPTS: '-Djava.security.auth.login.config=/nowhere.jaas' });
  });
});
