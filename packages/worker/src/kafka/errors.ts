import { SluiceError, configError, isSluiceError } from '@sluice/core';
import type { ErrorCode } from '@sluice/core';

/**
 * What went wrong in the Kafka port, whichever client library threw: `CONNECTION` (no broker
 * answered), `REBALANCE` (the group moved on; join again), `KAFKA` (the broker refused or
 * failed the request), `CONFIG` (bad client settings).
 */
export type KafkaErrorCode = 'CONNECTION' | 'REBALANCE' | 'KAFKA' | 'CONFIG';

/** Rebalances and broker failures are retriable, as Kafka Connect treats the client's errors. */
const CORE_CODES: Record<KafkaErrorCode, ErrorCode> = {
  CONNECTION: 'CONNECTION',
  REBALANCE: 'RETRIABLE',
  KAFKA: 'RETRIABLE',
  CONFIG: 'CONFIG',
};

/** A core `SluiceError` (so `hasErrorCode`/`isRetriable` work) that also says what the port saw. */
export class KafkaPortError extends SluiceError {
  readonly kafkaCode: KafkaErrorCode;

  constructor(code: KafkaErrorCode, message: string, cause?: unknown) {
    super(CORE_CODES[code], message, cause === undefined ? {} : { cause });
    this.name = 'KafkaPortError';
    this.kafkaCode = code;
  }
}

export function kafkaErrorCode(error: unknown): KafkaErrorCode | undefined {
  if (!isSluiceError(error)) return undefined;
  if ('kafkaCode' in error) return error.kafkaCode as KafkaErrorCode;
  return error.code === 'CONFIG' ? 'CONFIG' : undefined;
}

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Runs `operation`, failing with a CONNECTION error naming the brokers when it takes longer than `timeoutMs`. */
export async function withinTimeout<T>(operation: Promise<T>, timeoutMs: number, brokers: readonly string[], what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new KafkaPortError('CONNECTION', `Kafka at ${brokers.join(',')} did not answer ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([operation, deadline]);
  } catch (error) {
    if (error instanceof KafkaPortError) throw error;
    throw new KafkaPortError('CONNECTION', `Kafka at ${brokers.join(',')} could not be reached for ${what}: ${causeText(error)}`, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks client options before any connection is attempted, naming the bad key, and returns
 * them with the port's default timeouts filled in (10 s to connect, 30 s per request).
 */
export function checkClientOptions(options: { bootstrapServers: readonly string[]; connectTimeoutMs?: number; requestTimeoutMs?: number }): {
  brokers: string[];
  connectTimeoutMs: number;
  requestTimeoutMs: number;
} {
  if (options.bootstrapServers.length === 0) {
    throw configError('bootstrap.servers', 'at least one host:port is required');
  }
  for (const address of options.bootstrapServers) {
    const match = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(address);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw configError('bootstrap.servers', `\`${address}\` is not a host:port address`);
    }
  }
  for (const [key, value] of [['connect.timeout.ms', options.connectTimeoutMs], ['request.timeout.ms', options.requestTimeoutMs]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw configError(key, `must be a positive whole number of milliseconds, got \`${value}\``);
    }
  }
  return { brokers: [...options.bootstrapServers], connectTimeoutMs: options.connectTimeoutMs ?? 10_000, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
}

/** Kafka's answers that mean the group moved on without this member's generation. */
const REJOIN_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION']);

/**
 * Translates a failed group request: a rejoin answer becomes `REBALANCE`, anything else
 * `KAFKA`. `forgetMember` is true when the coordinator no longer knows this member id, so the
 * next join must start without one.
 */
export function groupRequestError(groupId: string, api: string, kafkaError: string | undefined, cause: unknown): { error: KafkaPortError; forgetMember: boolean } {
  if (kafkaError && REJOIN_ERRORS.has(kafkaError)) {
    return {
      error: new KafkaPortError('REBALANCE', `group ${groupId}: ${api} answered ${kafkaError}; join again`, cause),
      forgetMember: kafkaError !== 'REBALANCE_IN_PROGRESS',
    };
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { error: new KafkaPortError('KAFKA', `group ${groupId}: ${api} failed: ${reason}`, cause), forgetMember: false };
}

/**
 * Kafka's error codes that refuse one record for what it is (and would refuse it again):
 * CORRUPT_MESSAGE, MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_TIMESTAMP, INVALID_RECORD.
 */
const RECORD_REFUSALS: ReadonlySet<number> = new Set([2, 10, 18, 32, 87]);

/**
 * Whether a produce failure is the broker refusing the records themselves rather than being
 * unavailable — the only failures `errors.tolerance=all` may skip. Reads the Kafka error code
 * through either client's error shape (platformatic's `apiCode` under `errors`/`cause`,
 * kafkajs's protocol error `code`).
 */
export function isRecordRefusal(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (node: unknown): boolean => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return false;
    seen.add(node);
    const { apiCode, code, name, cause, errors } = node as { apiCode?: unknown; code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof apiCode === 'number' && RECORD_REFUSALS.has(apiCode)) return true;
    if (name === 'KafkaJSProtocolError' && typeof code === 'number' && RECORD_REFUSALS.has(code)) return true;
    return visit(cause) || (Array.isArray(errors) && errors.some(visit));
  };
  return visit(error);
}
