import { inspect } from 'node:util';
import type { Logger } from '@sluice/core';
import type { SecretScrubber } from './config/secret-scrubber.ts';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

function timestamp(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
}

/**
 * Log lines in the shape Kafka Connect's log4j pattern prints — `[time] LEVEL message` — on
 * standard error, with an error's stack after its message. Only messages are printed, never
 * the objects around them, so no config value (and no secret) can reach the log by accident.
 * With `secrets`, every known secret is hidden in the whole line, error stack included, since
 * a connector's own message or a driver's error may quote a password.
 */
export function textLogger(
  minimum: string = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  secrets?: Pick<SecretScrubber, 'scrub'>,
): Logger {
  const threshold = Math.max(0, LEVELS.indexOf(minimum.toLowerCase() as Level));
  const log = (level: Level) => (objOrMsg: object | string, msg?: string) => {
    if (LEVELS.indexOf(level) < threshold) return;
    const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
    const error = typeof objOrMsg === 'object' ? (objOrMsg as { err?: unknown }).err : undefined;
    const detail = error === undefined ? '' : `\n${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}`;
    const line = `[${timestamp(new Date())}] ${level.toUpperCase()} ${text}${detail}\n`;
    write(secrets ? secrets.scrub(line) : line);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
