import { inspect } from 'node:util';

/** Kafka Connect's states of a connector or task, as its status API shows them. */
export type State = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export interface Status {
  readonly state: State;
  /** Why it failed: the error and its causes, as Kafka Connect's `trace`. */
  readonly trace?: string;
}

/** An error with its chain of causes, the way a status `trace` shows it. */
export function traceOf(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : inspect(current);
    lines.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join('\n');
}
