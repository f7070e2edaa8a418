import { hasErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { checkSourceConfig, modeOf, sourceConfig } from './source-config.ts';

const base = { 'connection.url': 'jdbc:postgresql://localhost/test', mode: 'bulk' };
const parse = (config: Record<string, string>) => sourceConfig.parse({ ...base, ...config });

function configError(run: () => unknown): { key: unknown; message: string } {
  try {
    run();
  } catch (error) {
    expect(hasErrorCode(error, 'CONFIG')).toBe(true);
    return { key: (error as { context?: { key?: unknown } }).context?.key, message: (error as Error).message };
  }
  throw new Error('expected a CONFIG error');
}

describe('the JDBC source config', () => {
  it('checks the keys of a mode written in any case', () => {
    expect(modeOf(parse({ mode: 'Timestamp+Incrementing' }))).toBe('timestamp+incrementing');
    expect(configError(() => checkSourceConfig(parse({ mode: 'INCREMENTING' })))).toEqual({ key: 'incrementing.column.name', message: 'config key `incrementing.column.name`: is required in `incrementing` mode' });
    expect(configError(() => checkSourceConfig(parse({ mode: 'TIMESTAMP' }))).key).toBe('timestamp.column.name');
    expect(configError(() => checkSourceConfig(parse({ mode: 'Timestamp+Incrementing', 'timestamp.column.name': 'at' }))).key).toBe('incrementing.column.name');
  });
});
