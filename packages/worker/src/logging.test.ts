import { describe, expect, it } from 'vitest';
import { SecretScrubber } from './config/secret-scrubber.ts';
import { textLogger } from './logging.ts';

describe('textLogger', () => {
  it('prints Kafka Connect-style lines at or above its level, with the error stack', () => {
    const lines: string[] = [];
    const logger = textLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('connector started');
    logger.error({ err: new Error('boom') }, 'task failed');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO connector started\n$/);
    expect(lines[1]).toMatch(/ERROR task failed\nError: boom\n {4}at /);
  });

  it('never prints the objects passed beside a message', () => {
    const lines: string[] = [];
    textLogger('debug', (line) => lines.push(line)).info({ 'connection.password': 'hunter2' }, 'configured');
    expect(lines.join('')).not.toContain('hunter2');
  });
});

describe('textLogger with known secrets', () => {
  it('hides them in messages and in error stacks and causes', () => {
    const lines: string[] = [];
    const secrets = new SecretScrubber();
    secrets.add('pa55-from-provider');
    const logger = textLogger('info', (line) => lines.push(line), secrets);
    logger.warn('login with pa55-from-provider refused');
    logger.error({ err: new Error('auth failed for pa55-from-provider', { cause: new Error('pa55-from-provider') }) }, 'task failed');
    expect(lines.join('')).not.toContain('pa55-from-provider');
    expect(lines[0]).toContain('login with [hidden] refused');
    expect(lines[1]).toContain('Error: auth failed for [hidden]');
  });
});

describe('textLogger named loggers', () => {
  it('print with their name, at the level set for them or their ancestors', () => {
    const lines: string[] = [];
    const logger = textLogger('info', (line) => lines.push(line));
    const task = logger.named('sluice.connector.orders.task.0');
    task.debug('not yet');
    logger.levels.set('sluice.connector.orders', 'DEBUG');
    task.debug('polled 3 records');
    logger.debug('root stays at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DEBUG polled 3 records \(sluice\.connector\.orders\.task\.0\)\n$/);
  });
});
