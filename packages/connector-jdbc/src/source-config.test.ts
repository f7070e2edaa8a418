import { assertErrorCode } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { checkSourceConfig, modeOf, numericMappingOf, queryOf, sourceConfig } from './source-config.ts';

const base = { 'connection.url': 'jdbc:postgresql://localhost/test', mode: 'bulk' };
const parse = (config: Record<string, string>) => sourceConfig.parse({ ...base, ...config });

/** The key and message of the CONFIG error `run` throws (core's assertErrorCode). */
function configError(run: () => unknown): { key: unknown; message: string } {
  const error = assertErrorCode(run, 'CONFIG');
  return { key: error.context.key, message: error.message };
}

describe('the JDBC source config', () => {
  it('checks the keys of a mode written in any case', () => {
    expect(modeOf(parse({ mode: 'Timestamp+Incrementing' }))).toBe('timestamp+incrementing');
    expect(configError(() => checkSourceConfig(parse({ mode: 'INCREMENTING' })))).toEqual({ key: 'incrementing.column.name', message: 'config key `incrementing.column.name`: is required in `incrementing` mode' });
    expect(configError(() => checkSourceConfig(parse({ mode: 'TIMESTAMP' }))).key).toBe('timestamp.column.name');
    expect(configError(() => checkSourceConfig(parse({ mode: 'Timestamp+Incrementing', 'timestamp.column.name': 'at' }))).key).toBe('incrementing.column.name');
  });

  it('reads the query of query.masked, a secret, and refuses it together with query', () => {
    const masked = parse({ 'query.masked': 'SELECT * FROM secret_table' });
    expect(queryOf(masked)).toBe('SELECT * FROM secret_table');
    expect(JSON.stringify(masked)).not.toContain('secret_table');
    expect(JSON.stringify(sourceConfig.configInfos('JdbcSourceConnector', { ...base, 'query.masked': 'SELECT * FROM secret_table' }))).not.toContain('secret_table');
    expect(queryOf(parse({ query: 'SELECT 1' }))).toBe('SELECT 1');
    expect(queryOf(parse({}))).toBe('');
    expect(configError(() => checkSourceConfig(parse({ query: 'SELECT 1', 'query.masked': 'SELECT 2' })))).toEqual({
      key: 'query.masked',
      message: 'config key `query.masked`: cannot be used together with `query`: set one of them',
    });
  });

  it('maps numerics by numeric.mapping, or by the deprecated numeric.precision.mapping when it is unset', () => {
    expect(numericMappingOf(parse({}))).toBe('none');
    expect(numericMappingOf(parse({ 'numeric.precision.mapping': 'true' }))).toBe('precision_only');
    expect(numericMappingOf(parse({ 'numeric.precision.mapping': 'true', 'numeric.mapping': 'BEST_FIT' }))).toBe('best_fit');
    expect(numericMappingOf(parse({ 'numeric.precision.mapping': 'false', 'numeric.mapping': 'none' }))).toBe('none');
  });
});
