import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertRejectsWithCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { jaasFileOfKafkaOpts, parseJaasConfig, usersFileOfJaas } from './jaas-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-jaas-'));
let files = 0;
function jaasFile(text: string): string {
  const file = join(dir, `connect-${++files}.jaas`);
  writeFileSync(file, text);
  return file;
}

const KAFKA_EXAMPLE = `
// Basic auth for the Connect REST API
KafkaConnect {
    org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
    file="/mnt/secret/credentials.properties";
};
/* the broker login, which Sluice ignores */
KafkaClient {
  org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password='p\\'q' debug=true;
};
`;

describe('parseJaasConfig', () => {
  it('reads entries, flags, quoted and bare options, and skips comments', () => {
    const entries = parseJaasConfig(KAFKA_EXAMPLE);
    expect([...entries.keys()]).toEqual(['KafkaConnect', 'KafkaClient']);
    const [client] = entries.get('KafkaClient')!;
    expect(client!.flag).toBe('required');
    expect(Object.fromEntries(client!.options)).toEqual({ username: 'u', password: "p'q", debug: 'true' });
  });

  it('says what is wrong with a broken file', () => {
    expect(() => parseJaasConfig('KafkaConnect { X required file="a" }')).toThrow('expected an option of X, found `}`');
    expect(() => parseJaasConfig('KafkaConnect { X file="a"; };')).toThrow('login module X needs a flag');
    expect(() => parseJaasConfig('KafkaConnect { X required file="a; };')).toThrow('a quoted value is not closed');
    expect(() => parseJaasConfig('KafkaConnect { X required; }')).toThrow('the file ends inside an entry');
  });
});

describe('usersFileOfJaas', () => {
  it('finds the file option of Kafka’s PropertyFileLoginModule in the KafkaConnect entry', async () => {
    expect(await usersFileOfJaas(jaasFile(KAFKA_EXAMPLE), 'k')).toBe('/mnt/secret/credentials.properties');
  });

  it('refuses other login modules, a missing entry and a missing file option, naming the key', async () => {
    const refused = async (text: string, message: string) => {
      const error = await assertRejectsWithCode(usersFileOfJaas(jaasFile(text), 'rest.basic.auth.jaas.file'), 'CONFIG');
      expect(error.message).toContain('config key `rest.basic.auth.jaas.file`');
      expect(error.message).toContain(message);
    };
    await refused('KafkaServer { a.B required; };', 'has no `KafkaConnect` entry');
    await refused('KafkaConnect { com.sun.security.auth.module.LdapLoginModule required userProvider="ldap://x"; };', 'found com.sun.security.auth.module.LdapLoginModule');
    await refused('KafkaConnect { org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required; };', 'needs its `file` option');
    await refused('KafkaConnect { oops', 'the file ends inside an entry');
  });
});

describe('jaasFileOfKafkaOpts', () => {
  it('reads -Djava.security.auth.login.config as the JVM does', () => {
    expect(jaasFileOfKafkaOpts('-Xmx1g -Djava.security.auth.login.config=/etc/kafka/connect.jaas -Dfoo=1')).toBe('/etc/kafka/connect.jaas');
    expect(jaasFileOfKafkaOpts('-Djava.security.auth.login.config==/etc/only.jaas')).toBe('/etc/only.jaas');
    expect(jaasFileOfKafkaOpts('-Djava.security.auth.login.config="/etc/connect.jaas"')).toBe('/etc/connect.jaas');
    expect(jaasFileOfKafkaOpts('-Djava.security.auth.login.config=file:///etc/connect.jaas')).toBe('/etc/connect.jaas');
    expect(jaasFileOfKafkaOpts('-Dxjava.security.auth.login.config=/x')).toBeUndefined();
    expect(jaasFileOfKafkaOpts(undefined)).toBeUndefined();
  });
});
