import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { parseJdbcUrl } from './jdbc-url.ts';
import { jdbcSink } from './sink-connector.ts';
import { jdbcSource } from './source-connector.ts';

function failure(url: string): { config: boolean; key: unknown; message: string } {
  try {
    parseJdbcUrl(url);
  } catch (error) {
    return { config: hasErrorCode(error, 'CONFIG'), key: (error as { context?: { key?: unknown } }).context?.key, message: (error as Error).message };
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('parseJdbcUrl', () => {
  it('reads host, port, database and properties of a PostgreSQL URL', () => {
    expect(parseJdbcUrl('jdbc:postgresql://db.example:6543/orders?sslmode=require&user=app')).toEqual({
      dialect: 'postgresql',
      host: 'db.example',
      port: 6543,
      database: 'orders',
      properties: { sslmode: 'require', user: 'app' },
      tls: { mode: 'require', rootCert: null, cert: null, key: null, keyPassword: null },
      ignoredParameters: [],
    });
  });

  it('defaults the port per database and maps mariadb to the MySQL dialect', () => {
    expect(parseJdbcUrl('jdbc:postgresql://localhost/test')).toMatchObject({ port: 5432, database: 'test' });
    expect(parseJdbcUrl('jdbc:mysql://127.0.0.1/test')).toMatchObject({ dialect: 'mysql', port: 3306, database: 'test' });
    expect(parseJdbcUrl('jdbc:mariadb://127.0.0.1:3307')).toMatchObject({ dialect: 'mysql', port: 3307, database: null });
  });

  it('accepts IPv6 hosts and percent-encoded database names', () => {
    expect(parseJdbcUrl('jdbc:postgresql://[::1]:5432/my%20db')).toMatchObject({ host: '::1', database: 'my db' });
  });

  it('rejects other forms with a CONFIG error naming connection.url', () => {
    expect(failure('postgresql://localhost/test')).toMatchObject({ config: true, key: 'connection.url' });
    expect(failure('jdbc:oracle:thin:@localhost:1521:xe').message).toContain('subprotocol `oracle` is not supported; use `jdbc:postgresql://host[:port][/database]');
    expect(failure('jdbc:sqlserver://localhost:1433').message).toBe(
      'config key `connection.url`: subprotocol `sqlserver` is not supported (supported: postgresql, mysql, mariadb); use `jdbc:postgresql://host[:port][/database][?k=v&…]`, `jdbc:mysql://…` or `jdbc:mariadb://…`',
    );
    expect(failure('jdbc:postgresql://host:/db').message).toContain('empty port');
    expect(failure('jdbc:postgresql://host:99999/db').key).toBe('connection.url');
  });

  it('never repeats credentials written into the URL', () => {
    const error = failure('jdbc:postgresql://app:s3cr3t@localhost/test');
    expect(error.message).toContain('connection.password');
    expect(error.message).not.toContain('s3cr3t');
    expect(failure('jdbc:postgresql://h:x/db?password=s3cr3t').message).not.toContain('s3cr3t');
  });
});

describe('connection.url in the connector configs', () => {
  // the worker parses the connector's spec on POST /connectors: a CONFIG error there is its 400
  it.each([
    ['jdbc-source', () => jdbcSource.config, { mode: 'bulk' }],
    ['jdbc-sink', () => jdbcSink.config, {}],
  ])('%s refuses an unsupported form at parse time, naming the key and the forms accepted', (_, spec, rest) => {
    for (const url of ['jdbc:oracle:thin:@localhost:1521:xe', 'not a url', 'jdbc:postgresql://h:/db']) {
      let error: unknown;
      try {
        spec().parse({ 'connection.url': url, ...rest });
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, 'CONFIG')).toBe(true);
      expect((error as { context: { key: string } }).context.key).toBe('connection.url');
      expect((error as Error).message).toMatch(/^config key `connection.url`: .*`jdbc:postgresql:\/\/host\[:port\]\[\/database\]\[\?k=v&…\]`, `jdbc:mysql:\/\/…` or `jdbc:mariadb:\/\/…`$/);
    }
    expect(spec().parse({ 'connection.url': 'jdbc:mariadb://127.0.0.1/test', ...rest })).toMatchObject({ 'connection.attempts': 3, 'connection.backoff.ms': 10000 });
  });

  it('is one definition: both connectors describe the connection keys alike', () => {
    const keys = ['connection.url', 'connection.user', 'connection.password', 'connection.attempts', 'connection.backoff.ms'];
    for (const key of keys) expect(jdbcSink.config.key(key)).toEqual(jdbcSource.config.key(key));
    expect(jdbcSource.config.key('connection.attempts')?.validators[0]?.check(0)).toBe('must be at least 1, got `0`');
  });
});
