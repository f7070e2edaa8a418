// Test helpers for error assertions. They depend on no test framework, so plugin authors can use
// them with vitest, node:test or anything else.
import { errorCodeOf, isSluiceError, type ErrorCode, type SluiceError } from './errors.ts';

function mismatch(expected: ErrorCode, error: unknown): Error {
  const got = isSluiceError(error)
    ? `code ${error.code}: ${error.message}`
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : String(error);
  return new Error(`expected a Sluice error with code ${expected}, got ${got}`, { cause: error });
}

/**
 * Calls `fn` and returns the Sluice error it throws, failing when it throws nothing or an error
 * with another code.
 *
 * @since 0.1.0
 */
export function assertErrorCode(fn: () => unknown, code: ErrorCode): SluiceError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
    if (errorCodeOf(error) === code) return error as SluiceError;
  }
  if (thrown === undefined) throw new Error(`expected a Sluice error with code ${code}, but nothing was thrown`);
  throw mismatch(code, thrown);
}

/**
 * Awaits `fn` (or a promise) and returns the Sluice error it rejects with; see {@link assertErrorCode}.
 *
 * @since 0.1.0
 */
export async function assertRejectsWithCode(
  fn: (() => Promise<unknown>) | Promise<unknown>,
  code: ErrorCode,
): Promise<SluiceError> {
  try {
    await (typeof fn === 'function' ? fn() : fn);
  } catch (error) {
    if (errorCodeOf(error) === code) return error as SluiceError;
    throw mismatch(code, error);
  }
  throw new Error(`expected a rejection with code ${code}, but the promise resolved`);
}
