import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlsAttempts } from './jdbc-url-tls.ts';
import { jdbcUrlProblem, parseJdbcUrl } from './jdbc-url.ts';

const mode = (url: string) => parseJdbcUrl(url).tls.mode;

describe('TLS from connection.url', () => {
  it('reads pgjdbc’s ssl and sslmode, prefer without either (pgjdbc’s default)', () => {
    const pg = 'jdbc:postgresql://db/test';
    expect(mode(pg)).toBe('prefer');
    for (const m of ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']) expect(mode(`${pg}?sslmode=${m}`)).toBe(m);
    expect([mode(`${pg}?ssl=true`), mode(`${pg}?ssl`), mode(`${pg}?ssl=false`)]).toEqual(['verify-full', 'verify-full', 'prefer']);
    expect(mode(`${pg}?ssl=true&sslmode=require`)).toBe('require');
    expect(mode(`${pg}?ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory`)).toBe('require');
    expect(parseJdbcUrl(`${pg}?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pk8&sslpassword=pw`).tls).toEqual({ mode: 'verify-full', rootCert: '/ca.pem', cert: '/c.pem', key: '/k.pk8', keyPassword: 'pw' });
    expect(jdbcUrlProblem(`${pg}?sslmode=on`)).toBe('parameter `sslmode` must be one of disable, allow, prefer, require, verify-ca, verify-full, got `on`');
  });

  it('reads MySQL Connector/J’s sslMode and legacy useSSL, requireSSL, verifyServerCertificate, PREFERRED without them', () => {
    const my = 'jdbc:mysql://db/test';
    expect(mode(my)).toBe('prefer');
    expect(['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'].map((m) => mode(`${my}?sslMode=${m}`))).toEqual(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']);
    expect(mode(`${my}?useSSL=false`)).toBe('disable');
    expect(mode(`${my}?useSSL=true`)).toBe('prefer');
    expect(mode(`${my}?useSSL=true&requireSSL=true`)).toBe('require');
    expect(mode(`${my}?verifyServerCertificate=true&useSSL=true&requireSSL=true`)).toBe('verify-ca');
    expect(mode(`${my}?sslmode=required`)).toBe('require');
    expect(jdbcUrlProblem(`${my}?sslMode=yes`)).toContain('parameter `sslMode` must be one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY');
  });

  it('reads MariaDB Connector/J’s sslMode, useSsl, trustServerCertificate, serverSslCert; no TLS without them (its default)', () => {
    const maria = 'jdbc:mariadb://db/test';
    expect(mode(maria)).toBe('disable');
    expect(['disable', 'trust', 'verify-ca', 'verify-full'].map((m) => mode(`${maria}?sslMode=${m}`))).toEqual(['disable', 'require', 'verify-ca', 'verify-full']);
    expect([mode(`${maria}?useSsl=true`), mode(`${maria}?useSSL&trustServerCertificate=true`), mode(`${maria}?useSsl=true&disableSslHostnameVerification=true`)]).toEqual(['verify-full', 'require', 'verify-ca']);
    expect(parseJdbcUrl(`${maria}?sslMode=verify-ca&serverSslCert=/etc/ca.pem`).tls.rootCert).toBe('/etc/ca.pem');
  });

  it('lists the parameters it does not read, by name', () => {
    expect(parseJdbcUrl('jdbc:postgresql://db/test?user=u&password=p&sslmode=require&loginTimeout=10&currentSchema=app&sslfactory=com.example.Factory').ignoredParameters).toEqual(['loginTimeout', 'currentSchema', 'sslfactory']);
    expect(parseJdbcUrl('jdbc:mysql://db/test?useSSL=true&REQUIRESSL=true&rewriteBatchedStatements=true').ignoredParameters).toEqual(['rewriteBatchedStatements']);
  });

  it('gives the drivers’ ssl options per mode, reading the certificate and key files, a DER PKCS#8 key as PEM', () => {
    const settings = { rootCert: null, cert: null, key: null, keyPassword: null };
    expect(tlsAttempts({ ...settings, mode: 'disable' })).toEqual([false]);
    expect(tlsAttempts({ ...settings, mode: 'allow' })).toEqual([false, { rejectUnauthorized: false }]);
    expect(tlsAttempts({ ...settings, mode: 'prefer' })).toEqual([{ rejectUnauthorized: false }, false]);
    expect(tlsAttempts({ ...settings, mode: 'require' })).toEqual([{ rejectUnauthorized: false }]);
    expect(tlsAttempts({ ...settings, mode: 'verify-full' })).toEqual([{ rejectUnauthorized: true }]);
    const [verifyCa] = tlsAttempts({ ...settings, mode: 'verify-ca' }) as [{ rejectUnauthorized: boolean; checkServerIdentity: () => unknown }];
    expect([verifyCa.rejectUnauthorized, verifyCa.checkServerIdentity()]).toEqual([true, undefined]);
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tls-'));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'key.pk8'), privateKey.export({ format: 'der', type: 'pkcs8' }));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');
    const [withFiles] = tlsAttempts({ ...settings, mode: 'require', rootCert: join(dir, 'ca.pem'), key: join(dir, 'key.pk8') }) as [{ ca: Buffer; key: string; checkServerIdentity?: unknown }];
    expect(withFiles.ca.toString()).toContain('BEGIN CERTIFICATE');
    expect(withFiles.key).toBe(privateKey.export({ format: 'pem', type: 'pkcs8' }));
    // libpq: require with a root certificate checks the CA
    expect(withFiles.checkServerIdentity).toBeTypeOf('function');
    expect(() => tlsAttempts({ ...settings, mode: 'verify-full', rootCert: join(dir, 'missing.pem') })).toThrow(`cannot read the root certificate \`${join(dir, 'missing.pem')}\` named in connection.url`);
  });
});
