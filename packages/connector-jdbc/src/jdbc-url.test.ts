import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { parseJdbcUrl } from './jdbc-url.ts';

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
    expect(failure('jdbc:oracle:thin:@localhost:1521:xe').message).toContain('jdbc:postgresql://host:port/database');
    expect(failure('jdbc:sqlserver://localhost:1433').message).toBe(
      'config key `connection.url`: subprotocol `sqlserver` is not supported (supported: postgresql, mysql, mariadb)',
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
