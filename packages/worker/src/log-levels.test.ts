import { describe, expect, it } from 'vitest';
import { LogLevels, parseLevel } from './log-levels.ts';

describe('LogLevels', () => {
  it('lists root with its start-up level and no last_modified until set', () => {
    const levels = new LogLevels('warn', () => 1000);
    expect(levels.all()).toEqual({ root: { level: 'WARN', last_modified: null } });
    expect(levels.level('ROOT')).toEqual({ level: 'WARN', last_modified: null });
  });

  it('knows registered loggers, which take their nearest ancestor’s level', () => {
    const levels = new LogLevels('info', () => 1000);
    levels.register('sluice.connector.orders');
    levels.register('sluice.connector.orders.task.0');
    expect(levels.level('sluice.connector.orders.task.0')).toEqual({ level: 'INFO', last_modified: null });
    expect(levels.level('nobody')).toBeUndefined();
    expect(levels.enabled('sluice.connector.orders.task.0', 'debug')).toBe(false);

    expect(levels.set('sluice.connector.orders', 'DEBUG')).toEqual(['sluice.connector.orders', 'sluice.connector.orders.task.0']);
    expect(levels.enabled('sluice.connector.orders.task.0', 'debug')).toBe(true);
    expect(levels.enabled('sluice.connector.ordersx', 'debug')).toBe(false);
    expect(levels.all()).toEqual({
      root: { level: 'INFO', last_modified: null },
      'sluice.connector.orders': { level: 'DEBUG', last_modified: 1000 },
      'sluice.connector.orders.task.0': { level: 'DEBUG', last_modified: 1000 },
    });
  });

  it('sets a namespace nobody logs to yet, and root sets every logger', () => {
    const levels = new LogLevels('info', () => 5);
    levels.register('a.b');
    expect(levels.set('x.y', 'ERROR')).toEqual(['x.y']);
    expect(levels.level('x.y')).toEqual({ level: 'ERROR', last_modified: 5 });
    expect(levels.set('root', 'OFF')).toEqual(['a.b', 'root', 'x.y']);
    expect(levels.enabled('a.b', 'error')).toBe(false);
  });

  it('parses log4j level names in any case', () => {
    expect(parseLevel('debug')).toBe('DEBUG');
    expect(parseLevel(' Trace ')).toBe('TRACE');
    expect(parseLevel('verbose')).toBeUndefined();
  });
});
