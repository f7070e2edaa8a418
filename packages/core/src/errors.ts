/**
 * Errors of the plugin API. Every error Sluice raises or expects carries a string `code`; check
 * it with {@link isSluiceError}, {@link hasErrorCode} or {@link isRetriable}, never with
 * `instanceof`: a process may load two copies of `@sluice/core` (one per plugin), and the brand
 * below is shared across copies through the global symbol registry.
 *
 * @since 0.1.0
 */

/**
 * What went wrong, as a stable string.
 *
 * - `RETRIABLE`: transient; the runtime retries the same operation (Kafka's `RetriableException`).
 * - `CONFIG`: a configuration value is missing or invalid.
 * - `DATA`: a record or value does not fit its schema or cannot be converted.
 * - `CONNECTION`: the external system cannot be reached.
 * - `NOT_FOUND`, `ALREADY_EXISTS`: a named thing (connector, task, topic, table) is missing or taken.
 * - `ILLEGAL_STATE`: an operation was called at the wrong point of a lifecycle.
 * - `SCHEMA`: a schema is malformed (bad builder use, incompatible schemas).
 * - `TIMEOUT`: an operation did not finish in time; retriable.
 * - `INTERNAL`: a bug.
 *
 * @since 0.1.0
 */
export type ErrorCode =
  | 'RETRIABLE'
  | 'CONFIG'
  | 'DATA'
  | 'CONNECTION'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'ILLEGAL_STATE'
  | 'SCHEMA'
  | 'TIMEOUT'
  | 'INTERNAL';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'RETRIABLE',
  'CONFIG',
  'DATA',
  'CONNECTION',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'ILLEGAL_STATE',
  'SCHEMA',
  'TIMEOUT',
  'INTERNAL',
]);

/**
 * The brand every Sluice error carries (`error[SLUICE_ERROR_BRAND] === true`). Registered with
 * `Symbol.for`, so all copies of this package agree on it.
 *
 * @since 0.1.0
 */
export const SLUICE_ERROR_BRAND: unique symbol = Symbol.for('@sluice/core/SluiceError') as never;

/** @since 0.1.0 */
export interface SluiceErrorOptions {
  /** The underlying error, kept as the standard `Error.cause`. */
  readonly cause?: unknown;
  /** Facts a user needs to act on the error: the key, the topic, the table, the offset… */
  readonly context?: Readonly<Record<string, unknown>>;
}

/**
 * The one error class of the plugin API. Construct it through the factories
 * ({@link retriableError}, {@link configError}, {@link dataError}, …).
 *
 * @since 0.1.0
 */
export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;
  declare readonly [SLUICE_ERROR_BRAND]: true;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.name = 'SluiceError';
    this.code = code;
    this.context = Object.freeze({ ...options.context });
  }
}
Object.defineProperty(SluiceError.prototype, SLUICE_ERROR_BRAND, { value: true, enumerable: false });

/**
 * True when `e` is a Sluice error from any copy of this package.
 *
 * @since 0.1.0
 */
export function isSluiceError(e: unknown): e is SluiceError {
  if (typeof e !== 'object' || e === null) return false;
  const candidate = e as { [SLUICE_ERROR_BRAND]?: unknown; code?: unknown };
  return candidate[SLUICE_ERROR_BRAND] === true && typeof candidate.code === 'string' && ERROR_CODES.has(candidate.code);
}

/**
 * True when `e` is a Sluice error with the given code.
 *
 * @since 0.1.0
 */
export function hasErrorCode(e: unknown, code: ErrorCode): e is SluiceError {
  return isSluiceError(e) && e.code === code;
}

/**
 * True when retrying the same operation may succeed: codes `RETRIABLE` and `TIMEOUT`.
 *
 * @since 0.1.0
 */
export function isRetriable(e: unknown): boolean {
  return isSluiceError(e) && (e.code === 'RETRIABLE' || e.code === 'TIMEOUT');
}

/**
 * The error code of `e`, or `undefined` when it is not a Sluice error.
 *
 * @since 0.1.0
 */
export function errorCodeOf(e: unknown): ErrorCode | undefined {
  return isSluiceError(e) ? e.code : undefined;
}

/** @since 0.1.0 */
export function retriableError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('RETRIABLE', message, options);
}

/**
 * A config error naming the key: `config key \`batch.size\`: must be at least 1, got \`0\``.
 * `context.key` holds the key.
 *
 * @since 0.1.0
 */
export function configError(key: string, reason: string, options: SluiceErrorOptions = {}): SluiceError {
  return new SluiceError('CONFIG', `config key \`${key}\`: ${reason}`, {
    ...options,
    context: { ...options.context, key },
  });
}

/** @since 0.1.0 */
export function dataError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('DATA', message, options);
}

/** @since 0.1.0 */
export function connectionError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('CONNECTION', message, options);
}

/** @since 0.1.0 */
export function notFoundError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('NOT_FOUND', message, options);
}

/** @since 0.1.0 */
export function alreadyExistsError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('ALREADY_EXISTS', message, options);
}

/** @since 0.1.0 */
export function illegalStateError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('ILLEGAL_STATE', message, options);
}

/** @since 0.1.0 */
export function schemaError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('SCHEMA', message, options);
}

/** @since 0.1.0 */
export function timeoutError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('TIMEOUT', message, options);
}

/** @since 0.1.0 */
export function internalError(message: string, options?: SluiceErrorOptions): SluiceError {
  return new SluiceError('INTERNAL', message, options);
}
