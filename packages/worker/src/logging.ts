import { inspect } from 'node:util';
import type { Logger } from '@sluice/core';
import type { SecretScrubber } from './config/secret-scrubber.ts';
import { LogLevels } from './log-levels.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** A logger of the worker's that can make named ones, whose levels `/admin/loggers` reads and sets. */
export interface TextLogger extends Logger {
  readonly levels: LogLevels;
  /** The logger called `name`, e.g. `sluice.connector.orders`; its lines end with ` (name)`, as Kafka Connect's log4j pattern ends with the logger. */
  named(name: string): Logger;
}

/** Whether `logger` is a {@link TextLogger}. */
export function isTextLogger(logger: Logger): logger is TextLogger {
  return typeof (logger as Partial<TextLogger>).named === 'function' && (logger as Partial<TextLogger>).levels instanceof LogLevels;
}

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
  minimum: string | LogLevels = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  secrets?: Pick<SecretScrubber, 'scrub'>,
): TextLogger {
  const levels = typeof minimum === 'string' ? new LogLevels(minimum) : minimum;
  const make = (name: string): Logger => {
    const suffix = name === 'root' ? '' : ` (${name})`;
    const log = (level: Level) => (objOrMsg: object | string, msg?: string) => {
      if (!levels.enabled(name, level)) return;
      const text = typeof objOrMsg === 'string' ? objOrMsg : (msg ?? '');
      const error = typeof objOrMsg === 'object' ? (objOrMsg as { err?: unknown }).err : undefined;
      const detail = error === undefined ? '' : `\n${error instanceof Error ? (error.stack ?? error.message) : inspect(error)}`;
      const line = `[${timestamp(new Date())}] ${level.toUpperCase()} ${text}${suffix}${detail}\n`;
      write(secrets ? secrets.scrub(line) : line);
    };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  };
  return {
    ...make('root'),
    levels,
    named(name) {
      levels.register(name);
      return make(name);
    },
  };
}
